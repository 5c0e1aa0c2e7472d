import AWS
import Engine

/// An app client's token lifetimes in the units the stack declares them in, whatever units AWS
/// holds them in. `UserPoolClientType` (Cognito user pools API reference): `AccessTokenValidity`
/// and `IdTokenValidity` count `TokenValidityUnits.AccessToken` / `.IdToken`, `hours` when the
/// unit is absent; `RefreshTokenValidity` counts `TokenValidityUnits.RefreshToken`, `days` when
/// absent. An absent validity is AWS's default: one hour, one hour, 30 days.
enum TokenValidity {
    /// Seconds per unit of `TimeUnitsType`.
    private static let seconds = ["seconds": 1, "minutes": 60, "hours": 3600, "days": 86400]

    /// `value` counted in `unit` (or `defaultUnit`), expressed in `target`: an integer when it
    /// divides evenly, else a fraction, so a lifetime the stack's unit cannot express still
    /// differs from every declared one.
    static func convert(_ value: Int, unit: String?, defaultUnit: String, to target: String) -> Value {
        let from = seconds[(unit ?? defaultUnit).lowercased()] ?? seconds[defaultUnit] ?? 1
        let to = seconds[target] ?? 1
        let total = value * from
        return total % to == 0 ? .int(total / to) : .double(Double(total) / Double(to))
    }

    /// The access token's lifetime in minutes (default one hour).
    static func accessMinutes(_ client: AWS.CognitoIdentityProvider.UserPoolClient) -> Value {
        client.accessTokenValidity.map { convert($0, unit: client.tokenValidityUnits?.accessToken, defaultUnit: "hours", to: "minutes") } ?? 60
    }

    /// The ID token's lifetime in minutes (default one hour).
    static func idMinutes(_ client: AWS.CognitoIdentityProvider.UserPoolClient) -> Value {
        client.idTokenValidity.map { convert($0, unit: client.tokenValidityUnits?.idToken, defaultUnit: "hours", to: "minutes") } ?? 60
    }

    /// The refresh token's lifetime in days (default 30).
    static func refreshDays(_ client: AWS.CognitoIdentityProvider.UserPoolClient) -> Value {
        client.refreshTokenValidity.map { convert($0, unit: client.tokenValidityUnits?.refreshToken, defaultUnit: "days", to: "days") } ?? 30
    }

    /// `tokenValidityMinutes` covers the access and the ID token alike: when AWS holds them
    /// apart, the one that differs from `recorded` is reported, so the plan shows the drift and
    /// the update writes both.
    static func tokenMinutes(_ client: AWS.CognitoIdentityProvider.UserPoolClient, recorded: Value?) -> Value {
        let access = accessMinutes(client)
        let id = idMinutes(client)
        return access == id || access != recorded ? access : id
    }
}
