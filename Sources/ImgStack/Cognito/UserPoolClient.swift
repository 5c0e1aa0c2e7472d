import AWS
import Engine

extension Cognito {
    /// An app client of a user pool (`aws_cognito_user_pool_client`). With `generateSecret`, its
    /// `clientSecret` is a sensitive attribute: shown as `(sensitive value)` in every plan, output
    /// and log.
    ///
    /// ```swift
    /// let web = stack.add(Cognito.UserPoolClient("web", userPoolID: users.poolID, name: "web",
    ///     allowedOAuthFlows: ["code"], allowedOAuthScopes: ["openid", "email"],
    ///     callbackURLs: ["https://images.example.com/"], supportedIdentityProviders: ["COGNITO"]))
    /// ```
    public struct UserPoolClient: Resource {
        public static let terraformType = "aws_cognito_user_pool_client"

        public var name: String
        /// The pool. Changing it replaces the client.
        public var userPoolID: Text
        /// The client's name.
        public var clientName: Text
        /// Give the client a secret (server-side apps). Changing it replaces the client.
        public var generateSecret: Bool
        /// `code`, `implicit`, `client_credentials`.
        public var allowedOAuthFlows: [String]
        /// `openid`, `email`, `profile`, `phone`, `aws.cognito.signin.user.admin`, custom scopes.
        public var allowedOAuthScopes: [String]
        /// Where the hosted UI may send users after sign-in.
        public var callbackURLs: [Text]
        /// Where it may send them after sign-out.
        public var logoutURLs: [Text]
        /// `COGNITO`, and federated providers by name (`Google`, `Facebook`).
        public var supportedIdentityProviders: [Text]
        /// `ALLOW_USER_SRP_AUTH`, `ALLOW_REFRESH_TOKEN_AUTH`, …
        public var explicitAuthFlows: [String]
        /// Access and ID token lifetime in minutes (5–1,440).
        public var tokenValidityMinutes: Int
        /// Refresh token lifetime in days (1–3,650).
        public var refreshTokenValidityDays: Int
        public var dependsOn: [Address] = []

        /// Declares an app client.
        public init(_ name: String, userPoolID: Text, name clientName: Text, generateSecret: Bool = false,
                    allowedOAuthFlows: [String] = [], allowedOAuthScopes: [String] = [], callbackURLs: [Text] = [], logoutURLs: [Text] = [],
                    supportedIdentityProviders: [Text] = [], explicitAuthFlows: [String] = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
                    tokenValidityMinutes: Int = 60, refreshTokenValidityDays: Int = 30) {
            self.name = name
            self.userPoolID = userPoolID
            self.clientName = clientName
            self.generateSecret = generateSecret
            self.allowedOAuthFlows = allowedOAuthFlows
            self.allowedOAuthScopes = allowedOAuthScopes
            self.callbackURLs = callbackURLs
            self.logoutURLs = logoutURLs
            self.supportedIdentityProviders = supportedIdentityProviders
            self.explicitAuthFlows = explicitAuthFlows
            self.tokenValidityMinutes = tokenValidityMinutes
            self.refreshTokenValidityDays = refreshTokenValidityDays
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.userPoolID, userPoolID)
            list.set(property.clientName, clientName)
            list.set(property.generateSecret, generateSecret)
            list.set(property.allowedOAuthFlows, allowedOAuthFlows)
            list.set(property.allowedOAuthScopes, allowedOAuthScopes)
            list.set(property.callbackURLs, callbackURLs)
            list.set(property.logoutURLs, logoutURLs)
            list.set(property.supportedIdentityProviders, supportedIdentityProviders)
            list.set(property.explicitAuthFlows, explicitAuthFlows)
            list.set(property.tokenValidityMinutes, tokenValidityMinutes)
            list.set(property.refreshTokenValidityDays, refreshTokenValidityDays)
            return list.values
        }

        /// The client id (also the audience of its ID tokens).
        public var clientID: Text { attribute("id") }
        /// The client secret, when generated. Sensitive.
        public var clientSecret: Text { attribute("clientSecret") }

        public static func makeType() -> any ResourceType { UserPoolClientType() }
    }
}

