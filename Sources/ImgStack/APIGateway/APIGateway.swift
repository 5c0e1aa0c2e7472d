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

    /// An id API Gateway generates (an API's, a resource's, a deployment's, an authorizer's):
    /// lower-case letters and digits, ten in AWS (`a1b2c3d4e5`).
    static let idPattern = "[a-z0-9]{1,32}"

    /// A stage's name (`StageName`: letters, digits, `-` and `_`, at most 128).
    static let stageNamePattern = "[A-Za-z0-9_-]{1,128}"

    /// Why `id` is not `<api id>/<...>` written as `form` says.
    /// - Parameters:
    ///   - second: the pattern of the part after the API's id.
    ///   - form: the id as documented, `<api id>/<resource id>`.
    static func importIDProblem(_ id: String, second: String = idPattern, form: String, what: String) -> String? {
        ImportIDForm.problem(id, matching: idPattern + "/(?:" + second + ")", expected: "\(what) is imported as \(form)")
    }

    /// Splits an import id `a/b/c` into exactly `count` non-empty parts.
    static func parts(_ id: String, count: Int) -> [String]? {
        let parts = id.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        return parts.count == count && parts.allSatisfy { !$0.isEmpty } ? parts : nil
    }
}
