import Engine

/// The rules CloudFront applies to a distribution's configuration, checked on literal values
/// before any call (each rule names the property it is about).
enum DistributionValidation {
    static let viewerProtocolPolicies: Set<String> = ["allow-all", "https-only", "redirect-to-https"]
    static let priceClasses: Set<String> = ["PriceClass_All", "PriceClass_200", "PriceClass_100"]
    static let httpVersions: Set<String> = ["http1.1", "http2", "http3", "http2and3"]
    static let eventTypes: Set<String> = ["viewer-request", "viewer-response", "origin-request", "origin-response"]
    /// `OriginProtocolPolicy` of a custom origin.
    static let originProtocolPolicies: Set<String> = ["http-only", "match-viewer", "https-only"]
    /// The only method sets CloudFront accepts (`AllowedMethods`, `CachedMethods`).
    static let allowedMethodSets: [Set<String>] = [["GET", "HEAD"], ["GET", "HEAD", "OPTIONS"],
                                                    ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]]
    static let cachedMethodSets: [Set<String>] = [["GET", "HEAD"], ["GET", "HEAD", "OPTIONS"]]
    static let errorCodes: Set<Int> = [400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504]

    static func issues(_ properties: [String: Expression], address: Address) -> [ValidationIssue] {
        let property = CloudFront.Distribution.property
        var issues: [ValidationIssue] = []
        func issue(_ property: any PropertyDeclaration, _ message: String) {
            issues.append(ValidationIssue(address, property, message))
        }
        func string(_ expression: Expression?) -> String? { expression?.literal?.stringValue }

        if let comment = properties.literal(property.comment), comment.count > 128 {
            issue(property.comment, "must be at most 128 characters, not \(comment.count)")
        }
        if let root = properties.literal(property.defaultRootObject), root.hasPrefix("/") {
            issue(property.defaultRootObject, "names an object without a leading /: \"\(root.drop { $0 == "/" })\"")
        }
        if let price = properties.literal(property.priceClass), !priceClasses.contains(price) {
            issue(property.priceClass, "must be one of \(priceClasses.sorted().joined(separator: ", ")), not \"\(price)\"")
        }
        if let version = properties.literal(property.httpVersion), !httpVersions.contains(version) {
            issue(property.httpVersion, "must be one of \(httpVersions.sorted().joined(separator: ", ")), not \"\(version)\"")
        }

        let origins = CloudFrontValues.items(properties[property.origins]).compactMap(CloudFrontValues.fields)
        if properties[property.origins] != nil && origins.isEmpty { issue(property.origins, "a distribution needs at least one origin") }
        let originIDs = origins.compactMap { string($0["id"]) }
        for id in Set(originIDs) where originIDs.filter({ $0 == id }).count > 1 {
            issue(property.origins, "origin id \"\(id)\" is used twice; ids must be unique")
        }
        for origin in origins {
            if let id = string(origin["id"]), id.isEmpty { issue(property.origins, "an origin id must not be empty") }
            if let path = string(origin["originPath"]), !path.isEmpty, !path.hasPrefix("/") || path.hasSuffix("/") {
                issue(property.origins, "originPath \"\(path)\" must start with / and not end with one")
            }
            guard let custom = CloudFrontValues.fields(origin["customOrigin"]) else { continue }
            if let policy = string(custom["protocolPolicy"]), !originProtocolPolicies.contains(policy) {
                issue(property.origins, "protocolPolicy \"\(policy)\" must be one of \(originProtocolPolicies.sorted().joined(separator: ", "))")
            }
            // A custom origin is a host name: an invoke URL's scheme or stage path belongs elsewhere.
            if let domain = string(origin["domainName"]), domain.contains("/") || domain.isEmpty {
                issue(property.origins, "a custom origin's domainName is a host name such as abc123.execute-api.eu-west-2.amazonaws.com, not \"\(domain)\"; put the stage in originPath")
            }
        }
        // CloudFront takes a WAFv2 web ACL by its ARN, of CLOUDFRONT scope (AWS WAF developer
        // guide, "Using AWS WAF with Amazon CloudFront"): arn:aws:wafv2:us-east-1:ACCOUNT:global/webacl/NAME/ID.
        if let acl = properties.literal(property.webACLID), !acl.isEmpty,
           !(acl.hasPrefix("arn:") && acl.contains(":wafv2:us-east-1:") && acl.contains(":global/webacl/")) {
            issue(property.webACLID, "must be the ARN of a CLOUDFRONT-scope WAFv2 web ACL (arn:aws:wafv2:us-east-1:…:global/webacl/…), not \"\(acl)\"")
        }

        if let fields = CloudFrontValues.fields(properties[property.defaultCacheBehavior]) {
            if fields["pathPattern"] != nil { issue(property.defaultCacheBehavior, "the default behaviour takes no pathPattern") }
            behaviorIssues(fields, originIDs: originIDs) { issue(property.defaultCacheBehavior, $0) }
        }
        for fields in CloudFrontValues.items(properties[property.orderedCacheBehaviors]).compactMap(CloudFrontValues.fields) {
            if fields["pathPattern"] == nil || string(fields["pathPattern"])?.isEmpty == true {
                issue(property.orderedCacheBehaviors, "an ordered behaviour needs a pathPattern such as /api/*")
            }
            behaviorIssues(fields, originIDs: originIDs) { issue(property.orderedCacheBehaviors, $0) }
        }

        var codes: [Int] = []
        for response in CloudFrontValues.items(properties[property.customErrorResponses]).compactMap(\.literal) {
            let code = response["errorCode"].intValue ?? 0
            codes.append(code)
            if !errorCodes.contains(code) {
                issue(property.customErrorResponses, "errorCode \(code) is not one CloudFront can replace (\(errorCodes.sorted().map(String.init).joined(separator: ", ")))")
            }
            let page = response["responsePagePath"].stringValue ?? ""
            let status = response["responseCode"].stringValue ?? ""
            if !page.isEmpty, !page.hasPrefix("/") { issue(property.customErrorResponses, "responsePagePath \"\(page)\" must start with /") }
            if page.isEmpty != status.isEmpty {
                issue(property.customErrorResponses, "errorCode \(code): responseCode and responsePagePath go together")
            }
        }
        for code in Set(codes) where codes.filter({ $0 == code }).count > 1 {
            issue(property.customErrorResponses, "errorCode \(code) appears twice")
        }

        for problem in TagRules.problems(properties[property.tags]?.literal, limit: 49) { issue(property.tags, problem) }
        return issues
    }

    /// The problems of one cache behaviour, each told to `issue`.
    private static func behaviorIssues(_ fields: [String: Expression], originIDs: [String], issue: (String) -> Void) {
        let label = fields["pathPattern"]?.literal?.stringValue.map { "behaviour \($0): " } ?? ""
        if let target = fields["targetOriginID"]?.literal?.stringValue, !originIDs.contains(target) {
            issue("\(label)targetOriginID \"\(target)\" names no origin (origins: \(originIDs.joined(separator: ", ")))")
        }
        if let policy = fields["viewerProtocolPolicy"]?.literal?.stringValue, !viewerProtocolPolicies.contains(policy) {
            issue("\(label)viewerProtocolPolicy must be one of \(viewerProtocolPolicies.sorted().joined(separator: ", ")), not \"\(policy)\"")
        }
        let allowed = Set(CloudFrontValues.strings(fields["allowedMethods"]?.literal ?? .null))
        let cached = Set(CloudFrontValues.strings(fields["cachedMethods"]?.literal ?? .null))
        if fields["allowedMethods"]?.literal != nil, !allowedMethodSets.contains(allowed) {
            issue("\(label)allowedMethods must be GET,HEAD or GET,HEAD,OPTIONS or all seven methods, not \(allowed.sorted().joined(separator: ","))")
        }
        if fields["cachedMethods"]?.literal != nil, !cachedMethodSets.contains(cached) || (allowedMethodSets.contains(allowed) && !cached.isSubset(of: allowed)) {
            issue("\(label)cachedMethods must be GET,HEAD or GET,HEAD,OPTIONS within allowedMethods, not \(cached.sorted().joined(separator: ","))")
        }
        var events: [String] = []
        for association in CloudFrontValues.items(fields["lambdaAssociations"]).compactMap(CloudFrontValues.fields) {
            let event = association["eventType"]?.literal?.stringValue ?? ""
            events.append(event)
            if !eventTypes.contains(event) {
                issue("\(label)Lambda eventType must be one of \(eventTypes.sorted().joined(separator: ", ")), not \"\(event)\"")
            }
            if association["includeBody"]?.literal == true, event.hasSuffix("-response") {
                issue("\(label)includeBody applies to request events only, not \(event)")
            }
            if let arn = association["lambdaARN"]?.literal?.stringValue {
                let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
                // arn:aws:lambda:us-east-1:123456789012:function:name:3 — CloudFront wants a numbered version.
                if parts.count != 8 || parts[2] != "lambda" || parts[5] != "function" || Int(parts[7]) == nil {
                    issue("\(label)lambdaARN \"\(arn)\" must be a published version's ARN (…:function:name:3), not $LATEST or an alias")
                } else if parts[3] != "us-east-1" {
                    issue("\(label)Lambda@Edge functions must be in us-east-1; \(arn) is in \(parts[3])")
                }
            }
        }
        for event in Set(events) where events.filter({ $0 == event }).count > 1 {
            issue("\(label)more than one Lambda function for \(event)")
        }
    }
}
