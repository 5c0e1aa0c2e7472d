import Foundation

/// API Gateway calls on what an API serves and how it is published: methods, their
/// integrations, authorizers, deployments and stages (botocore's `apigateway` 2015-07-09 model).
extension APIGateway {
    /// A method as `PutMethod` and `GetMethod` return it.
    public struct Method: Sendable, Equatable, Decodable {
        /// `GET`, `POST`, …, or `ANY`.
        public var httpMethod: String?
        /// `NONE`, `AWS_IAM`, `CUSTOM` or `COGNITO_USER_POOLS`.
        public var authorizationType: String?
        /// The authorizer's id, for `CUSTOM` and `COGNITO_USER_POOLS`.
        public var authorizerId: String?
        /// Whether callers must send an API key.
        public var apiKeyRequired: Bool?
        /// `method.request.{header|querystring|path}.<name>` → required.
        public var requestParameters: [String: Bool]?
    }

    /// Everything `PutMethod` sets.
    public struct MethodSettings: Sendable, Equatable, Encodable {
        /// `NONE`, `AWS_IAM`, `CUSTOM` or `COGNITO_USER_POOLS`.
        public var authorizationType: String
        /// The authorizer's id.
        public var authorizerId: String?
        /// Whether callers must send an API key.
        public var apiKeyRequired: Bool
        /// Request parameters and whether each is required.
        public var requestParameters: [String: Bool]?

        /// Creates settings.
        public init(authorizationType: String, authorizerId: String?, apiKeyRequired: Bool, requestParameters: [String: Bool]) {
            self.authorizationType = authorizationType
            self.authorizerId = authorizerId
            self.apiKeyRequired = apiKeyRequired
            self.requestParameters = requestParameters.isEmpty ? nil : requestParameters
        }
    }

    /// An integration as `PutIntegration` and `GetIntegration` return it.
    public struct Integration: Sendable, Equatable, Decodable {
        /// `AWS`, `AWS_PROXY`, `HTTP`, `HTTP_PROXY` or `MOCK`.
        public var type: String?
        /// The method API Gateway calls the backend with (`POST` for Lambda).
        public var httpMethod: String?
        /// The backend: for Lambda `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations`.
        public var uri: String?
        /// Content type → mapping template.
        public var requestTemplates: [String: String]?
        /// `WHEN_NO_MATCH`, `WHEN_NO_TEMPLATES` or `NEVER`.
        public var passthroughBehavior: String?
    }

    /// Everything `PutIntegration` sets.
    public struct IntegrationSettings: Sendable, Equatable, Encodable {
        /// `AWS`, `AWS_PROXY`, `HTTP`, `HTTP_PROXY` or `MOCK`.
        public var type: String
        /// The method API Gateway calls the backend with; nil for `MOCK`.
        public var integrationHttpMethod: String?
        /// The backend's URI; nil for `MOCK`.
        public var uri: String?
        /// Content type → mapping template.
        public var requestTemplates: [String: String]?
        /// `WHEN_NO_MATCH`, `WHEN_NO_TEMPLATES` or `NEVER`.
        public var passthroughBehavior: String?

        // `integrationHttpMethod` travels as `httpMethod` (its `locationName` in botocore's model).
        enum CodingKeys: String, CodingKey {
            case type, integrationHttpMethod = "httpMethod", uri, requestTemplates, passthroughBehavior
        }

        /// Creates settings.
        public init(type: String, integrationHttpMethod: String?, uri: String?, requestTemplates: [String: String], passthroughBehavior: String?) {
            self.type = type
            self.integrationHttpMethod = integrationHttpMethod
            self.uri = uri
            self.requestTemplates = requestTemplates.isEmpty ? nil : requestTemplates
            self.passthroughBehavior = passthroughBehavior
        }
    }

    /// An authorizer as `CreateAuthorizer` and `GetAuthorizer` return it.
    public struct Authorizer: Sendable, Equatable, Decodable {
        /// Its id.
        public var id: String
        /// Its name.
        public var name: String?
        /// `TOKEN`, `REQUEST` or `COGNITO_USER_POOLS`.
        public var type: String?
        /// The user pools' ARNs, for `COGNITO_USER_POOLS`.
        public var providerARNs: [String]?
        /// Where the token is (`method.request.header.Authorization`).
        public var identitySource: String?
        /// Seconds a result is cached (0–3600).
        public var authorizerResultTtlInSeconds: Int?
    }

