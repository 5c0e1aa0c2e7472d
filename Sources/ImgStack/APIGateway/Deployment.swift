import AWS
import Crypto
import Engine
import Foundation

extension APIGateway {
    /// A snapshot of a REST API that stages serve (`aws_api_gateway_deployment`), redeployed
    /// whenever anything the API serves changes.
    ///
    /// ```swift
    /// let deployment = stack.add(APIGateway.Deployment("live", api: api))
    /// stack.add(APIGateway.Stage("prod", deployment: deployment, stageName: "prod"))
    /// ```
    ///
    /// API Gateway serves what the API looked like when the deployment was made, so a changed
    /// method does nothing until the API is deployed again. Terraform redeploys only when a
    /// hand-written `triggers` map changes; imgstack fills that map itself: `servedConfiguration`
    /// holds, for every resource, method, integration and authorizer of the API in the stack
    /// (and the API's binary media types), a digest of its properties and id. Any change there replaces the
    /// deployment — the plan names the resources that changed; one the stack dropped is deleted
    /// before the new deployment is made, so it is not served — and the stages that reference
    /// it move to the new one before the old one is deleted (API Gateway refuses to delete a
    /// deployment a stage serves).
    ///
    /// Its `id` is the deployment's id; imported as `<api id>/<deployment id>` (the next plan
    /// then redeploys once, as nothing records what the imported one served).
    public struct Deployment: ImgStack.Resource, StackDerivedResource {
        public static let terraformType = "aws_api_gateway_deployment"

        /// The resource's name in the stack.
        public var name: String
        /// The API's id.
        public var restAPIID: Text
        /// What this deployment is (shown in the console's deployment history).
        public var description: Text
        /// Dependencies beside those that references imply.
        public var dependsOn: [Address] = []

        /// Declares a deployment of `api`.
        /// - Parameters:
        ///   - name: the resource's name in the stack.
        ///   - api: the API to deploy.
        ///   - description: a description; changing it redeploys.
        public init(_ name: String, api: RestAPI, description: Text = "") {
            self.name = name
            self.restAPIID = api.id
            self.description = description
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.restAPIID, restAPIID)
            list.set(property.description, description)
            return list.values
        }

        /// The types whose declarations make up what an API serves.
        static let servedTypes: Set<String> = [APIGateway.Resource.typeName, APIGateway.Method.typeName,
                                               APIGateway.Integration.typeName, APIGateway.Authorizer.typeName]

        /// `servedConfiguration`: by address, the properties and id of every resource, method,
        /// integration and authorizer of the same API, and the API's binary media types.
        func derivedProperties(from declarations: [ResourceDeclaration]) -> [String: Engine.Expression] {
            let api = restAPIID.expression
            var served: [String: Engine.Expression] = [:]
            for declaration in declarations {
                let belongs = Self.servedTypes.contains(declaration.address.type)
                    && declaration.properties[APIGateway.Resource.property.restAPIID.name] == api
                let isTheAPI = api.references.contains { $0.address == declaration.address }
                if belongs {
                    var entry = declaration.properties.filter { $0.key != APIGateway.Resource.property.restAPIID.name }
                    entry["id"] = .reference(Reference(address: declaration.address, attribute: "id"))
                    served[declaration.address.description] = .map(entry)
                } else if isTheAPI, let types = declaration.properties[APIGateway.RestAPI.property.binaryMediaTypes.name] {
                    served[declaration.address.description] = .map([APIGateway.RestAPI.property.binaryMediaTypes.name: types])
                }
            }
            return [Self.property.servedConfiguration.name: .map(served)]
        }

        public static func makeType() -> any ResourceType { DeploymentType() }
    }
}

extension APIGateway.Deployment {
    /// A deployment's properties, each declared once.
    struct Properties: PropertySet {
        let restAPIID = Property<String>("restAPIID", terraform: "rest_api_id", forcesReplacement: true)
        let description = Property<String>("description", forcesReplacement: true, default: "")
        /// imgstack's record of what the deployment serves (Terraform's `triggers`); not in AWS.
        let servedConfiguration = Property<Value>("servedConfiguration", terraform: TerraformAttribute("triggers", .converted { ["configuration": $0.containsUnknown ? .unknown : .string($0.canonicalJSON)] }), forcesReplacement: true)
    }

    static let property = Properties()
}

