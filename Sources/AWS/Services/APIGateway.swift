import Foundation

/// Typed calls to Amazon API Gateway's REST APIs (REST-JSON, version 2015-07-09; member names
/// and paths from botocore's `apigateway` model): APIs and their resources here; methods,
/// integrations, authorizers, deployments and stages in `APIGatewayMethods.swift`.
///
/// Updates go through JSON Patch operations (`patchOperations`), as every `Update*` call of
/// the service takes them ("Patch Operations" in the API Gateway API reference).
public struct APIGateway: Sendable {
    /// A REST API as `CreateRestApi` and `GetRestApi` return it.
    public struct RestAPI: Sendable, Equatable, Decodable {
        /// The API's id (10 characters), part of its invoke URL.
        public var id: String
        /// Its name.
        public var name: String?
        /// Its description.
        public var description: String?
        /// Media types served as binary (`image/png`, `*/*`).
        public var binaryMediaTypes: [String]?
        /// `EDGE`, `REGIONAL` or `PRIVATE`.
        public var endpointConfiguration: EndpointConfiguration?
        /// The id of its `/` resource.
        public var rootResourceId: String?
        /// Its tags.
        public var tags: [String: String]?
    }

    /// `endpointConfiguration`.
    public struct EndpointConfiguration: Sendable, Equatable, Codable {
        /// One endpoint type.
        public var types: [String]?

        /// Creates a configuration.
        public init(types: [String]) { self.types = types }
    }

    /// A resource (a path) of an API.
    public struct PathResource: Sendable, Equatable, Decodable {
        /// Its id.
        public var id: String
        /// The id of its parent; nil for `/`.
        public var parentId: String?
        /// Its last path segment (`upload`, `{id}`, `{proxy+}`); nil for `/`.
        public var pathPart: String?
        /// Its full path (`/images/upload`).
        public var path: String?
    }

    /// One JSON Patch operation of an `Update*` call.
    public struct PatchOperation: Sendable, Equatable, Encodable {
        /// `add`, `remove`, `replace`, …
        public var op: String
        /// A JSON Pointer into the resource (`/binaryMediaTypes/image~1png`).
        public var path: String
        /// The new value, for `add` and `replace`.
        public var value: String?

        /// Replaces the value at `path`.
        public static func replace(_ path: String, _ value: String) -> Self { Self(op: "replace", path: path, value: value) }
        /// Adds at `path` (an item of a set: `/binaryMediaTypes/image~1png`).
        public static func add(_ path: String, _ value: String? = nil) -> Self { Self(op: "add", path: path, value: value) }
        /// Removes what is at `path`.
        public static func remove(_ path: String) -> Self { Self(op: "remove", path: path, value: nil) }

        /// The operations taking the map member at `/<member>/<key>` from `now` to `wanted`
        /// (a method's `requestParameters`, an integration's `requestTemplates`): `remove` for
        /// each key gone, `add` for each new one, `replace` for each changed value, keys escaped
        /// as JSON Pointer segments, removals first, each group in key order.
        /// - Parameter text: a value as the patch writes it (`"true"` for a Boolean).
        public static func mapChanges<V: Equatable>(_ member: String, from now: [String: V], to wanted: [String: V],
                                                    text: (V) -> String) -> [PatchOperation] {
            let path = { (key: String) in "/\(member)/" + escaped(key) }
            let removals = Set(now.keys).subtracting(wanted.keys).sorted().map { remove(path($0)) }
            let changes = wanted.sorted(by: { $0.key < $1.key }).filter { now[$0.key] != $0.value }.map { key, value in
                now[key] == nil ? add(path(key), text(value)) : replace(path(key), text(value))
            }
            return removals + changes
        }

        /// `text` as one JSON Pointer segment: `~` → `~0`, `/` → `~1` (RFC 6901).
        public static func escaped(_ text: String) -> String {
            text.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
        }
    }

    struct PatchInput: Encodable {
        var patchOperations: [PatchOperation]
    }

    let client: AWSClient
    /// The region every call goes to; nil for the client's configured region.
    public let region: String?

    /// Creates the API Gateway calls of `client` in `region`.
    public init(client: AWSClient, region: String? = nil) {
        self.client = client
        self.region = region
    }

    func call<O: Decodable>(_ operation: String, _ method: String, _ template: String, labels: [String: String],
                            query: [(String, String)] = [], input: (any Encodable)? = nil, as: O.Type = AWSEmpty.self) async throws -> O {
        let path = try URITemplate.expand(template, labels: labels)
        return try await client.restJSON(.apiGateway, operation, method: method, path: path, query: query, input: input, as: O.self,
                                         region: region)
    }

    /// Calls a `Delete…` operation, whose answer (202, no body) holds nothing to read.
    func delete(_ operation: String, _ template: String, labels: [String: String]) async throws {
        _ = try await client.rest(.apiGateway, operation, method: "DELETE", path: try URITemplate.expand(template, labels: labels), region: region)
    }

    // MARK: - REST APIs