extension Cognito.UserPoolClient {
    /// An app client's properties, each declared once.
    struct Properties: PropertySet {
        let userPoolID = Property<String>("userPoolID", forcesReplacement: true)
        let clientName = Property<String>("name")
        let generateSecret = Property<Bool>("generateSecret", forcesReplacement: true, default: false)
        /// Both the access and the ID token's validity; the provider has no single attribute for it.
        /// The provider's `access_token_validity` and `id_token_validity`, in the minutes
        /// `token_validity_units` names.
        let tokenValidityMinutes = Property<Int>("tokenValidityMinutes", terraform: TerraformAttribute("access_token_validity", .value,
                                                                                                      alsoWrittenAs: ["id_token_validity"]),
                                                 default: 60)
        let refreshTokenValidityDays = Property<Int>("refreshTokenValidityDays", terraform: "refresh_token_validity", default: 30)
        let allowedOAuthFlows = Property<[String]>("allowedOAuthFlows", terraform: "allowed_oauth_flows", default: [])
        let allowedOAuthScopes = Property<[String]>("allowedOAuthScopes", terraform: "allowed_oauth_scopes", default: [])
        let callbackURLs = Property<[String]>("callbackURLs", default: [])
        let logoutURLs = Property<[String]>("logoutURLs", default: [])
        let supportedIdentityProviders = Property<[String]>("supportedIdentityProviders", default: [])
        let explicitAuthFlows = Property<[String]>("explicitAuthFlows", default: [])

        /// The lists whose order AWS does not keep.
        var lists: [Property<[String]>] {
            [allowedOAuthFlows, allowedOAuthScopes, callbackURLs, logoutURLs, supportedIdentityProviders, explicitAuthFlows]
        }
    }

    static let property = Properties()
}

/// Creates, reads, updates and deletes app clients.
struct UserPoolClientType: ResourceType {
    static let schema = ResourceSchema(Cognito.UserPoolClient.self, Cognito.UserPoolClient.Properties.self,
                                       attributes: [AttributeSchema("clientSecret", sensitive: true)],
                                       terraformConstants: ["token_validity_units": [["access_token": "minutes", "id_token": "minutes",
                                                                                      "refresh_token": "days"]]])

    var schema: ResourceSchema { Self.schema }
    private var property: Cognito.UserPoolClient.Properties { Cognito.UserPoolClient.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        for flow in CognitoValues.strings(properties[property.allowedOAuthFlows]?.literal) where !["code", "implicit", "client_credentials"].contains(flow) {
            issues.append(ValidationIssue(address, property.allowedOAuthFlows, "\"\(flow)\" is not code, implicit or client_credentials"))
        }
        if let minutes = properties.literal(property.tokenValidityMinutes), !(5...1440).contains(minutes) {
            issues.append(ValidationIssue(address, property.tokenValidityMinutes, "must be 5 to 1440 minutes, not \(minutes)"))
        }
        if let days = properties.literal(property.refreshTokenValidityDays), !(1...3650).contains(days) {
            issues.append(ValidationIssue(address, property.refreshTokenValidityDays, "must be 1 to 3650 days, not \(days)"))
        }
        return issues
    }

    func normalize(_ name: String, _ value: Value) -> Value {
        property.lists.contains { $0.name == name } ? CognitoValues.sortedList(value) : value
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        var settings = Self.settings(properties)
        settings.generateSecret = properties[property.generateSecret] == true
        let created = try await context.cognitoIdentityProvider.createUserPoolClient(settings)
        guard let id = created.clientID else { throw AWSClientError(.invalidResponse, "CreateUserPoolClient answered no client id") }
        return snapshot(created, id: id)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let pool = recorded.properties[property.userPoolID],
              let client = try await context.cognitoIdentityProvider.describeUserPoolClient(pool: pool, client: recorded.id)
        else { return nil }
        return snapshot(client, id: recorded.id, recordedTokenMinutes: recorded.properties[property.tokenValidityMinutes.name])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        var settings = Self.settings(desired)
        settings.clientID = current.id
        try await context.cognitoIdentityProvider.updateUserPoolClient(settings)
        return try await read(current, context: context) ?? current
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        guard let pool = current.properties[property.userPoolID] else { return }
        let userPools = try context.cognitoIdentityProvider
        _ = try await nilWhenMissing(.resourceNotFoundException) { try await userPools.deleteUserPoolClient(pool: pool, client: current.id) }
    }

