import Foundation

/// Typed calls to Amazon Cognito user pools (JSON 1.1, target prefix
/// `AWSCognitoIdentityProviderService`; botocore `cognito-idp` 2016-04-18).
public struct CognitoIdentityProvider: Sendable {
    let client: AWSClient
    /// The region every call goes to; nil for the client's configured region.
    public let region: String?

    /// Creates the Cognito user pool calls of `client` in `region`.
    public init(client: AWSClient, region: String? = nil) {
        self.client = client
        self.region = region
    }

    /// A pool's password rules (`PasswordPolicyType`).
    public struct PasswordPolicy: Codable, Sendable, Equatable {
        public var minimumLength: Int?
        public var requireUppercase: Bool?
        public var requireLowercase: Bool?
        public var requireNumbers: Bool?
        public var requireSymbols: Bool?
        public var temporaryPasswordValidityDays: Int?

        /// Creates password rules.
        public init(minimumLength: Int?, requireUppercase: Bool?, requireLowercase: Bool?, requireNumbers: Bool?,
                    requireSymbols: Bool?, temporaryPasswordValidityDays: Int?) {
            self.minimumLength = minimumLength
            self.requireUppercase = requireUppercase
            self.requireLowercase = requireLowercase
            self.requireNumbers = requireNumbers
            self.requireSymbols = requireSymbols
            self.temporaryPasswordValidityDays = temporaryPasswordValidityDays
        }

        enum CodingKeys: String, CodingKey {
            case minimumLength = "MinimumLength", requireUppercase = "RequireUppercase", requireLowercase = "RequireLowercase"
            case requireNumbers = "RequireNumbers", requireSymbols = "RequireSymbols"
            case temporaryPasswordValidityDays = "TemporaryPasswordValidityDays"
        }
    }

    /// `UserPoolPolicyType`.
    public struct Policies: Codable, Sendable, Equatable {
        public var passwordPolicy: PasswordPolicy?
        enum CodingKeys: String, CodingKey { case passwordPolicy = "PasswordPolicy" }
    }

    /// A user attribute definition (`SchemaAttributeType`).
    public struct SchemaAttribute: Codable, Sendable, Equatable {
        public var name: String
        public var attributeDataType: String?
        public var mutable: Bool?
        public var required: Bool?

        /// Creates an attribute definition.
        public init(name: String, attributeDataType: String?, mutable: Bool?, required: Bool?) {
            self.name = name
            self.attributeDataType = attributeDataType
            self.mutable = mutable
            self.required = required
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name", attributeDataType = "AttributeDataType", mutable = "Mutable", required = "Required"
        }
    }

    /// A user pool's settings, as created, updated and described.
    public struct UserPool: Codable, Sendable, Equatable {
        public var id: String?
        public var name: String?
        public var arn: String?
        public var policies: Policies?
        public var autoVerifiedAttributes: [String]?
        public var usernameAttributes: [String]?
        public var mfaConfiguration: String?
        public var schemaAttributes: [SchemaAttribute]?
        public var deletionProtection: String?
        public var userPoolTags: [String: String]?

        /// Creates settings.
        public init(name: String? = nil, passwordPolicy: PasswordPolicy? = nil, autoVerifiedAttributes: [String]? = nil,
                    usernameAttributes: [String]? = nil, mfaConfiguration: String? = nil, schemaAttributes: [SchemaAttribute]? = nil,
                    deletionProtection: String? = nil, userPoolTags: [String: String]? = nil) {
            self.name = name
            self.policies = passwordPolicy.map { Policies(passwordPolicy: $0) }
            self.autoVerifiedAttributes = autoVerifiedAttributes
            self.usernameAttributes = usernameAttributes
            self.mfaConfiguration = mfaConfiguration
            self.schemaAttributes = schemaAttributes
            self.deletionProtection = deletionProtection
            self.userPoolTags = userPoolTags
        }

        enum CodingKeys: String, CodingKey {
            case id = "Id", name = "Name", arn = "Arn", policies = "Policies", autoVerifiedAttributes = "AutoVerifiedAttributes"
            case usernameAttributes = "UsernameAttributes", mfaConfiguration = "MfaConfiguration", schemaAttributes = "SchemaAttributes"
            case deletionProtection = "DeletionProtection", userPoolTags = "UserPoolTags"
        }
    }

