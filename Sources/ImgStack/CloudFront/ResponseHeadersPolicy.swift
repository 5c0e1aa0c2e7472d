import AWS
import Engine

extension CloudFront {
    /// A response headers policy (`aws_cloudfront_response_headers_policy`) adding CORS and
    /// security headers to a distribution's answers.
    ///
    /// ```swift
    /// let cors = stack.add(CloudFront.ResponseHeadersPolicy("cors", policyName: "cors-with-preflight-and-allow-all-headers",
    ///                                                       cors: CloudFront.CORSConfig()))
    /// ```
    public struct ResponseHeadersPolicy: Resource {
        public static let terraformType = "aws_cloudfront_response_headers_policy"

        public var name: String
        /// The policy's name: unique in the account, 1 to 128 letters, digits, `-` and `_`.
        public var policyName: String
        /// Free text, up to 128 characters.
        public var comment: String
        /// The CORS headers to add; nil for none.
        public var cors: CORSConfig?
        /// The security headers to add (`Content-Security-Policy`, `X-Content-Type-Options`, …); nil for none.
        public var securityHeaders: SecurityHeadersConfig?
        public var dependsOn: [Address] = []

        /// Declares a response headers policy.
        public init(_ name: String, policyName: String, comment: String = "", cors: CORSConfig? = nil,
                    securityHeaders: SecurityHeadersConfig? = nil) {
            self.name = name
            self.policyName = policyName
            self.comment = comment
            self.cors = cors
            self.securityHeaders = securityHeaders
        }

        public var properties: [String: Engine.Expression] {
            var list = PropertyList()
            list.set(Self.property.policyName, policyName)
            list.set(Self.property.comment, comment)
            list.set(Self.property.cors, cors)
            list.set(Self.property.securityHeaders, securityHeaders)
            return list.values
        }

        /// The current version, sent in `If-Match` on update and delete.
        public var etag: Text { attribute("etag") }

        public static func makeType() -> any ResourceType { ResponseHeadersPolicyType() }
    }
}

extension CloudFront.ResponseHeadersPolicy {
    /// A response headers policy's properties, each declared once.
    struct Properties: PropertySet {
        let policyName = Property<String>("name")
        let comment = Property<String>("comment", default: "")
        let cors = Property<Value>("cors", terraform: .blocks("cors_config"), default: .null)
        let securityHeaders = Property<Value>("securityHeaders", terraform: .blocks("security_headers_config"), default: .null)
    }

    static let property = Properties()
}

/// Response headers policies: the properties of one `ResponseHeadersPolicyConfig`; created,
/// read, updated with the current ETag and deleted as every versioned configuration is.
struct ResponseHeadersPolicyType: VersionedConfigurationType {
    typealias Config = AWS.CloudFront.ResponseHeadersPolicyConfig

    static let schema = ResourceSchema(CloudFront.ResponseHeadersPolicy.self, CloudFront.ResponseHeadersPolicy.Properties.self,
                                       attributes: [AttributeSchema("etag", changesOnUpdate: true)],
                                       uniqueName: [CloudFront.ResponseHeadersPolicy.property.policyName])

    var schema: ResourceSchema { Self.schema }
    private var property: CloudFront.ResponseHeadersPolicy.Properties { CloudFront.ResponseHeadersPolicy.property }

