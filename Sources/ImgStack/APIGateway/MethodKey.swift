import AWS
import Engine

/// What names a method, and its one integration: its API, resource and HTTP method, written
/// `<api id>/<resource id>/<HTTP method>` as ids and imports spell it.
struct MethodKey {
    var api: String
    var resource: String
    var method: String

    /// `<api id>/<resource id>/<HTTP method>`.
    var id: String { "\(api)/\(resource)/\(method)" }

    init(api: String, resource: String, method: String) {
        self.api = api
        self.resource = resource
        self.method = method
    }

    /// The properties a method or an integration records its key in.
    struct Properties {
        var api: Property<String>
        var resource: Property<String>
        var method: Property<String>
    }

    /// The key recorded in a method's or integration's properties.
    init(_ properties: [String: Value], _ names: Properties) {
        self.init(api: properties[names.api] ?? "", resource: properties[names.resource] ?? "", method: properties[names.method] ?? "")
    }

    /// The key as the properties that record it.
    func recorded(in names: Properties) -> [String: Value] {
        var properties: [String: Value] = [:]
        properties[names.api] = api
        properties[names.resource] = resource
        properties[names.method] = method
        return properties
    }

    /// The key an import id names; nil when it names none (see ``problem(withImportID:)``).
    init?(importID id: String) {
        guard Self.problem(withImportID: id) == nil, let parts = APIGatewayRules.parts(id, count: 3) else { return nil }
        self.init(api: parts[0], resource: parts[1], method: parts[2])
    }

    /// Why `id` names no method, nil when it may.
    static func problem(withImportID id: String) -> String? {
        let form = APIGatewayRules.idPattern + "/" + APIGatewayRules.idPattern + "/(" + APIGatewayRules.httpMethods.joined(separator: "|") + ")"
        return ImportIDForm.problem(id, matching: form, expected: "a method or integration is imported as <api id>/<resource id>/<HTTP method>, "
                                        + "the method one of \(APIGatewayRules.httpMethods.joined(separator: ", "))")
    }
}

/// A type whose resources are named by a method's key: the method itself, or its one
/// integration. Refresh, delete, import and crash recovery all go through the key; only the
/// calls that read and remove the resource differ.
protocol MethodKeyedType: ResourceType {
    /// The properties holding the key.
    var keyProperties: MethodKey.Properties { get }
    /// The resource's other properties as API Gateway answers them.
    /// - Throws: `AWSError` `NotFoundException` when it is gone.
    func settings(at key: MethodKey, gateway: AWS.APIGateway) async throws -> [String: Value]
    /// Deletes the resource.
    /// - Throws: `AWSError` `NotFoundException` when it is already gone.
    func remove(at key: MethodKey, gateway: AWS.APIGateway) async throws
}

extension MethodKeyedType {
    /// The key `properties` record.
    func key(_ properties: [String: Value]) -> MethodKey {
        MethodKey(properties, keyProperties)
    }

    /// The resource at `key`, nil when it is gone.
    func read(_ key: MethodKey, gateway: AWS.APIGateway) async throws -> ResourceSnapshot? {
        guard let settings = try await nilWhenMissing(.notFoundException, call: { try await settings(at: key, gateway: gateway) }) else {
            return nil
        }
        return ResourceSnapshot(id: key.id, properties: settings.merging(key.recorded(in: keyProperties)) { _, key in key })
    }

    func validateImportID(_ id: String) -> String? {
        MethodKey.problem(withImportID: id)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(key(recorded.properties), gateway: try context.apiGateway)
    }

    /// Succeeds when the resource is already gone.
    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let gateway = try context.apiGateway
        let key = key(current.properties)
        _ = try await nilWhenMissing(.notFoundException) { try await remove(at: key, gateway: gateway) }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let key = MethodKey(importID: id) else { return nil }
        return try await read(key, gateway: try context.apiGateway)
    }

    /// API, resource and HTTP method name it uniquely.
    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(key(properties), gateway: try context.apiGateway)
    }
}
