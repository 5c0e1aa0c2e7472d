import Foundation

/// Typed calls to Amazon Cognito user pools (JSON 1.1, target prefix `AWSCognitoIdentityProviderService`).
///
/// `UpdateUserPool` and `UpdateUserPoolClient` reset every member the request leaves out to its
/// default, so the update calls here start from the described resource (`raw`) and change only
/// the members the caller manages.
public struct CognitoIdentityProvider: Sendable {
    /// Any JSON value, to carry members of a described resource back into its update request.
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

        /// The members of an object (empty for anything else).
        public var objectValue: [String: Document] {
            if case .object(let members) = self { return members }
            return [:]
        }
    }

    /// A user pool's password rules (`PasswordPolicyType`).
    public struct PasswordPolicy: Sendable, Equatable, Codable {
        /// 6 to 99 characters.
        public var minimumLength: Int?
        /// Require an upper-case letter.
        public var requireUppercase: Bool?
        /// Require a lower-case letter.
        public var requireLowercase: Bool?
        /// Require a digit.
        public var requireNumbers: Bool?
        /// Require a symbol.
        public var requireSymbols: Bool?
        /// Days an administrator-set temporary password stays valid (0 to 365).
        public var temporaryPasswordValidityDays: Int?

        /// Creates a password policy.
        public init(minimumLength: Int? = nil, requireUppercase: Bool? = nil, requireLowercase: Bool? = nil, requireNumbers: Bool? = nil,
                    requireSymbols: Bool? = nil, temporaryPasswordValidityDays: Int? = nil) {
            self.minimumLength = minimumLength
            self.requireUppercase = requireUppercase
            self.requireLowercase = requireLowercase
            self.requireNumbers = requireNumbers
            self.requireSymbols = requireSymbols
            self.temporaryPasswordValidityDays = temporaryPasswordValidityDays
        }

        enum CodingKeys: String, CodingKey {
            case minimumLength = "MinimumLength"
            case requireUppercase = "RequireUppercase"
            case requireLowercase = "RequireLowercase"
            case requireNumbers = "RequireNumbers"
            case requireSymbols = "RequireSymbols"
            case temporaryPasswordValidityDays = "TemporaryPasswordValidityDays"
        }
    }

    /// A user attribute of a pool's schema (`SchemaAttributeType`).
    public struct SchemaAttribute: Sendable, Equatable, Codable {
        /// The name; custom attributes are returned as `custom:<name>`.
        public var name: String
        /// `String`, `Number`, `DateTime` or `Boolean`.
        public var attributeDataType: String?
        /// Whether users may change the value after sign-up.
        public var mutable: Bool?
        /// Whether sign-up must give a value.
        public var required: Bool?

        /// Creates a schema attribute.
        public init(name: String, attributeDataType: String? = nil, mutable: Bool? = nil, required: Bool? = nil) {
            self.name = name
            self.attributeDataType = attributeDataType
            self.mutable = mutable
            self.required = required
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case attributeDataType = "AttributeDataType"
            case mutable = "Mutable"
            case required = "Required"
        }
    }

    /// The members of a user pool that imgstack manages and may change in place.
    public struct UserPoolSettings: Sendable, Equatable {
        /// The password rules.
        public var passwordPolicy: PasswordPolicy
        /// `email` and/or `phone_number`.
        public var autoVerifiedAttributes: [String]
        /// `ACTIVE` or `INACTIVE`.
        public var deletionProtection: String
        /// `OFF`, `ON` or `OPTIONAL`.
        public var mfaConfiguration: String
        /// Every tag of the pool, imgstack's own included.
        public var tags: [String: String]

        /// Creates the settings.
        public init(passwordPolicy: PasswordPolicy, autoVerifiedAttributes: [String], deletionProtection: String,
                    mfaConfiguration: String, tags: [String: String]) {
            self.passwordPolicy = passwordPolicy
            self.autoVerifiedAttributes = autoVerifiedAttributes
            self.deletionProtection = deletionProtection
            self.mfaConfiguration = mfaConfiguration
            self.tags = tags
        }
    }

    /// A user pool as `DescribeUserPool` answers (`UserPoolType`).
    public struct UserPool: Sendable, Equatable, Decodable {
        /// The pool id (`us-east-1_AbC123`).
        public var id: String
        /// The pool name.
        public var name: String
        /// The pool ARN.
        public var arn: String?
        /// The password rules.
        public var passwordPolicy: PasswordPolicy?
        /// `ACTIVE` or `INACTIVE`; absent means `INACTIVE`.
        public var deletionProtection: String?
        /// Attributes verified automatically.
        public var autoVerifiedAttributes: [String]
        /// Attributes users sign in with instead of a user name.
        public var usernameAttributes: [String]
        /// `OFF`, `ON` or `OPTIONAL`.
        public var mfaConfiguration: String?
        /// Every user attribute, standard and custom.
        public var schemaAttributes: [SchemaAttribute]
        /// The tags.
        public var tags: [String: String]
        /// Every member of the answer, to carry unmanaged settings into an update.
        public var raw: [String: Document]

        enum CodingKeys: String, CodingKey {
            case id = "Id", name = "Name", arn = "Arn", policies = "Policies", deletionProtection = "DeletionProtection"
            case autoVerifiedAttributes = "AutoVerifiedAttributes", usernameAttributes = "UsernameAttributes"
            case mfaConfiguration = "MfaConfiguration", schemaAttributes = "SchemaAttributes", tags = "UserPoolTags"
        }

        struct Policies: Decodable {
            var passwordPolicy: PasswordPolicy?
            enum CodingKeys: String, CodingKey { case passwordPolicy = "PasswordPolicy" }
        }

        /// Decodes a `UserPoolType`.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            name = try container.decode(String.self, forKey: .name)
            arn = try container.decodeIfPresent(String.self, forKey: .arn)
            passwordPolicy = try container.decodeIfPresent(Policies.self, forKey: .policies)?.passwordPolicy
            deletionProtection = try container.decodeIfPresent(String.self, forKey: .deletionProtection)
            autoVerifiedAttributes = try container.decodeIfPresent([String].self, forKey: .autoVerifiedAttributes) ?? []
            usernameAttributes = try container.decodeIfPresent([String].self, forKey: .usernameAttributes) ?? []
            mfaConfiguration = try container.decodeIfPresent(String.self, forKey: .mfaConfiguration)
            schemaAttributes = try container.decodeIfPresent([SchemaAttribute].self, forKey: .schemaAttributes) ?? []
            tags = try container.decodeIfPresent([String: String].self, forKey: .tags) ?? [:]
            raw = try decoder.singleValueContainer().decode([String: Document].self)
        }
    }

    /// A pool as `ListUserPools` shows it.
    public struct UserPoolDescription: Sendable, Equatable, Decodable {
        /// The pool id.
        public var id: String
        /// The pool name.
        public var name: String?

        enum CodingKeys: String, CodingKey { case id = "Id", name = "Name" }
    }

    /// The members of an app client that imgstack manages (`UserPoolClientType`, less ids and secret).
    public struct ClientSettings: Sendable, Equatable, Codable {
        /// The client's name.
        public var clientName: String
        /// Allowed OAuth flows: `code`, `implicit`, `client_credentials`.
        public var allowedOAuthFlows: [String]
        /// Allowed OAuth scopes.
        public var allowedOAuthScopes: [String]
        /// Whether the client may use the OAuth flows.
        public var allowedOAuthFlowsUserPoolClient: Bool
        /// Redirect URLs after sign-in.
        public var callbackURLs: [String]
        /// Redirect URLs after sign-out.
        public var logoutURLs: [String]
        /// `COGNITO`, or the names of the pool's identity providers.
        public var supportedIdentityProviders: [String]
        /// Authentication flows (`ALLOW_USER_SRP_AUTH`, …); nil leaves AWS's default.
        public var explicitAuthFlows: [String]?
        /// Access token lifetime, in `tokenValidityUnits.accessToken`.
        public var accessTokenValidity: Int?
        /// ID token lifetime, in `tokenValidityUnits.idToken`.
        public var idTokenValidity: Int?
        /// Refresh token lifetime, in `tokenValidityUnits.refreshToken`.
        public var refreshTokenValidity: Int?
        /// The units of the three lifetimes.
        public var tokenValidityUnits: TokenValidityUnits?

        /// Creates client settings.
        public init(clientName: String, allowedOAuthFlows: [String] = [], allowedOAuthScopes: [String] = [],
                    allowedOAuthFlowsUserPoolClient: Bool = false, callbackURLs: [String] = [], logoutURLs: [String] = [],
                    supportedIdentityProviders: [String] = [], explicitAuthFlows: [String]? = nil, accessTokenValidity: Int? = nil,
                    idTokenValidity: Int? = nil, refreshTokenValidity: Int? = nil, tokenValidityUnits: TokenValidityUnits? = nil) {
            self.clientName = clientName
            self.allowedOAuthFlows = allowedOAuthFlows
            self.allowedOAuthScopes = allowedOAuthScopes
            self.allowedOAuthFlowsUserPoolClient = allowedOAuthFlowsUserPoolClient
            self.callbackURLs = callbackURLs
            self.logoutURLs = logoutURLs
            self.supportedIdentityProviders = supportedIdentityProviders
            self.explicitAuthFlows = explicitAuthFlows
            self.accessTokenValidity = accessTokenValidity
            self.idTokenValidity = idTokenValidity
            self.refreshTokenValidity = refreshTokenValidity
            self.tokenValidityUnits = tokenValidityUnits
        }

        enum CodingKeys: String, CodingKey {
            case clientName = "ClientName", allowedOAuthFlows = "AllowedOAuthFlows", allowedOAuthScopes = "AllowedOAuthScopes"
            case allowedOAuthFlowsUserPoolClient = "AllowedOAuthFlowsUserPoolClient", callbackURLs = "CallbackURLs"
            case logoutURLs = "LogoutURLs", supportedIdentityProviders = "SupportedIdentityProviders"
            case explicitAuthFlows = "ExplicitAuthFlows", accessTokenValidity = "AccessTokenValidity"
            case idTokenValidity = "IdTokenValidity", refreshTokenValidity = "RefreshTokenValidity"
            case tokenValidityUnits = "TokenValidityUnits"
        }

        /// Decodes the settings from a `UserPoolClientType`, absent lists as empty.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            clientName = try container.decodeIfPresent(String.self, forKey: .clientName) ?? ""
            allowedOAuthFlows = try container.decodeIfPresent([String].self, forKey: .allowedOAuthFlows) ?? []
            allowedOAuthScopes = try container.decodeIfPresent([String].self, forKey: .allowedOAuthScopes) ?? []
            allowedOAuthFlowsUserPoolClient = try container.decodeIfPresent(Bool.self, forKey: .allowedOAuthFlowsUserPoolClient) ?? false
            callbackURLs = try container.decodeIfPresent([String].self, forKey: .callbackURLs) ?? []
            logoutURLs = try container.decodeIfPresent([String].self, forKey: .logoutURLs) ?? []
            supportedIdentityProviders = try container.decodeIfPresent([String].self, forKey: .supportedIdentityProviders) ?? []
            explicitAuthFlows = try container.decodeIfPresent([String].self, forKey: .explicitAuthFlows)
            accessTokenValidity = try container.decodeIfPresent(Int.self, forKey: .accessTokenValidity)
            idTokenValidity = try container.decodeIfPresent(Int.self, forKey: .idTokenValidity)
            refreshTokenValidity = try container.decodeIfPresent(Int.self, forKey: .refreshTokenValidity)
            tokenValidityUnits = try container.decodeIfPresent(TokenValidityUnits.self, forKey: .tokenValidityUnits)
        }

        /// Encodes the settings; empty lists are left out (AWS refuses an empty `AllowedOAuthFlows`
        /// together with `AllowedOAuthFlowsUserPoolClient`).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(clientName, forKey: .clientName)
            try container.encode(allowedOAuthFlowsUserPoolClient, forKey: .allowedOAuthFlowsUserPoolClient)
            let lists: [(CodingKeys, [String])] = [
                (.allowedOAuthFlows, allowedOAuthFlows), (.allowedOAuthScopes, allowedOAuthScopes), (.callbackURLs, callbackURLs),
                (.logoutURLs, logoutURLs), (.supportedIdentityProviders, supportedIdentityProviders),
            ]
            for (key, list) in lists where !list.isEmpty { try container.encode(list, forKey: key) }
            try container.encodeIfPresent(explicitAuthFlows, forKey: .explicitAuthFlows)
            try container.encodeIfPresent(accessTokenValidity, forKey: .accessTokenValidity)
            try container.encodeIfPresent(idTokenValidity, forKey: .idTokenValidity)
            try container.encodeIfPresent(refreshTokenValidity, forKey: .refreshTokenValidity)
            try container.encodeIfPresent(tokenValidityUnits, forKey: .tokenValidityUnits)
        }
    }

    /// Units of token lifetimes (`TokenValidityUnitsType`): `seconds`, `minutes`, `hours`, `days`.
    public struct TokenValidityUnits: Sendable, Equatable, Codable {
        /// Unit of the access token lifetime.
        public var accessToken: String?
        /// Unit of the ID token lifetime.
        public var idToken: String?
        /// Unit of the refresh token lifetime.
        public var refreshToken: String?

        /// Creates units.
        public init(accessToken: String? = nil, idToken: String? = nil, refreshToken: String? = nil) {
            self.accessToken = accessToken
            self.idToken = idToken
            self.refreshToken = refreshToken
        }

        enum CodingKeys: String, CodingKey { case accessToken = "AccessToken", idToken = "IdToken", refreshToken = "RefreshToken" }
    }

    /// An app client as `DescribeUserPoolClient` answers.
    public struct UserPoolClient: Sendable, Equatable, Decodable {
        /// The pool id.
        public var userPoolID: String
        /// The client id.
        public var clientID: String
        /// The client secret, when the client has one. Secret: never log it.
        public var clientSecret: String?
        /// The managed settings.
        public var settings: ClientSettings
        /// Every member of the answer, to carry unmanaged settings into an update.
        public var raw: [String: Document]

        enum CodingKeys: String, CodingKey { case userPoolID = "UserPoolId", clientID = "ClientId", clientSecret = "ClientSecret" }

        /// Decodes a `UserPoolClientType`.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            userPoolID = try container.decode(String.self, forKey: .userPoolID)
            clientID = try container.decode(String.self, forKey: .clientID)
            clientSecret = try container.decodeIfPresent(String.self, forKey: .clientSecret)
            settings = try ClientSettings(from: decoder)
            raw = try decoder.singleValueContainer().decode([String: Document].self)
        }
    }

    /// A client as `ListUserPoolClients` shows it.
    public struct UserPoolClientDescription: Sendable, Equatable, Decodable {
        /// The client id.
        public var clientID: String
        /// The client name.
        public var clientName: String?

        enum CodingKeys: String, CodingKey { case clientID = "ClientId", clientName = "ClientName" }
    }

    /// A hosted UI domain (`DomainDescriptionType`).
    public struct DomainDescription: Sendable, Equatable, Decodable {
        /// The pool it belongs to; nil when the domain does not exist (AWS then answers an empty description).
        public var userPoolID: String?
        /// The domain prefix or custom domain.
        public var domain: String?
        /// The CloudFront distribution serving it.
        public var cloudFrontDistribution: String?
        /// `CREATING`, `ACTIVE`, …
        public var status: String?

        enum CodingKeys: String, CodingKey {
            case userPoolID = "UserPoolId", domain = "Domain", cloudFrontDistribution = "CloudFrontDistribution", status = "Status"
        }
    }

    /// A federated identity provider of a pool (`IdentityProviderType`).
    public struct IdentityProvider: Sendable, Equatable, Codable {
        /// The pool id.
        public var userPoolID: String
        /// The provider's name (`Google`).
        public var providerName: String
        /// `Google`, `Facebook`, `LoginWithAmazon`, `SignInWithApple`, `OIDC`, `SAML`.
        public var providerType: String?
        /// Provider settings (`client_id`, `client_secret`, `authorize_scopes`, …). Holds a secret.
        public var providerDetails: [String: String]
        /// Provider attribute per user pool attribute.
        public var attributeMapping: [String: String]

        /// Creates a provider description.
        public init(userPoolID: String, providerName: String, providerType: String?, providerDetails: [String: String],
                    attributeMapping: [String: String]) {
            self.userPoolID = userPoolID
            self.providerName = providerName
            self.providerType = providerType
            self.providerDetails = providerDetails
            self.attributeMapping = attributeMapping
        }

        enum CodingKeys: String, CodingKey {
            case userPoolID = "UserPoolId", providerName = "ProviderName", providerType = "ProviderType"
            case providerDetails = "ProviderDetails", attributeMapping = "AttributeMapping"
        }

        /// Decodes an `IdentityProviderType`, absent maps as empty.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            userPoolID = try container.decode(String.self, forKey: .userPoolID)
            providerName = try container.decode(String.self, forKey: .providerName)
            providerType = try container.decodeIfPresent(String.self, forKey: .providerType)
            providerDetails = try container.decodeIfPresent([String: String].self, forKey: .providerDetails) ?? [:]
            attributeMapping = try container.decodeIfPresent([String: String].self, forKey: .attributeMapping) ?? [:]
        }
    }

    // MARK: - Wire shapes

    struct CreateUserPoolInput: Encodable {
        var poolName: String
        var policies: [String: PasswordPolicy]
        var deletionProtection: String
        var autoVerifiedAttributes: [String]?
        var usernameAttributes: [String]?
        var schema: [SchemaAttribute]?
        var tags: [String: String]?
        enum CodingKeys: String, CodingKey {
            case poolName = "PoolName", policies = "Policies", deletionProtection = "DeletionProtection"
            case autoVerifiedAttributes = "AutoVerifiedAttributes", usernameAttributes = "UsernameAttributes"
            case schema = "Schema", tags = "UserPoolTags"
        }
    }

    struct UserPoolOutput: Decodable {
        var userPool: UserPool
        enum CodingKeys: String, CodingKey { case userPool = "UserPool" }
    }

    struct UserPoolIDInput: Encodable {
        var userPoolID: String
        enum CodingKeys: String, CodingKey { case userPoolID = "UserPoolId" }
    }

    struct ListInput: Encodable {
        var maxResults: Int
        var nextToken: String?
        enum CodingKeys: String, CodingKey { case maxResults = "MaxResults", nextToken = "NextToken" }
    }

    struct ListUserPoolsOutput: Decodable {
        var userPools: [UserPoolDescription]?
        var nextToken: String?
        enum CodingKeys: String, CodingKey { case userPools = "UserPools", nextToken = "NextToken" }
    }

    struct SetMfaConfigInput: Encodable {
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

    struct CreateClientInput: Encodable {
        var userPoolID: String
        var generateSecret: Bool
        var settings: ClientSettings
        enum CodingKeys: String, CodingKey { case userPoolID = "UserPoolId", generateSecret = "GenerateSecret" }
        func encode(to encoder: any Encoder) throws {
            try settings.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(userPoolID, forKey: .userPoolID)
            try container.encode(generateSecret, forKey: .generateSecret)
        }
    }

    struct ListClientsInput: Encodable {
        var userPoolID: String
        var maxResults: Int
        var nextToken: String?
        enum CodingKeys: String, CodingKey { case userPoolID = "UserPoolId", maxResults = "MaxResults", nextToken = "NextToken" }
    }

    struct ListClientsOutput: Decodable {
        var userPoolClients: [UserPoolClientDescription]?
        var nextToken: String?
        enum CodingKeys: String, CodingKey { case userPoolClients = "UserPoolClients", nextToken = "NextToken" }
    }

    struct ClientIDInput: Encodable {
        var userPoolID: String
        var clientID: String
        enum CodingKeys: String, CodingKey { case userPoolID = "UserPoolId", clientID = "ClientId" }
    }

    struct ClientOutput: Decodable {
        var userPoolClient: UserPoolClient
        enum CodingKeys: String, CodingKey { case userPoolClient = "UserPoolClient" }
    }

    struct DomainInput: Encodable {
        var domain: String
        var userPoolID: String?
        enum CodingKeys: String, CodingKey { case domain = "Domain", userPoolID = "UserPoolId" }
    }

    struct DomainOutput: Decodable {
        var domainDescription: DomainDescription?
        enum CodingKeys: String, CodingKey { case domainDescription = "DomainDescription" }
    }

    struct ProviderInput: Encodable {
        var userPoolID: String
        var providerName: String
        var providerType: String?
        var providerDetails: [String: String]?
        var attributeMapping: [String: String]?
        enum CodingKeys: String, CodingKey {
            case userPoolID = "UserPoolId", providerName = "ProviderName", providerType = "ProviderType"
            case providerDetails = "ProviderDetails", attributeMapping = "AttributeMapping"
        }
    }

    struct ProviderOutput: Decodable {
        var identityProvider: IdentityProvider
        enum CodingKeys: String, CodingKey { case identityProvider = "IdentityProvider" }
    }

    /// `UpdateUserPoolRequest` members besides `UserPoolId` (botocore), which a described pool may carry.
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

    let client: AWSClient

    /// Creates the Cognito user pool calls of `client`.
    public init(client: AWSClient) {
        self.client = client
    }

    // MARK: - User pools

    /// Creates a user pool (`CreateUserPool`). MFA is set apart with `setUserPoolMfaConfig`, since
    /// `ON` at creation needs an SMS configuration.
    /// - Returns: the new pool.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func createUserPool(name: String, settings: UserPoolSettings, usernameAttributes: [String], schema: [SchemaAttribute],
                               region: String? = nil) async throws -> UserPool {
        let input = CreateUserPoolInput(
            poolName: name, policies: ["PasswordPolicy": settings.passwordPolicy], deletionProtection: settings.deletionProtection,
            autoVerifiedAttributes: settings.autoVerifiedAttributes.isEmpty ? nil : settings.autoVerifiedAttributes,
            usernameAttributes: usernameAttributes.isEmpty ? nil : usernameAttributes, schema: schema.isEmpty ? nil : schema,
            tags: settings.tags.isEmpty ? nil : settings.tags)
        return try await client.json(.cognitoIdentityProvider, "CreateUserPool", input, as: UserPoolOutput.self, region: region).userPool
    }

    /// Describes a user pool (`DescribeUserPool`).
    /// - Throws: `AWSError` `ResourceNotFoundException` when there is no such pool.
    public func describeUserPool(_ id: String, region: String? = nil) async throws -> UserPool {
        try await client.json(.cognitoIdentityProvider, "DescribeUserPool", UserPoolIDInput(userPoolID: id), as: UserPoolOutput.self,
                              region: region).userPool
    }

    /// Changes the managed settings of `pool` (`UpdateUserPool`), keeping every other updatable
    /// member as described.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func updateUserPool(_ pool: UserPool, settings: UserPoolSettings, region: String? = nil) async throws {
        try await client.json(.cognitoIdentityProvider, "UpdateUserPool", try Self.updateRequest(pool, settings: settings),
                              as: AWSEmpty.self, region: region)
    }

    /// The body of `UpdateUserPool`: the described pool's updatable members with the managed ones replaced.
    static func updateRequest(_ pool: UserPool, settings: UserPoolSettings) throws -> [String: Document] {
        var body = pool.raw.filter { userPoolUpdateMembers.contains($0.key) }
        // PoolName is a newer member; the name is left as it is.
        body["PoolName"] = nil
        body["UserPoolId"] = .string(pool.id)
        var policies = body["Policies"]?.objectValue ?? [:]
        policies["PasswordPolicy"] = try document(settings.passwordPolicy)
        body["Policies"] = .object(policies)
        // AWS refuses the deprecated UnusedAccountValidityDays next to TemporaryPasswordValidityDays,
        // and DescribeUserPool returns it.
        if case .object(var admin)? = body["AdminCreateUserConfig"] {
            admin["UnusedAccountValidityDays"] = nil
            body["AdminCreateUserConfig"] = .object(admin)
        }
        body["AutoVerifiedAttributes"] = .array(settings.autoVerifiedAttributes.map(Document.string))
        body["DeletionProtection"] = .string(settings.deletionProtection)
        body["MfaConfiguration"] = .string(settings.mfaConfiguration)
        body["UserPoolTags"] = .object(settings.tags.mapValues(Document.string))
        return body
    }

    /// Sets the pool's MFA mode with authenticator apps as the second factor (`SetUserPoolMfaConfig`).
    /// - Parameter mode: `OFF`, `ON` or `OPTIONAL`.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func setUserPoolMfaConfig(_ id: String, mode: String, region: String? = nil) async throws {
        let input = SetMfaConfigInput(userPoolID: id, mfaConfiguration: mode, softwareToken: .init(enabled: mode != "OFF"))
        try await client.json(.cognitoIdentityProvider, "SetUserPoolMfaConfig", input, as: AWSEmpty.self, region: region)
    }

    /// Deletes a user pool (`DeleteUserPool`).
    /// - Throws: `AWSError` (`ResourceNotFoundException`; `InvalidParameterException` when deletion protection is on).
    public func deleteUserPool(_ id: String, region: String? = nil) async throws {
        try await client.json(.cognitoIdentityProvider, "DeleteUserPool", UserPoolIDInput(userPoolID: id), as: AWSEmpty.self, region: region)
    }

    /// Lists every user pool in the region, following `NextToken` pages.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func listUserPools(region: String? = nil) async throws -> [UserPoolDescription] {
        var pools: [UserPoolDescription] = []
        var token: String?
        repeat {
            let page = try await client.json(.cognitoIdentityProvider, "ListUserPools", ListInput(maxResults: 60, nextToken: token),
                                             as: ListUserPoolsOutput.self, region: region)
            pools += page.userPools ?? []
            token = page.nextToken
        } while token != nil
        return pools
    }

    // MARK: - App clients

    /// Creates an app client (`CreateUserPoolClient`).
    /// - Returns: the client, with its secret when `generateSecret` is true.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func createUserPoolClient(userPoolID: String, generateSecret: Bool, settings: ClientSettings,
                                     region: String? = nil) async throws -> UserPoolClient {
        let input = CreateClientInput(userPoolID: userPoolID, generateSecret: generateSecret, settings: settings)
        return try await client.json(.cognitoIdentityProvider, "CreateUserPoolClient", input, as: ClientOutput.self, region: region).userPoolClient
    }

    /// Describes an app client (`DescribeUserPoolClient`).
    /// - Throws: `AWSError` `ResourceNotFoundException` when the client or its pool is gone.
    public func describeUserPoolClient(userPoolID: String, clientID: String, region: String? = nil) async throws -> UserPoolClient {
        try await client.json(.cognitoIdentityProvider, "DescribeUserPoolClient", ClientIDInput(userPoolID: userPoolID, clientID: clientID),
                              as: ClientOutput.self, region: region).userPoolClient
    }

    /// Changes the managed settings of `current` (`UpdateUserPoolClient`), keeping its other members.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func updateUserPoolClient(_ current: UserPoolClient, settings: ClientSettings, region: String? = nil) async throws {
        try await client.json(.cognitoIdentityProvider, "UpdateUserPoolClient", try Self.updateRequest(current, settings: settings),
                              as: AWSEmpty.self, region: region)
    }

    /// The body of `UpdateUserPoolClient`: the described client's updatable members with the managed ones replaced.
    static func updateRequest(_ current: UserPoolClient, settings: ClientSettings) throws -> [String: Document] {
        var body = current.raw.filter { clientUpdateMembers.contains($0.key) }
        for key in ClientSettings.CodingKeys.allManaged { body[key] = nil }
        body.merge(try document(settings).objectValue) { _, new in new }
        body["UserPoolId"] = .string(current.userPoolID)
        body["ClientId"] = .string(current.clientID)
        return body
    }

    /// Lists every app client of a pool, following `NextToken` pages (`ListUserPoolClients`).
    /// - Throws: `AWSError` `ResourceNotFoundException` when the pool is gone.
    public func listUserPoolClients(userPoolID: String, region: String? = nil) async throws -> [UserPoolClientDescription] {
        var clients: [UserPoolClientDescription] = []
        var token: String?
        repeat {
            let page = try await client.json(.cognitoIdentityProvider, "ListUserPoolClients",
                                             ListClientsInput(userPoolID: userPoolID, maxResults: 60, nextToken: token),
                                             as: ListClientsOutput.self, region: region)
            clients += page.userPoolClients ?? []
            token = page.nextToken
        } while token != nil
        return clients
    }

    /// Deletes an app client (`DeleteUserPoolClient`).
    /// - Throws: `AWSError` `ResourceNotFoundException` when it is gone.
    public func deleteUserPoolClient(userPoolID: String, clientID: String, region: String? = nil) async throws {
        try await client.json(.cognitoIdentityProvider, "DeleteUserPoolClient", ClientIDInput(userPoolID: userPoolID, clientID: clientID),
                              as: AWSEmpty.self, region: region)
    }

    // MARK: - Domains

    /// Gives a pool a hosted UI domain prefix (`CreateUserPoolDomain`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func createUserPoolDomain(_ domain: String, userPoolID: String, region: String? = nil) async throws {
        try await client.json(.cognitoIdentityProvider, "CreateUserPoolDomain", DomainInput(domain: domain, userPoolID: userPoolID),
                              as: AWSEmpty.self, region: region)
    }

    /// Describes a domain (`DescribeUserPoolDomain`).
    /// - Returns: nil when the domain does not exist: AWS answers an empty `DomainDescription`, not an error.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func describeUserPoolDomain(_ domain: String, region: String? = nil) async throws -> DomainDescription? {
        let answer = try await client.json(.cognitoIdentityProvider, "DescribeUserPoolDomain", DomainInput(domain: domain),
                                           as: DomainOutput.self, region: region)
        guard let description = answer.domainDescription, description.userPoolID != nil else { return nil }
        return description
    }

    /// Deletes a domain (`DeleteUserPoolDomain`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func deleteUserPoolDomain(_ domain: String, userPoolID: String, region: String? = nil) async throws {
        try await client.json(.cognitoIdentityProvider, "DeleteUserPoolDomain", DomainInput(domain: domain, userPoolID: userPoolID),
                              as: AWSEmpty.self, region: region)
    }

    // MARK: - Identity providers

    /// Adds a federated identity provider to a pool (`CreateIdentityProvider`).
    /// - Throws: `AWSError` (`DuplicateProviderException`), `AWSClientError`.
    public func createIdentityProvider(_ provider: IdentityProvider, region: String? = nil) async throws -> IdentityProvider {
        let input = ProviderInput(userPoolID: provider.userPoolID, providerName: provider.providerName, providerType: provider.providerType,
                                  providerDetails: provider.providerDetails,
                                  attributeMapping: provider.attributeMapping.isEmpty ? nil : provider.attributeMapping)
        return try await client.json(.cognitoIdentityProvider, "CreateIdentityProvider", input, as: ProviderOutput.self, region: region)
            .identityProvider
    }

    /// Describes a pool's identity provider (`DescribeIdentityProvider`).
    /// - Throws: `AWSError` `ResourceNotFoundException` when it or its pool is gone.
    public func describeIdentityProvider(userPoolID: String, providerName: String, region: String? = nil) async throws -> IdentityProvider {
        try await client.json(.cognitoIdentityProvider, "DescribeIdentityProvider",
                              ProviderInput(userPoolID: userPoolID, providerName: providerName), as: ProviderOutput.self, region: region)
            .identityProvider
    }

    /// Replaces a provider's details and attribute mapping (`UpdateIdentityProvider`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func updateIdentityProvider(_ provider: IdentityProvider, region: String? = nil) async throws {
        let input = ProviderInput(userPoolID: provider.userPoolID, providerName: provider.providerName, providerType: nil,
                                  providerDetails: provider.providerDetails, attributeMapping: provider.attributeMapping)
        try await client.json(.cognitoIdentityProvider, "UpdateIdentityProvider", input, as: ProviderOutput.self, region: region)
    }

    /// Removes an identity provider from a pool (`DeleteIdentityProvider`).
    /// - Throws: `AWSError` `ResourceNotFoundException` when it is gone.
    public func deleteIdentityProvider(userPoolID: String, providerName: String, region: String? = nil) async throws {
        try await client.json(.cognitoIdentityProvider, "DeleteIdentityProvider",
                              ProviderInput(userPoolID: userPoolID, providerName: providerName), as: AWSEmpty.self, region: region)
    }

    // MARK: - Helpers

    /// `value` as a document, through its JSON encoding.
    static func document<T: Encodable>(_ value: T) throws -> Document {
        do {
            return try JSONDecoder().decode(Document.self, from: JSONEncoder().encode(value))
        } catch {
            throw AWSClientError(.invalidConfiguration, "cannot encode \(T.self): \(error)")
        }
    }
}

extension CognitoIdentityProvider.ClientSettings.CodingKeys {
    /// Wire names of every managed client member, cleared before the managed values are merged
    /// in, so a list emptied in the stack is emptied in AWS too.
    static let allManaged: [String] = [
        "ClientName", "AllowedOAuthFlows", "AllowedOAuthScopes", "AllowedOAuthFlowsUserPoolClient", "CallbackURLs", "LogoutURLs",
        "SupportedIdentityProviders", "ExplicitAuthFlows", "AccessTokenValidity", "IdTokenValidity", "RefreshTokenValidity",
        "TokenValidityUnits",
    ]
}

extension AWSClient {
    /// The typed Cognito user pool calls of this client.
    public var cognitoIdentityProvider: CognitoIdentityProvider { CognitoIdentityProvider(client: self) }
}
