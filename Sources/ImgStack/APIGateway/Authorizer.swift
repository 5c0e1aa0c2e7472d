import AWS
import Engine

extension APIGateway {
    /// A Cognito user pool authorizer (`aws_api_gateway_authorizer`, type `COGNITO_USER_POOLS`):
    /// API Gateway checks the caller's ID or access token against the pools before the method runs.
    ///
    /// ```swift
    /// let users = stack.add(APIGateway.Authorizer("users", api: api, name: "users", userPoolARNs: [pool.arn]))
    /// ```
    ///
    /// Its `id` is the authorizer's id; imported as `<api id>/<authorizer id>`.
    public struct Authorizer: ImgStack.Resource {
        public static let terraformType = "aws_api_gateway_authorizer"

        /// The resource's name in the stack.
        public var name: String
        /// The API's id.
        public var restAPIID: Text
        /// The authorizer's name in the API.
        public var authorizerName: Text
        /// The user pools' ARNs (`arn:aws:cognito-idp:<region>:<account>:userpool/<id>`), at
        /// least one. Changing them replaces the authorizer (the new one first; methods move to it).
        public var userPoolARNs: [Text]
        /// Where the token is: `method.request.header.<name>` (default `Authorization`).
        public var identitySource: Text
        /// Seconds a token's result is cached, 0–3600 (default 300; 0 turns caching off).
        public var resultTTLInSeconds: Int
        /// Dependencies beside those that references imply.
        public var dependsOn: [Address] = []

        /// Declares a Cognito user pool authorizer.
        /// - Parameters:
        ///   - name: the resource's name in the stack.
        ///   - api: the API it belongs to.
        ///   - authorizerName: its name in the API.
        ///   - userPoolARNs: the pools whose tokens it accepts.
        public init(_ name: String, api: RestAPI, name authorizerName: Text, userPoolARNs: [Text],
                    identitySource: Text = "method.request.header.Authorization", resultTTLInSeconds: Int = 300) {
            self.name = name
            self.restAPIID = api.id
            self.authorizerName = authorizerName
            self.userPoolARNs = userPoolARNs
            self.identitySource = identitySource
            self.resultTTLInSeconds = resultTTLInSeconds
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.restAPIID, restAPIID)
            list.set(property.authorizerName, authorizerName)
            list.set(property.userPoolARNs, userPoolARNs)
            list.set(property.identitySource, identitySource)
            list.set(property.resultTTLInSeconds, resultTTLInSeconds)
            return list.values
        }

        public static func makeType() -> any ResourceType { AuthorizerType() }
    }
}

extension APIGateway.Authorizer {
    /// An authorizer's properties, each declared once.
    struct Properties: PropertySet {
        let restAPIID = Property<String>("restAPIID", terraform: "rest_api_id", forcesReplacement: true)
        let authorizerName = Property<String>("name")
        let userPoolARNs = Property<[String]>("userPoolARNs", terraform: "provider_arns", forcesReplacement: true)
        let identitySource = Property<String>("identitySource", default: "method.request.header.Authorization")
        let resultTTLInSeconds = Property<Int>("resultTTLInSeconds", terraform: "authorizer_result_ttl_in_seconds", default: 300)
    }

    static let property = Properties()
}

/// Creates, reads, updates and deletes Cognito authorizers. The id is the authorizer's id.
struct AuthorizerType: ResourceType {
    static let schema = ResourceSchema(APIGateway.Authorizer.self, APIGateway.Authorizer.Properties.self)

    var schema: ResourceSchema { Self.schema }
    private var property: APIGateway.Authorizer.Properties { APIGateway.Authorizer.property }

