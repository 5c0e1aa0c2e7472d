import Engine

/// The rules CloudFront applies to a distribution's configuration, checked on literal values
/// before any call (each rule names the property it is about).
enum DistributionValidation {
    static let viewerProtocolPolicies: Set<String> = ["allow-all", "https-only", "redirect-to-https"]
    static let priceClasses: Set<String> = ["PriceClass_All", "PriceClass_200", "PriceClass_100"]
    static let httpVersions: Set<String> = ["http1.1", "http2", "http3", "http2and3"]
    static let eventTypes: Set<String> = ["viewer-request", "viewer-response", "origin-request", "origin-response"]
    /// The only method sets CloudFront accepts (`AllowedMethods`, `CachedMethods`).
    static let allowedMethodSets: [Set<String>] = [["GET", "HEAD"], ["GET", "HEAD", "OPTIONS"],
                                                    ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]]
    static let cachedMethodSets: [Set<String>] = [["GET", "HEAD"], ["GET", "HEAD", "OPTIONS"]]
    static let errorCodes: Set<Int> = [400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504]

    static func issues(_ properties: [String: Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func issue(_ property: String, _ message: String) {
            issues.append(ValidationIssue(subject: address.description, property: property, message: message))
        }
        func string(_ expression: Expression?) -> String? { expression?.literal?.stringValue }

        if let comment = string(properties["comment"]), comment.count > 128 {
            issue("comment", "must be at most 128 characters, not \(comment.count)")
        }
        if let root = string(properties["defaultRootObject"]), root.hasPrefix("/") {
            issue("defaultRootObject", "names an object without a leading /: \"\(root.drop { $0 == "/" })\"")
        }
        if let price = string(properties["priceClass"]), !priceClasses.contains(price) {
            issue("priceClass", "must be one of \(priceClasses.sorted().joined(separator: ", ")), not \"\(price)\"")
        }
        if let version = string(properties["httpVersion"]), !httpVersions.contains(version) {
            issue("httpVersion", "must be one of \(httpVersions.sorted().joined(separator: ", ")), not \"\(version)\"")
        }

        let origins = CloudFrontValues.items(properties["origins"]).compactMap(CloudFrontValues.fields)
        if properties["origins"] != nil && origins.isEmpty { issue("origins", "a distribution needs at least one origin") }
        let originIDs = origins.compactMap { string($0["id"]) }
        for id in Set(originIDs) where originIDs.filter({ $0 == id }).count > 1 {
            issue("origins", "origin id \"\(id)\" is used twice; ids must be unique")
        }
        for origin in origins {
            if let id = string(origin["id"]), id.isEmpty { issue("origins", "an origin id must not be empty") }
            if let path = string(origin["originPath"]), !path.isEmpty, !path.hasPrefix("/") || path.hasSuffix("/") {
                issue("origins", "originPath \"\(path)\" must start with / and not end with one")
            }
        }

        if let fields = CloudFrontValues.fields(properties["defaultCacheBehavior"]) {
            if fields["pathPattern"] != nil { issue("defaultCacheBehavior", "the default behaviour takes no pathPattern") }
            behaviorIssues(fields, originIDs: originIDs, property: "defaultCacheBehavior", issue: issue)
        }
        for fields in CloudFrontValues.items(properties["orderedCacheBehaviors"]).compactMap(CloudFrontValues.fields) {
            if fields["pathPattern"] == nil || string(fields["pathPattern"])?.isEmpty == true {
                issue("orderedCacheBehaviors", "an ordered behaviour needs a pathPattern such as /api/*")
            }
            behaviorIssues(fields, originIDs: originIDs, property: "orderedCacheBehaviors", issue: issue)
        }

        var codes: [Int] = []
        for response in CloudFrontValues.items(properties["customErrorResponses"]).compactMap(\.literal) {
            let code = response["errorCode"].intValue ?? 0
            codes.append(code)
            if !errorCodes.contains(code) {
                issue("customErrorResponses", "errorCode \(code) is not one CloudFront can replace (\(errorCodes.sorted().map(String.init).joined(separator: ", ")))")
            }
            let page = response["responsePagePath"].stringValue ?? ""
            let status = response["responseCode"].stringValue ?? ""
            if !page.isEmpty, !page.hasPrefix("/") { issue("customErrorResponses", "responsePagePath \"\(page)\" must start with /") }
            if page.isEmpty != status.isEmpty {
                issue("customErrorResponses", "errorCode \(code): responseCode and responsePagePath go together")
            }
        }
        for code in Set(codes) where codes.filter({ $0 == code }).count > 1 {
            issue("customErrorResponses", "errorCode \(code) appears twice")
        }

        for problem in TagRules.problems(properties["tags"]?.literal, limit: 50) { issue("tags", problem) }
        return issues
    }

    private static func behaviorIssues(_ fields: [String: Expression], originIDs: [String], property: String,
                                       issue: (String, String) -> Void) {
        let label = fields["pathPattern"]?.literal?.stringValue.map { "behaviour \($0): " } ?? ""
        if let target = fields["targetOriginID"]?.literal?.stringValue, !originIDs.contains(target) {
            issue(property, "\(label)targetOriginID \"\(target)\" names no origin (origins: \(originIDs.joined(separator: ", ")))")
        }
        if let policy = fields["viewerProtocolPolicy"]?.literal?.stringValue, !viewerProtocolPolicies.contains(policy) {
            issue(property, "\(label)viewerProtocolPolicy must be one of \(viewerProtocolPolicies.sorted().joined(separator: ", ")), not \"\(policy)\"")
        }
        let allowed = Set(CloudFrontValues.strings(fields["allowedMethods"]?.literal ?? .null))
        let cached = Set(CloudFrontValues.strings(fields["cachedMethods"]?.literal ?? .null))
        if fields["allowedMethods"]?.literal != nil, !allowedMethodSets.contains(allowed) {
            issue(property, "\(label)allowedMethods must be GET,HEAD or GET,HEAD,OPTIONS or all seven methods, not \(allowed.sorted().joined(separator: ","))")
        }
        if fields["cachedMethods"]?.literal != nil, !cachedMethodSets.contains(cached) || (allowedMethodSets.contains(allowed) && !cached.isSubset(of: allowed)) {
            issue(property, "\(label)cachedMethods must be GET,HEAD or GET,HEAD,OPTIONS within allowedMethods, not \(cached.sorted().joined(separator: ","))")
        }
        var events: [String] = []
        for association in CloudFrontValues.items(fields["lambdaAssociations"]).compactMap(CloudFrontValues.fields) {
            let event = association["eventType"]?.literal?.stringValue ?? ""
            events.append(event)
            if !eventTypes.contains(event) {
                issue(property, "\(label)Lambda eventType must be one of \(eventTypes.sorted().joined(separator: ", ")), not \"\(event)\"")
            }
            if association["includeBody"]?.literal == true, event.hasSuffix("-response") {
                issue(property, "\(label)includeBody applies to request events only, not \(event)")
            }
            if let arn = association["lambdaARN"]?.literal?.stringValue {
                let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
                // arn:aws:lambda:us-east-1:123456789012:function:name:3 — CloudFront wants a numbered version.
                if parts.count != 8 || parts[2] != "lambda" || parts[5] != "function" || Int(parts[7]) == nil {
                    issue(property, "\(label)lambdaARN \"\(arn)\" must be a published version's ARN (…:function:name:3), not $LATEST or an alias")
                } else if parts[3] != "us-east-1" {
                    issue(property, "\(label)Lambda@Edge functions must be in us-east-1; \(arn) is in \(parts[3])")
                }
            }
        }
        for event in Set(events) where events.filter({ $0 == event }).count > 1 {
            issue(property, "\(label)more than one Lambda function for \(event)")
        }
    }
}
