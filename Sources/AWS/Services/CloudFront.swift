import Foundation

/// Typed calls to Amazon CloudFront (REST-XML, API version 2020-05-31, global: signed in
/// `us-east-1` whatever the caller's region).
///
/// Distributions, origin access controls and response headers policies are versioned: every
/// read answers an `ETag`, and every update or delete must send the current one in `If-Match`
/// (a stale one is refused with `PreconditionFailed`, none with `InvalidIfMatchVersion`). The
/// configurations other than distributions share one set of calls: ``VersionedConfiguration``.
public struct CloudFront: Sendable {
    /// A distribution as `ListDistributions` shows it.
    public struct DistributionSummary: Sendable, Equatable {
        /// The distribution id, e.g. `E2QWRUHEXAMPLE`.
        public var id: String
        /// The distribution ARN.
        public var arn: String
        /// `Deployed` or `InProgress`.
        public var status: String
        /// The `*.cloudfront.net` host name.
        public var domainName: String
        /// Whether it serves requests.
        public var enabled: Bool
    }

    /// A distribution as `GetDistribution`, `CreateDistributionWithTags` and
    /// `UpdateDistribution` answer it.
    public struct Distribution: Sendable, Equatable {
        /// The distribution id.
        public var id: String
        /// The distribution ARN.
        public var arn: String
        /// `Deployed` once every edge location serves the current configuration, else `InProgress`.
        public var status: String
        /// The `*.cloudfront.net` host name.
        public var domainName: String
        /// The version to send in `If-Match`.
        public var etag: String
        /// The configuration.
        public var config: DistributionConfig
    }

    /// The XML namespace of every CloudFront request body.
    static let namespace = "http://cloudfront.amazonaws.com/doc/2020-05-31/"
    static let version = "/2020-05-31"

    let client: AWSClient
    /// The region calls are made from; nil for the client's configured region. CloudFront is
    /// global: the endpoint resolver sends every call to its one endpoint, signed for `us-east-1`.
    public let region: String?

    /// Creates the CloudFront calls of `client`, made from `region`.
    public init(client: AWSClient, region: String? = nil) {
        self.client = client
        self.region = region
    }

    /// One CloudFront call, from this value's region.
    func send(_ operation: String, method: String, path: String, query: [(String, String)] = [], headers: HTTPHeaders = HTTPHeaders(),
              body: Data = Data()) async throws -> HTTPResponse {
        try await client.rest(.cloudFront, operation, method: method, path: path, query: query, headers: headers, body: body, region: region)
    }

    /// The marker of a list page's next page; nil on the last (`IsTruncated` false, or no
    /// `NextMarker`: the policy lists have no `IsTruncated`).
    static func nextMarker(_ page: XMLNode) -> String? {
        page.string("IsTruncated") == "false" ? nil : page.string("NextMarker")
    }

    // MARK: - Distributions

