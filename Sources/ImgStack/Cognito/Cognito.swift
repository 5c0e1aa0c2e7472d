import AWS
import Engine

/// Amazon Cognito resources: user pools for signed-in users (with app clients, a hosted-UI
/// domain and Google/Facebook federation) and identity pools that hand out AWS credentials.
public enum Cognito {}

extension OperationContext {
    /// Cognito user pool calls in this operation's region.
    var cognitoIdentityProvider: AWS.CognitoIdentityProvider {
        get throws { try aws.cognitoIdentityProvider(region: region) }
    }

    /// Cognito identity pool calls in this operation's region.
    var cognitoIdentity: AWS.CognitoIdentity {
        get throws { try aws.cognitoIdentity(region: region) }
    }
}

/// Conversions the Cognito types share.
enum CognitoValues {
    /// A user pool id, `REGION_ID` (`UserPoolIdType` in botocore's cognito-idp model:
    /// `[\w-]+_[0-9a-zA-Z]+`, at most 55 characters), as an import id pattern.
    static let userPoolIDPattern = #"(?=.{1,55}(/|$))[\w-]+_[0-9a-zA-Z]+"#

    /// An identity pool id, `REGION:UUID` (`IdentityPoolId`: `[\w-]+:[0-9a-f-]+`, at most 55
    /// characters), as an import id pattern.
    static let identityPoolIDPattern = #"(?=.{1,55}$)[\w-]+:[0-9a-f-]+"#

    /// How an identity pool (or its roles) is imported.
    static let identityPoolForm = "is imported by its identity pool id (REGION:UUID, such as us-east-1:1cf667a2-49a6-454b-9e45-23199EXAMPLE)"

    /// The strings of a list (other items skipped), for checking literal lists.
    static func strings(_ value: Value?) -> [String] {
        (value?.listValue ?? []).compactMap(\.stringValue)
    }

    /// Lists whose order AWS does not keep compare as sorted lists.
    static func sortedList(_ value: Value) -> Value {
        guard case .list(let items) = value, !items.contains(where: \.containsUnknown) else { return value }
        return .list(items.sorted { $0.canonicalJSON < $1.canonicalJSON })
    }
}
