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
        public static let typeName = "cognito.user_pool_client"

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
            var list = PropertyList()
            list.set("userPoolID", userPoolID)
            list.set("name", clientName)
            list.set("generateSecret", generateSecret)
            list.set("allowedOAuthFlows", allowedOAuthFlows)
            list.set("allowedOAuthScopes", allowedOAuthScopes)
            list.set("callbackURLs", callbackURLs)
            list.set("logoutURLs", logoutURLs)
            list.set("supportedIdentityProviders", supportedIdentityProviders)
            list.set("explicitAuthFlows", explicitAuthFlows)
            list.set("tokenValidityMinutes", tokenValidityMinutes)
            list.set("refreshTokenValidityDays", refreshTokenValidityDays)
            return list.values
        }

        /// The client id (also the audience of its ID tokens).
        public var clientID: Text { attribute("id") }
        /// The client secret, when generated. Sensitive.
        public var clientSecret: Text { attribute("clientSecret") }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { UserPoolClientType(aws: aws) }
    }
}

/// Creates, reads, updates and deletes app clients.
struct UserPoolClientType: ResourceType {
    let aws: AWSClient

    static let listProperties = ["allowedOAuthFlows", "allowedOAuthScopes", "callbackURLs", "logoutURLs", "supportedIdentityProviders", "explicitAuthFlows"]

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: Cognito.UserPoolClient.typeName, terraformType: "aws_cognito_user_pool_client",
            properties: [
                PropertySchema("userPoolID", forcesReplacement: true),
                PropertySchema("name"),
                PropertySchema("generateSecret", forcesReplacement: true, default: false),
                PropertySchema("tokenValidityMinutes", default: 60),
                PropertySchema("refreshTokenValidityDays", default: 30),
            ] + Self.listProperties.map { PropertySchema($0, default: .list([])) },
            attributes: [AttributeSchema("clientSecret", sensitive: true)])
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        for flow in CognitoValues.strings(properties["allowedOAuthFlows"]?.literal) where !["code", "implicit", "client_credentials"].contains(flow) {
            issues.append(ValidationIssue(subject: address.description, property: "allowedOAuthFlows", message: "\"\(flow)\" is not code, implicit or client_credentials"))
        }
        if let minutes = properties["tokenValidityMinutes"]?.literal?.intValue, !(5...1440).contains(minutes) {
            issues.append(ValidationIssue(subject: address.description, property: "tokenValidityMinutes", message: "must be 5 to 1440 minutes, not \(minutes)"))
        }
        if let days = properties["refreshTokenValidityDays"]?.literal?.intValue, !(1...3650).contains(days) {
            issues.append(ValidationIssue(subject: address.description, property: "refreshTokenValidityDays", message: "must be 1 to 3650 days, not \(days)"))
        }
        return issues
    }

    func normalize(_ property: String, _ value: Value) -> Value {
        Self.listProperties.contains(property) ? CognitoValues.sortedList(value) : value
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        var settings = Self.settings(properties)
        settings.generateSecret = properties["generateSecret"] == true
        let created = try await aws.cognitoIdentityProvider.createUserPoolClient(settings, region: context.region)
        guard let id = created.clientID else { throw AWSClientError(.invalidResponse, "CreateUserPoolClient answered no client id") }
        return snapshot(created, id: id)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let pool = recorded.properties["userPoolID"]?.stringValue,
              let client = try await aws.cognitoIdentityProvider.describeUserPoolClient(pool: pool, client: recorded.id, region: context.region)
        else { return nil }
        return snapshot(client, id: recorded.id)
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        var settings = Self.settings(desired)
        settings.clientID = current.id
        try await aws.cognitoIdentityProvider.updateUserPoolClient(settings, region: context.region)
        return try await read(current, context: context) ?? current
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        guard let pool = current.properties["userPoolID"]?.stringValue else { return }
        do {
            try await aws.cognitoIdentityProvider.deleteUserPoolClient(pool: pool, client: current.id, region: context.region)
        } catch let error as AWSError where error.code == "ResourceNotFoundException" {
            return
        }
    }

    /// `USER_POOL_ID/CLIENT_ID`.
    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let slash = id.firstIndex(of: "/") else { return nil }
        let pool = String(id[..<slash])
        let clientID = String(id[id.index(after: slash)...])
        guard let client = try await aws.cognitoIdentityProvider.describeUserPoolClient(pool: pool, client: clientID, region: context.region) else { return nil }
        return snapshot(client, id: clientID)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let pool = properties["userPoolID"]?.stringValue, let name = properties["name"]?.stringValue else { return nil }
        // Client names are unique enough within one pool of one stack: the newest match is adopted.
        guard let match = try await aws.cognitoIdentityProvider.listUserPoolClients(pool: pool, region: context.region).last(where: { $0.name == name }),
              let client = try await aws.cognitoIdentityProvider.describeUserPoolClient(pool: pool, client: match.id, region: context.region)
        else { return nil }
        return snapshot(client, id: match.id)
    }

    // MARK: - Conversions

    static func settings(_ properties: [String: Value]) -> AWS.CognitoIdentityProvider.UserPoolClient {
        var settings = AWS.CognitoIdentityProvider.UserPoolClient()
        settings.userPoolID = properties["userPoolID"]?.stringValue
        settings.clientName = properties["name"]?.stringValue
        let flows = CognitoValues.strings(properties["allowedOAuthFlows"])
        settings.allowedOAuthFlows = flows
        settings.allowedOAuthScopes = CognitoValues.strings(properties["allowedOAuthScopes"])
        settings.allowedOAuthFlowsUserPoolClient = !flows.isEmpty
        settings.callbackURLs = CognitoValues.strings(properties["callbackURLs"])
        settings.logoutURLs = CognitoValues.strings(properties["logoutURLs"])
        settings.supportedIdentityProviders = CognitoValues.strings(properties["supportedIdentityProviders"])
        settings.explicitAuthFlows = CognitoValues.strings(properties["explicitAuthFlows"])
        let minutes = properties["tokenValidityMinutes"]?.intValue ?? 60
        settings.accessTokenValidity = minutes
        settings.idTokenValidity = minutes
        settings.refreshTokenValidity = properties["refreshTokenValidityDays"]?.intValue ?? 30
        settings.tokenValidityUnits = .init(accessToken: "minutes", idToken: "minutes", refreshToken: "days")
        return settings
    }

    private func snapshot(_ client: AWS.CognitoIdentityProvider.UserPoolClient, id: String) -> ResourceSnapshot {
        let minutes = client.accessTokenValidity ?? 60
        let properties: [String: Value] = [
            "userPoolID": .string(client.userPoolID ?? ""),
            "name": .string(client.clientName ?? ""),
            "generateSecret": .bool(client.clientSecret != nil),
            "allowedOAuthFlows": CognitoValues.list(client.allowedOAuthFlows),
            "allowedOAuthScopes": CognitoValues.list(client.allowedOAuthScopes),
            "callbackURLs": CognitoValues.list(client.callbackURLs),
            "logoutURLs": CognitoValues.list(client.logoutURLs),
            "supportedIdentityProviders": CognitoValues.list(client.supportedIdentityProviders),
            "explicitAuthFlows": CognitoValues.list(client.explicitAuthFlows),
            "tokenValidityMinutes": .int(minutes),
            "refreshTokenValidityDays": .int(client.refreshTokenValidity ?? 30),
        ]
        return ResourceSnapshot(id: id, properties: properties, attributes: ["clientSecret": client.clientSecret.map(Value.string) ?? .null])
    }
}