    /// A deployment: a snapshot of the API's resources, methods and integrations.
    public struct Deployment: Sendable, Equatable, Decodable {
        /// Its id.
        public var id: String
        /// Its description.
        public var description: String?
        /// What it serves, by resource path and HTTP method; only when asked for
        /// (``deployedMethods(api:id:)``).
        public var apiSummary: [String: [String: MethodSnapshot]]?
    }

    /// How a deployment serves one method (`MethodSnapshot`).
    public struct MethodSnapshot: Sendable, Equatable, Decodable {
        /// `NONE`, `AWS_IAM`, `CUSTOM` or `COGNITO_USER_POOLS`.
        public var authorizationType: String?
        /// Whether callers must send an API key.
        public var apiKeyRequired: Bool?
    }

    /// A stage as `CreateStage` and `GetStage` return it.
    public struct Stage: Sendable, Equatable, Decodable {
        /// The stage's name (part of the invoke URL).
        public var stageName: String?
        /// The deployment it serves.
        public var deploymentId: String?
        /// Its description.
        public var description: String?
        /// Stage variables.
        public var variables: [String: String]?
        /// Whether X-Ray tracing is on.
        public var tracingEnabled: Bool?
        /// Where and how access is logged.
        public var accessLogSettings: AccessLogSettings?
        /// `<resource path>/<method>` (`*/*` for all) → settings.
        public var methodSettings: [String: StageMethodSetting]?
    }

    /// `accessLogSettings`.
    public struct AccessLogSettings: Sendable, Equatable, Decodable {
        /// One line per request, from `$context` variables; must include `$context.requestId`.
        public var format: String?
        /// The log group's ARN (without `:*`).
        public var destinationArn: String?
    }

    /// One entry of a stage's `methodSettings`, as far as imgstack sets it.
    public struct StageMethodSetting: Sendable, Equatable, Decodable {
        /// Requests allowed at once.
        public var throttlingBurstLimit: Int?
        /// Steady-state requests per second.
        public var throttlingRateLimit: Double?
    }

    // MARK: - Methods

    /// A method's URI (`PutMethod`, `GetMethod`, `UpdateMethod`, `DeleteMethod`).
    static let methodTemplate = "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}"
    /// Its integration's URI (`PutIntegration`, `GetIntegration`, `UpdateIntegration`, `DeleteIntegration`).
    static let integrationTemplate = methodTemplate + "/integration"

    /// The labels of ``methodTemplate`` and ``integrationTemplate``.
    static func methodLabels(_ api: String, _ resource: String, _ httpMethod: String) -> [String: String] {
        ["restapi_id": api, "resource_id": resource, "http_method": httpMethod]
    }

    /// Adds a method to a resource (`PutMethod`).
    /// - Throws: `AWSError` (`ConflictException` when the method exists, `NotFoundException`, `BadRequestException`).
    public func putMethod(api: String, resource: String, httpMethod: String, _ settings: MethodSettings) async throws {
        _ = try await call("PutMethod", "PUT", Self.methodTemplate,
                           labels: Self.methodLabels(api, resource, httpMethod), input: settings, as: Method.self)
    }

    /// One method (`GetMethod`).
    /// - Throws: `AWSError` `NotFoundException` when it, its resource or its API is gone.
    public func method(api: String, resource: String, httpMethod: String) async throws -> Method {
        try await call("GetMethod", "GET", Self.methodTemplate,
                       labels: Self.methodLabels(api, resource, httpMethod), as: Method.self)
    }

    /// Changes a method (`UpdateMethod`).
    public func updateMethod(api: String, resource: String, httpMethod: String, _ operations: [PatchOperation]) async throws {
        _ = try await call("UpdateMethod", "PATCH", Self.methodTemplate,
                           labels: Self.methodLabels(api, resource, httpMethod),
                           input: PatchInput(patchOperations: operations), as: Method.self)
    }

    /// Removes a method with its integration (`DeleteMethod`).
    /// - Throws: `AWSError` `NotFoundException` when it is gone.
    public func deleteMethod(api: String, resource: String, httpMethod: String) async throws {
        try await delete("DeleteMethod", Self.methodTemplate, labels: Self.methodLabels(api, resource, httpMethod))
    }

    // MARK: - Integrations

