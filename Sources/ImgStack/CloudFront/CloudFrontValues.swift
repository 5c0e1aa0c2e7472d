import AWS
import Engine

/// Conversions between the property values of CloudFront resources and the AWS layer's types,
/// and the pieces of validation and normalisation the three types share.
enum CloudFrontValues {
    // MARK: - Expressions

    /// A map expression, folded into a literal when nothing in it is a reference.
    static func map(_ fields: [String: Expression]) -> Expression {
        let expression = Expression.map(fields)
        return expression.literal.map(Expression.value) ?? expression
    }

    /// The fields of a map expression, whether literal or holding references.
    static func fields(_ expression: Expression?) -> [String: Expression]? {
        switch expression {
        case .map(let fields)?: return fields
        case .value(.map(let values))?: return values.mapValues(Expression.value)
        default: return nil
        }
    }

    /// The items of a list expression, whether literal or holding references.
    static func items(_ expression: Expression?) -> [Expression] {
        switch expression {
        case .list(let items)?: return items
        case .value(.list(let values))?: return values.map(Expression.value)
        default: return []
        }
    }

    // MARK: - Values

    static func strings(_ value: Value) -> [String] {
        (value.listValue ?? []).compactMap(\.stringValue)
    }

    static func stringList(_ strings: [String]) -> Value {
        .list(strings.map(Value.string))
    }

    /// The list sorted when every item is a known string: for sets AWS may return in another order.
    static func sortedStrings(_ value: Value) -> Value {
        guard let items = value.listValue, items.allSatisfy({ $0.stringValue != nil }) else { return value }
        return stringList(strings(value).sorted())
    }

    static func awsTags(_ tags: [String: String]?) -> [AWS.CloudFront.Tag] {
        (tags ?? [:]).sorted { $0.key < $1.key }.map { AWS.CloudFront.Tag(key: $0.key, value: $0.value) }
    }

