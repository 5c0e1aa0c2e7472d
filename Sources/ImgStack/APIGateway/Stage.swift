import AWS
import Engine
import Foundation

extension APIGateway {
    /// A named, callable version of a REST API serving one deployment (`aws_api_gateway_stage`).
    ///
    /// ```swift
    /// let prod = stack.add(APIGateway.Stage("prod", deployment: deployment, stageName: "prod",
    ///                                       accessLog: .init(destinationARN: accessLogs.arn, format: "$context.requestId $context.status"),
    ///                                       throttling: .init(burstLimit: 50, rateLimit: 20), tracingEnabled: true))
    /// ```
    ///
    /// Its `id` is `<api id>/<stage name>`, which is also how it is imported. A redeployment
    /// moves the stage to the new deployment in place.
    public struct Stage: ImgStack.Resource {
        public static let terraformType = "aws_api_gateway_stage"

        /// Where and how each request is logged (`accessLogSettings`).
        public struct AccessLog: Sendable {
            /// The log group's ARN, without a trailing `:*` (`CloudWatch.LogGroup.arn`). API
            /// Gateway writes to it with the account's CloudWatch role (API Gateway's account settings).
            public var destinationARN: Text
            /// One line per request from `$context` variables; must include `$context.requestId`.
            public var format: Text

            /// Creates access log settings.
            public init(destinationARN: Text, format: Text) {
                self.destinationARN = destinationARN
                self.format = format
            }
        }

        /// Default throttling of every method of the stage (`methodSettings` `*/*`).
        public struct Throttling: Sendable {
            /// Requests allowed at once (≥ 0).
            public var burstLimit: Int
            /// Steady requests per second (≥ 0).
            public var rateLimit: Double

            /// Creates throttling limits.
            public init(burstLimit: Int, rateLimit: Double) {
                self.burstLimit = burstLimit
                self.rateLimit = rateLimit
            }
        }

        /// The resource's name in the stack.
        public var name: String
        /// The API's id.
        public var restAPIID: Text
        /// The deployment served (`deployment.id`).
        public var deploymentID: Text
        /// The stage's name, the invoke URL's path: 1–128 letters, digits, `-` and `_`.
        /// Changing it replaces the stage.
        public var stageName: Text
        /// What the stage is.
        public var description: Text
        /// Stage variables (`${stageVariables.name}`): names of letters, digits and `_`;
        /// values of letters, digits and `-._~:/?#&=,`, at most 512 characters.
        public var variables: [String: Text]
        /// Access logging; nil for none.
        public var accessLog: AccessLog?
        /// Throttling of every method; nil for the account's limits.
        public var throttling: Throttling?
        /// Trace requests with AWS X-Ray.
        public var tracingEnabled: Bool
        /// Dependencies beside those that references imply.
        public var dependsOn: [Address] = []

        /// Declares a stage serving `deployment`.
        public init(_ name: String, deployment: Deployment, stageName: Text, description: Text = "", variables: [String: Text] = [:],
                    accessLog: AccessLog? = nil, throttling: Throttling? = nil, tracingEnabled: Bool = false) {
            self.name = name
            self.restAPIID = deployment.restAPIID
            self.deploymentID = deployment.id
            self.stageName = stageName
            self.description = description
            self.variables = variables
            self.accessLog = accessLog
            self.throttling = throttling
            self.tracingEnabled = tracingEnabled
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.restAPIID, restAPIID)
            list.set(property.deploymentID, deploymentID)
            list.set(property.stageName, stageName)
            list.set(property.description, description)
            list.set(property.variables, variables)
            list.set(property.accessLogDestinationARN, accessLog?.destinationARN)
            list.set(property.accessLogFormat, accessLog?.format)
            list.set(property.throttlingBurstLimit, throttling?.burstLimit)
            list.set(property.throttlingRateLimit, expression: throttling.map { .value(.double($0.rateLimit)) })
            list.set(property.tracingEnabled, tracingEnabled)
            return list.values
        }

        /// `https://<api id>.execute-api.<region>.amazonaws.com/<stage>`.
        public var invokeURL: Text { attribute("invokeURL") }

        public static func makeType() -> any ResourceType { StageType() }
    }
}

extension APIGateway.Stage {
    /// A stage's properties, each declared once.
    struct Properties: PropertySet {
        let restAPIID = Property<String>("restAPIID", terraform: "rest_api_id", forcesReplacement: true)
        let deploymentID = Property<String>("deploymentID", terraform: "deployment_id")
        let stageName = Property<String>("stageName", forcesReplacement: true)
        let description = Property<String>("description", default: "")
        let variables = Property<[String: String]>("variables", default: [:])
        /// "": no access logging.
        let accessLogDestinationARN = Property<String>("accessLogDestinationARN", terraform: StageTerraform.accessLogSettings, default: "")
        let accessLogFormat = Property<String>("accessLogFormat", terraform: .none("written in access_log_settings with the destination"),
                                               default: "")
        /// Null: the account's limits.
        let throttlingBurstLimit = Property<Value>("throttlingBurstLimit", terraform: StageTerraform.methodSettings, default: Value.null)
        let throttlingRateLimit = Property<Value>("throttlingRateLimit", terraform: .none("written in aws_api_gateway_method_settings with the burst limit"),
                                                  default: Value.null)
        let tracingEnabled = Property<Bool>("tracingEnabled", terraform: "xray_tracing_enabled", default: false)
    }

    static let property = Properties()
}

