import Foundation

extension CloudFront {
    /// The settings of an origin access control (botocore `OriginAccessControlConfig`).
    public struct OriginAccessControlConfig: Sendable, Equatable {
        /// Unique in the account, up to 64 characters.
        public var name: String
        /// Free text, up to 256 characters.
        public var description: String
        /// `sigv4`.
        public var signingProtocol: String
        /// `always`, `never`, `no-override`.
        public var signingBehavior: String
        /// `s3`, `mediastore`, `mediapackagev2`, `lambda`.
        public var originType: String

        /// Creates a configuration.
        public init(name: String, description: String = "", signingProtocol: String = "sigv4", signingBehavior: String = "always",
                    originType: String = "s3") {
            self.name = name
            self.description = description
            self.signingProtocol = signingProtocol
            self.signingBehavior = signingBehavior
            self.originType = originType
        }

        public func xml() -> XMLNode {
            XMLNode("OriginAccessControlConfig", children: [
                XMLNode("Name", text: name),
                XMLNode("Description", text: description),
                XMLNode("SigningProtocol", text: signingProtocol),
                XMLNode("SigningBehavior", text: signingBehavior),
                XMLNode("OriginAccessControlOriginType", text: originType),
            ])
        }

        /// Reads a `OriginAccessControlConfig` or an `OriginAccessControlSummary` (same member names).
        public init(xml node: XMLNode) {
            self.init(name: node.string("Name") ?? "", description: node.string("Description") ?? "",
                      signingProtocol: node.string("SigningProtocol") ?? "", signingBehavior: node.string("SigningBehavior") ?? "",
                      originType: node.string("OriginAccessControlOriginType") ?? "")
        }
    }

    /// An origin access control with its id and current ETag.
    public typealias OriginAccessControl = Versioned<OriginAccessControlConfig>

    /// The origin access control calls.
    public var originAccessControls: VersionedConfigurations<OriginAccessControlConfig> { configurations() }
}

extension CloudFront.OriginAccessControlConfig: CloudFront.VersionedConfiguration {
    public static let resourceName = "OriginAccessControl"
    public static let listOperation = "ListOriginAccessControls"
    public static let collectionPath = "/origin-access-control"
    public static let updatePathSuffix = "/config"
    public static let notFound: AWSErrorCode = .noSuchOriginAccessControl
    public static let alreadyExists: AWSErrorCode = .originAccessControlAlreadyExists

    /// The list's items are summaries holding the configuration's members themselves.
    public static func listed(_ item: XMLNode) -> (id: String, config: XMLNode)? {
        item.string("Id").map { ($0, item) }
    }
}

extension AWSErrorCode {
    /// CloudFront: no origin access control by that id.
    public static let noSuchOriginAccessControl: Self = "NoSuchOriginAccessControl"
    /// CloudFront: another origin access control has that name (409).
    public static let originAccessControlAlreadyExists: Self = "OriginAccessControlAlreadyExists"
}