    /// Sets a method's integration (`PutIntegration`).
    /// - Throws: `AWSError` (`NotFoundException`, `BadRequestException`).
    public func putIntegration(api: String, resource: String, httpMethod: String, _ settings: IntegrationSettings) async throws {
        _ = try await call("PutIntegration", "PUT", Self.integrationTemplate,
                           labels: Self.methodLabels(api, resource, httpMethod), input: settings, as: Integration.self)
    }

    /// A method's integration (`GetIntegration`).
    /// - Throws: `AWSError` `NotFoundException` when there is none.
    public func integration(api: String, resource: String, httpMethod: String) async throws -> Integration {
        try await call("GetIntegration", "GET", Self.integrationTemplate,
                       labels: Self.methodLabels(api, resource, httpMethod), as: Integration.self)
    }

    /// Changes a method's integration (`UpdateIntegration`).
    public func updateIntegration(api: String, resource: String, httpMethod: String, _ operations: [PatchOperation]) async throws {
        _ = try await call("UpdateIntegration", "PATCH", Self.integrationTemplate,
                           labels: Self.methodLabels(api, resource, httpMethod),
                           input: PatchInput(patchOperations: operations), as: Integration.self)
    }

    /// Removes a method's integration (`DeleteIntegration`).
    /// - Throws: `AWSError` `NotFoundException` when there is none.
    public func deleteIntegration(api: String, resource: String, httpMethod: String) async throws {
        try await delete("DeleteIntegration", Self.integrationTemplate, labels: Self.methodLabels(api, resource, httpMethod))
    }

    // MARK: - Authorizers

    /// Creates a Cognito user pool authorizer (`CreateAuthorizer`, type `COGNITO_USER_POOLS`).
    /// - Parameters:
    ///   - providerARNs: the user pools' ARNs.
    ///   - identitySource: `method.request.header.<name>`.
    /// - Throws: `AWSError` (`BadRequestException`, `LimitExceededException`).
    public func createCognitoAuthorizer(api: String, name: String, providerARNs: [String], identitySource: String,
                                        resultTTL: Int) async throws -> Authorizer {
        struct Input: Encodable {
            var name: String
            var type = "COGNITO_USER_POOLS"
            var providerARNs: [String]
            var identitySource: String
            var authorizerResultTtlInSeconds: Int
        }
        return try await call("CreateAuthorizer", "POST", "/restapis/{restapi_id}/authorizers", labels: ["restapi_id": api],
                              input: Input(name: name, providerARNs: providerARNs, identitySource: identitySource, authorizerResultTtlInSeconds: resultTTL),
                              as: Authorizer.self)
    }

    /// One authorizer (`GetAuthorizer`).
    /// - Throws: `AWSError` `NotFoundException` when it is gone.
    public func authorizer(api: String, id: String) async throws -> Authorizer {
        try await call("GetAuthorizer", "GET", "/restapis/{restapi_id}/authorizers/{authorizer_id}",
                       labels: ["restapi_id": api, "authorizer_id": id], as: Authorizer.self)
    }

    /// Every authorizer of an API (`GetAuthorizers`, every page, 500 a page).
    /// - Throws: `AWSError` `NotFoundException` when the API is gone.
    public func authorizers(api: String) async throws -> [Authorizer] {
        struct Output: Decodable {
            var items: [Authorizer]?
            var position: String?
            // The list's wire name is `item` (botocore's `locationName`).
            enum CodingKeys: String, CodingKey { case items = "item", position }
        }
        let path = try URITemplate.expand("/restapis/{restapi_id}/authorizers", labels: ["restapi_id": api])
        return try await Paginator.collect({ position in
            try await client.restJSON(.apiGateway, "GetAuthorizers", method: "GET", path: path,
                                      query: [("limit", "500")] + (position.map { [("position", $0)] } ?? []), as: Output.self, region: region)
        }, items: { $0.items ?? [] }, next: { $0.position })
    }

    /// Changes an authorizer (`UpdateAuthorizer`).
    public func updateAuthorizer(api: String, id: String, _ operations: [PatchOperation]) async throws {
        _ = try await call("UpdateAuthorizer", "PATCH", "/restapis/{restapi_id}/authorizers/{authorizer_id}",
                           labels: ["restapi_id": api, "authorizer_id": id], input: PatchInput(patchOperations: operations), as: Authorizer.self)
    }