/// Creates, reads and deletes deployments. The id is the deployment's id.
struct DeploymentType: ResourceType {
    /// A deployment serves what the API held when it was created, so a redeployment waits for
    /// the deletion of a method (resource, integration, authorizer) the stack no longer declares.
    static let schema = ResourceSchema(APIGateway.Deployment.self, APIGateway.Deployment.Properties.self, capturesDependencies: true)

    var schema: ResourceSchema { Self.schema }
    private var property: APIGateway.Deployment.Properties { APIGateway.Deployment.property }

    func validateImportID(_ id: String) -> String? {
        APIGatewayRules.importIDProblem(id, form: "<api id>/<deployment id>", what: "a deployment")
    }

    /// Each served entry is compared by a digest of its canonical JSON (the first 16 hex digits
    /// of its SHA-256), so state and plans carry one line per served resource; an entry known
    /// only after apply stays unknown.
    func normalize(_ name: String, _ value: Value) -> Value {
        guard name == property.servedConfiguration.name, case .map(let entries) = value else { return value }
        return .map(entries.mapValues { entry in
            if entry.containsUnknown { return .unknown }
            if case .string = entry { return entry }
            let digest = SHA256.hash(data: Data(entry.canonicalJSON.utf8))
            return .string(digest.prefix(8).map { String(format: "%02x", $0) }.joined())
        })
    }

    /// Names what a redeployment serves differently: the served entries added, removed or changed.
    func replacementReason(before: [String: Value], after: [String: Value]) -> String? {
        let name = property.servedConfiguration.name
        guard let old = before[name]?.mapValue, let new = after[name]?.mapValue, old != new else { return nil }
        let changed = Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }.sorted()
        return "redeploys: " + changed.map { key in
            old[key] == nil ? "\(key) added" : new[key] == nil ? "\(key) removed" : "\(key) changed"
        }.joined(separator: ", ")
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let api = properties[property.restAPIID] ?? ""
        let description = properties.value(property.description) ?? ""
        let deployment = try await context.apiGateway.createDeployment(api: api, description: description.isEmpty ? nil : description)
        var recorded = properties
        recorded[property.description] = deployment.description ?? ""
        if let served = properties[property.servedConfiguration.name] {
            recorded[property.servedConfiguration.name] = normalize(property.servedConfiguration.name, served)
        }
        return ResourceSnapshot(id: deployment.id, properties: recorded)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        let gateway = try context.apiGateway
        let api = recorded.properties[property.restAPIID] ?? ""
        guard let deployment = try await nilWhenMissing(.notFoundException, call: { try await gateway.deployment(api: api, id: recorded.id) }) else {
            return nil
        }
        var properties = recorded.properties
        properties[property.description] = deployment.description ?? ""
        return ResourceSnapshot(id: deployment.id, properties: properties)
    }

    /// Every property forces replacement: nothing changes in place.
    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        current
    }

    /// Deletes the deployment. API Gateway refuses while a stage serves it
    /// (`BadRequestException` "Active stages pointing to this deployment must be moved or
    /// deleted"); the engine deletes a replaced deployment only after its stages moved.
    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let gateway = try context.apiGateway
        let api = current.properties[property.restAPIID] ?? ""
        _ = try await nilWhenMissing(.notFoundException) { try await gateway.deleteDeployment(api: api, id: current.id) }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let parts = APIGatewayRules.parts(id, count: 2) else { return nil }
        let recorded = ResourceSnapshot(id: parts[1], properties: [property.restAPIID.name: .string(parts[0])])
        return try await read(recorded, context: context)
    }

    /// Deployments take no tags and no name: one a crashed apply made cannot be told from
    /// another, and is left to be deleted with its API.
    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        nil
    }
}

extension DeploymentType: AccessDeclaring {
    /// API Gateway actions per the Service Authorization Reference (Amazon API Gateway
    /// Management): the HTTP method of the call on the path of what it acts on.
    static let access: ResourceAccess = {
        let apis = ARNPattern.arn("arn:{partition}:apigateway:{region}::/restapis/*")
        return ResourceAccess([
            IAMCall(.apiGateway, "CreateDeployment", in: [.create], needs: ["apigateway:POST"], on: [apis]),
            IAMCall(.apiGateway, "GetDeployment", in: .readingBack, needs: ["apigateway:GET"], on: [apis]),
            IAMCall(.apiGateway, "GetResources", in: .readingBack, needs: ["apigateway:GET"], on: [apis]),
            IAMCall(.apiGateway, "DeleteDeployment", in: [.delete], needs: ["apigateway:DELETE"], on: [apis]),
        ])
    }()
}
