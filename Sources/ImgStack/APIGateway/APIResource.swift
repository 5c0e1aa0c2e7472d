import AWS
import Engine

extension APIGateway {
    /// One path segment of a REST API (`aws_api_gateway_resource`), under the API's root or
    /// another resource.
    ///
    /// ```swift
    /// let upload = stack.add(APIGateway.Resource("upload", api: api, parentID: api.rootResourceID, pathPart: "upload"))
    /// ```
    ///
    /// Its `id` is the resource's id; imported as `<api id>/<resource id>`. Every property forces
    /// replacement, which removes the methods under it too (API Gateway's `DeleteResource`).
    public struct Resource: ImgStack.Resource {
        public static let terraformType = "aws_api_gateway_resource"

        /// The resource's name in the stack.
        public var name: String
        /// The API's id (`api.id`).
        public var restAPIID: Text
        /// The parent's id: `api.rootResourceID` or another resource's `id`.
        public var parentID: Text
        /// The segment: letters, digits and `._~-`, or a path parameter `{name}` / greedy
        /// `{name+}`; no `/`. Unique under its parent.
        public var pathPart: Text
        /// Dependencies beside those that references imply.
        public var dependsOn: [Address] = []

        /// Declares a resource.
        /// - Parameters:
        ///   - name: the resource's name in the stack.
        ///   - api: the API it belongs to.
        ///   - parentID: its parent's id.
        ///   - pathPart: its path segment.
        public init(_ name: String, api: RestAPI, parentID: Text, pathPart: Text) {
            self.name = name
            self.restAPIID = api.id
            self.parentID = parentID
            self.pathPart = pathPart
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.restAPIID, restAPIID)
            list.set(property.parentID, parentID)
            list.set(property.pathPart, pathPart)
            return list.values
        }

        /// The full path (`/images/upload`).
        public var path: Text { attribute("path") }

        public static func makeType() -> any ResourceType { APIResourceType() }
    }
}

extension APIGateway.Resource {
    /// A resource's properties, each declared once.
    struct Properties: PropertySet {
        let restAPIID = Property<String>("restAPIID", terraform: "rest_api_id", forcesReplacement: true)
        let parentID = Property<String>("parentID", terraform: "parent_id", forcesReplacement: true)
        let pathPart = Property<String>("pathPart", forcesReplacement: true)
    }

    static let property = Properties()
}

/// Creates, reads and deletes API resources. The id is the resource's id.
struct APIResourceType: ResourceType {
    /// The parent and segment name the resource in its API: a replacement under the same name
    /// deletes the old one first (AWS refuses a second one, `ConflictException`).
    static let schema = ResourceSchema(APIGateway.Resource.self, APIGateway.Resource.Properties.self, attributes: [AttributeSchema("path")],
                                       uniqueName: [APIGateway.Resource.property.restAPIID, APIGateway.Resource.property.parentID,
                                                    APIGateway.Resource.property.pathPart])

    var schema: ResourceSchema { Self.schema }
    private var property: APIGateway.Resource.Properties { APIGateway.Resource.property }

    /// A plain segment (RFC 3986 unreserved characters) or a path parameter `{name}` / `{name+}`.
    static let pathPartPattern = #"^([A-Za-z0-9._~-]+|\{[A-Za-z0-9._-]+\+?\})$"#

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        guard let part = properties.literal(property.pathPart), part.range(of: Self.pathPartPattern, options: .regularExpression) == nil else {
            return []
        }
        return [ValidationIssue(address, property.pathPart,
                                "\"\(part)\" must be one path segment of letters, digits and ._~- (no '/'), or a parameter such as {id} or {proxy+}")]
    }

    func validateImportID(_ id: String) -> String? {
        APIGatewayRules.importIDProblem(id, form: "<api id>/<resource id>", what: "an API resource")
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let api = properties[property.restAPIID] ?? ""
        let created = try await context.apiGateway.createResource(api: api, parentID: properties[property.parentID] ?? "",
                                                                  pathPart: properties[property.pathPart] ?? "")
        return snapshot(created, api: api)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(api: recorded.properties[property.restAPIID] ?? "", id: recorded.id, gateway: try context.apiGateway)
    }

    private func read(api: String, id: String, gateway: AWS.APIGateway) async throws -> ResourceSnapshot? {
        try await nilWhenMissing(.notFoundException) { try await gateway.resource(api: api, id: id) }.map { snapshot($0, api: api) }
    }

    private func snapshot(_ resource: AWS.APIGateway.PathResource, api: String) -> ResourceSnapshot {
        var properties: [String: Value] = [:]
        properties[property.restAPIID] = api
        properties[property.parentID] = resource.parentId ?? ""
        properties[property.pathPart] = resource.pathPart ?? ""
        return ResourceSnapshot(id: resource.id, properties: properties, attributes: ["path": resource.path.map(Value.string) ?? .null])
    }

    /// Every property forces replacement: nothing changes in place.
    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        current
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let gateway = try context.apiGateway
        let api = current.properties[property.restAPIID] ?? ""
        _ = try await nilWhenMissing(.notFoundException) { try await gateway.deleteResource(api: api, id: current.id) }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let parts = APIGatewayRules.parts(id, count: 2) else { return nil }
        return try await read(api: parts[0], id: parts[1], gateway: try context.apiGateway)
    }

    /// The parent and path part name the resource uniquely in its API.
    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let api = properties[property.restAPIID], let parent = properties[property.parentID], let part = properties[property.pathPart] else {
            return nil
        }
        let gateway = try context.apiGateway
        guard let all = try await nilWhenMissing(.notFoundException, call: { try await gateway.resources(api: api) }) else { return nil }
        return all.first { $0.parentId == parent && $0.pathPart == part }.map { snapshot($0, api: api) }
    }
}

extension APIResourceType: AccessDeclaring {
    /// API Gateway actions per the Service Authorization Reference (Amazon API Gateway
    /// Management): the HTTP method of the call on the path of what it acts on.
    static let access: ResourceAccess = {
        let apis = ARNPattern.arn("arn:{partition}:apigateway:{region}::/restapis/*")
        return ResourceAccess([
            IAMCall(.apiGateway, "CreateResource", in: [.create], needs: ["apigateway:POST"], on: [apis]),
            IAMCall(.apiGateway, "GetResource", in: .readingBack, needs: ["apigateway:GET"], on: [apis]),
            IAMCall(.apiGateway, "GetResources", in: [.create, .settle, .import], needs: ["apigateway:GET"], on: [apis]),
            IAMCall(.apiGateway, "DeleteResource", in: [.delete], needs: ["apigateway:DELETE"], on: [apis]),
        ])
    }()
}
