import AWS
import Engine

/// Amazon API Gateway REST API resources: the API, its resources (paths), methods,
/// integrations, Cognito authorizers, deployments and stages.
///
/// A `Deployment` records what the API serves when it is declared; any change to that replaces
/// the deployment and moves its stages onto the new one (see ``APIGateway/Deployment``).
public enum APIGateway {}

extension OperationContext {
    /// API Gateway calls in this operation's region.
    var apiGateway: AWS.APIGateway {
        get throws { try aws.apiGateway(region: region) }
    }
}

/// Rules shared by the API Gateway types.
enum APIGatewayRules {
    /// HTTP methods `PutMethod` takes (`ANY` for all).
    static let httpMethods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "ANY"]

    /// Splits an import id `a/b/c` into exactly `count` non-empty parts.
    static func parts(_ id: String, count: Int) -> [String]? {
        let parts = id.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        return parts.count == count && parts.allSatisfy { !$0.isEmpty } ? parts : nil
    }
}

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

    /// The key recorded in a method's or integration's properties.
    init(_ properties: [String: Value], api: Property<String>, resource: Property<String>, method: Property<String>) {
        self.init(api: properties[api] ?? "", resource: properties[resource] ?? "", method: properties[method] ?? "")
    }

    /// The key an import id names; nil when it names none (see ``problem(withImportID:)``).
    init?(importID id: String) {
        guard Self.problem(withImportID: id) == nil, let parts = APIGatewayRules.parts(id, count: 3) else { return nil }
        self.init(api: parts[0], resource: parts[1], method: parts[2])
    }

    /// Why `id` names no method, nil when it may.
    static func problem(withImportID id: String) -> String? {
        guard let parts = APIGatewayRules.parts(id, count: 3) else { return "\"\(id)\" must be <api id>/<resource id>/<HTTP method>" }
        return APIGatewayRules.httpMethods.contains(parts[2]) ? nil : "\"\(parts[2])\" is not one of \(APIGatewayRules.httpMethods.joined(separator: ", "))"
    }
}
