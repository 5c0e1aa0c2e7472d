import AWS
import Engine
import Foundation

extension APIGateway {
    /// A REST API (`aws_api_gateway_rest_api`), regional by default.
    ///
    /// ```swift
    /// let api = stack.add(APIGateway.RestAPI("upload", name: "upload-api", binaryMediaTypes: ["image/*"]))
    /// ```
    ///
    /// Its `id` is the API's id; `rootResourceID` is its `/` resource, the parent of the first
    /// ``APIGateway/Resource``.
    public struct RestAPI: ImgStack.Resource {
        public static let terraformType = "aws_api_gateway_rest_api"

        /// Where the API's endpoint is (`endpointConfiguration.types`).
        public enum EndpointType: String, Sendable, ExpressionConvertible {
            /// In the API's region, for callers in that region or behind a CloudFront
            /// distribution of the stack's own (API Gateway's `REGIONAL`).
            case regional = "REGIONAL"
            /// Behind a CloudFront distribution API Gateway manages (`EDGE`).
            case edge = "EDGE"

            public var expression: Engine.Expression { .value(.string(rawValue)) }
        }

        /// The resource's name in the stack.
        public var name: String
        /// The API's name (not unique: AWS tells APIs apart by id).
        public var apiName: Text
        /// What it is for.
        public var description: Text
        /// `REGIONAL` (default) or `EDGE`. Changing it replaces the API.
        public var endpointType: EndpointType
        /// Media types API Gateway passes through as binary, base64-encoded for a Lambda proxy
        /// (`image/png`, `image/*`, `*/*`); without them an image body is read as text and broken.
        public var binaryMediaTypes: [String]
        /// Dependencies beside those that references imply.
        public var dependsOn: [Address] = []

        /// Declares a REST API.
        /// - Parameters:
        ///   - name: the resource's name in the stack.
        ///   - apiName: the API's name in API Gateway.
        public init(_ name: String, name apiName: Text, description: Text = "", endpointType: EndpointType = .regional,
                    binaryMediaTypes: [String] = []) {
            self.name = name
            self.apiName = apiName
            self.description = description
            self.endpointType = endpointType
            self.binaryMediaTypes = binaryMediaTypes
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.apiName, apiName)
            list.set(property.description, description)
            list.set(property.endpointType, endpointType)
            list.set(property.binaryMediaTypes, binaryMediaTypes)
            return list.values
        }

        /// The id of the API's `/` resource.
        public var rootResourceID: Text { attribute("rootResourceID") }
        /// The API's execute-api ARN, `arn:aws:execute-api:<region>:<account>:<api id>`
        /// (Terraform's `execution_arn`). Append `/<stage>/<HTTP method>/<path>` (each part may
        /// be `*`) for the source ARN of a ``Lambda/Permission`` letting the API invoke a
        /// function, as in ``executionARN(stage:method:path:)``.
        public var executionARN: Text { attribute("executionARN") }

        /// The execute-api ARN of one method of the API,
        /// `arn:aws:execute-api:<region>:<account>:<api id>/<stage>/<method>/<path>`: the
        /// `sourceARN` that limits a ``Lambda/Permission`` to calls through that method
        /// (API Gateway developer guide, "Control access for invoking an API": resource ARNs).
        /// - Parameters:
        ///   - stage: the stage name, or `*` for any stage.
        ///   - method: `GET`, `POST`, …, or `*` for any method.
        ///   - path: the resource path without its leading `/`, such as `upload`; `*` for any.
        public func executionARN(stage: String = "*", method: String, path: String) -> Text {
            let trimmed = path.hasPrefix("/") ? String(path.dropFirst()) : path
            return "\(attribute("executionARN"))/\(stage)/\(method)/\(trimmed)"
        }

        public static func makeType() -> any ResourceType { RestAPIType() }
    }
}

