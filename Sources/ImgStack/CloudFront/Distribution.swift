import AWS
import Engine
import Foundation

extension CloudFront {
    /// A CloudFront distribution (`aws_cloudfront_distribution`) serving S3 origins, with the
    /// CloudFront default certificate and no geo restriction.
    ///
    /// ```swift
    /// let cdn = stack.add(CloudFront.Distribution(
    ///     "images", comment: "image server",
    ///     origins: [CloudFront.Origin(id: "images", domainName: bucket.bucketRegionalDomainName, originAccessControlID: oac.id)],
    ///     defaultCacheBehavior: CloudFront.CacheBehavior(targetOriginID: "images", responseHeadersPolicyID: cors.id),
    ///     defaultRootObject: "index.html"))
    /// ```
    ///
    /// Destroying a distribution disables it, waits until that is deployed, then deletes it:
    /// CloudFront refuses to delete an enabled distribution (`DistributionNotDisabled`).
    public struct Distribution: Resource {
        public static let typeName = "cloudfront.distribution"

        public var name: String
        /// Whether the distribution serves requests.
        public var enabled: Bool
        /// Free text, up to 128 characters.
        public var comment: String
        /// Where content comes from: at least one; ids unique.
        public var origins: [Origin]
        /// The behaviour for paths no ordered behaviour matches (no path pattern).
        public var defaultCacheBehavior: CacheBehavior
        /// Behaviours by path pattern, in precedence order (first match wins).
        public var orderedCacheBehaviors: [CacheBehavior]
        /// What viewers get for origin errors; one per error code.
        public var customErrorResponses: [CustomErrorResponse]
        /// `PriceClass_All` (default), `PriceClass_200` or `PriceClass_100`.
        public var priceClass: String
        /// The object served for `/` (`index.html`, no leading `/`); empty for none.
        public var defaultRootObject: String
        /// Standard access logs; nil for none.
        public var logging: Logging?
        /// `http2` (default), `http1.1`, `http3` or `http2and3`.
        public var httpVersion: String
        /// Accept IPv6 viewers.
        public var isIPV6Enabled: Bool
        /// Tags (at most 50).
        public var tags: [String: Text]
        /// Wait after create and update until the distribution is deployed (minutes on AWS).
        /// imgstack's own setting: it changes nothing in AWS. Destroy always waits.
        public var waitForDeployment: Bool
        public var dependsOn: [Address] = []

        /// Declares a distribution.
        public init(_ name: String, enabled: Bool = true, comment: String = "", origins: [Origin], defaultCacheBehavior: CacheBehavior,
                    orderedCacheBehaviors: [CacheBehavior] = [], customErrorResponses: [CustomErrorResponse] = [],
                    priceClass: String = "PriceClass_All", defaultRootObject: String = "", logging: Logging? = nil,
                    httpVersion: String = "http2", isIPV6Enabled: Bool = true, tags: [String: Text] = [:], waitForDeployment: Bool = true) {
            self.name = name
            self.enabled = enabled
            self.comment = comment
            self.origins = origins
            self.defaultCacheBehavior = defaultCacheBehavior
            self.orderedCacheBehaviors = orderedCacheBehaviors
            self.customErrorResponses = customErrorResponses
            self.priceClass = priceClass
            self.defaultRootObject = defaultRootObject
            self.logging = logging
            self.httpVersion = httpVersion
            self.isIPV6Enabled = isIPV6Enabled
            self.tags = tags
            self.waitForDeployment = waitForDeployment
        }

        public var properties: [String: Engine.Expression] {
            var list = PropertyList()
            list.set("enabled", enabled)
            list.set("comment", comment)
            list.set("origins", origins)
            list.set("defaultCacheBehavior", defaultCacheBehavior)
            list.set("orderedCacheBehaviors", orderedCacheBehaviors)
            list.set("customErrorResponses", customErrorResponses)
            list.set("priceClass", priceClass)
            list.set("defaultRootObject", defaultRootObject)
            list.set("logging", logging)
            list.set("httpVersion", httpVersion)
            list.set("isIPV6Enabled", isIPV6Enabled)
            list.set("tags", tags)
            list.set("waitForDeployment", waitForDeployment)
            return list.values
        }