    static let userPoolARNPattern = #"^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool/[\w-]+_[0-9a-zA-Z]+$"#
    static let identitySourcePattern = #"^method\.request\.header\.[A-Za-z0-9!#$%&'*+.^_`|~-]+$"#

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let name = properties.literal(property.authorizerName), name.isEmpty {
            issues.append(ValidationIssue(address, property.authorizerName, "must not be empty"))
        }
        // A list of literals is one literal value; a list with references is a list of expressions.
        let arns: [Engine.Expression]?
        switch properties[property.userPoolARNs] {
        case .list(let items)?: arns = items
        case .value(.list(let values))?: arns = values.map(Engine.Expression.value)
        default: arns = nil
        }
        if let arns {
            if arns.isEmpty { issues.append(ValidationIssue(address, property.userPoolARNs, "needs at least one user pool ARN")) }
            for case .value(.string(let arn)) in arns where arn.range(of: Self.userPoolARNPattern, options: .regularExpression) == nil {
                issues.append(ValidationIssue(address, property.userPoolARNs,
                                              "\"\(arn)\" is not a user pool ARN (arn:aws:cognito-idp:<region>:<account>:userpool/<pool id>; use pool.arn)"))
            }
        }
        if let source = properties.literal(property.identitySource), source.range(of: Self.identitySourcePattern, options: .regularExpression) == nil {
            issues.append(ValidationIssue(address, property.identitySource,
                                          "\"\(source)\" must be method.request.header.<name>: a Cognito authorizer reads the token from one header"))
        }
        if let ttl = properties.literal(property.resultTTLInSeconds), !(0...3600).contains(ttl) {
            issues.append(ValidationIssue(address, property.resultTTLInSeconds, "must be 0 to 3600 seconds, not \(ttl)"))
        }
        return issues
    }

    func validateImportID(_ id: String) -> String? {
        APIGatewayRules.importIDProblem(id, form: "<api id>/<authorizer id>", what: "an authorizer")
    }

    /// Provider ARNs are a set.
    func normalize(_ name: String, _ value: Value) -> Value {
        guard name == property.userPoolARNs.name, case .list(let items) = value else { return value }
        return .list(items.sorted { ($0.stringValue ?? "") < ($1.stringValue ?? "") })
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let api = properties[property.restAPIID] ?? ""
        let created = try await context.apiGateway.createCognitoAuthorizer(
            api: api, name: properties[property.authorizerName] ?? "", providerARNs: properties[property.userPoolARNs] ?? [],
            identitySource: properties.value(property.identitySource) ?? "", resultTTL: properties.value(property.resultTTLInSeconds) ?? 300)
        return snapshot(created, api: api)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(api: recorded.properties[property.restAPIID] ?? "", id: recorded.id, gateway: try context.apiGateway)
    }

    private func read(api: String, id: String, gateway: AWS.APIGateway) async throws -> ResourceSnapshot? {
        try await nilWhenMissing(.notFoundException) { try await gateway.authorizer(api: api, id: id) }.map { snapshot($0, api: api) }
    }

    private func snapshot(_ authorizer: AWS.APIGateway.Authorizer, api: String) -> ResourceSnapshot {
        var properties: [String: Value] = [:]
        properties[property.restAPIID] = api
        properties[property.authorizerName] = authorizer.name ?? ""
        properties[property.userPoolARNs] = (authorizer.providerARNs ?? []).sorted()
        properties[property.identitySource] = authorizer.identitySource ?? ""
        properties[property.resultTTLInSeconds] = authorizer.authorizerResultTtlInSeconds ?? 300
        return ResourceSnapshot(id: authorizer.id, properties: properties)
    }

    /// One `UpdateAuthorizer` ("Patch Operations": `/name`, `/identitySource`, `/authorizerResultTtlInSeconds`).
    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let gateway = try context.apiGateway
        let api = current.properties[property.restAPIID] ?? ""
        var operations: [AWS.APIGateway.PatchOperation] = []
        if changed.contains(property.authorizerName) { operations.append(.replace("/name", desired[property.authorizerName] ?? "")) }
        if changed.contains(property.identitySource) { operations.append(.replace("/identitySource", desired.value(property.identitySource) ?? "")) }
        if changed.contains(property.resultTTLInSeconds) {
            operations.append(.replace("/authorizerResultTtlInSeconds", String(desired.value(property.resultTTLInSeconds) ?? 300)))
        }
        if !operations.isEmpty { try await gateway.updateAuthorizer(api: api, id: current.id, operations) }
        return try await read(api: api, id: current.id, gateway: gateway) ?? current
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let gateway = try context.apiGateway
        let api = current.properties[property.restAPIID] ?? ""
        _ = try await nilWhenMissing(.notFoundException) { try await gateway.deleteAuthorizer(api: api, id: current.id) }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let parts = APIGatewayRules.parts(id, count: 2) else { return nil }
        return try await read(api: parts[0], id: parts[1], gateway: try context.apiGateway)
    }

    /// Authorizers take no tags: the crashed apply's one is found by its name in the API.
    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let api = properties[property.restAPIID], let name = properties[property.authorizerName] else { return nil }
        let gateway = try context.apiGateway
        guard let all = try await nilWhenMissing(.notFoundException, call: { try await gateway.authorizers(api: api) }) else { return nil }
        return all.first { $0.name == name }.map { snapshot($0, api: api) }
    }
}

extension AuthorizerType: AccessDeclaring {
    /// API Gateway actions per the Service Authorization Reference (Amazon API Gateway
    /// Management): the HTTP method of the call on the path of what it acts on.
    static let access: ResourceAccess = {
        let apis = ARNPattern.arn("arn:{partition}:apigateway:{region}::/restapis/*")
        return ResourceAccess([
            IAMCall(.apiGateway, "CreateAuthorizer", in: [.create], needs: ["apigateway:POST"], on: [apis]),
            IAMCall(.apiGateway, "GetAuthorizer", in: .readingBack, needs: ["apigateway:GET"], on: [apis]),
            IAMCall(.apiGateway, "GetAuthorizers", in: [.create, .settle, .import], needs: ["apigateway:GET"], on: [apis]),
            IAMCall(.apiGateway, "UpdateAuthorizer", in: [.update], needs: ["apigateway:PATCH"], on: [apis]),
            IAMCall(.apiGateway, "DeleteAuthorizer", in: [.delete], needs: ["apigateway:DELETE"], on: [apis]),
        ])
    }()
}