    static func tagMap(_ tags: [AWS.CloudFront.Tag]) -> Value {
        TagRules.visible(Dictionary(tags.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last }))
    }

    // MARK: - Distribution configuration

    /// The distribution properties that live in its configuration (tags and the wait flag do not).
    static let configProperties: Set<String> = {
        let property = CloudFront.Distribution.property
        return CloudFront.Distribution.Properties.names.subtracting([property.tags.name, property.waitForDeployment.name])
    }()

    static func config(_ properties: [String: Value], callerReference: String) -> AWS.CloudFront.DistributionConfig {
        let property = CloudFront.Distribution.property
        return AWS.CloudFront.DistributionConfig(
            callerReference: callerReference,
            comment: properties[property.comment] ?? "",
            enabled: properties[property.enabled] ?? true,
            origins: (properties[property.origins]?.listValue ?? []).map(origin),
            defaultCacheBehavior: behavior(properties[property.defaultCacheBehavior.name] ?? .null),
            cacheBehaviors: (properties[property.orderedCacheBehaviors]?.listValue ?? []).map(behavior),
            customErrorResponses: (properties[property.customErrorResponses]?.listValue ?? []).map(errorResponse),
            defaultRootObject: properties[property.defaultRootObject] ?? "",
            logging: properties[property.logging]?.mapValue.map {
                AWS.CloudFront.Logging(bucket: $0["bucket"]?.stringValue ?? "", prefix: $0["prefix"]?.stringValue ?? "",
                                       includeCookies: $0["includeCookies"]?.boolValue ?? false)
            },
            priceClass: properties[property.priceClass] ?? "PriceClass_All",
            httpVersion: properties[property.httpVersion] ?? "http2",
            isIPV6Enabled: properties[property.isIPV6Enabled] ?? true,
            webACLID: properties[property.webACLID] ?? "")
    }

    /// The key under which a read origin or cache behaviour lists the settings AWS holds that
    /// the stack's form cannot express (``AWS/CloudFront/Origin/unmodeled``); a stack never
    /// sets it, so they show as drift and the next update, which writes the configuration
    /// whole, removes them.
    static let unmanaged = "unmanagedByImgstack"

    /// Every configuration property as AWS holds it.
    static func properties(_ config: AWS.CloudFront.DistributionConfig) -> [String: Value] {
        let property = CloudFront.Distribution.property
        var properties: [String: Value] = [:]
        properties[property.enabled] = config.enabled
        properties[property.comment] = config.comment
        properties[property.origins] = .list(config.origins.map(value))
        properties[property.defaultCacheBehavior] = value(config.defaultCacheBehavior)
        properties[property.orderedCacheBehaviors] = .list(config.cacheBehaviors.map(value))
        properties[property.customErrorResponses] = .list(config.customErrorResponses.map(value))
        properties[property.priceClass] = config.priceClass
        properties[property.defaultRootObject] = config.defaultRootObject
        properties[property.logging.name] = config.logging.map {
            .map(["bucket": .string($0.bucket), "prefix": .string($0.prefix), "includeCookies": .bool($0.includeCookies)])
        } ?? .null
        properties[property.httpVersion] = config.httpVersion
        properties[property.isIPV6Enabled] = config.isIPV6Enabled
        properties[property.unmanagedByImgstack] = config.unmodeled
        properties[property.webACLID] = config.webACLID
        return properties
    }

    static func origin(_ value: Value) -> AWS.CloudFront.Origin {
        AWS.CloudFront.Origin(id: value["id"].stringValue ?? "", domainName: value["domainName"].stringValue ?? "",
                              originPath: value["originPath"].stringValue ?? "",
                              originAccessControlID: value["originAccessControlID"].stringValue ?? "",
                              custom: value["customOrigin"].mapValue.map { _ in customOrigin(value["customOrigin"]) })
    }

    /// An origin as a value; `customOrigin` only for a custom origin, so an S3 origin's value is
    /// what it was before custom origins existed (no drift on distributions already recorded).
    static func value(_ origin: AWS.CloudFront.Origin) -> Value {
        var fields: [String: Value] = ["id": .string(origin.id), "domainName": .string(origin.domainName),
                                       "originPath": .string(origin.originPath), "originAccessControlID": .string(origin.originAccessControlID)]
        if let custom = origin.custom { fields["customOrigin"] = value(custom) }
        if !origin.unmodeled.isEmpty { fields[unmanaged] = stringList(origin.unmodeled) }
        return .map(fields)
    }

    static func customOrigin(_ value: Value) -> AWS.CloudFront.CustomOriginConfig {
        AWS.CloudFront.CustomOriginConfig(protocolPolicy: value["protocolPolicy"].stringValue ?? "", sslProtocols: strings(value["sslProtocols"]),
                                          httpPort: value["httpPort"].intValue ?? 80, httpsPort: value["httpsPort"].intValue ?? 443,
                                          readTimeout: value["readTimeout"].intValue ?? 30, keepaliveTimeout: value["keepaliveTimeout"].intValue ?? 5)
    }

    static func value(_ custom: AWS.CloudFront.CustomOriginConfig) -> Value {
        .map(["protocolPolicy": .string(custom.protocolPolicy), "sslProtocols": stringList(custom.sslProtocols),
              "httpPort": .int(custom.httpPort), "httpsPort": .int(custom.httpsPort),
              "readTimeout": .int(custom.readTimeout), "keepaliveTimeout": .int(custom.keepaliveTimeout)])
    }

    static func behavior(_ value: Value) -> AWS.CloudFront.CacheBehavior {
        AWS.CloudFront.CacheBehavior(
            pathPattern: value["pathPattern"].stringValue,
            targetOriginID: value["targetOriginID"].stringValue ?? "",
            viewerProtocolPolicy: value["viewerProtocolPolicy"].stringValue ?? "redirect-to-https",
            allowedMethods: strings(value["allowedMethods"]),
            cachedMethods: strings(value["cachedMethods"]),
            compress: value["compress"].boolValue ?? true,
            lambdaFunctionAssociations: (value["lambdaAssociations"].listValue ?? []).map {
                AWS.CloudFront.LambdaFunctionAssociation(arn: $0["lambdaARN"].stringValue ?? "", eventType: $0["eventType"].stringValue ?? "",
                                                         includeBody: $0["includeBody"].boolValue ?? false)
            },
            cachePolicyID: value["cachePolicyID"].stringValue ?? "",
            originRequestPolicyID: value["originRequestPolicyID"].stringValue ?? "",
            responseHeadersPolicyID: value["responseHeadersPolicyID"].stringValue ?? "")
    }

    static func value(_ behavior: AWS.CloudFront.CacheBehavior) -> Value {
        var fields: [String: Value] = [
            "targetOriginID": .string(behavior.targetOriginID), "viewerProtocolPolicy": .string(behavior.viewerProtocolPolicy),
            "allowedMethods": stringList(behavior.allowedMethods), "cachedMethods": stringList(behavior.cachedMethods),
            "cachePolicyID": .string(behavior.cachePolicyID), "originRequestPolicyID": .string(behavior.originRequestPolicyID),
            "responseHeadersPolicyID": .string(behavior.responseHeadersPolicyID), "compress": .bool(behavior.compress),
            "lambdaAssociations": .list(behavior.lambdaFunctionAssociations.map {
                .map(["eventType": .string($0.eventType), "lambdaARN": .string($0.arn), "includeBody": .bool($0.includeBody)])
            }),
        ]
        if let pathPattern = behavior.pathPattern { fields["pathPattern"] = .string(pathPattern) }
        if !behavior.unmodeled.isEmpty { fields[unmanaged] = stringList(behavior.unmodeled) }
        return .map(fields)
    }

    static func errorResponse(_ value: Value) -> AWS.CloudFront.CustomErrorResponse {
        AWS.CloudFront.CustomErrorResponse(errorCode: value["errorCode"].intValue ?? 0, responsePagePath: value["responsePagePath"].stringValue ?? "",
                                           responseCode: value["responseCode"].stringValue ?? "",
                                           errorCachingMinTTL: value["errorCachingMinTTL"].intValue)
    }

    static func value(_ response: AWS.CloudFront.CustomErrorResponse) -> Value {
        .map(["errorCode": .int(response.errorCode), "responseCode": .string(response.responseCode),
              "responsePagePath": .string(response.responsePagePath),
              // CloudFront caches errors for 10 seconds unless told otherwise.
              "errorCachingMinTTL": .int(response.errorCachingMinTTL ?? 10)])
    }

    /// A cache behaviour with its method sets sorted and its Lambda associations ordered by
    /// event: CloudFront treats both as sets.
    static func normalizeBehavior(_ value: Value) -> Value {
        guard var fields = value.mapValue else { return value }
        for key in ["allowedMethods", "cachedMethods"] where fields[key] != nil {
            fields[key] = sortedStrings(fields[key] ?? .null)
        }
        if let associations = fields["lambdaAssociations"]?.listValue, associations.allSatisfy({ $0["eventType"].stringValue != nil }) {
            fields["lambdaAssociations"] = .list(associations.sorted { ($0["eventType"].stringValue ?? "") < ($1["eventType"].stringValue ?? "") })
        }
        return .map(fields)
    }
}