    /// A policy is imported by its id: a UUID in AWS (upper-case letters and digits in the
    /// emulator, as a distribution's id).
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: ImportIDForm.uuid + "|" + CloudFrontIDs.pattern,
                             expected: "a response headers policy is imported by its id (a UUID such as 67f7725c-6f97-4210-82d7-5512b31e9d03)")
    }
    var nameProperty: Property<String> { property.policyName }
    static var noteMember: WritableKeyPath<Config, String> { \.comment }
    static let kind = "CloudFront response headers policy"

    static let corsMethods: Set<String> = ["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH", "HEAD", "ALL"]

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let name = properties.literal(property.policyName) {
            let allowed = name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
            if !(1...128).contains(name.count) || !allowed {
                issues.append(ValidationIssue(address, property.policyName, "must be 1 to 128 letters, digits, - and _, not \"\(name)\""))
            }
        }
        if let comment = properties.literal(property.comment), comment.count > 128 {
            issues.append(ValidationIssue(address, property.comment, "must be at most 128 characters, not \(comment.count)"))
        }
        if let cors = properties.literal(property.cors), case .map = cors {
            func issue(_ message: String) { issues.append(ValidationIssue(address, property.cors, message)) }
            for (key, label) in [("allowOrigins", "origin"), ("allowHeaders", "header"), ("allowMethods", "method")]
            where CloudFrontValues.strings(cors[key]).isEmpty {
                issue("\(key) needs at least one \(label)")
            }
            let unknown = CloudFrontValues.strings(cors["allowMethods"]).filter { !Self.corsMethods.contains($0) }
            if !unknown.isEmpty {
                issue("allowMethods: \(unknown.joined(separator: ", ")) not among \(Self.corsMethods.sorted().joined(separator: ", "))")
            }
            if let age = cors["maxAgeSeconds"].intValue, age < 0 {
                issue("maxAgeSeconds must not be negative, not \(age)")
            }
            // CloudFront refuses credentials with a wildcard origin, as browsers would ignore them.
            if cors["allowCredentials"] == true, CloudFrontValues.strings(cors["allowOrigins"]).contains("*") {
                issue("allowCredentials cannot be used with the * origin; list the origins")
            }
        }
        if let headers = properties.literal(property.securityHeaders), case .map = headers {
            func issue(_ message: String) { issues.append(ValidationIssue(address, property.securityHeaders, message)) }
            typealias Security = CloudFront.SecurityHeadersConfig
            if let policy = headers["contentSecurityPolicy"].stringValue, !(1...Security.maximumPolicyLength).contains(policy.count) {
                issue("contentSecurityPolicy must be 1 to \(Security.maximumPolicyLength) characters, not \(policy.count)")
            }
            if let frame = headers["frameOptions"].stringValue, !Security.frameOptionValues.contains(frame) {
                issue("frameOptions must be one of \(Security.frameOptionValues.sorted().joined(separator: ", ")), not \"\(frame)\"")
            }
            if let referrer = headers["referrerPolicy"].stringValue, !Security.referrerPolicyValues.contains(referrer) {
                issue("referrerPolicy must be one of \(Security.referrerPolicyValues.sorted().joined(separator: ", ")), not \"\(referrer)\"")
            }
            if headers["contentSecurityPolicy"].stringValue == nil, headers["contentTypeOptions"].boolValue != true,
               headers["frameOptions"].stringValue == nil, headers["referrerPolicy"].stringValue == nil {
                issue("sets no header: give at least one, or leave securityHeaders out")
            }
        }
        return issues
    }

    func normalize(_ name: String, _ value: Value) -> Value {
        // Origins, headers and methods are sets to CloudFront.
        guard name == property.cors.name, var fields = value.mapValue else { return value }
        for key in ["allowOrigins", "allowHeaders", "allowMethods", "exposeHeaders"] where fields[key] != nil {
            fields[key] = CloudFrontValues.sortedStrings(fields[key] ?? .null)
        }
        return .map(fields)
    }

    static func config(_ properties: [String: Value]) -> Config {
        let property = CloudFront.ResponseHeadersPolicy.property
        let cors = properties[property.cors].flatMap { value in
            value.mapValue.map { _ in
                AWS.CloudFront.CORSConfig(
                    allowOrigins: CloudFrontValues.strings(value["allowOrigins"]), allowHeaders: CloudFrontValues.strings(value["allowHeaders"]),
                    allowMethods: CloudFrontValues.strings(value["allowMethods"]), allowCredentials: value["allowCredentials"].boolValue ?? false,
                    exposeHeaders: CloudFrontValues.strings(value["exposeHeaders"]), maxAgeSeconds: value["maxAgeSeconds"].intValue,
                    originOverride: value["originOverride"].boolValue ?? true)
            }
        }
        let securityHeaders = properties[property.securityHeaders].flatMap { value in
            value.mapValue.map { _ -> AWS.CloudFront.SecurityHeadersConfig in
                let override = value["override"].boolValue ?? true
                return AWS.CloudFront.SecurityHeadersConfig(
                    contentSecurityPolicy: value["contentSecurityPolicy"].stringValue.map { .init($0, override: override) },
                    contentTypeOptions: value["contentTypeOptions"].boolValue == true ? .init(true, override: override) : nil,
                    frameOptions: value["frameOptions"].stringValue.map { .init($0, override: override) },
                    referrerPolicy: value["referrerPolicy"].stringValue.map { .init($0, override: override) })
            }
        }
        return Config(name: properties[property.policyName] ?? "", comment: properties[property.comment] ?? "", cors: cors,
                      securityHeaders: securityHeaders)
    }

    static func properties(_ config: Config) -> [String: Value] {
        let property = CloudFront.ResponseHeadersPolicy.property
        let cors: Value = config.cors.map {
            .map([
                "allowOrigins": CloudFrontValues.stringList($0.allowOrigins), "allowHeaders": CloudFrontValues.stringList($0.allowHeaders),
                "allowMethods": CloudFrontValues.stringList($0.allowMethods), "allowCredentials": .bool($0.allowCredentials),
                "exposeHeaders": CloudFrontValues.stringList($0.exposeHeaders), "maxAgeSeconds": $0.maxAgeSeconds.map(Value.int) ?? .null,
                "originOverride": .bool($0.originOverride),
            ])
        } ?? .null
        let securityHeaders: Value = config.securityHeaders.map { headers in
            // One Override for every header: they are all set alike, so any header that does not override means none does.
            let overrides = [headers.contentSecurityPolicy?.override, headers.contentTypeOptions?.override,
                             headers.frameOptions?.override, headers.referrerPolicy?.override].compactMap { $0 }
            return .map([
                "contentSecurityPolicy": headers.contentSecurityPolicy.map { .string($0.value) } ?? .null,
                "contentTypeOptions": .bool(headers.contentTypeOptions != nil),
                "frameOptions": headers.frameOptions.map { .string($0.value) } ?? .null,
                "referrerPolicy": headers.referrerPolicy.map { .string($0.value) } ?? .null,
                "override": .bool(overrides.allSatisfy { $0 }),
            ])
        } ?? .null
        var properties: [String: Value] = [:]
        properties[property.policyName] = config.name
        properties[property.comment] = config.comment
        properties[property.cors.name] = cors
        properties[property.securityHeaders.name] = securityHeaders
        return properties
    }
}

extension ResponseHeadersPolicyType: AccessDeclaring {
    /// CloudFront actions per the Service Authorization Reference (Amazon CloudFront).
    static let access: ResourceAccess = {
        let policy = ARNPattern.arn("arn:{partition}:cloudfront::{account}:response-headers-policy/*")
        return ResourceAccess([
            IAMCall(.cloudFront, "ListResponseHeadersPolicies", in: [.create, .settle, .import],
                    on: [.anyResource(reason: "cloudfront:ListResponseHeadersPolicies takes no resource; a policy is found by its name")]),
            IAMCall(.cloudFront, "CreateResponseHeadersPolicy", in: [.create], on: [policy]),
            IAMCall(.cloudFront, "GetResponseHeadersPolicy", in: .readingBack.union([.delete]), on: [policy]),
            // A create writes the declared comment back over its intent mark.
            IAMCall(.cloudFront, "UpdateResponseHeadersPolicy", in: [.create, .update], on: [policy]),
            IAMCall(.cloudFront, "DeleteResponseHeadersPolicy", in: [.delete], on: [policy]),
        ])
    }()
}