extension APIGateway.RestAPI {
    /// A REST API's properties, each declared once.
    struct Properties: PropertySet {
        let apiName = Property<String>("name")
        let description = Property<String>("description", default: "")
        let endpointType = Property<String>("endpointType", terraform: "endpoint_configuration", forcesReplacement: true, default: "REGIONAL")
        /// A set: compared sorted.
        let binaryMediaTypes = Property<[String]>("binaryMediaTypes", default: [])
    }

    static let property = Properties()
}

/// Creates, reads, updates and deletes REST APIs. The id is the API's id.
struct RestAPIType: ResourceType {
    static let schema = ResourceSchema(APIGateway.RestAPI.self, APIGateway.RestAPI.Properties.self,
                                       attributes: [AttributeSchema("rootResourceID"), AttributeSchema("executionARN")])

    var schema: ResourceSchema { Self.schema }
    private var property: APIGateway.RestAPI.Properties { APIGateway.RestAPI.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let name = properties.literal(property.apiName), name.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(ValidationIssue(address, property.apiName, "must not be empty"))
        }
        if let types = properties.literal(property.binaryMediaTypes) {
            for type in types where !Self.isMediaType(type) {
                issues.append(ValidationIssue(address, property.binaryMediaTypes,
                                              "\"\(type)\" is not a media type such as image/png, image/* or */*"))
            }
        }
        return issues
    }

    /// `type/subtype`, either part `*`.
    static func isMediaType(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&^_.+-*")
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(allowed.contains) }
    }

    /// Binary media types are a set: AWS lists them in its own order.
    func normalize(_ name: String, _ value: Value) -> Value {
        guard name == property.binaryMediaTypes.name, case .list(let items) = value else { return value }
        return .list(items.sorted { ($0.stringValue ?? "") < ($1.stringValue ?? "") })
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let gateway = try context.apiGateway
        let description = properties.value(property.description) ?? ""
        let api = try await gateway.createRestAPI(
            name: properties[property.apiName] ?? "", description: description.isEmpty ? nil : description,
            endpointType: properties.value(property.endpointType) ?? "REGIONAL",
            binaryMediaTypes: properties.value(property.binaryMediaTypes) ?? [],
            tags: context.intentID.map { [TagRules.intentKey: $0] } ?? [:])
        return snapshot(api, executionARN: try await executionARN(api.id, context: context))
    }

    /// The execute-api ARN recorded at create is kept: neither the id nor the account changes.
    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, executionARN: recordedExecutionARN(recorded, context: context), gateway: try context.apiGateway)
    }

    /// `GetRestApi` alone: no STS call for a record made before `executionARN` was recorded.
    func readForDestroy(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        let gateway = try context.apiGateway
        return try await recordedIfExists(recorded) { try await nilWhenMissing(.notFoundException) { try await gateway.restAPI(recorded.id) } }
    }

    /// The recorded execute-api ARN; asked of STS for a record made before the attribute existed.
    private func recordedExecutionARN(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> String {
        if let arn = recorded.attributes["executionARN"]?.stringValue { return arn }
        return try await executionARN(recorded.id, context: context)
    }

    private func read(_ id: String, executionARN: String, gateway: AWS.APIGateway) async throws -> ResourceSnapshot? {
        try await nilWhenMissing(.notFoundException) { try await gateway.restAPI(id) }.map { snapshot($0, executionARN: executionARN) }
    }

    /// `arn:<partition>:execute-api:<region>:<account>:<api id>`, the account and partition from
    /// STS `GetCallerIdentity` (API Gateway returns no ARN of its own for this).
    private func executionARN(_ id: String, context: OperationContext) async throws -> String {
        let identity = try await context.aws.sts.getCallerIdentity()
        let partition = identity.arn.split(separator: ":").dropFirst().first.map(String.init) ?? "aws"
        return "arn:\(partition):execute-api:\(context.region):\(identity.account):\(id)"
    }

    private func snapshot(_ api: AWS.APIGateway.RestAPI, executionARN: String) -> ResourceSnapshot {
        var properties: [String: Value] = [:]
        properties[property.apiName] = api.name ?? ""
        properties[property.description] = api.description ?? ""
        properties[property.endpointType] = api.endpointConfiguration?.types?.first ?? "EDGE"
        properties[property.binaryMediaTypes] = (api.binaryMediaTypes ?? []).sorted()
        return ResourceSnapshot(id: api.id, properties: properties,
                                attributes: ["rootResourceID": api.rootResourceId.map(Value.string) ?? .null, "executionARN": .string(executionARN)])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let gateway = try context.apiGateway
        var operations: [AWS.APIGateway.PatchOperation] = []
        if changed.contains(property.apiName) { operations.append(.replace("/name", desired[property.apiName] ?? "")) }
        if changed.contains(property.description) { operations.append(.replace("/description", desired.value(property.description) ?? "")) }
        if changed.contains(property.binaryMediaTypes) {
            let now = Set(current.properties[property.binaryMediaTypes] ?? [])
            let wanted = Set(desired.value(property.binaryMediaTypes) ?? [])
            operations += now.subtracting(wanted).sorted().map { .remove("/binaryMediaTypes/" + AWS.APIGateway.PatchOperation.escaped($0)) }
            operations += wanted.subtracting(now).sorted().map { .add("/binaryMediaTypes/" + AWS.APIGateway.PatchOperation.escaped($0)) }
        }
        if !operations.isEmpty { try await gateway.updateRestAPI(current.id, operations) }
        return try await read(current.id, executionARN: recordedExecutionARN(current, context: context), gateway: gateway) ?? current
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let gateway = try context.apiGateway
        _ = try await nilWhenMissing(.notFoundException) { try await gateway.deleteRestAPI(current.id) }
    }

    /// An API is imported by its id.
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: APIGatewayRules.idPattern,
                             expected: "a REST API is imported by its id (lower-case letters and digits, such as a1b2c3d4e5)")
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, executionARN: executionARN(id, context: context), gateway: try context.apiGateway)
    }

    /// API names are not unique: the API a crashed apply made carries its intent tag.
    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let intent = context.intentID else { return nil }
        let apis = try await context.apiGateway.restAPIs()
        guard let api = apis.first(where: { $0.tags?[TagRules.intentKey] == intent }) else { return nil }
        return snapshot(api, executionARN: try await executionARN(api.id, context: context))
    }
}

