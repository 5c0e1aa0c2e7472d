import AWS
import Engine

extension CloudFront {
    /// A response headers policy (`aws_cloudfront_response_headers_policy`) adding CORS headers
    /// to a distribution's answers.
    ///
    /// ```swift
    /// let cors = stack.add(CloudFront.ResponseHeadersPolicy("cors", policyName: "cors-with-preflight-and-allow-all-headers",
    ///                                                       cors: CloudFront.CORSConfig()))
    /// ```
    public struct ResponseHeadersPolicy: Resource {
        public static let typeName = "cloudfront.response_headers_policy"

        public var name: String
        /// The policy's name: unique in the account, 1 to 128 letters, digits, `-` and `_`.
        public var policyName: String
        /// Free text, up to 128 characters.
        public var comment: String
        /// The CORS headers to add; nil for none.
        public var cors: CORSConfig?
        public var dependsOn: [Address] = []

        /// Declares a response headers policy.
        public init(_ name: String, policyName: String, comment: String = "", cors: CORSConfig? = nil) {
            self.name = name
            self.policyName = policyName
            self.comment = comment
            self.cors = cors
        }

        public var properties: [String: Engine.Expression] {
            var list = PropertyList()
            list.set("name", policyName)
            list.set("comment", comment)
            list.set("cors", cors)
            return list.values
        }

        /// The current version, sent in `If-Match` on update and delete.
        public var etag: Text { attribute("etag") }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { ResponseHeadersPolicyType(aws: aws) }
    }
}

/// Creates, reads, updates and deletes response headers policies, each change with the current ETag.
struct ResponseHeadersPolicyType: ResourceType {
    let aws: AWSClient

