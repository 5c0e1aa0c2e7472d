import AWS
import Engine

extension CloudFront {
    /// An origin access control (`aws_cloudfront_origin_access_control`): CloudFront signs its
    /// requests to an S3 origin, so the bucket can stay private and allow only the distribution.
    ///
    /// ```swift
    /// let oac = stack.add(CloudFront.OriginAccessControl("images", controlName: "images-oac"))
    /// ```
    public struct OriginAccessControl: Resource {
        public static let typeName = "cloudfront.origin_access_control"

        public var name: String
        /// The control's name: unique in the account, 1 to 64 characters.
        public var controlName: String
        /// Free text, up to 256 characters.
        public var description: String
        /// `s3` (default), `mediastore`, `mediapackagev2` or `lambda`. Changing it replaces the control.
        public var originType: String
        /// `always` (default), `never` or `no-override` (sign only requests without an `Authorization` header).
        public var signingBehavior: String
        /// `sigv4`, the only protocol.
        public var signingProtocol: String
        public var dependsOn: [Address] = []

        /// Declares an origin access control.
        public init(_ name: String, controlName: String, description: String = "", originType: String = "s3",
                    signingBehavior: String = "always", signingProtocol: String = "sigv4") {
            self.name = name
            self.controlName = controlName
            self.description = description
            self.originType = originType
            self.signingBehavior = signingBehavior
            self.signingProtocol = signingProtocol
        }

        public var properties: [String: Engine.Expression] {
            var list = PropertyList()
            list.set("name", controlName)
            list.set("description", description)
            list.set("originType", originType)
            list.set("signingBehavior", signingBehavior)
            list.set("signingProtocol", signingProtocol)
            return list.values
        }

        /// The current version, sent in `If-Match` on update and delete.
        public var etag: Text { attribute("etag") }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { OriginAccessControlType(aws: aws) }
    }
}

/// Creates, reads, updates and deletes origin access controls, each change with the current ETag.
struct OriginAccessControlType: ResourceType {
    let aws: AWSClient

    static let originTypes: Set<String> = ["s3", "mediastore", "mediapackagev2", "lambda"]
    static let signingBehaviors: Set<String> = ["always", "never", "no-override"]

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: CloudFront.OriginAccessControl.typeName, terraformType: "aws_cloudfront_origin_access_control",
            properties: [
                PropertySchema("name"),
                PropertySchema("description", default: ""),
                // UpdateOriginAccessControl answers IllegalUpdate for a new origin type.
                PropertySchema("originType", forcesReplacement: true, default: "s3"),
                PropertySchema("signingBehavior", default: "always"),
                PropertySchema("signingProtocol", default: "sigv4"),
            ],
            attributes: [AttributeSchema("etag", changesOnUpdate: true)],
            uniqueNameProperty: "name")
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func issue(_ property: String, _ message: String) {
            issues.append(ValidationIssue(subject: address.description, property: property, message: message))
        }
        if let name = properties["name"]?.literal?.stringValue, !(1...64).contains(name.count) {
            issue("name", "must be 1 to 64 characters, not \(name.count)")
        }
        if let description = properties["description"]?.literal?.stringValue, description.count > 256 {
            issue("description", "must be at most 256 characters, not \(description.count)")
        }
        if let type = properties["originType"]?.literal?.stringValue, !Self.originTypes.contains(type) {
            issue("originType", "must be one of \(Self.originTypes.sorted().joined(separator: ", ")), not \"\(type)\"")
        }
        if let behavior = properties["signingBehavior"]?.literal?.stringValue, !Self.signingBehaviors.contains(behavior) {
            issue("signingBehavior", "must be one of \(Self.signingBehaviors.sorted().joined(separator: ", ")), not \"\(behavior)\"")
        }
        if let signing = properties["signingProtocol"]?.literal?.stringValue, signing != "sigv4" {
            issue("signingProtocol", "must be sigv4, the only protocol CloudFront signs with, not \"\(signing)\"")
        }
        return issues
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let control = try await aws.cloudFront.createOriginAccessControl(Self.config(properties))
        return snapshot(control, declared: Set(properties.keys))
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let control = try await find(recorded.id) else { return nil }
        return snapshot(control, declared: Set(recorded.properties.keys))
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        // The whole configuration is sent at once, with the ETag of a fresh read: the recorded
        // one may be stale, and a stale one is refused with PreconditionFailed.
        let fresh = try await aws.cloudFront.getOriginAccessControl(current.id)
        let control = try await aws.cloudFront.updateOriginAccessControl(current.id, config: Self.config(desired), ifMatch: fresh.etag)
        return snapshot(control, declared: Set(desired.keys))
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        guard let control = try await find(current.id) else { return }
        do {
            try await aws.cloudFront.deleteOriginAccessControl(control.id, ifMatch: control.etag)
        } catch let error as AWSError where error.code == "NoSuchOriginAccessControl" {
            return
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let control = try await find(id) else { return nil }
        return snapshot(control, declared: Set(schema.properties.map(\.name)))
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        // Names are unique in the account: the name is how a crashed create is found.
        guard let name = properties["name"]?.stringValue,
              let listed = try await aws.cloudFront.listOriginAccessControls().first(where: { $0.config.name == name }),
              let control = try await find(listed.id) else { return nil }
        return snapshot(control, declared: Set(properties.keys))
    }

    // MARK: - Helpers

    private func find(_ id: String) async throws -> AWS.CloudFront.OriginAccessControl? {
        do {
            return try await aws.cloudFront.getOriginAccessControl(id)
        } catch let error as AWSError where error.code == "NoSuchOriginAccessControl" {
            return nil
        }
    }

    static func config(_ properties: [String: Value]) -> AWS.CloudFront.OriginAccessControlConfig {
        AWS.CloudFront.OriginAccessControlConfig(
            name: properties["name"]?.stringValue ?? "", description: properties["description"]?.stringValue ?? "",
            signingProtocol: properties["signingProtocol"]?.stringValue ?? "sigv4",
            signingBehavior: properties["signingBehavior"]?.stringValue ?? "always", originType: properties["originType"]?.stringValue ?? "s3")
    }

    private func snapshot(_ control: AWS.CloudFront.OriginAccessControl, declared: Set<String>) -> ResourceSnapshot {
        let all: [String: Value] = [
            "name": .string(control.config.name), "description": .string(control.config.description),
            "originType": .string(control.config.originType), "signingBehavior": .string(control.config.signingBehavior),
            "signingProtocol": .string(control.config.signingProtocol),
        ]
        return ResourceSnapshot(id: control.id, properties: all.filter { declared.contains($0.key) }, attributes: ["etag": .string(control.etag)])
    }
}
