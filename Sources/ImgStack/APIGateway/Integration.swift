import AWS
import Engine

extension APIGateway {
    /// What a method calls (`aws_api_gateway_integration`): a Lambda function through the
    /// proxy integration, or a mock answer.
    ///
    /// ```swift
    /// stack.add(APIGateway.Integration("upload-post", method: post, target: .lambdaProxy(invokeARN: function.invokeARN)))
    /// stack.add(APIGateway.Integration("health", method: health, target: .mock(requestTemplates: ["application/json": #"{"statusCode": 200}"#])))
    /// ```
    ///
    /// Its `id` is its method's, `<api id>/<resource id>/<method>`.
    public struct Integration: ImgStack.Resource {
        public static let terraformType = "aws_api_gateway_integration"

        /// The backend.
        public enum Target: Sendable {
            /// `AWS_PROXY` to a Lambda function's invoke ARN
            /// (`arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations`,
            /// `Lambda.Function.invokeARN`), called with `POST` as Lambda requires. The function
            /// also needs a `Lambda.Permission` for `apigateway.amazonaws.com`.
            case lambdaProxy(invokeARN: Text)
            /// `MOCK`: API Gateway answers itself; `requestTemplates` maps a content type to the
            /// template choosing the status code (`{"statusCode": 200}`).
            case mock(requestTemplates: [String: Text])
        }

        /// The resource's name in the stack.
        public var name: String
        /// The method's API, resource and HTTP method.
        public var restAPIID: Text
        /// The method's resource.
        public var resourceID: Text
        /// The method's HTTP method.
        public var httpMethod: Text
        /// The backend. Changing its kind replaces the integration; its URI and templates change in place.
        public var target: Target
        /// Dependencies beside those that references imply.
        public var dependsOn: [Address] = []

        /// Declares the integration of `method`.
        public init(_ name: String, method: APIGateway.Method, target: Target) {
            self.name = name
            // The API as the method names it (so the deployment counts this integration as the
            // API's); resource and HTTP method by reference, so replacing the method (which
            // deletes its integration) replaces this too.
            self.restAPIID = method.restAPIID
            self.resourceID = method.attribute("resourceID")
            self.httpMethod = method.attribute("httpMethod")
            self.target = target
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.restAPIID, restAPIID)
            list.set(property.resourceID, resourceID)
            list.set(property.httpMethod, httpMethod)
            switch target {
            case .lambdaProxy(let invokeARN):
                list.set(property.type, "AWS_PROXY")
                list.set(property.integrationHTTPMethod, "POST")
                list.set(property.uri, invokeARN)
            case .mock(let templates):
                list.set(property.type, "MOCK")
                list.set(property.requestTemplates, templates)
            }
            return list.values
        }

        public static func makeType() -> any ResourceType { IntegrationType() }
    }
}

extension APIGateway.Integration {
    /// An integration's properties, each declared once.
    struct Properties: PropertySet {
        let restAPIID = Property<String>("restAPIID", terraform: "rest_api_id", forcesReplacement: true)
        let resourceID = Property<String>("resourceID", terraform: "resource_id", forcesReplacement: true)
        let httpMethod = Property<String>("httpMethod", forcesReplacement: true)
        let type = Property<String>("type", forcesReplacement: true)
        /// "": none (`MOCK`).
        let integrationHTTPMethod = Property<String>("integrationHTTPMethod", terraform: "integration_http_method", default: "")
        /// "": none (`MOCK`).
        let uri = Property<String>("uri", default: "")
        let requestTemplates = Property<[String: String]>("requestTemplates", default: [:])
    }

    static let property = Properties()
}

/// Puts, reads, updates and deletes integrations. The id is `<api id>/<resource id>/<method>`.
struct IntegrationType: MethodKeyedType {
    /// One integration per method: a replacement deletes the old one first.
    static let schema = ResourceSchema(APIGateway.Integration.self, APIGateway.Integration.Properties.self,
                                       uniqueName: [APIGateway.Integration.property.restAPIID, APIGateway.Integration.property.resourceID,
                                                    APIGateway.Integration.property.httpMethod])

    var schema: ResourceSchema { Self.schema }
    private var property: APIGateway.Integration.Properties { APIGateway.Integration.property }

