import AWS
import Engine

extension APIGateway {
    /// An HTTP method on an API resource and who may call it (`aws_api_gateway_method`).
    ///
    /// ```swift
    /// let post = stack.add(APIGateway.Method("upload-post", resource: upload, httpMethod: "POST",
    ///                                        authorization: .cognitoUserPools(authorizerID: users.id),
    ///                                        requestParameters: ["method.request.header.Content-Type": true]))
    /// ```
    ///
    /// Its `id` is `<api id>/<resource id>/<method>`, which is also how it is imported.
    public struct Method: ImgStack.Resource {
        public static let terraformType = "aws_api_gateway_method"

        /// Who may call the method (`authorizationType`, `authorizerId`).
        public enum Authorization: Sendable {
            /// Anyone (`NONE`).
            case none
            /// Callers signing with SigV4 whose IAM policy allows `execute-api:Invoke` (`AWS_IAM`).
            case awsIAM
            /// Callers presenting a token of the authorizer's user pools (`COGNITO_USER_POOLS`),
            /// e.g. `authorizer.id` of an ``APIGateway/Authorizer``.
            case cognitoUserPools(authorizerID: Text)
        }

        /// The resource's name in the stack.
        public var name: String
        /// The API's id.
        public var restAPIID: Text
        /// The resource's id.
        public var resourceID: Text
        /// `GET`, `POST`, `PUT`, `DELETE`, `PATCH`, `HEAD`, `OPTIONS` or `ANY`. Changing it
        /// replaces the method.
        public var httpMethod: String
        /// Who may call it.
        public var authorization: Authorization
        /// Callers must send an API key of a usage plan (`x-api-key`).
        public var apiKeyRequired: Bool
        /// `method.request.header.<name>`, `method.request.querystring.<name>` or
        /// `method.request.path.<name>` → whether it is required.
        public var requestParameters: [String: Bool]
        /// Dependencies beside those that references imply.
        public var dependsOn: [Address] = []

        /// Declares a method.
        /// - Parameters:
        ///   - name: the resource's name in the stack.
        ///   - resource: the API resource (path) it is on.
        ///   - httpMethod: the HTTP method.
        public init(_ name: String, resource: APIGateway.Resource, httpMethod: String, authorization: Authorization = .none,
                    apiKeyRequired: Bool = false, requestParameters: [String: Bool] = [:]) {
            self.init(name, restAPIID: resource.restAPIID, resourceID: resource.id, httpMethod: httpMethod, authorization: authorization,
                      apiKeyRequired: apiKeyRequired, requestParameters: requestParameters)
        }

        /// Declares a method on a resource named by id (the API's root: `api.rootResourceID`).
        public init(_ name: String, restAPIID: Text, resourceID: Text, httpMethod: String, authorization: Authorization = .none,
                    apiKeyRequired: Bool = false, requestParameters: [String: Bool] = [:]) {
            self.name = name
            self.restAPIID = restAPIID
            self.resourceID = resourceID
            self.httpMethod = httpMethod
            self.authorization = authorization
            self.apiKeyRequired = apiKeyRequired
            self.requestParameters = requestParameters
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.restAPIID, restAPIID)
            list.set(property.resourceID, resourceID)
            list.set(property.httpMethod, httpMethod)
            switch authorization {
            case .none: list.set(property.authorization, "NONE")
            case .awsIAM: list.set(property.authorization, "AWS_IAM")
            case .cognitoUserPools(let authorizer):
                list.set(property.authorization, "COGNITO_USER_POOLS")
                list.set(property.authorizerID, authorizer)
            }
            list.set(property.apiKeyRequired, apiKeyRequired)
            list.set(property.requestParameters, expression: .value(.map(requestParameters.mapValues(Value.bool))))
            return list.values
        }

        public static func makeType() -> any ResourceType { MethodType() }
    }
}

extension APIGateway.Method {
    /// A method's properties, each declared once.
    struct Properties: PropertySet {
        let restAPIID = Property<String>("restAPIID", terraform: "rest_api_id", forcesReplacement: true)
        let resourceID = Property<String>("resourceID", terraform: "resource_id", forcesReplacement: true)
        let httpMethod = Property<String>("httpMethod", forcesReplacement: true)
        let authorization = Property<String>("authorization", default: "NONE")
        /// "": no authorizer.
        let authorizerID = Property<String>("authorizerID", terraform: "authorizer_id", default: "")
        let apiKeyRequired = Property<Bool>("apiKeyRequired", default: false)
        let requestParameters = Property<[String: Bool]>("requestParameters", default: [:])
    }

    static let property = Properties()
}

/// Puts, reads, updates and deletes methods. The id is `<api id>/<resource id>/<method>`.
struct MethodType: MethodKeyedType {
    /// API, resource and method name it: a replacement under the same three deletes first.
    static let schema = ResourceSchema(APIGateway.Method.self, APIGateway.Method.Properties.self,
                                       uniqueName: [APIGateway.Method.property.restAPIID, APIGateway.Method.property.resourceID,
                                                    APIGateway.Method.property.httpMethod])

