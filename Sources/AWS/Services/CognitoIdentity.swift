import Foundation

/// Typed calls to Amazon Cognito identity pools (JSON 1.1, target prefix
/// `AWSCognitoIdentityService`; botocore `cognito-identity` 2014-06-30).
public struct CognitoIdentity: Sendable {
    let client: AWSClient
    /// The region every call goes to; nil for the client's configured region.
    public let region: String?

    /// Creates the Cognito identity pool calls of `client` in `region`.
    public init(client: AWSClient, region: String? = nil) {
        self.client = client
        self.region = region
    }

    /// A user pool app client that may sign in to an identity pool (`CognitoIdentityProvider`).
    public struct Provider: Codable, Sendable, Equatable, Hashable {
        /// `cognito-idp.<region>.amazonaws.com/<userPoolId>`.
        public var providerName: String
        /// The app client id.
        public var clientID: String
        /// Check with the user pool that the token is still valid.
        public var serverSideTokenCheck: Bool?

        /// Creates a provider entry.
        public init(providerName: String, clientID: String, serverSideTokenCheck: Bool?) {
            self.providerName = providerName
            self.clientID = clientID
            self.serverSideTokenCheck = serverSideTokenCheck
        }

        enum CodingKeys: String, CodingKey { case providerName = "ProviderName", clientID = "ClientId", serverSideTokenCheck = "ServerSideTokenCheck" }
    }

    /// An identity pool (`IdentityPool` shape, used to create, update and describe).
    public struct IdentityPool: Codable, Sendable, Equatable {
        public var identityPoolID: String?
        public var identityPoolName: String
        public var allowUnauthenticatedIdentities: Bool
        public var allowClassicFlow: Bool?
        public var supportedLoginProviders: [String: String]?
        public var cognitoIdentityProviders: [Provider]?
        public var identityPoolTags: [String: String]?

        /// Creates a pool description.
        public init(identityPoolID: String? = nil, identityPoolName: String, allowUnauthenticatedIdentities: Bool, allowClassicFlow: Bool?,
                    supportedLoginProviders: [String: String]?, cognitoIdentityProviders: [Provider]?, identityPoolTags: [String: String]?) {
            self.identityPoolID = identityPoolID
            self.identityPoolName = identityPoolName
            self.allowUnauthenticatedIdentities = allowUnauthenticatedIdentities
            self.allowClassicFlow = allowClassicFlow
            self.supportedLoginProviders = supportedLoginProviders
            self.cognitoIdentityProviders = cognitoIdentityProviders
            self.identityPoolTags = identityPoolTags
        }

        enum CodingKeys: String, CodingKey {
            case identityPoolID = "IdentityPoolId", identityPoolName = "IdentityPoolName"
            case allowUnauthenticatedIdentities = "AllowUnauthenticatedIdentities", allowClassicFlow = "AllowClassicFlow"
            case supportedLoginProviders = "SupportedLoginProviders", cognitoIdentityProviders = "CognitoIdentityProviders"
            case identityPoolTags = "IdentityPoolTags"
        }
    }

    struct PoolID: Encodable {
        var identityPoolID: String
        enum CodingKeys: String, CodingKey { case identityPoolID = "IdentityPoolId" }
    }

    /// Creates a pool (`CreateIdentityPool`).
    public func createIdentityPool(_ pool: IdentityPool) async throws -> IdentityPool {
        var input = pool
        input.identityPoolID = nil
        return try await client.json(.cognitoIdentity, "CreateIdentityPool", input, as: IdentityPool.self, region: region)
    }

    /// The pool, or nil (`DescribeIdentityPool`).
    public func describeIdentityPool(_ id: String) async throws -> IdentityPool? {
        try await nilWhenMissing(.resourceNotFoundException) {
            try await client.json(.cognitoIdentity, "DescribeIdentityPool", PoolID(identityPoolID: id), as: IdentityPool.self, region: region)
        }
    }

    /// Replaces the pool's settings (`UpdateIdentityPool`; every member is given).
    public func updateIdentityPool(_ pool: IdentityPool) async throws {
        _ = try await client.json(.cognitoIdentity, "UpdateIdentityPool", pool, as: IdentityPool.self, region: region)
    }

    /// Deletes a pool (`DeleteIdentityPool`).
    public func deleteIdentityPool(_ id: String) async throws {
        _ = try await client.json(.cognitoIdentity, "DeleteIdentityPool", PoolID(identityPoolID: id), as: AWSEmpty.self, region: region)
    }