    /// Deletes an authorizer (`DeleteAuthorizer`).
    /// - Throws: `AWSError` (`NotFoundException`; `ConflictException` while a method uses it).
    public func deleteAuthorizer(api: String, id: String) async throws {
        try await delete("DeleteAuthorizer", "/restapis/{restapi_id}/authorizers/{authorizer_id}", labels: ["restapi_id": api, "authorizer_id": id])
    }

    // MARK: - Deployments

    /// Snapshots the API as it is now (`CreateDeployment`, without a stage).
    /// - Throws: `AWSError` `BadRequestException` when the API has no method.
    public func createDeployment(api: String, description: String?) async throws -> Deployment {
        struct Input: Encodable {
            var description: String?
        }
        return try await call("CreateDeployment", "POST", "/restapis/{restapi_id}/deployments", labels: ["restapi_id": api],
                              input: Input(description: description), as: Deployment.self)
    }

    /// One deployment (`GetDeployment`).
    /// - Throws: `AWSError` `NotFoundException` when it is gone.
    public func deployment(api: String, id: String) async throws -> Deployment {
        try await call("GetDeployment", "GET", "/restapis/{restapi_id}/deployments/{deployment_id}",
                       labels: ["restapi_id": api, "deployment_id": id], as: Deployment.self)
    }

    /// The methods a deployment serves, as it captured them when it was created
    /// (`GetDeployment` with `embed=apisummary`).
    /// - Returns: resource path (`/upload`) → HTTP method → how it is served.
    /// - Throws: `AWSError` `NotFoundException` when the deployment is gone.
    public func deployedMethods(api: String, id: String) async throws -> [String: [String: MethodSnapshot]] {
        try await call("GetDeployment", "GET", "/restapis/{restapi_id}/deployments/{deployment_id}",
                       labels: ["restapi_id": api, "deployment_id": id], query: [("embed", "apisummary")], as: Deployment.self).apiSummary ?? [:]
    }

    /// Deletes a deployment (`DeleteDeployment`).
    /// - Throws: `AWSError` (`NotFoundException`; `BadRequestException` "Active stages pointing
    ///   to this deployment must be moved or deleted" while a stage serves it).
    public func deleteDeployment(api: String, id: String) async throws {
        try await delete("DeleteDeployment", "/restapis/{restapi_id}/deployments/{deployment_id}", labels: ["restapi_id": api, "deployment_id": id])
    }

    // MARK: - Stages

    /// Creates a stage serving `deploymentID` (`CreateStage`); settings beyond these are set
    /// with ``updateStage(api:name:_:)``.
    /// - Throws: `AWSError` (`ConflictException` when the stage exists, `NotFoundException`, `BadRequestException`).
    public func createStage(api: String, name: String, deploymentID: String, description: String?, variables: [String: String],
                            tracingEnabled: Bool) async throws -> Stage {
        struct Input: Encodable {
            var stageName: String
            var deploymentId: String
            var description: String?
            var variables: [String: String]?
            var tracingEnabled: Bool
        }
        return try await call("CreateStage", "POST", "/restapis/{restapi_id}/stages", labels: ["restapi_id": api],
                              input: Input(stageName: name, deploymentId: deploymentID, description: description,
                                           variables: variables.isEmpty ? nil : variables, tracingEnabled: tracingEnabled),
                              as: Stage.self)
    }

    /// One stage (`GetStage`).
    /// - Throws: `AWSError` `NotFoundException` when it is gone.
    public func stage(api: String, name: String) async throws -> Stage {
        try await call("GetStage", "GET", "/restapis/{restapi_id}/stages/{stage_name}", labels: ["restapi_id": api, "stage_name": name], as: Stage.self)
    }

    /// Changes a stage (`UpdateStage`): the deployment it serves, variables, access logging,
    /// method settings, tracing.
    public func updateStage(api: String, name: String, _ operations: [PatchOperation]) async throws {
        _ = try await call("UpdateStage", "PATCH", "/restapis/{restapi_id}/stages/{stage_name}",
                           labels: ["restapi_id": api, "stage_name": name], input: PatchInput(patchOperations: operations), as: Stage.self)
    }

    /// Deletes a stage (`DeleteStage`).
    /// - Throws: `AWSError` `NotFoundException` when it is gone.
    public func deleteStage(api: String, name: String) async throws {
        try await delete("DeleteStage", "/restapis/{restapi_id}/stages/{stage_name}", labels: ["restapi_id": api, "stage_name": name])
    }
}
