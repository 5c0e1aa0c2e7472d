import AWS
import Engine

/// Amazon Cognito resources: user pools for signed-in users (with app clients, a hosted-UI
/// domain and Google/Facebook federation) and identity pools that hand out AWS credentials.
public enum Cognito {}

/// Conversions the Cognito types share.
enum CognitoValues {
    static func strings(_ value: Value?) -> [String] {
        (value?.listValue ?? []).compactMap(\.stringValue)
    }

    static func stringMap(_ value: Value?) -> [String: String] {
        (value?.mapValue ?? [:]).compactMapValues(\.stringValue)
    }

    static func list(_ strings: [String]?) -> Value {
        .list((strings ?? []).sorted().map(Value.string))
    }

    static func map(_ strings: [String: String]?) -> Value {
        .map((strings ?? [:]).mapValues(Value.string))
    }

    /// Lists whose order AWS does not keep compare as sorted lists.
    static func sortedList(_ value: Value) -> Value {
        guard case .list(let items) = value, !items.contains(where: \.containsUnknown) else { return value }
        return .list(items.sorted { $0.canonicalJSON < $1.canonicalJSON })
    }
}
