import Foundation

// App clients, domains and federated identity providers of Cognito user pools.
extension CognitoIdentityProvider {
    /// Token validity units (`TokenValidityUnitsType`).
    public struct TokenValidityUnits: Codable, Sendable, Equatable {
        public var accessToken: String?
        public var idToken: String?
        public var refreshToken: String?

        /// Creates units (`seconds`, `minutes`, `hours`, `days`).
        public init(accessToken: String?, idToken: String?, refreshToken: String?) {
            self.accessToken = accessToken
            self.idToken = idToken
            self.refreshToken = refreshToken
        }

        enum CodingKeys: String, CodingKey { case accessToken = "AccessToken", idToken = "IdToken", refreshToken = "RefreshToken" }
    }

    /// An app client's settings (`UserPoolClientType`). `clientSecret` is a secret: never log it.
    public struct UserPoolClient: Codable, Sendable, Equatable {
        public var userPoolID: String?
        public var clientID: String?
        public var clientName: String?
        public var clientSecret: String?
        public var generateSecret: Bool?
        public var allowedOAuthFlows: [String]?
        public var allowedOAuthScopes: [String]?
        public var allowedOAuthFlowsUserPoolClient: Bool?
        public var callbackURLs: [String]?
        public var logoutURLs: [String]?
        public var supportedIdentityProviders: [String]?
        public var explicitAuthFlows: [String]?
        public var accessTokenValidity: Int?
        public var idTokenValidity: Int?
        public var refreshTokenValidity: Int?
        public var tokenValidityUnits: TokenValidityUnits?

        /// Creates settings.
        public init() {}

        enum CodingKeys: String, CodingKey {
            case userPoolID = "UserPoolId", clientID = "ClientId", clientName = "ClientName", clientSecret = "ClientSecret"
            case generateSecret = "GenerateSecret", allowedOAuthFlows = "AllowedOAuthFlows", allowedOAuthScopes = "AllowedOAuthScopes"
            case allowedOAuthFlowsUserPoolClient = "AllowedOAuthFlowsUserPoolClient", callbackURLs = "CallbackURLs", logoutURLs = "LogoutURLs"
            case supportedIdentityProviders = "SupportedIdentityProviders", explicitAuthFlows = "ExplicitAuthFlows"
            case accessTokenValidity = "AccessTokenValidity", idTokenValidity = "IdTokenValidity", refreshTokenValidity = "RefreshTokenValidity"
            case tokenValidityUnits = "TokenValidityUnits"
        }
    }

    struct ClientOutput: Decodable {
        var userPoolClient: UserPoolClient
        enum CodingKeys: String, CodingKey { case userPoolClient = "UserPoolClient" }
    }

    /// Creates an app client (`CreateUserPoolClient`); `settings.userPoolID` and `clientName` are required.
    public func createUserPoolClient(_ settings: UserPoolClient) async throws -> UserPoolClient {
        var input = settings
        input.clientID = nil
        input.clientSecret = nil
        return try await client.json(.cognitoIdentityProvider, "CreateUserPoolClient", input, as: ClientOutput.self, region: region).userPoolClient
    }

    /// The app client, or nil (`DescribeUserPoolClient`).
    public func describeUserPoolClient(pool: String, client clientID: String) async throws -> UserPoolClient? {
        var input = UserPoolClient()
        input.userPoolID = pool
        input.clientID = clientID
        return try await nilWhenMissing(.resourceNotFoundException) {
            try await client.json(.cognitoIdentityProvider, "DescribeUserPoolClient", input, as: ClientOutput.self, region: region).userPoolClient
        }
    }

    /// Replaces an app client's managed settings (`UpdateUserPoolClient`); `generateSecret` cannot
    /// change. AWS resets every member the request leaves out, so the client is described first
    /// and the members imgstack does not manage (read/write attributes, token revocation, …) are
    /// sent back unchanged.
    public func updateUserPoolClient(_ settings: UserPoolClient) async throws {
        var input = settings
        input.generateSecret = nil
        input.clientSecret = nil
        let described = try await describeUserPoolClientDocument(pool: settings.userPoolID ?? "", client: settings.clientID ?? "")
        let body = Self.clientUpdate(described: described, managed: try Self.members(input))
        _ = try await client.json(.cognitoIdentityProvider, "UpdateUserPoolClient", body, as: ClientOutput.self, region: region)
    }

    /// Deletes an app client (`DeleteUserPoolClient`).
    public func deleteUserPoolClient(pool: String, client clientID: String) async throws {
        var input = UserPoolClient()
        input.userPoolID = pool
        input.clientID = clientID
        _ = try await client.json(.cognitoIdentityProvider, "DeleteUserPoolClient", input, as: AWSEmpty.self, region: region)
    }

