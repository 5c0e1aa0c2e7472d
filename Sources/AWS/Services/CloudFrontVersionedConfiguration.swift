import Foundation

extension CloudFront {
    /// A CloudFront configuration kept whole under an ETag, with the same five calls: origin
    /// access controls, response headers policies, and in the same shape cache policies and
    /// origin request policies.
    ///
    /// `Create<Name>` posts the configuration element to the collection; `Get<Name>` answers
    /// the resource (its `Id` and the configuration element) with an `ETag` header;
    /// `Update<Name>` puts the whole configuration back with the current ETag in `If-Match`
    /// (a stale one is refused with `PreconditionFailed`); `Delete<Name>` sends it too; and
    /// `List<Names>` pages with `Marker`/`NextMarker`. A conforming type names its operations,
    /// path and elements, and reads and writes its own configuration element.
    public protocol VersionedConfiguration: Sendable, Equatable {
        /// The resource's name in its operations' names: `OriginAccessControl` for
        /// `CreateOriginAccessControl`, `GetOriginAccessControl`, ….
        static var resourceName: String { get }
        /// The list operation: `ListOriginAccessControls`.
        static var listOperation: String { get }
        /// The collection's path below the API version: `/origin-access-control`.
        static var collectionPath: String { get }
        /// What follows `/{Id}` in the update's path: `/config` for origin access controls;
        /// empty (the default) for policies.
        static var updatePathSuffix: String { get }
        /// Fixed query members of the list call; none by default.
        static var listQuery: [(String, String)] { get }
        /// The code of the answer for an id that names nothing (`NoSuchOriginAccessControl`).
        static var notFound: AWSErrorCode { get }
        /// The code of the answer to a create or update naming a configuration that another
        /// already has (`OriginAccessControlAlreadyExists`): names are unique in the account.
        static var alreadyExists: AWSErrorCode { get }

        /// The configuration's name, unique in the account.
        var name: String { get }

        /// The id and the configuration element of one item of a list page; nil for an item
        /// without an id. By default the policy lists' shape: `<Summary><Name><Id/><NameConfig/></Name></Summary>`.
        static func listed(_ item: XMLNode) -> (id: String, config: XMLNode)?

        /// The configuration element (`<OriginAccessControlConfig>`), members in the model's
        /// order (CloudFront validates bodies against a sequence schema). The namespace is added
        /// by the calls.
        func xml() -> XMLNode
        /// Reads the configuration element.
        init(xml node: XMLNode)
    }

    /// A versioned configuration with its id and current ETag.
    public struct Versioned<Config: VersionedConfiguration>: Sendable, Equatable {
        /// The id other configurations name it by.
        public var id: String
        /// The settings.
        public var config: Config
        /// The version to send in `If-Match`; empty from a list.
        public var etag: String

        /// Creates a value.
        public init(id: String, config: Config, etag: String) {
            self.id = id
            self.config = config
            self.etag = etag
        }
    }

    /// The calls for one kind of versioned configuration: `cloudFront.originAccessControls.get(id)`.
    public struct VersionedConfigurations<Config: VersionedConfiguration>: Sendable {
        let cloudFront: CloudFront

        /// Creates the calls for `Config` of `cloudFront`.
        public init(_ cloudFront: CloudFront) {
            self.cloudFront = cloudFront
        }

        /// Creates one (`Create<Name>`).
        /// - Returns: the new configuration with its id and first ETag.
        /// - Throws: `AWSError` (``VersionedConfiguration/alreadyExists`` for a taken name), `AWSClientError`.
        public func create(_ config: Config) async throws -> Versioned<Config> {
            let response = try await cloudFront.send("Create" + Config.resourceName, method: "POST", path: CloudFront.version + Config.collectionPath,
                                                     headers: ["Content-Type": "application/xml"], body: Self.body(config))
            return try Self.versioned(response)
        }