    /// Creates a pool (`CreateUserPool`).
    public func createUserPool(_ pool: UserPool) async throws -> UserPool {
        struct Input: Encodable {
            var pool: UserPool
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode(pool.name, forKey: .poolName)
                try container.encodeIfPresent(pool.policies, forKey: .policies)
                try container.encodeIfPresent(pool.autoVerifiedAttributes, forKey: .autoVerifiedAttributes)
                try container.encodeIfPresent(pool.usernameAttributes, forKey: .usernameAttributes)
                try container.encodeIfPresent(pool.mfaConfiguration, forKey: .mfaConfiguration)
                try container.encodeIfPresent(pool.schemaAttributes, forKey: .schema)
                try container.encodeIfPresent(pool.deletionProtection, forKey: .deletionProtection)
                try container.encodeIfPresent(pool.userPoolTags, forKey: .userPoolTags)
            }
            enum Keys: String, CodingKey {
                case poolName = "PoolName", policies = "Policies", autoVerifiedAttributes = "AutoVerifiedAttributes"
                case usernameAttributes = "UsernameAttributes", mfaConfiguration = "MfaConfiguration", schema = "Schema"
                case deletionProtection = "DeletionProtection", userPoolTags = "UserPoolTags"
            }
        }
        return try await client.json(.cognitoIdentityProvider, "CreateUserPool", Input(pool: pool), as: PoolOutput.self, region: region).userPool
    }

    struct PoolOutput: Decodable {
        var userPool: UserPool
        enum CodingKeys: String, CodingKey { case userPool = "UserPool" }
    }

    struct PoolID: Encodable {
        var userPoolID: String
        enum CodingKeys: String, CodingKey { case userPoolID = "UserPoolId" }
    }

    /// The pool, or nil when it does not exist (`DescribeUserPool`).
    public func describeUserPool(_ id: String) async throws -> UserPool? {
        try await nilWhenMissing(.resourceNotFoundException) {
            try await client.json(.cognitoIdentityProvider, "DescribeUserPool", PoolID(userPoolID: id), as: PoolOutput.self, region: region).userPool
        }
    }

    /// Sets the pool's managed settings (`UpdateUserPool`). AWS resets every member the request
    /// leaves out, so the pool is described first and the settings imgstack does not manage
    /// (Lambda triggers, email configuration, message templates, …) are sent back unchanged.
    public func updateUserPool(_ id: String, _ pool: UserPool) async throws {
        struct Input: Encodable {
            var id: String
            var pool: UserPool
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode(id, forKey: .userPoolID)
                try container.encodeIfPresent(pool.policies, forKey: .policies)
                try container.encodeIfPresent(pool.autoVerifiedAttributes, forKey: .autoVerifiedAttributes)
                try container.encodeIfPresent(pool.mfaConfiguration, forKey: .mfaConfiguration)
                try container.encodeIfPresent(pool.deletionProtection, forKey: .deletionProtection)
                try container.encodeIfPresent(pool.userPoolTags, forKey: .userPoolTags)
            }
            enum Keys: String, CodingKey {
                case userPoolID = "UserPoolId", policies = "Policies", autoVerifiedAttributes = "AutoVerifiedAttributes"
                case mfaConfiguration = "MfaConfiguration", deletionProtection = "DeletionProtection", userPoolTags = "UserPoolTags"
            }
        }
        let described = try await describeUserPoolDocument(id)
        let body = Self.userPoolUpdate(described: described, managed: try Self.members(Input(id: id, pool: pool)))
        _ = try await client.json(.cognitoIdentityProvider, "UpdateUserPool", body, as: AWSEmpty.self, region: region)
    }

    /// Deletes a pool (`DeleteUserPool`).
    public func deleteUserPool(_ id: String) async throws {
        _ = try await client.json(.cognitoIdentityProvider, "DeleteUserPool", PoolID(userPoolID: id), as: AWSEmpty.self, region: region)
    }

    /// Every pool's id and name (`ListUserPools`, every page).
    public func listUserPools() async throws -> [(id: String, name: String)] {
        struct Input: Encodable {
            var maxResults = 60
            var nextToken: String?
            enum CodingKeys: String, CodingKey { case maxResults = "MaxResults", nextToken = "NextToken" }
        }
        struct Output: Decodable {
            var userPools: [UserPool]?
            var nextToken: String?
            enum CodingKeys: String, CodingKey { case userPools = "UserPools", nextToken = "NextToken" }
        }
        return try await Paginator.collect({ token in
            try await client.json(.cognitoIdentityProvider, "ListUserPools", Input(nextToken: token), as: Output.self, region: region)
        }, items: { page in (page.userPools ?? []).map { (id: $0.id ?? "", name: $0.name ?? "") } }, next: \.nextToken)
    }
}

extension AWSClient {
    /// The typed Cognito user pool calls of this client, in its configured region.
    public var cognitoIdentityProvider: CognitoIdentityProvider { CognitoIdentityProvider(client: self) }

    /// The typed Cognito user pool calls of this client in `region`.
    public func cognitoIdentityProvider(region: String) -> CognitoIdentityProvider { CognitoIdentityProvider(client: self, region: region) }
}

extension AWSErrorCode {
    /// A parameter AWS refuses (Cognito: among others, deleting a domain the pool no longer holds).
    public static let invalidParameterException: Self = "InvalidParameterException"
}
