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
