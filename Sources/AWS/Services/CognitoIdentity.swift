import Foundation

/// Typed calls to Amazon Cognito identity pools (JSON 1.1, target prefix `AWSCognitoIdentityService`).
public struct CognitoIdentity: Sendable {
    /// A user pool app client an identity pool trusts (`CognitoIdentityProvider`).
    public struct Provider: Sendable, Equatable, Codable {
        /// `cognito-idp.<region>.amazonaws.com/<user pool id>`.
        public var providerName: String
        /// The app client id.
        public var clientID: String
        /// Check with the user pool that the token was not revoked.
        public var serverSideTokenCheck: Bool

        /// Creates a provider entry.
        public init(providerName: String, clientID: String, serverSideTokenCheck: Bool = false) {
            self.providerName = providerName
            self.clientID = clientID
            self.serverSideTokenCheck = serverSideTokenCheck
        }

        enum CodingKeys: String, CodingKey {
            case providerName = "ProviderName", clientID = "ClientId", serverSideTokenCheck = "ServerSideTokenCheck"
        }

        /// Decodes a provider; an absent token check is `false`.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            providerName = try container.decode(String.self, forKey: .providerName)
            clientID = try container.decode(String.self, forKey: .clientID)
            serverSideTokenCheck = try container.decodeIfPresent(Bool.self, forKey: .serverSideTokenCheck) ?? false
        }
    }

    /// An identity pool (`IdentityPool`): the input of `UpdateIdentityPool` and the answer of
    /// `CreateIdentityPool` / `DescribeIdentityPool`.
    public struct IdentityPool: Sendable, Equatable, Codable {
        /// The pool id (`us-east-1:<uuid>`); empty before creation.
        public var identityPoolID: String
        /// The pool name.
        public var identityPoolName: String
        /// Whether guests get credentials.
        public var allowUnauthenticatedIdentities: Bool
        /// Whether the basic (classic) authentication flow is allowed.
        public var allowClassicFlow: Bool?
        /// Public login providers: `accounts.google.com` → client id.
        public var supportedLoginProviders: [String: String]?
        /// The developer provider name (kept as described on update).
        public var developerProviderName: String?
        /// OIDC provider ARNs (kept as described on update).
        public var openIDConnectProviderARNs: [String]?
        /// User pool app clients.
        public var cognitoIdentityProviders: [Provider]?
        /// SAML provider ARNs (kept as described on update).
        public var samlProviderARNs: [String]?
        /// The tags.
        public var tags: [String: String]?

        /// Creates a pool description.
        public init(identityPoolID: String = "", identityPoolName: String, allowUnauthenticatedIdentities: Bool, allowClassicFlow: Bool? = nil,
                    supportedLoginProviders: [String: String]? = nil, cognitoIdentityProviders: [Provider]? = nil, tags: [String: String]? = nil) {
            self.identityPoolID = identityPoolID
            self.identityPoolName = identityPoolName
            self.allowUnauthenticatedIdentities = allowUnauthenticatedIdentities
            self.allowClassicFlow = allowClassicFlow
            self.supportedLoginProviders = supportedLoginProviders
            self.cognitoIdentityProviders = cognitoIdentityProviders
            self.tags = tags
        }

        enum CodingKeys: String, CodingKey {
            case identityPoolID = "IdentityPoolId", identityPoolName = "IdentityPoolName"
            case allowUnauthenticatedIdentities = "AllowUnauthenticatedIdentities", allowClassicFlow = "AllowClassicFlow"
            case supportedLoginProviders = "SupportedLoginProviders", developerProviderName = "DeveloperProviderName"
            case openIDConnectProviderARNs = "OpenIdConnectProviderARNs", cognitoIdentityProviders = "CognitoIdentityProviders"
            case samlProviderARNs = "SamlProviderARNs", tags = "IdentityPoolTags"
        }

        /// Encodes the pool; the id is left out while empty (creation).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            if !identityPoolID.isEmpty { try container.encode(identityPoolID, forKey: .identityPoolID) }
            try container.encode(identityPoolName, forKey: .identityPoolName)
            try container.encode(allowUnauthenticatedIdentities, forKey: .allowUnauthenticatedIdentities)
            try container.encodeIfPresent(allowClassicFlow, forKey: .allowClassicFlow)
            try container.encodeIfPresent(supportedLoginProviders, forKey: .supportedLoginProviders)
            try container.encodeIfPresent(developerProviderName, forKey: .developerProviderName)
            try container.encodeIfPresent(openIDConnectProviderARNs, forKey: .openIDConnectProviderARNs)
            try container.encodeIfPresent(cognitoIdentityProviders, forKey: .cognitoIdentityProviders)
            try container.encodeIfPresent(samlProviderARNs, forKey: .samlProviderARNs)
            try container.encodeIfPresent(tags, forKey: .tags)
        }
    }

    /// A pool as `ListIdentityPools` shows it.
    public struct IdentityPoolSummary: Sendable, Equatable, Decodable {
        /// The pool id.
        public var identityPoolID: String
        /// The pool name.
        public var identityPoolName: String?

        enum CodingKeys: String, CodingKey { case identityPoolID = "IdentityPoolId", identityPoolName = "IdentityPoolName" }
    }

    /// One rule of a `Rules` role mapping (`MappingRule`).
    public struct MappingRule: Sendable, Equatable, Codable {
        /// The token claim (`isAdmin`, `cognito:groups`).
        public var claim: String
        /// `Equals`, `Contains`, `StartsWith`, `NotEqual`.
        public var matchType: String
        /// The value the claim is compared with.
        public var value: String
        /// The role given when the rule matches.
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
    public struct RoleMapping: Sendable, Equatable, Codable {
        struct RulesConfiguration: Codable, Equatable {
            var rules: [MappingRule]
            enum CodingKeys: String, CodingKey { case rules = "Rules" }
        }

        /// `Token` (roles from the token's `cognito:roles`) or `Rules`.
        public var type: String
        /// `AuthenticatedRole` or `Deny` when no role is chosen.
        public var ambiguousRoleResolution: String?
        /// The rules of a `Rules` mapping, in order.
        public var rules: [MappingRule]

        /// Creates a mapping.
        public init(type: String, ambiguousRoleResolution: String? = nil, rules: [MappingRule] = []) {
            self.type = type
            self.ambiguousRoleResolution = ambiguousRoleResolution
            self.rules = rules
        }

        enum CodingKeys: String, CodingKey {
            case type = "Type", ambiguousRoleResolution = "AmbiguousRoleResolution", rulesConfiguration = "RulesConfiguration"
        }

        /// Decodes a `RoleMapping`.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            type = try container.decode(String.self, forKey: .type)
            ambiguousRoleResolution = try container.decodeIfPresent(String.self, forKey: .ambiguousRoleResolution)
            rules = try container.decodeIfPresent(RulesConfiguration.self, forKey: .rulesConfiguration)?.rules ?? []
        }

        /// Encodes a `RoleMapping`; `RulesConfiguration` only when there are rules.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
            try container.encodeIfPresent(ambiguousRoleResolution, forKey: .ambiguousRoleResolution)
            if !rules.isEmpty { try container.encode(RulesConfiguration(rules: rules), forKey: .rulesConfiguration) }
        }
    }

    /// An identity pool's roles (`GetIdentityPoolRoles` answer, `SetIdentityPoolRoles` input).
    public struct Roles: Sendable, Equatable, Codable {
        /// The pool id.
        public var identityPoolID: String
        /// `authenticated` / `unauthenticated` → role ARN.
        public var roles: [String: String]
        /// Provider name (`cognito-idp.<region>.amazonaws.com/<pool id>:<client id>`) → mapping.
        public var roleMappings: [String: RoleMapping]

        /// Creates a roles description.
        public init(identityPoolID: String, roles: [String: String], roleMappings: [String: RoleMapping] = [:]) {
            self.identityPoolID = identityPoolID
            self.roles = roles
            self.roleMappings = roleMappings
        }

        enum CodingKeys: String, CodingKey { case identityPoolID = "IdentityPoolId", roles = "Roles", roleMappings = "RoleMappings" }

        /// Decodes the roles; absent maps are empty.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            identityPoolID = try container.decodeIfPresent(String.self, forKey: .identityPoolID) ?? ""
            roles = try container.decodeIfPresent([String: String].self, forKey: .roles) ?? [:]
            roleMappings = try container.decodeIfPresent([String: RoleMapping].self, forKey: .roleMappings) ?? [:]
        }

        /// Encodes the `SetIdentityPoolRoles` input (`Roles` is required, `RoleMappings` left out when empty).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(identityPoolID, forKey: .identityPoolID)
            try container.encode(roles, forKey: .roles)
            if !roleMappings.isEmpty { try container.encode(roleMappings, forKey: .roleMappings) }
        }
    }

    struct PoolIDInput: Encodable {
        var identityPoolID: String
        enum CodingKeys: String, CodingKey { case identityPoolID = "IdentityPoolId" }
    }

    struct ListInput: Encodable {
        var maxResults: Int
        var nextToken: String?
        enum CodingKeys: String, CodingKey { case maxResults = "MaxResults", nextToken = "NextToken" }
    }

    struct ListOutput: Decodable {
        var identityPools: [IdentityPoolSummary]?
        var nextToken: String?
        enum CodingKeys: String, CodingKey { case identityPools = "IdentityPools", nextToken = "NextToken" }
    }

    let client: AWSClient

    /// Creates the Cognito identity pool calls of `client`.
    public init(client: AWSClient) {
        self.client = client
    }

    /// Creates an identity pool (`CreateIdentityPool`); `pool.identityPoolID` is ignored.
    /// - Returns: the new pool with its id.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func createIdentityPool(_ pool: IdentityPool, region: String? = nil) async throws -> IdentityPool {
        var input = pool
        input.identityPoolID = ""
        return try await client.json(.cognitoIdentity, "CreateIdentityPool", input, as: IdentityPool.self, region: region)
    }

    /// Describes an identity pool (`DescribeIdentityPool`).
    /// - Throws: `AWSError` `ResourceNotFoundException` when there is no such pool.
    public func describeIdentityPool(_ id: String, region: String? = nil) async throws -> IdentityPool {
        try await client.json(.cognitoIdentity, "DescribeIdentityPool", PoolIDInput(identityPoolID: id), as: IdentityPool.self, region: region)
    }

    /// Replaces the whole pool configuration (`UpdateIdentityPool`: members left out are cleared,
    /// so start from `describeIdentityPool`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func updateIdentityPool(_ pool: IdentityPool, region: String? = nil) async throws {
        try await client.json(.cognitoIdentity, "UpdateIdentityPool", pool, as: IdentityPool.self, region: region)
    }

    /// Deletes an identity pool (`DeleteIdentityPool`).
    /// - Throws: `AWSError` `ResourceNotFoundException` when it is gone.
    public func deleteIdentityPool(_ id: String, region: String? = nil) async throws {
        try await client.json(.cognitoIdentity, "DeleteIdentityPool", PoolIDInput(identityPoolID: id), as: AWSEmpty.self, region: region)
    }

    /// Lists every identity pool in the region, following `NextToken` pages.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func listIdentityPools(region: String? = nil) async throws -> [IdentityPoolSummary] {
        var pools: [IdentityPoolSummary] = []
        var token: String?
        repeat {
            let page = try await client.json(.cognitoIdentity, "ListIdentityPools", ListInput(maxResults: 60, nextToken: token),
                                             as: ListOutput.self, region: region)
            pools += page.identityPools ?? []
            token = page.nextToken
        } while token != nil
        return pools
    }

    /// Sets a pool's roles and role mappings, replacing both (`SetIdentityPoolRoles`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func setIdentityPoolRoles(_ roles: Roles, region: String? = nil) async throws {
        try await client.json(.cognitoIdentity, "SetIdentityPoolRoles", roles, as: AWSEmpty.self, region: region)
    }

    /// Reads a pool's roles and role mappings (`GetIdentityPoolRoles`).
    /// - Throws: `AWSError` `ResourceNotFoundException` when the pool is gone.
    public func getIdentityPoolRoles(_ id: String, region: String? = nil) async throws -> Roles {
        try await client.json(.cognitoIdentity, "GetIdentityPoolRoles", PoolIDInput(identityPoolID: id), as: Roles.self, region: region)
    }
}

extension AWSClient {
    /// The typed Cognito identity pool calls of this client.
    public var cognitoIdentity: CognitoIdentity { CognitoIdentity(client: self) }
}