    /// The app clients of a pool, by id and name (`ListUserPoolClients`).
    public func listUserPoolClients(pool: String) async throws -> [(id: String, name: String)] {
        struct Input: Encodable {
            var userPoolID: String
            var maxResults = 60
            var nextToken: String?
            enum CodingKeys: String, CodingKey { case userPoolID = "UserPoolId", maxResults = "MaxResults", nextToken = "NextToken" }
        }
        struct Output: Decodable {
            var userPoolClients: [UserPoolClient]?
            var nextToken: String?
            enum CodingKeys: String, CodingKey { case userPoolClients = "UserPoolClients", nextToken = "NextToken" }
        }
        return try await Paginator.collect({ token in
            try await client.json(.cognitoIdentityProvider, "ListUserPoolClients", Input(userPoolID: pool, nextToken: token),
                                  as: Output.self, region: region)
        }, items: { page in (page.userPoolClients ?? []).map { (id: $0.clientID ?? "", name: $0.clientName ?? "") } }, next: \.nextToken)
    }

    // MARK: - Domains

    struct DomainInput: Encodable {
        var domain: String
        var userPoolID: String?
        enum CodingKeys: String, CodingKey { case domain = "Domain", userPoolID = "UserPoolId" }
    }

    /// Gives a pool its hosted UI domain prefix (`CreateUserPoolDomain`).
    public func createUserPoolDomain(_ domain: String, pool: String) async throws {
        _ = try await client.json(.cognitoIdentityProvider, "CreateUserPoolDomain", DomainInput(domain: domain, userPoolID: pool),
                                  as: AWSEmpty.self, region: region)
    }

    /// The pool a domain belongs to, nil when the domain is free (`DescribeUserPoolDomain`).
    public func userPoolOfDomain(_ domain: String) async throws -> String? {
        struct Output: Decodable {
            struct Description: Decodable {
                var userPoolID: String?
                enum CodingKeys: String, CodingKey { case userPoolID = "UserPoolId" }
            }
            var description: Description?
            enum CodingKeys: String, CodingKey { case description = "DomainDescription" }
        }
        let output = try await client.json(.cognitoIdentityProvider, "DescribeUserPoolDomain", DomainInput(domain: domain, userPoolID: nil),
                                           as: Output.self, region: region)
        // AWS answers an empty description for a domain nobody holds.
        guard let pool = output.description?.userPoolID, !pool.isEmpty else { return nil }
        return pool
    }

    /// Releases a domain (`DeleteUserPoolDomain`).
    public func deleteUserPoolDomain(_ domain: String, pool: String) async throws {
        _ = try await client.json(.cognitoIdentityProvider, "DeleteUserPoolDomain", DomainInput(domain: domain, userPoolID: pool),
                                  as: AWSEmpty.self, region: region)
    }

    // MARK: - Identity providers

    /// A federated identity provider (`IdentityProviderType`). `providerDetails` holds a
    /// `client_secret`: never log it.
    public struct IdentityProvider: Codable, Sendable, Equatable {
        public var userPoolID: String?
        public var providerName: String?
        public var providerType: String?
        public var providerDetails: [String: String]?
        public var attributeMapping: [String: String]?

        /// Creates a provider description.
        public init(userPoolID: String?, providerName: String?, providerType: String? = nil,
                    providerDetails: [String: String]? = nil, attributeMapping: [String: String]? = nil) {
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
    }

    struct ProviderOutput: Decodable {
        var identityProvider: IdentityProvider
        enum CodingKeys: String, CodingKey { case identityProvider = "IdentityProvider" }
    }

    /// Creates a provider (`CreateIdentityProvider`).
    public func createIdentityProvider(_ provider: IdentityProvider) async throws {
        _ = try await client.json(.cognitoIdentityProvider, "CreateIdentityProvider", provider, as: ProviderOutput.self, region: region)
    }

    /// The provider, or nil (`DescribeIdentityProvider`).
    public func describeIdentityProvider(pool: String, name: String) async throws -> IdentityProvider? {
        try await nilWhenMissing(.resourceNotFoundException) {
            try await client.json(.cognitoIdentityProvider, "DescribeIdentityProvider", IdentityProvider(userPoolID: pool, providerName: name),
                                  as: ProviderOutput.self, region: region).identityProvider
        }
    }

    /// Replaces details and attribute mapping (`UpdateIdentityProvider`; the type cannot change).
    public func updateIdentityProvider(_ provider: IdentityProvider) async throws {
        var input = provider
        input.providerType = nil
        _ = try await client.json(.cognitoIdentityProvider, "UpdateIdentityProvider", input, as: ProviderOutput.self, region: region)
    }

    /// Deletes a provider (`DeleteIdentityProvider`).
    public func deleteIdentityProvider(pool: String, name: String) async throws {
        _ = try await client.json(.cognitoIdentityProvider, "DeleteIdentityProvider", IdentityProvider(userPoolID: pool, providerName: name),
                                  as: AWSEmpty.self, region: region)
    }
}