        /// Reads one with its current ETag (`Get<Name>`).
        /// - Throws: `AWSError` (``VersionedConfiguration/notFound`` when there is none), `AWSClientError`.
        public func get(_ id: String) async throws -> Versioned<Config> {
            try Self.versioned(try await cloudFront.send("Get" + Config.resourceName, method: "GET", path: try path(id)))
        }

        /// Replaces the whole configuration (`Update<Name>`).
        /// - Parameter ifMatch: the ETag of the version being replaced.
        /// - Returns: the configuration with its new ETag.
        /// - Throws: `AWSError` (`PreconditionFailed` for a stale `ifMatch`), `AWSClientError`.
        public func update(_ id: String, config: Config, ifMatch: String) async throws -> Versioned<Config> {
            let response = try await cloudFront.send("Update" + Config.resourceName, method: "PUT", path: try path(id) + Config.updatePathSuffix,
                                                     headers: ["Content-Type": "application/xml", "If-Match": ifMatch], body: Self.body(config))
            return try Self.versioned(response)
        }

        /// Deletes one that nothing uses (`Delete<Name>`).
        /// - Parameter ifMatch: the current ETag.
        /// - Throws: `AWSError` (`<Name>InUse`, ``VersionedConfiguration/notFound``, `PreconditionFailed`), `AWSClientError`.
        public func delete(_ id: String, ifMatch: String) async throws {
            _ = try await cloudFront.send("Delete" + Config.resourceName, method: "DELETE", path: try path(id), headers: ["If-Match": ifMatch])
        }

        /// Lists every one, following `NextMarker` pages (ETags are not listed).
        /// - Throws: `AWSError`, `AWSClientError`.
        public func list() async throws -> [Versioned<Config>] {
            try await Paginator.collect({ marker in
                let query = Config.listQuery + (marker.map { [("Marker", $0)] } ?? [])
                let response = try await cloudFront.send(Config.listOperation, method: "GET", path: CloudFront.version + Config.collectionPath,
                                                         query: query)
                return try XMLNode.parse(response.body)
            }, items: { page in
                page.list("Items").compactMap(Config.listed).map { Versioned(id: $0.id, config: Config(xml: $0.config), etag: "") }
            }, next: CloudFront.nextMarker)
        }

        /// The one called `name` (names are unique in the account), found by listing and read
        /// again for its current ETag.
        /// - Returns: nil when there is none, or it went away meanwhile.
        /// - Throws: `AWSError`, `AWSClientError`.
        public func named(_ name: String) async throws -> Versioned<Config>? {
            guard let listed = try await list().first(where: { $0.config.name == name }) else { return nil }
            return try await nilWhenMissing(Config.notFound) { try await get(listed.id) }
        }

        private func path(_ id: String) throws -> String {
            try URITemplate.expand(CloudFront.version + Config.collectionPath + "/{Id}", labels: ["Id": id])
        }

        private static func body(_ config: Config) -> Data {
            var root = config.xml()
            root.attributes["xmlns"] = CloudFront.namespace
            return root.document
        }

        private static func versioned(_ response: HTTPResponse) throws -> Versioned<Config> {
            let node = try XMLNode.parse(response.body)
            guard let id = node.string("Id"), let config = node[Config.resourceName + "Config"] else {
                throw AWSClientError(.invalidResponse, "CloudFront answered a \(Config.resourceName) without Id or \(Config.resourceName)Config")
            }
            return Versioned(id: id, config: Config(xml: config), etag: response.headers["ETag"] ?? "")
        }
    }

    /// The calls for `Config`.
    public func configurations<Config: VersionedConfiguration>(_ type: Config.Type = Config.self) -> VersionedConfigurations<Config> {
        VersionedConfigurations(self)
    }
}

extension CloudFront.VersionedConfiguration {
    public static var updatePathSuffix: String { "" }
    public static var listQuery: [(String, String)] { [] }

    public static func listed(_ item: XMLNode) -> (id: String, config: XMLNode)? {
        guard let resource = item[resourceName], let id = resource.string("Id") else { return nil }
        return (id, resource[resourceName + "Config"] ?? XMLNode(""))
    }
}