    /// Creates a REST API (`CreateRestApi`).
    /// - Parameters:
    ///   - endpointType: `REGIONAL`, `EDGE` or `PRIVATE`.
    ///   - binaryMediaTypes: media types passed through as binary.
    ///   - tags: the API's tags (imgstack's intent tag, so a crashed apply can find it).
    /// - Returns: the new API with its root resource's id.
    /// - Throws: `AWSError` (`BadRequestException`, `LimitExceededException`).
    public func createRestAPI(name: String, description: String?, endpointType: String, binaryMediaTypes: [String],
                              tags: [String: String]) async throws -> RestAPI {
        struct Input: Encodable {
            var name: String
            var description: String?
            var endpointConfiguration: EndpointConfiguration
            var binaryMediaTypes: [String]?
            var tags: [String: String]?
        }
        return try await call("CreateRestApi", "POST", "/restapis", labels: [:],
                              input: Input(name: name, description: description, endpointConfiguration: EndpointConfiguration(types: [endpointType]),
                                           binaryMediaTypes: binaryMediaTypes.isEmpty ? nil : binaryMediaTypes, tags: tags.isEmpty ? nil : tags),
                              as: RestAPI.self)
    }

    /// Every REST API of the account in the region (`GetRestApis`, every page, 500 a page).
    public func restAPIs() async throws -> [RestAPI] {
        struct Output: Decodable {
            var items: [RestAPI]?
            var position: String?
            // The list's wire name is `item` (botocore's `locationName`).
            enum CodingKeys: String, CodingKey { case items = "item", position }
        }
        return try await Paginator.collect({ position in
            try await client.restJSON(.apiGateway, "GetRestApis", method: "GET", path: "/restapis",
                                      query: [("limit", "500")] + (position.map { [("position", $0)] } ?? []), as: Output.self, region: region)
        }, items: { $0.items ?? [] }, next: { $0.position })
    }

    /// One REST API (`GetRestApi`).
    /// - Throws: `AWSError` `NotFoundException` when there is none.
    public func restAPI(_ id: String) async throws -> RestAPI {
        try await call("GetRestApi", "GET", "/restapis/{restapi_id}", labels: ["restapi_id": id], as: RestAPI.self)
    }

    /// Changes an API (`UpdateRestApi`).
    /// - Throws: `AWSError` (`NotFoundException`, `BadRequestException`, `ConflictException`).
    public func updateRestAPI(_ id: String, _ operations: [PatchOperation]) async throws {
        _ = try await call("UpdateRestApi", "PATCH", "/restapis/{restapi_id}", labels: ["restapi_id": id],
                           input: PatchInput(patchOperations: operations), as: RestAPI.self)
    }

    /// Deletes an API with everything in it (`DeleteRestApi`).
    /// - Throws: `AWSError` `NotFoundException` when there is none.
    public func deleteRestAPI(_ id: String) async throws {
        try await delete("DeleteRestApi", "/restapis/{restapi_id}", labels: ["restapi_id": id])
    }

    // MARK: - Resources

    /// Creates a path segment under `parentID` (`CreateResource`).
    /// - Throws: `AWSError` (`ConflictException` when the parent already has that path part,
    ///   `NotFoundException`, `BadRequestException`).
    public func createResource(api: String, parentID: String, pathPart: String) async throws -> PathResource {
        struct Input: Encodable {
            var pathPart: String
        }
        return try await call("CreateResource", "POST", "/restapis/{restapi_id}/resources/{parent_id}",
                              labels: ["restapi_id": api, "parent_id": parentID], input: Input(pathPart: pathPart), as: PathResource.self)
    }

    /// One resource (`GetResource`).
    /// - Throws: `AWSError` `NotFoundException` when it or its API is gone.
    public func resource(api: String, id: String) async throws -> PathResource {
        try await call("GetResource", "GET", "/restapis/{restapi_id}/resources/{resource_id}",
                       labels: ["restapi_id": api, "resource_id": id], as: PathResource.self)
    }

    /// Every resource of an API (`GetResources`, every page, 500 a page).
    /// - Throws: `AWSError` `NotFoundException` when the API is gone.
    public func resources(api: String) async throws -> [PathResource] {
        struct Output: Decodable {
            var items: [PathResource]?
            var position: String?
            // The list's wire name is `item` (botocore's `locationName`).
            enum CodingKeys: String, CodingKey { case items = "item", position }
        }
        let path = try URITemplate.expand("/restapis/{restapi_id}/resources", labels: ["restapi_id": api])
        return try await Paginator.collect({ position in
            try await client.restJSON(.apiGateway, "GetResources", method: "GET", path: path,
                                      query: [("limit", "500")] + (position.map { [("position", $0)] } ?? []), as: Output.self, region: region)
        }, items: { $0.items ?? [] }, next: { $0.position })
    }

    /// Deletes a resource with its methods and child resources (`DeleteResource`).
    /// - Throws: `AWSError` `NotFoundException` when it is gone.
    public func deleteResource(api: String, id: String) async throws {
        try await delete("DeleteResource", "/restapis/{restapi_id}/resources/{resource_id}", labels: ["restapi_id": api, "resource_id": id])
    }
}

extension AWSClient {
    /// The typed API Gateway calls of this client in `region`.
    public func apiGateway(region: String) -> APIGateway { APIGateway(client: self, region: region) }
}

extension AWSErrorCode {
    /// API Gateway: the request conflicts with what exists (a path part its parent already has,
    /// a method already put).
    public static let conflictException: Self = "ConflictException"
    /// API Gateway: the request is not valid, or not now ("Active stages pointing to this
    /// deployment must be moved or deleted").
    public static let badRequestException: Self = "BadRequestException"
}
