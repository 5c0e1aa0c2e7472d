import AWS
import Engine

/// AWS Lambda resources: functions (Lambda@Edge among them) and the permissions that let
/// other services invoke them.
public enum Lambda {}

extension OperationContext {
    /// Lambda calls in this operation's region (`us-east-1` for a Lambda@Edge function).
    var lambda: AWS.Lambda {
        get throws { try aws.lambda(region: region) }
    }
}

/// Rules and helpers the Lambda resource types share.
enum LambdaRules {
    /// A role created seconds ago is refused until IAM has propagated it to Lambda:
    /// `InvalidParameterValueException` "The role defined for the function cannot be assumed by
    /// Lambda" (`CreateFunction`, `UpdateFunctionConfiguration`). Retried every 3 s for 30 s.
    static let newRole = EventualConsistency([.init(.invalidParameterValueException, messageContains: "cannot be assumed")],
                                             window: 30, interval: 3)

    /// A role created seconds ago is refused as a permission's principal until IAM has
    /// propagated it: `InvalidParameterValueException` "The provided principal was invalid"
    /// (`AddPermission`; the answer AWS gives then, as reported in terraform-provider-aws issue
    /// 41617 — the API reference names no error of its own). Retried every 2 s for 30 s, as
    /// IAM's own (``IAMRules/newPrincipals``).
    static let newPrincipal = EventualConsistency([.init(.invalidParameterValueException, messageContains: "provided principal was invalid")],
                                                  window: 30, interval: 2)

    /// A Lambda@Edge function cannot be deleted while CloudFront still holds replicas of it:
    /// `InvalidParameterValueException` "… because it is a replicated function" (`DeleteFunction`).
    /// CloudFront removes them some hours after the association goes; retried every 15 s for a minute.
    static let edgeReplicas = EventualConsistency([.init(.invalidParameterValueException, messageContains: "replicated function")],
                                                  window: 60, interval: 15)

    /// Function names: 1–64 letters, digits, `-` and `_` (an ARN is refused here: the stack
    /// names the function it creates).
    static func functionNameProblem(_ name: String) -> String? {
        guard !name.isEmpty, name.count <= 64 else { return "must be 1 to 64 characters, not \(name.count)" }
        let allowed = name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
        return allowed ? nil : "\"\(name)\" may contain only letters, digits, - and _"
    }

    /// An issue about `property`, when `problem` is not nil.
    static func issue(_ address: Address, _ property: some PropertyDeclaration, _ problem: String?) -> [ValidationIssue] {
        problem.map { [ValidationIssue(address, property, $0)] } ?? []
    }
}
