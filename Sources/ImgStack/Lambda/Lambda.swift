import AWS
import Engine

/// AWS Lambda resources: functions (Lambda@Edge among them) and the permissions that let
/// other services invoke them.
public enum Lambda {}

/// Rules and helpers the Lambda resource types share.
enum LambdaRules {
    /// Function names: 1–64 letters, digits, `-` and `_` (an ARN is refused here: the stack
    /// names the function it creates).
    static func functionNameProblem(_ name: String) -> String? {
        guard !name.isEmpty, name.count <= 64 else { return "must be 1 to 64 characters, not \(name.count)" }
        let allowed = name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
        return allowed ? nil : "\"\(name)\" may contain only letters, digits, - and _"
    }

    /// An issue about `property`, when `problem` is not nil.
    static func issue(_ address: Address, _ property: String, _ problem: String?) -> [ValidationIssue] {
        problem.map { [ValidationIssue(subject: address.description, property: property, message: $0)] } ?? []
    }

    /// Tags as strings.
    static func tags(_ value: Value?) -> [String: String] {
        (value?.mapValue ?? [:]).compactMapValues(\.stringValue)
    }

    /// A map of strings as a value.
    static func stringMap(_ map: [String: String]) -> Value {
        .map(map.mapValues(Value.string))
    }
}