    var schema: ResourceSchema { Self.schema }
    private var property: APIGateway.Method.Properties { APIGateway.Method.property }

    /// `method.request.{header|querystring|path|multivalueheader|multivaluequerystring}.<name>`.
    static let parameterPattern = #"^method\.request\.(header|querystring|path|multivalueheader|multivaluequerystring)\.[^.\s]+$"#

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let method = properties.literal(property.httpMethod), !APIGatewayRules.httpMethods.contains(method) {
            issues.append(ValidationIssue(address, property.httpMethod, "\"\(method)\" is not one of \(APIGatewayRules.httpMethods.joined(separator: ", "))"))
        }
        if let parameters = properties[property.requestParameters]?.literal?.mapValue {
            for name in parameters.keys.sorted() where name.range(of: Self.parameterPattern, options: .regularExpression) == nil {
                issues.append(ValidationIssue(address, property.requestParameters,
                                              "\"\(name)\" must be method.request.header.<name>, method.request.querystring.<name> or method.request.path.<name>"))
            }
        }
        if properties[property.authorizerID]?.literal == .string("") {
            issues.append(ValidationIssue(address, property.authorizerID, "COGNITO_USER_POOLS needs the authorizer's id"))
        }
        return issues
    }

    var keyProperties: MethodKey.Properties {
        MethodKey.Properties(api: property.restAPIID, resource: property.resourceID, method: property.httpMethod)
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let gateway = try context.apiGateway
        let key = key(properties)
        let authorizer = properties.value(property.authorizerID) ?? ""
        try await gateway.putMethod(api: key.api, resource: key.resource, httpMethod: key.method, .init(
            authorizationType: properties.value(property.authorization) ?? "NONE", authorizerId: authorizer.isEmpty ? nil : authorizer,
            apiKeyRequired: properties.value(property.apiKeyRequired) ?? false, requestParameters: properties.value(property.requestParameters) ?? [:]))
        return try await read(key, gateway: gateway) ?? ResourceSnapshot(id: key.id, properties: properties)
    }

    func settings(at key: MethodKey, gateway: AWS.APIGateway) async throws -> [String: Value] {
        let method = try await gateway.method(api: key.api, resource: key.resource, httpMethod: key.method)
        var properties: [String: Value] = [:]
        properties[property.authorization] = method.authorizationType ?? "NONE"
        properties[property.authorizerID] = method.authorizerId ?? ""
        properties[property.apiKeyRequired] = method.apiKeyRequired ?? false
        properties[property.requestParameters] = method.requestParameters ?? [:]
        return properties
    }

    /// One `UpdateMethod` with a patch operation per changed setting ("Patch Operations":
    /// `/authorizationType`, `/authorizerId`, `/apiKeyRequired`, `/requestParameters/<name>`).
    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let gateway = try context.apiGateway
        let key = key(current.properties)
        var operations: [AWS.APIGateway.PatchOperation] = []
        if changed.contains(property.authorization) {
            operations.append(.replace("/authorizationType", desired.value(property.authorization) ?? "NONE"))
        }
        if changed.contains(property.authorizerID) || changed.contains(property.authorization) {
            let authorizer = desired.value(property.authorizerID) ?? ""
            if !authorizer.isEmpty {
                operations.append(.replace("/authorizerId", authorizer))
            } else if !(current.properties.value(property.authorizerID) ?? "").isEmpty {
                operations.append(.remove("/authorizerId"))
            }
        }
        if changed.contains(property.apiKeyRequired) {
            operations.append(.replace("/apiKeyRequired", String(desired.value(property.apiKeyRequired) ?? false)))
        }
        if changed.contains(property.requestParameters) {
            operations += AWS.APIGateway.PatchOperation.mapChanges("requestParameters", from: current.properties.value(property.requestParameters) ?? [:],
                                                                                 to: desired.value(property.requestParameters) ?? [:]) { String($0) }
        }
        if !operations.isEmpty {
            try await gateway.updateMethod(api: key.api, resource: key.resource, httpMethod: key.method, operations)
        }
        return try await read(key, gateway: gateway) ?? current
    }

    func remove(at key: MethodKey, gateway: AWS.APIGateway) async throws {
        try await gateway.deleteMethod(api: key.api, resource: key.resource, httpMethod: key.method)
    }
}

extension MethodType: AccessDeclaring {
    /// API Gateway actions per the Service Authorization Reference (Amazon API Gateway
    /// Management): the HTTP method of the call on the path of what it acts on.
    static let access: ResourceAccess = {
        let apis = ARNPattern.arn("arn:{partition}:apigateway:{region}::/restapis/*")
        return ResourceAccess([
            IAMCall(.apiGateway, "PutMethod", in: [.create], needs: ["apigateway:PUT"], on: [apis]),
            IAMCall(.apiGateway, "GetMethod", in: .readingBack, needs: ["apigateway:GET"], on: [apis]),
            IAMCall(.apiGateway, "UpdateMethod", in: [.update], needs: ["apigateway:PATCH"], on: [apis]),
            IAMCall(.apiGateway, "DeleteMethod", in: [.delete], needs: ["apigateway:DELETE"], on: [apis]),
        ])
    }()
}