/// Creates, reads, updates and deletes stages. The id is `<api id>/<stage name>`.
struct StageType: ResourceType {
    static let schema = ResourceSchema(APIGateway.Stage.self, APIGateway.Stage.Properties.self, attributes: [AttributeSchema("invokeURL")],
                                       uniqueName: [APIGateway.Stage.property.restAPIID, APIGateway.Stage.property.stageName])

    var schema: ResourceSchema { Self.schema }
    var property: APIGateway.Stage.Properties { APIGateway.Stage.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        StageValidation(address: address, properties: properties).issues()
    }

    func validateImportID(_ id: String) -> String? {
        APIGatewayRules.importIDProblem(id, second: APIGatewayRules.stageNamePattern, form: "<api id>/<stage name>", what: "a stage")
    }

    /// Limits are compared as numbers (`5` and `5.0` are the same rate).
    func normalize(_ name: String, _ value: Value) -> Value {
        guard name == property.throttlingRateLimit.name, case .int(let number) = value else { return value }
        return .double(Double(number))
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let gateway = try context.apiGateway
        let api = properties[property.restAPIID] ?? ""
        let name = properties[property.stageName] ?? ""
        let description = properties.value(property.description) ?? ""
        _ = try await gateway.createStage(api: api, name: name, deploymentID: properties[property.deploymentID] ?? "",
                                          description: description.isEmpty ? nil : description,
                                          variables: properties.value(property.variables) ?? [:],
                                          tracingEnabled: properties.value(property.tracingEnabled) ?? false)
        // Access logging and throttling are not CreateStage members: one UpdateStage sets them.
        let later = Set([property.accessLogDestinationARN, property.accessLogFormat].map(\.name) + [property.throttlingBurstLimit, property.throttlingRateLimit].map(\.name))
        let current = ResourceSnapshot(id: "\(api)/\(name)", properties: [:])
        let operations = StagePatch(property: property).operations(from: current.properties, to: properties, changed: later)
        if !operations.isEmpty { try await gateway.updateStage(api: api, name: name, operations) }
        return try await read(api: api, name: name, gateway: gateway, region: context.region) ?? current
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(api: recorded.properties[property.restAPIID] ?? "", name: recorded.properties[property.stageName] ?? "",
                       gateway: try context.apiGateway, region: context.region)
    }

    private func read(api: String, name: String, gateway: AWS.APIGateway, region: String) async throws -> ResourceSnapshot? {
        guard let stage = try await nilWhenMissing(.notFoundException, call: { try await gateway.stage(api: api, name: name) }) else { return nil }
        var properties: [String: Value] = [:]
        properties[property.restAPIID] = api
        properties[property.stageName] = stage.stageName ?? name
        properties[property.deploymentID] = stage.deploymentId ?? ""
        properties[property.description] = stage.description ?? ""
        properties[property.variables] = stage.variables ?? [:]
        properties[property.accessLogDestinationARN] = stage.accessLogSettings?.destinationArn ?? ""
        properties[property.accessLogFormat] = stage.accessLogSettings?.format ?? ""
        let all = stage.methodSettings?["*/*"]
        properties[property.throttlingBurstLimit] = all?.throttlingBurstLimit.map(Value.int) ?? .null
        properties[property.throttlingRateLimit] = all?.throttlingRateLimit.map(Value.double) ?? .null
        properties[property.tracingEnabled] = stage.tracingEnabled ?? false
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return ResourceSnapshot(id: "\(api)/\(name)", properties: properties,
                                attributes: ["invokeURL": .string("https://\(api).execute-api.\(region).\(suffix)/\(name)")])
    }

    /// One `UpdateStage`: a redeployment moves `deploymentId` here, in place.
    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let gateway = try context.apiGateway
        let api = current.properties[property.restAPIID] ?? ""
        let name = current.properties[property.stageName] ?? ""
        let operations = StagePatch(property: property).operations(from: current.properties, to: desired, changed: changed)
        if !operations.isEmpty { try await gateway.updateStage(api: api, name: name, operations) }
        return try await read(api: api, name: name, gateway: gateway, region: context.region) ?? current
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let gateway = try context.apiGateway
        let api = current.properties[property.restAPIID] ?? ""
        let name = current.properties[property.stageName] ?? ""
        _ = try await nilWhenMissing(.notFoundException) { try await gateway.deleteStage(api: api, name: name) }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let parts = APIGatewayRules.parts(id, count: 2) else { return nil }
        return try await read(api: parts[0], name: parts[1], gateway: try context.apiGateway, region: context.region)
    }

    /// The API and stage name name it uniquely.
    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let api = properties[property.restAPIID], let name = properties[property.stageName] else { return nil }
        return try await read(api: api, name: name, gateway: try context.apiGateway, region: context.region)
    }
}

extension StageType: AccessDeclaring {
    /// API Gateway actions per the Service Authorization Reference (Amazon API Gateway
    /// Management): the HTTP method of the call on the path of what it acts on.
    static let access: ResourceAccess = {
        let apis = ARNPattern.arn("arn:{partition}:apigateway:{region}::/restapis/*")
        return ResourceAccess([
            IAMCall(.apiGateway, "CreateStage", in: [.create], needs: ["apigateway:POST"], on: [apis]),
            IAMCall(.apiGateway, "GetStage", in: .readingBack, needs: ["apigateway:GET"], on: [apis]),
            IAMCall(.apiGateway, "UpdateStage", in: [.update], needs: ["apigateway:PATCH"], on: [apis]),
            IAMCall(.apiGateway, "DeleteStage", in: [.delete], needs: ["apigateway:DELETE"], on: [apis]),
        ])
    }()
}