    /// A Lambda function's invoke ARN (API Gateway's `uri` for a Lambda integration).
    static let lambdaURIPattern = #"^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path/2015-03-31/functions/arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?/invocations$"#

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let uri = properties.literal(property.uri), properties.literal(property.type) == "AWS_PROXY",
           uri.range(of: Self.lambdaURIPattern, options: .regularExpression) == nil {
            issues.append(ValidationIssue(address, property.uri,
                                          "\"\(uri)\" is not a Lambda invoke ARN (arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations; use function.invokeARN)"))
        }
        if let templates = properties[property.requestTemplates]?.literal?.mapValue {
            for contentType in templates.keys.sorted() where !RestAPIType.isMediaType(contentType) {
                issues.append(ValidationIssue(address, property.requestTemplates, "\"\(contentType)\" is not a content type such as application/json"))
            }
        }
        return issues
    }

    var keyProperties: MethodKey.Properties {
        MethodKey.Properties(api: property.restAPIID, resource: property.resourceID, method: property.httpMethod)
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let gateway = try context.apiGateway
        let key = key(properties)
        let httpMethod = properties.value(property.integrationHTTPMethod) ?? ""
        let uri = properties.value(property.uri) ?? ""
        try await gateway.putIntegration(api: key.api, resource: key.resource, httpMethod: key.method, .init(
            type: properties[property.type] ?? "MOCK", integrationHttpMethod: httpMethod.isEmpty ? nil : httpMethod, uri: uri.isEmpty ? nil : uri,
            requestTemplates: properties.value(property.requestTemplates) ?? [:], passthroughBehavior: nil))
        return try await read(key, gateway: gateway) ?? ResourceSnapshot(id: key.id, properties: properties)
    }

    func settings(at key: MethodKey, gateway: AWS.APIGateway) async throws -> [String: Value] {
        let integration = try await gateway.integration(api: key.api, resource: key.resource, httpMethod: key.method)
        var properties: [String: Value] = [:]
        properties[property.type] = integration.type ?? ""
        properties[property.integrationHTTPMethod] = integration.httpMethod ?? ""
        properties[property.uri] = integration.uri ?? ""
        properties[property.requestTemplates] = integration.requestTemplates ?? [:]
        return properties
    }

    /// One `UpdateIntegration` ("Patch Operations": `/uri`, `/httpMethod` — the integration's
    /// own method —, `/requestTemplates/<content type>`).
    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let gateway = try context.apiGateway
        let key = key(current.properties)
        var operations: [AWS.APIGateway.PatchOperation] = []
        if changed.contains(property.uri) { operations.append(.replace("/uri", desired.value(property.uri) ?? "")) }
        if changed.contains(property.integrationHTTPMethod) {
            operations.append(.replace("/httpMethod", desired.value(property.integrationHTTPMethod) ?? ""))
        }
        if changed.contains(property.requestTemplates) {
            operations += AWS.APIGateway.PatchOperation.mapChanges("requestTemplates", from: current.properties.value(property.requestTemplates) ?? [:],
                                                                                 to: desired.value(property.requestTemplates) ?? [:]) { $0 }
        }
        if !operations.isEmpty {
            try await gateway.updateIntegration(api: key.api, resource: key.resource, httpMethod: key.method, operations)
        }
        return try await read(key, gateway: gateway) ?? current
    }

    func remove(at key: MethodKey, gateway: AWS.APIGateway) async throws {
        try await gateway.deleteIntegration(api: key.api, resource: key.resource, httpMethod: key.method)
    }
}

extension IntegrationType: AccessDeclaring {
    /// API Gateway actions per the Service Authorization Reference (Amazon API Gateway
    /// Management): the HTTP method of the call on the path of what it acts on.
    static let access: ResourceAccess = {
        let apis = ARNPattern.arn("arn:{partition}:apigateway:{region}::/restapis/*")
        return ResourceAccess([
            IAMCall(.apiGateway, "PutIntegration", in: [.create], needs: ["apigateway:PUT"], on: [apis]),
            IAMCall(.apiGateway, "GetIntegration", in: .readingBack, needs: ["apigateway:GET"], on: [apis]),
            IAMCall(.apiGateway, "UpdateIntegration", in: [.update], needs: ["apigateway:PATCH"], on: [apis]),
            IAMCall(.apiGateway, "DeleteIntegration", in: [.delete], needs: ["apigateway:DELETE"], on: [apis]),
        ])
    }()
}
