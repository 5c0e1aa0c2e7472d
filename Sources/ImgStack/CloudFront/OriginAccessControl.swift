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
        public static let terraformType = "aws_cloudfront_origin_access_control"

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
            let property = Self.property
            var list = PropertyList()
            list.set(property.controlName, controlName)
            list.set(property.description, description)
            list.set(property.originType, originType)
            list.set(property.signingBehavior, signingBehavior)
            list.set(property.signingProtocol, signingProtocol)
            return list.values
        }

        /// The current version, sent in `If-Match` on update and delete.
        public var etag: Text { attribute("etag") }

        public static func makeType() -> any ResourceType { OriginAccessControlType() }
    }
}

extension CloudFront.OriginAccessControl {
    /// An origin access control's properties, each declared once.
    struct Properties: PropertySet {
        let controlName = Property<String>("name")
        let description = Property<String>("description", default: "")
        // UpdateOriginAccessControl answers IllegalUpdate for a new origin type.
        let originType = Property<String>("originType", terraform: "origin_access_control_origin_type", forcesReplacement: true, default: "s3")
        let signingBehavior = Property<String>("signingBehavior", default: "always")
        let signingProtocol = Property<String>("signingProtocol", default: "sigv4")
    }

    static let property = Properties()
}

/// Origin access controls: the properties of one `OriginAccessControlConfig`; created, read,
/// updated with the current ETag and deleted as every versioned configuration is.
struct OriginAccessControlType: VersionedConfigurationType {
    typealias Config = AWS.CloudFront.OriginAccessControlConfig

    static let schema = ResourceSchema(CloudFront.OriginAccessControl.self, CloudFront.OriginAccessControl.Properties.self,
                                       attributes: [AttributeSchema("etag", changesOnUpdate: true)],
                                       uniqueName: [CloudFront.OriginAccessControl.property.controlName])

    var schema: ResourceSchema { Self.schema }
    private var property: CloudFront.OriginAccessControl.Properties { CloudFront.OriginAccessControl.property }

    /// A control is imported by its id, upper-case letters and digits.
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: CloudFrontIDs.pattern,
                             expected: "an origin access control is imported by its id (upper-case letters and digits, such as E2QWRUHEXAMPLE)")
    }
    var nameProperty: Property<String> { property.controlName }
    static var noteMember: WritableKeyPath<Config, String> { \.description }
    static let kind = "CloudFront origin access control"

    static let originTypes: Set<String> = ["s3", "mediastore", "mediapackagev2", "lambda"]
    static let signingBehaviors: Set<String> = ["always", "never", "no-override"]

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let name = properties.literal(property.controlName), !(1...64).contains(name.count) {
            issues.append(ValidationIssue(address, property.controlName, "must be 1 to 64 characters, not \(name.count)"))
        }
        if let description = properties.literal(property.description), description.count > 256 {
            issues.append(ValidationIssue(address, property.description, "must be at most 256 characters, not \(description.count)"))
        }
        if let type = properties.literal(property.originType), !Self.originTypes.contains(type) {
            issues.append(ValidationIssue(address, property.originType,
                                          "must be one of \(Self.originTypes.sorted().joined(separator: ", ")), not \"\(type)\""))
        }
        if let behavior = properties.literal(property.signingBehavior), !Self.signingBehaviors.contains(behavior) {
            issues.append(ValidationIssue(address, property.signingBehavior,
                                          "must be one of \(Self.signingBehaviors.sorted().joined(separator: ", ")), not \"\(behavior)\""))
        }
        if let signing = properties.literal(property.signingProtocol), signing != "sigv4" {
            issues.append(ValidationIssue(address, property.signingProtocol,
                                          "must be sigv4, the only protocol CloudFront signs with, not \"\(signing)\""))
        }
        return issues
    }

    static func config(_ properties: [String: Value]) -> Config {
        let property = CloudFront.OriginAccessControl.property
        return Config(name: properties[property.controlName] ?? "", description: properties[property.description] ?? "",
                      signingProtocol: properties[property.signingProtocol] ?? "sigv4",
                      signingBehavior: properties[property.signingBehavior] ?? "always", originType: properties[property.originType] ?? "s3")
    }

    static func properties(_ config: Config) -> [String: Value] {
        let property = CloudFront.OriginAccessControl.property
        var properties: [String: Value] = [:]
        properties[property.controlName] = config.name
        properties[property.description] = config.description
        properties[property.originType] = config.originType
        properties[property.signingBehavior] = config.signingBehavior
        properties[property.signingProtocol] = config.signingProtocol
        return properties
    }
}

extension OriginAccessControlType: AccessDeclaring {
    /// CloudFront actions per the Service Authorization Reference (Amazon CloudFront).
    static let access: ResourceAccess = {
        let control = ARNPattern.arn("arn:{partition}:cloudfront::{account}:origin-access-control/*")
        return ResourceAccess([
            IAMCall(.cloudFront, "ListOriginAccessControls", in: [.create, .settle, .import],
                    on: [.anyResource(reason: "cloudfront:ListOriginAccessControls takes no resource; a control is found by its name")]),
            IAMCall(.cloudFront, "CreateOriginAccessControl", in: [.create],
                    on: [.anyResource(reason: "cloudfront:CreateOriginAccessControl takes no resource: the control does not exist yet")]),
            IAMCall(.cloudFront, "GetOriginAccessControl", in: .readingBack.union([.delete]), on: [control]),
            // A create writes the declared description back over its intent mark.
            IAMCall(.cloudFront, "UpdateOriginAccessControl", in: [.create, .update], on: [control]),
            IAMCall(.cloudFront, "DeleteOriginAccessControl", in: [.delete], on: [control]),
        ])
    }()
}