    static let corsMethods: Set<String> = ["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH", "HEAD", "ALL"]

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: CloudFront.ResponseHeadersPolicy.typeName, terraformType: "aws_cloudfront_response_headers_policy",
            properties: [
                PropertySchema("name"),
                PropertySchema("comment", default: ""),
                PropertySchema("cors", default: Value.null),
            ],
            attributes: [AttributeSchema("etag", changesOnUpdate: true)],
            uniqueNameProperty: "name")
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func issue(_ property: String, _ message: String) {
            issues.append(ValidationIssue(subject: address.description, property: property, message: message))
        }
        if let name = properties["name"]?.literal?.stringValue {
            let allowed = name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
            if !(1...128).contains(name.count) || !allowed {
                issue("name", "must be 1 to 128 letters, digits, - and _, not \"\(name)\"")
            }
        }
        if let comment = properties["comment"]?.literal?.stringValue, comment.count > 128 {
            issue("comment", "must be at most 128 characters, not \(comment.count)")
        }
        if let cors = properties["cors"]?.literal, case .map = cors {
            for (key, label) in [("allowOrigins", "origin"), ("allowHeaders", "header"), ("allowMethods", "method")]
            where CloudFrontValues.strings(cors[key]).isEmpty {
                issue("cors", "\(key) needs at least one \(label)")
            }
            let unknown = CloudFrontValues.strings(cors["allowMethods"]).filter { !Self.corsMethods.contains($0) }
            if !unknown.isEmpty {
                issue("cors", "allowMethods: \(unknown.joined(separator: ", ")) not among \(Self.corsMethods.sorted().joined(separator: ", "))")
            }
            if let age = cors["maxAgeSeconds"].intValue, age < 0 {
                issue("cors", "maxAgeSeconds must not be negative, not \(age)")
            }
            // CloudFront refuses credentials with a wildcard origin, as browsers would ignore them.
            if cors["allowCredentials"] == true, CloudFrontValues.strings(cors["allowOrigins"]).contains("*") {
                issue("cors", "allowCredentials cannot be used with the * origin; list the origins")
            }
        }
        return issues
    }

    func normalize(_ property: String, _ value: Value) -> Value {
        // Origins, headers and methods are sets to CloudFront.
        guard property == "cors", var fields = value.mapValue else { return value }
        for key in ["allowOrigins", "allowHeaders", "allowMethods", "exposeHeaders"] where fields[key] != nil {
            fields[key] = CloudFrontValues.sortedStrings(fields[key] ?? .null)
        }
        return .map(fields)
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let policy = try await aws.cloudFront.createResponseHeadersPolicy(Self.config(properties))
        return snapshot(policy, declared: Set(properties.keys))
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let policy = try await find(recorded.id) else { return nil }
        return snapshot(policy, declared: Set(recorded.properties.keys))
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        // One call replaces the whole configuration; the ETag comes from a fresh read because
        // a stale one is refused with PreconditionFailed.
        let fresh = try await aws.cloudFront.getResponseHeadersPolicy(current.id)
        let policy = try await aws.cloudFront.updateResponseHeadersPolicy(current.id, config: Self.config(desired), ifMatch: fresh.etag)
        return snapshot(policy, declared: Set(desired.keys))
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        guard let policy = try await find(current.id) else { return }
        do {
            try await aws.cloudFront.deleteResponseHeadersPolicy(policy.id, ifMatch: policy.etag)
        } catch let error as AWSError where error.code == "NoSuchResponseHeadersPolicy" {
            return
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let policy = try await find(id) else { return nil }
        return snapshot(policy, declared: Set(schema.properties.map(\.name)))
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        // Names are unique in the account: the name is how a crashed create is found.
        guard let name = properties["name"]?.stringValue,
              let listed = try await aws.cloudFront.listResponseHeadersPolicies().first(where: { $0.config.name == name }),
              let policy = try await find(listed.id) else { return nil }
        return snapshot(policy, declared: Set(properties.keys))
    }

    // MARK: - Helpers

    private func find(_ id: String) async throws -> AWS.CloudFront.ResponseHeadersPolicy? {
        do {
            return try await aws.cloudFront.getResponseHeadersPolicy(id)
        } catch let error as AWSError where error.code == "NoSuchResponseHeadersPolicy" {
            return nil
        }
    }

    static func config(_ properties: [String: Value]) -> AWS.CloudFront.ResponseHeadersPolicyConfig {
        let cors = properties["cors"]?.mapValue.map { _ in
            let value = properties["cors"] ?? .null
            return AWS.CloudFront.CORSConfig(
                allowOrigins: CloudFrontValues.strings(value["allowOrigins"]), allowHeaders: CloudFrontValues.strings(value["allowHeaders"]),
                allowMethods: CloudFrontValues.strings(value["allowMethods"]), allowCredentials: value["allowCredentials"].boolValue ?? false,
                exposeHeaders: CloudFrontValues.strings(value["exposeHeaders"]), maxAgeSeconds: value["maxAgeSeconds"].intValue,
                originOverride: value["originOverride"].boolValue ?? true)
        }
        return AWS.CloudFront.ResponseHeadersPolicyConfig(name: properties["name"]?.stringValue ?? "",
                                                          comment: properties["comment"]?.stringValue ?? "", cors: cors)
    }

    private func snapshot(_ policy: AWS.CloudFront.ResponseHeadersPolicy, declared: Set<String>) -> ResourceSnapshot {
        let cors: Value = policy.config.cors.map {
            .map([
                "allowOrigins": CloudFrontValues.stringList($0.allowOrigins), "allowHeaders": CloudFrontValues.stringList($0.allowHeaders),
                "allowMethods": CloudFrontValues.stringList($0.allowMethods), "allowCredentials": .bool($0.allowCredentials),
                "exposeHeaders": CloudFrontValues.stringList($0.exposeHeaders), "maxAgeSeconds": $0.maxAgeSeconds.map(Value.int) ?? .null,
                "originOverride": .bool($0.originOverride),
            ])
        } ?? .null
        let all: [String: Value] = ["name": .string(policy.config.name), "comment": .string(policy.config.comment), "cors": normalize("cors", cors)]
        return ResourceSnapshot(id: policy.id, properties: all.filter { declared.contains($0.key) }, attributes: ["etag": .string(policy.etag)])
    }
}