    /// Lists every distribution, following `NextMarker` pages.
    /// - Returns: the distributions.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func listDistributions() async throws -> [DistributionSummary] {
        try await Paginator.collect({ marker in
            let response = try await send("ListDistributions", method: "GET", path: Self.version + "/distribution",
                                    query: marker.map { [("Marker", $0)] } ?? [])
            return try XMLNode.parse(response.body)
        }, items: { list in
            list.list("Items").map {
                DistributionSummary(id: $0.string("Id") ?? "", arn: $0.string("ARN") ?? "", status: $0.string("Status") ?? "",
                                    domainName: $0.string("DomainName") ?? "", enabled: $0.string("Enabled") == "true")
            }
        }, next: Self.nextMarker)
    }

    /// Creates a distribution with its tags in one call (`CreateDistributionWithTags`).
    /// - Parameters:
    ///   - config: the configuration; its `callerReference` makes the call idempotent.
    ///   - tags: tags, in order.
    /// - Returns: the new distribution (status `InProgress`).
    /// - Throws: `AWSError` (`DistributionAlreadyExists` for a reused caller reference).
    public func createDistribution(_ config: DistributionConfig, tags: [Tag]) async throws -> Distribution {
        let body = XMLNode("DistributionConfigWithTags", attributes: ["xmlns": Self.namespace],
                           children: [config.xml(), Self.tagsXML(tags)])
        let response = try await send("CreateDistributionWithTags", method: "POST", path: Self.version + "/distribution",
                                      query: [("WithTags", "")], headers: ["Content-Type": "application/xml"], body: body.document)
        return try Self.distribution(response)
    }

    /// Reads a distribution with its status and current ETag.
    /// - Throws: `AWSError` (`NoSuchDistribution` when there is none).
    public func getDistribution(_ id: String) async throws -> Distribution {
        let path = try URITemplate.expand(Self.version + "/distribution/{Id}", labels: ["Id": id])
        return try Self.distribution(try await send("GetDistribution", method: "GET", path: path))
    }

    /// Reads a distribution's configuration and the ETag to update it with.
    /// - Returns: the configuration (with its caller reference) and the ETag.
    /// - Throws: `AWSError` (`NoSuchDistribution`).
    public func getDistributionConfig(_ id: String) async throws -> (config: DistributionConfig, etag: String) {
        let path = try URITemplate.expand(Self.version + "/distribution/{Id}/config", labels: ["Id": id])
        let response = try await send("GetDistributionConfig", method: "GET", path: path)
        return (DistributionConfig(xml: try XMLNode.parse(response.body)), response.headers["ETag"] ?? "")
    }

    /// Replaces a distribution's configuration.
    /// - Parameters:
    ///   - id: the distribution id.
    ///   - config: the whole new configuration, with the caller reference it was created with.
    ///   - ifMatch: the ETag of the last read.
    /// - Returns: the distribution with its new ETag.
    /// - Throws: `AWSError` (`PreconditionFailed` when `ifMatch` is stale).
    public func updateDistribution(_ id: String, config: DistributionConfig, ifMatch: String) async throws -> Distribution {
        let path = try URITemplate.expand(Self.version + "/distribution/{Id}/config", labels: ["Id": id])
        var root = config.xml()
        root.attributes["xmlns"] = Self.namespace
        let response = try await send("UpdateDistribution", method: "PUT", path: path,
                                      headers: ["Content-Type": "application/xml", "If-Match": ifMatch], body: root.document)
        return try Self.distribution(response)
    }

    /// Deletes a disabled, deployed distribution.
    /// - Throws: `AWSError` (`DistributionNotDisabled`, `PreconditionFailed`, `NoSuchDistribution`).
    public func deleteDistribution(_ id: String, ifMatch: String) async throws {
        let path = try URITemplate.expand(Self.version + "/distribution/{Id}", labels: ["Id": id])
        _ = try await send("DeleteDistribution", method: "DELETE", path: path, headers: ["If-Match": ifMatch])
    }

    // MARK: - Tags

    /// A resource tag.
    public struct Tag: Sendable, Equatable {
        /// The key.
        public var key: String
        /// The value.
        public var value: String

        /// Creates a tag.
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// The tags of a distribution (or another taggable CloudFront resource).
    /// - Parameter arn: the resource ARN.
    /// - Throws: `AWSError` (`NoSuchResource`).
    public func listTags(_ arn: String) async throws -> [Tag] {
        let response = try await send("ListTagsForResource", method: "GET", path: Self.version + "/tagging", query: [("Resource", arn)])
        return try XMLNode.parse(response.body).list("Items").map { Tag(key: $0.string("Key") ?? "", value: $0.string("Value") ?? "") }
    }

    /// Adds or overwrites tags.
    public func tagResource(_ arn: String, tags: [Tag]) async throws {
        var body = Self.tagsXML(tags)
        body.attributes["xmlns"] = Self.namespace
        _ = try await send("TagResource", method: "POST", path: Self.version + "/tagging",
                           query: [("Operation", "Tag"), ("Resource", arn)],
                           headers: ["Content-Type": "application/xml"], body: body.document)
    }

    /// Removes tags by key.
    public func untagResource(_ arn: String, keys: [String]) async throws {
        let body = XMLNode("TagKeys", attributes: ["xmlns": Self.namespace],
                           children: [XMLNode("Items", children: keys.map { XMLNode("Key", text: $0) })])
        _ = try await send("UntagResource", method: "POST", path: Self.version + "/tagging",
                           query: [("Operation", "Untag"), ("Resource", arn)],
                           headers: ["Content-Type": "application/xml"], body: body.document)
    }

    // MARK: - Encoding

    static func tagsXML(_ tags: [Tag]) -> XMLNode {
        XMLNode("Tags", children: [XMLNode("Items", children: tags.map {
            XMLNode("Tag", children: [XMLNode("Key", text: $0.key), XMLNode("Value", text: $0.value)])
        })])
    }

    static func distribution(_ response: HTTPResponse) throws -> Distribution {
        let node = try XMLNode.parse(response.body)
        guard let id = node.string("Id"), let config = node["DistributionConfig"] else {
            throw AWSClientError(.invalidResponse, "CloudFront answered a distribution without Id or DistributionConfig")
        }
        return Distribution(id: id, arn: node.string("ARN") ?? "", status: node.string("Status") ?? "",
                            domainName: node.string("DomainName") ?? "", etag: response.headers["ETag"] ?? "",
                            config: DistributionConfig(xml: config))
    }
}

extension AWSClient {
    /// The typed CloudFront calls of this client, from its configured region.
    public var cloudFront: CloudFront { CloudFront(client: self) }

    /// The typed CloudFront calls of this client, from `region` (CloudFront itself is global).
    public func cloudFront(region: String) -> CloudFront { CloudFront(client: self, region: region) }
}

extension AWSErrorCode {
    /// CloudFront: no distribution by that id.
    public static let noSuchDistribution: Self = "NoSuchDistribution"
    // A stale `If-Match` ETag is answered `PreconditionFailed`: `.preconditionFailed`, declared with S3's codes.
}
