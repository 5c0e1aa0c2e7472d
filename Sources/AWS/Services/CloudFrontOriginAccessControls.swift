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

        func xml() -> XMLNode {
            XMLNode("OriginAccessControlConfig", attributes: ["xmlns": CloudFront.namespace], children: [
                XMLNode("Name", text: name),
                XMLNode("Description", text: description),
                XMLNode("SigningProtocol", text: signingProtocol),
                XMLNode("SigningBehavior", text: signingBehavior),
                XMLNode("OriginAccessControlOriginType", text: originType),
            ])
        }

        /// Reads a `OriginAccessControlConfig` or an `OriginAccessControlSummary` (same member names).
        init(xml node: XMLNode) {
            self.init(name: node.string("Name") ?? "", description: node.string("Description") ?? "",
                      signingProtocol: node.string("SigningProtocol") ?? "", signingBehavior: node.string("SigningBehavior") ?? "",
                      originType: node.string("OriginAccessControlOriginType") ?? "")
        }
    }

    /// An origin access control with its id and current ETag.
    public struct OriginAccessControl: Sendable, Equatable {
        /// The id distributions' origins name.
        public var id: String
        /// The settings.
        public var config: OriginAccessControlConfig
        /// The version to send in `If-Match`; empty from a list.
        public var etag: String
    }

    /// Creates an origin access control.
    /// - Throws: `AWSError` (`OriginAccessControlAlreadyExists` for a taken name).
    public func createOriginAccessControl(_ config: OriginAccessControlConfig) async throws -> OriginAccessControl {
        let response = try await client.rest(.cloudFront, "CreateOriginAccessControl", method: "POST", path: Self.version + "/origin-access-control",
                                             headers: ["Content-Type": "application/xml"], body: config.xml().document)
        return try Self.originAccessControl(response)
    }

    /// Reads an origin access control.
    /// - Throws: `AWSError` (`NoSuchOriginAccessControl`).
    public func getOriginAccessControl(_ id: String) async throws -> OriginAccessControl {
        let path = try URITemplate.expand(Self.version + "/origin-access-control/{Id}", labels: ["Id": id])
        return try Self.originAccessControl(try await client.rest(.cloudFront, "GetOriginAccessControl", method: "GET", path: path))
    }

    /// Replaces an origin access control's settings.
    /// - Throws: `AWSError` (`PreconditionFailed` for a stale `ifMatch`).
    public func updateOriginAccessControl(_ id: String, config: OriginAccessControlConfig, ifMatch: String) async throws -> OriginAccessControl {
        let path = try URITemplate.expand(Self.version + "/origin-access-control/{Id}/config", labels: ["Id": id])
        let response = try await client.rest(.cloudFront, "UpdateOriginAccessControl", method: "PUT", path: path,
                                             headers: ["Content-Type": "application/xml", "If-Match": ifMatch], body: config.xml().document)
        return try Self.originAccessControl(response)
    }

    /// Deletes an origin access control no distribution uses.
    /// - Throws: `AWSError` (`OriginAccessControlInUse`, `NoSuchOriginAccessControl`, `PreconditionFailed`).
    public func deleteOriginAccessControl(_ id: String, ifMatch: String) async throws {
        let path = try URITemplate.expand(Self.version + "/origin-access-control/{Id}", labels: ["Id": id])
        _ = try await client.rest(.cloudFront, "DeleteOriginAccessControl", method: "DELETE", path: path, headers: ["If-Match": ifMatch])
    }

    /// Lists every origin access control, following `NextMarker` pages (ETags are not listed).
    public func listOriginAccessControls() async throws -> [OriginAccessControl] {
        var controls: [OriginAccessControl] = []
        var marker: String?
        repeat {
            let query = marker.map { [("Marker", $0)] } ?? []
            let response = try await client.rest(.cloudFront, "ListOriginAccessControls", method: "GET",
                                                 path: Self.version + "/origin-access-control", query: query)
            let list = try XMLNode.parse(response.body)
            controls += list.list("Items").map { OriginAccessControl(id: $0.string("Id") ?? "", config: OriginAccessControlConfig(xml: $0), etag: "") }
            marker = list.string("IsTruncated") == "true" ? list.string("NextMarker") : nil
        } while marker != nil
        return controls
    }

    static func originAccessControl(_ response: HTTPResponse) throws -> OriginAccessControl {
        let node = try XMLNode.parse(response.body)
        guard let id = node.string("Id"), let config = node["OriginAccessControlConfig"] else {
            throw AWSClientError(.invalidResponse, "CloudFront answered an origin access control without Id or config")
        }
        return OriginAccessControl(id: id, config: OriginAccessControlConfig(xml: config), etag: response.headers["ETag"] ?? "")
    }
}