extension RestAPIType: AccessDeclaring {
    /// API Gateway actions per the Service Authorization Reference (Amazon API Gateway
    /// Management): the HTTP method of the call on the path of what it acts on; a create with
    /// tags also needs `apigateway:PUT` on the tags path. STS `GetCallerIdentity` needs no
    /// permission (STS API reference).
    static let access: ResourceAccess = {
        let collection = ARNPattern.arn("arn:{partition}:apigateway:{region}::/restapis")
        let apis = ARNPattern.arn("arn:{partition}:apigateway:{region}::/restapis/*")
        let tags = ARNPattern.arn("arn:{partition}:apigateway:{region}::/tags/*")
        return ResourceAccess([
            IAMCall(.sts, "GetCallerIdentity", in: [.create, .read, .update, .delete, .import], needs: [], on: []),
            IAMCall(.apiGateway, "CreateRestApi", in: [.create], needs: ["apigateway:POST", "apigateway:PUT"], on: [collection, tags]),
            IAMCall(.apiGateway, "GetRestApis", in: [.create, .settle, .import], needs: ["apigateway:GET"], on: [collection]),
            IAMCall(.apiGateway, "GetRestApi", in: .readingBack, needs: ["apigateway:GET"], on: [apis]),
            IAMCall(.apiGateway, "UpdateRestApi", in: [.update], needs: ["apigateway:PATCH"], on: [apis]),
            IAMCall(.apiGateway, "DeleteRestApi", in: [.delete], needs: ["apigateway:DELETE"], on: [apis]),
        ])
    }()
}
