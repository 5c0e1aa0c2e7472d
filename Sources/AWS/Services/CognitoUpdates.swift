import Foundation

extension CognitoIdentityProvider {
    /// Any JSON value: a described pool's or client's members, carried back into its update.
    public enum Document: Sendable, Hashable, Codable {
        /// JSON `null`.
        case null
        /// A boolean.
        case bool(Bool)
        /// An integral number.
        case int(Int)
        /// A non-integral number (timestamps).
        case double(Double)
        /// A string.
        case string(String)
        /// An array.
        case array([Document])
        /// An object.
        case object([String: Document])

        /// Decodes any JSON value.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let value = try? container.decode(Bool.self) { self = .bool(value) }
            else if let value = try? container.decode(Int.self) { self = .int(value) }
            else if let value = try? container.decode(Double.self) { self = .double(value) }
            else if let value = try? container.decode(String.self) { self = .string(value) }
            else if let value = try? container.decode([Document].self) { self = .array(value) }
            else { self = .object(try container.decode([String: Document].self)) }
        }

        /// Encodes the value as JSON.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .null: try container.encodeNil()
            case .bool(let value): try container.encode(value)
            case .int(let value): try container.encode(value)
            case .double(let value): try container.encode(value)
            case .string(let value): try container.encode(value)
            case .array(let value): try container.encode(value)
            case .object(let value): try container.encode(value)
            }
        }
    }

    struct PoolDocument: Decodable {
        var userPool: [String: Document]
        enum CodingKeys: String, CodingKey { case userPool = "UserPool" }
    }

    struct ClientDocument: Decodable {
        var userPoolClient: [String: Document]
        enum CodingKeys: String, CodingKey { case userPoolClient = "UserPoolClient" }
    }

    struct PoolAndClientID: Encodable {
        var userPoolID: String
        var clientID: String
        enum CodingKeys: String, CodingKey { case userPoolID = "UserPoolId", clientID = "ClientId" }
    }

    /// `UpdateUserPoolRequest` members besides `UserPoolId` (botocore).
    static let userPoolUpdateMembers: Set<String> = [
        "Policies", "DeletionProtection", "LambdaConfig", "AutoVerifiedAttributes", "SmsVerificationMessage",
        "EmailVerificationMessage", "EmailVerificationSubject", "VerificationMessageTemplate", "SmsAuthenticationMessage",
        "UserAttributeUpdateSettings", "MfaConfiguration", "DeviceConfiguration", "EmailConfiguration", "SmsConfiguration",
        "UserPoolTags", "AdminCreateUserConfig", "UserPoolAddOns", "AccountRecoverySetting", "PoolName", "UserPoolTier",
    ]

    /// `UpdateUserPoolClientRequest` members besides the ids (botocore).
    static let clientUpdateMembers: Set<String> = [
        "ClientName", "RefreshTokenValidity", "AccessTokenValidity", "IdTokenValidity", "TokenValidityUnits", "ReadAttributes",
        "WriteAttributes", "ExplicitAuthFlows", "SupportedIdentityProviders", "CallbackURLs", "LogoutURLs", "DefaultRedirectURI",
        "AllowedOAuthFlows", "AllowedOAuthScopes", "AllowedOAuthFlowsUserPoolClient", "AnalyticsConfiguration",
        "PreventUserExistenceErrors", "EnableTokenRevocation", "EnablePropagateAdditionalUserContextData", "AuthSessionValidity",
        "RefreshTokenRotation",
    ]

    /// The client members imgstack manages: cleared from the described client before the
    /// managed values go on top, so a list emptied in the stack is emptied in AWS.
    static let managedClientMembers: [String] = [
        "ClientName", "AllowedOAuthFlows", "AllowedOAuthScopes", "AllowedOAuthFlowsUserPoolClient", "CallbackURLs", "LogoutURLs",
        "SupportedIdentityProviders", "ExplicitAuthFlows", "AccessTokenValidity", "IdTokenValidity", "RefreshTokenValidity",
        "TokenValidityUnits",
    ]

    /// The pool as `DescribeUserPool` answers it, every member kept.
    func describeUserPoolDocument(_ id: String) async throws -> [String: Document] {
        try await client.json(.cognitoIdentityProvider, "DescribeUserPool", PoolID(userPoolID: id), as: PoolDocument.self, region: region).userPool
    }

    /// The body of `UpdateUserPool`: the described pool's updatable members, with `managed` on top.
    static func userPoolUpdate(described: [String: Document], managed: [String: Document]) -> [String: Document] {
        var body = described.filter { userPoolUpdateMembers.contains($0.key) }
        // The name is left as it is.
        body["PoolName"] = nil
        // DescribeUserPool returns the deprecated UnusedAccountValidityDays, which AWS refuses next
        // to the password policy's TemporaryPasswordValidityDays.
        if case .object(var admin)? = body["AdminCreateUserConfig"] {
            admin["UnusedAccountValidityDays"] = nil
            body["AdminCreateUserConfig"] = .object(admin)
        }
        return body.merging(managed) { _, new in new }
    }

    /// The body of `UpdateUserPoolClient`: the described client's updatable members without the
    /// managed ones, with `managed` on top.
    static func clientUpdate(described: [String: Document], managed: [String: Document]) -> [String: Document] {
        var body = described.filter { clientUpdateMembers.contains($0.key) }
        for key in managedClientMembers { body[key] = nil }
        return body.merging(managed) { _, new in new }
    }

    /// The client as `DescribeUserPoolClient` answers it, every member kept.
    func describeUserPoolClientDocument(pool: String, client clientID: String) async throws -> [String: Document] {
        try await client.json(.cognitoIdentityProvider, "DescribeUserPoolClient", PoolAndClientID(userPoolID: pool, clientID: clientID),
                              as: ClientDocument.self, region: region).userPoolClient
    }

    /// `value`'s JSON encoding as members.
    static func members<T: Encodable>(_ value: T) throws -> [String: Document] {
        do {
            return try JSONDecoder().decode([String: Document].self, from: JSONEncoder().encode(value))
        } catch {
            throw AWSClientError(.invalidConfiguration, "cannot encode \(T.self): \(error)")
        }
    }

    struct MfaConfigInput: Encodable {
        struct Enabled: Encodable {
            var enabled: Bool
            enum CodingKeys: String, CodingKey { case enabled = "Enabled" }
        }
        var userPoolID: String
        var mfaConfiguration: String
        var softwareToken: Enabled
        enum CodingKeys: String, CodingKey {
            case userPoolID = "UserPoolId", mfaConfiguration = "MfaConfiguration", softwareToken = "SoftwareTokenMfaConfiguration"
        }
    }

    /// Sets the pool's MFA mode with authenticator apps (TOTP) as the second factor
    /// (`SetUserPoolMfaConfig`). `ON` or `OPTIONAL` in `CreateUserPool` / `UpdateUserPool` alone
    /// needs an SMS configuration; this call enables the software token instead.
    /// - Parameter mode: `OFF`, `ON` or `OPTIONAL`.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func setUserPoolMfaConfig(_ id: String, mode: String) async throws {
        let input = MfaConfigInput(userPoolID: id, mfaConfiguration: mode, softwareToken: .init(enabled: mode != "OFF"))
        _ = try await client.json(.cognitoIdentityProvider, "SetUserPoolMfaConfig", input, as: AWSEmpty.self, region: region)
    }
}