        /// The distribution ARN.
        public var arn: Text { attribute("arn") }
        /// The `*.cloudfront.net` host name.
        public var domainName: Text { attribute("domainName") }
        /// The Route 53 hosted zone of every CloudFront domain, for alias records.
        public var hostedZoneID: Text { attribute("hostedZoneID") }
        /// `Deployed` or `InProgress`.
        public var status: Text { attribute("status") }
        /// The current version, sent in `If-Match` on update and delete.
        public var etag: Text { attribute("etag") }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { DistributionType(aws: aws) }
    }
}

/// Creates, reads, updates (with the ETag of `GetDistributionConfig`), disables and deletes distributions.
struct DistributionType: ResourceType {
    let aws: AWSClient
    var waiter = DeploymentWaiter()

    /// The hosted zone id of every `*.cloudfront.net` name (AWS documents it as a constant).
    static let hostedZoneID = "Z2FDTNDATAQYW2"
    static let intentTag = TagRules.reservedPrefix + "intent"

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: CloudFront.Distribution.typeName, terraformType: "aws_cloudfront_distribution",
            properties: [
                PropertySchema("enabled", default: true),
                PropertySchema("comment", default: ""),
                PropertySchema("origins"),
                PropertySchema("defaultCacheBehavior"),
                PropertySchema("orderedCacheBehaviors", default: .list([])),
                PropertySchema("customErrorResponses", default: .list([])),
                PropertySchema("priceClass", default: "PriceClass_All"),
                PropertySchema("defaultRootObject", default: ""),
                PropertySchema("logging", default: Value.null),
                PropertySchema("httpVersion", default: "http2"),
                PropertySchema("isIPV6Enabled", default: true),
                PropertySchema("tags", default: .map([:])),
                PropertySchema("waitForDeployment", default: true),
            ],
            attributes: [
                AttributeSchema("arn"), AttributeSchema("domainName"), AttributeSchema("hostedZoneID"),
                AttributeSchema("status", changesOnUpdate: true), AttributeSchema("etag", changesOnUpdate: true),
            ])
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        DistributionValidation.issues(properties, address: address)
    }

    func normalize(_ property: String, _ value: Value) -> Value {
        switch property {
        case "defaultCacheBehavior": return CloudFrontValues.normalizeBehavior(value)
        case "orderedCacheBehaviors": return value.listValue.map { .list($0.map(CloudFrontValues.normalizeBehavior)) } ?? value
        default: return value
        }
    }

    func deletionNote(_ properties: [String: Value]) -> String? {
        "CloudFront distributions are disabled first and deleted once that is deployed (usually 5 to 15 minutes)"
    }

    // MARK: - Create

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        // The intent id is the caller reference, which CloudFront keeps for life, and a tag, which
        // is how a crashed apply finds the distribution again (listings show neither).
        let intent = context.intentID ?? UUID().uuidString
        let config = CloudFrontValues.config(properties, callerReference: intent)
        let tags = CloudFrontValues.awsTags(properties["tags"]) + [AWS.CloudFront.Tag(key: Self.intentTag, value: intent)]
        var distribution = try await aws.cloudFront.createDistribution(config, tags: tags)
        if properties["waitForDeployment"] != false {
            distribution = try await waiter.wait(for: distribution.id, aws: aws, context: context)
        }
        return snapshot(distribution, declared: Set(properties.keys), tags: properties["tags"], wait: properties["waitForDeployment"])
    }

    // MARK: - Read

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, declared: Set(recorded.properties.keys), wait: recorded.properties["waitForDeployment"])
    }

    private func read(_ id: String, declared: Set<String>, wait: Value?) async throws -> ResourceSnapshot? {
        let distribution: AWS.CloudFront.Distribution
        do {
            distribution = try await aws.cloudFront.getDistribution(id)
        } catch let error as AWSError where error.code == "NoSuchDistribution" {
            return nil
        }
        // Tags are not part of the configuration: read only when the stack declares them.
        let tags = declared.contains("tags") ? CloudFrontValues.tagMap(try await aws.cloudFront.listTags(distribution.arn)) : nil
        return snapshot(distribution, declared: declared, tags: tags, wait: wait)
    }

    // MARK: - Update

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        var distribution: AWS.CloudFront.Distribution?
        if !changed.isDisjoint(with: CloudFrontValues.configProperties) {
            // UpdateDistribution replaces the whole configuration and needs the caller reference
            // and the ETag of the configuration it replaces.
            let (config, etag) = try await aws.cloudFront.getDistributionConfig(current.id)
            let wanted = CloudFrontValues.config(desired, callerReference: config.callerReference)
            var updated = try await aws.cloudFront.updateDistribution(current.id, config: wanted, ifMatch: etag)
            if desired["waitForDeployment"] != false {
                updated = try await waiter.wait(for: current.id, aws: aws, context: context)
            }
            distribution = updated
        }
        if changed.contains("tags"), let arn = current.attributes["arn"]?.stringValue {
            let wanted = CloudFrontValues.awsTags(desired["tags"])
            let removed = Set((current.properties["tags"]?.mapValue ?? [:]).keys).subtracting(wanted.map(\.key))
            if !removed.isEmpty { try await aws.cloudFront.untagResource(arn, keys: removed.sorted()) }
            if !wanted.isEmpty { try await aws.cloudFront.tagResource(arn, tags: wanted) }
        }
        let latest: AWS.CloudFront.Distribution
        if let distribution {
            latest = distribution
        } else {
            latest = try await aws.cloudFront.getDistribution(current.id)
        }
        return snapshot(latest, declared: Set(desired.keys), tags: desired["tags"], wait: desired["waitForDeployment"])
    }

    // MARK: - Delete

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        do {
            let (config, etag) = try await aws.cloudFront.getDistributionConfig(current.id)
            if config.enabled {
                var disabled = config
                disabled.enabled = false
                context.report("disabling CloudFront distribution \(current.id) before deleting it")
                _ = try await aws.cloudFront.updateDistribution(current.id, config: disabled, ifMatch: etag)
            }
            // Deleting needs the disabled configuration deployed, and the ETag of that version.
            let deployed = try await waiter.wait(for: current.id, aws: aws, context: context)
            try await aws.cloudFront.deleteDistribution(current.id, ifMatch: deployed.etag)
        } catch let error as AWSError where error.code == "NoSuchDistribution" {
            return
        }
    }

    // MARK: - Import, recovery

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, declared: Set(schema.properties.map(\.name)), wait: true)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let intent = context.intentID else { return nil }
        for summary in try await aws.cloudFront.listDistributions() {
            let tags = try await aws.cloudFront.listTags(summary.arn)
            if tags.contains(where: { $0.key == Self.intentTag && $0.value == intent }) {
                return try await read(summary.id, declared: Set(properties.keys), wait: properties["waitForDeployment"])
            }
        }
        return nil
    }

    // MARK: - Helpers

    private func snapshot(_ distribution: AWS.CloudFront.Distribution, declared: Set<String>, tags: Value?, wait: Value?) -> ResourceSnapshot {
        var all = CloudFrontValues.properties(distribution.config)
        all["tags"] = tags ?? .map([:])
        all["waitForDeployment"] = wait ?? true
        var properties: [String: Value] = [:]
        for name in declared { properties[name] = normalize(name, all[name] ?? .null) }
        return ResourceSnapshot(id: distribution.id, properties: properties, attributes: [
            "arn": .string(distribution.arn), "domainName": .string(distribution.domainName),
            "hostedZoneID": .string(Self.hostedZoneID), "status": .string(distribution.status), "etag": .string(distribution.etag),
        ])
    }
}