    /// A client is imported as `<pool id>/<client id>` (`ClientIdType`: `[\w+]+`, at most 128).
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: CognitoValues.userPoolIDPattern + #"/[\w+]{1,128}"#,
                             expected: "a user pool client is imported as POOL_ID/CLIENT_ID (us-east-1_aB3dE5fG7/1example23456789)")
    }

    /// `USER_POOL_ID/CLIENT_ID`.
    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let slash = id.firstIndex(of: "/") else { return nil }
        let pool = String(id[..<slash])
        let clientID = String(id[id.index(after: slash)...])
        guard let client = try await context.cognitoIdentityProvider.describeUserPoolClient(pool: pool, client: clientID) else { return nil }
        return snapshot(client, id: clientID)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let pool = properties[property.userPoolID], let name = properties[property.clientName] else { return nil }
        let userPools = try context.cognitoIdentityProvider
        // Client names are unique enough within one pool of one stack: the newest match is adopted.
        guard let match = try await userPools.listUserPoolClients(pool: pool).last(where: { $0.name == name }),
              let client = try await userPools.describeUserPoolClient(pool: pool, client: match.id)
        else { return nil }
        return snapshot(client, id: match.id)
    }

    // MARK: - Conversions

    static func settings(_ properties: [String: Value]) -> AWS.CognitoIdentityProvider.UserPoolClient {
        let property = Cognito.UserPoolClient.property
        var settings = AWS.CognitoIdentityProvider.UserPoolClient()
        settings.userPoolID = properties[property.userPoolID]
        settings.clientName = properties[property.clientName]
        let flows = properties[property.allowedOAuthFlows] ?? []
        settings.allowedOAuthFlows = flows
        settings.allowedOAuthScopes = properties[property.allowedOAuthScopes] ?? []
        settings.allowedOAuthFlowsUserPoolClient = !flows.isEmpty
        settings.callbackURLs = properties[property.callbackURLs] ?? []
        settings.logoutURLs = properties[property.logoutURLs] ?? []
        settings.supportedIdentityProviders = properties[property.supportedIdentityProviders] ?? []
        settings.explicitAuthFlows = properties[property.explicitAuthFlows] ?? []
        let minutes = properties[property.tokenValidityMinutes] ?? 60
        settings.accessTokenValidity = minutes
        settings.idTokenValidity = minutes
        settings.refreshTokenValidity = properties[property.refreshTokenValidityDays] ?? 30
        settings.tokenValidityUnits = .init(accessToken: "minutes", idToken: "minutes", refreshToken: "days")
        return settings
    }

    private func snapshot(_ client: AWS.CognitoIdentityProvider.UserPoolClient, id: String,
                          recordedTokenMinutes: Value? = nil) -> ResourceSnapshot {
        var properties: [String: Value] = [:]
        properties[property.userPoolID] = client.userPoolID ?? ""
        properties[property.clientName] = client.clientName ?? ""
        properties[property.generateSecret] = client.clientSecret != nil
        properties[property.allowedOAuthFlows] = (client.allowedOAuthFlows ?? []).sorted()
        properties[property.allowedOAuthScopes] = (client.allowedOAuthScopes ?? []).sorted()
        properties[property.callbackURLs] = (client.callbackURLs ?? []).sorted()
        properties[property.logoutURLs] = (client.logoutURLs ?? []).sorted()
        properties[property.supportedIdentityProviders] = (client.supportedIdentityProviders ?? []).sorted()
        properties[property.explicitAuthFlows] = (client.explicitAuthFlows ?? []).sorted()
        // AWS may hold the lifetimes in other units than the stack's (``TokenValidity``).
        properties[property.tokenValidityMinutes.name] = TokenValidity.tokenMinutes(client, recorded: recordedTokenMinutes)
        properties[property.refreshTokenValidityDays.name] = TokenValidity.refreshDays(client)
        return ResourceSnapshot(id: id, properties: properties, attributes: ["clientSecret": client.clientSecret.map(Value.string) ?? .null])
    }
}

extension UserPoolClientType: AccessDeclaring {
    /// Cognito user pool actions per the Service Authorization Reference (Amazon Cognito User Pools).
    static let access: ResourceAccess = {
        let pool = ARNPattern.arn("arn:{partition}:cognito-idp:{region}:{account}:userpool/{userPoolID}")
        return ResourceAccess([
            IAMCall(.cognitoIdentityProvider, "CreateUserPoolClient", in: [.create], on: [pool]),
            IAMCall(.cognitoIdentityProvider, "ListUserPoolClients", in: [.create, .settle], on: [pool]),
            IAMCall(.cognitoIdentityProvider, "DescribeUserPoolClient", in: .readingBack, on: [pool]),
            IAMCall(.cognitoIdentityProvider, "UpdateUserPoolClient", in: [.update], on: [pool]),
            IAMCall(.cognitoIdentityProvider, "DeleteUserPoolClient", in: [.delete], on: [pool]),
        ])
    }()
}