    /// Every pool's id and name (`ListIdentityPools`, every page).
    public func listIdentityPools() async throws -> [(id: String, name: String)] {
        struct Input: Encodable {
            var maxResults = 60
            var nextToken: String?
            enum CodingKeys: String, CodingKey { case maxResults = "MaxResults", nextToken = "NextToken" }
        }
        struct Output: Decodable {
            struct Entry: Decodable {
                var id: String
                var name: String
                enum CodingKeys: String, CodingKey { case id = "IdentityPoolId", name = "IdentityPoolName" }
            }
            var identityPools: [Entry]?
            var nextToken: String?
            enum CodingKeys: String, CodingKey { case identityPools = "IdentityPools", nextToken = "NextToken" }
        }
        return try await Paginator.collect({ token in
            try await client.json(.cognitoIdentity, "ListIdentityPools", Input(nextToken: token), as: Output.self, region: region)
        }, items: { page in (page.identityPools ?? []).map { (id: $0.id, name: $0.name) } }, next: \.nextToken)
    }

    /// A rule of a `Rules` role mapping (`MappingRule`).
    public struct MappingRule: Codable, Sendable, Equatable {
        public var claim: String
        public var matchType: String
        public var value: String
        public var roleARN: String

        /// Creates a rule.
        public init(claim: String, matchType: String, value: String, roleARN: String) {
            self.claim = claim
            self.matchType = matchType
            self.value = value
            self.roleARN = roleARN
        }

        enum CodingKeys: String, CodingKey { case claim = "Claim", matchType = "MatchType", value = "Value", roleARN = "RoleARN" }
    }

    /// How a provider's users get roles (`RoleMapping`).
    public struct RoleMapping: Codable, Sendable, Equatable {
        /// `Token` or `Rules`.
        public var type: String
        /// `AuthenticatedRole` or `Deny`.
        public var ambiguousRoleResolution: String?
        /// For `Rules`: the rules in order.
        public var rules: [MappingRule]?

        /// Creates a mapping.
        public init(type: String, ambiguousRoleResolution: String?, rules: [MappingRule]?) {
            self.type = type
            self.ambiguousRoleResolution = ambiguousRoleResolution
            self.rules = rules
        }

        enum CodingKeys: String, CodingKey { case type = "Type", ambiguousRoleResolution = "AmbiguousRoleResolution", rules = "RulesConfiguration" }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            type = try container.decode(String.self, forKey: .type)
            ambiguousRoleResolution = try container.decodeIfPresent(String.self, forKey: .ambiguousRoleResolution)
            rules = try container.decodeIfPresent(RulesConfiguration.self, forKey: .rules)?.rules
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
            try container.encodeIfPresent(ambiguousRoleResolution, forKey: .ambiguousRoleResolution)
            try container.encodeIfPresent(rules.map(RulesConfiguration.init), forKey: .rules)
        }

        struct RulesConfiguration: Codable {
            var rules: [MappingRule]
            enum CodingKeys: String, CodingKey { case rules = "Rules" }
        }
    }

    /// A pool's roles and role mappings (`SetIdentityPoolRoles` / `GetIdentityPoolRoles`).
    public struct PoolRoles: Codable, Sendable, Equatable {
        public var identityPoolID: String
        /// `authenticated` / `unauthenticated` → role ARN.
        public var roles: [String: String]
        /// Identity provider (`cognito-idp.…/<pool>:<client>`) → mapping.
        public var roleMappings: [String: RoleMapping]?

        /// Creates a roles description.
        public init(identityPoolID: String, roles: [String: String], roleMappings: [String: RoleMapping]?) {
            self.identityPoolID = identityPoolID
            self.roles = roles
            self.roleMappings = roleMappings
        }

        enum CodingKeys: String, CodingKey { case identityPoolID = "IdentityPoolId", roles = "Roles", roleMappings = "RoleMappings" }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            identityPoolID = try container.decode(String.self, forKey: .identityPoolID)
            roles = try container.decodeIfPresent([String: String].self, forKey: .roles) ?? [:]
            roleMappings = try container.decodeIfPresent([String: RoleMapping].self, forKey: .roleMappings)
        }
    }

    /// Sets the pool's roles and mappings, replacing both (`SetIdentityPoolRoles`).
    public func setIdentityPoolRoles(_ roles: PoolRoles) async throws {
        _ = try await client.json(.cognitoIdentity, "SetIdentityPoolRoles", roles, as: AWSEmpty.self, region: region)
    }

    /// The pool's roles and mappings (`GetIdentityPoolRoles`); nil when the pool is gone.
    public func identityPoolRoles(_ id: String) async throws -> PoolRoles? {
        try await nilWhenMissing(.resourceNotFoundException) {
            try await client.json(.cognitoIdentity, "GetIdentityPoolRoles", PoolID(identityPoolID: id), as: PoolRoles.self, region: region)
        }
    }
}

extension AWSClient {
    /// The typed Cognito identity pool calls of this client, in its configured region.
    public var cognitoIdentity: CognitoIdentity { CognitoIdentity(client: self) }

    /// The typed Cognito identity pool calls of this client in `region`.
    public func cognitoIdentity(region: String) -> CognitoIdentity { CognitoIdentity(client: self, region: region) }
}
