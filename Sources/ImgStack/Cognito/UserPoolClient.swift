import AWS
import Engine
import Foundation

extension Cognito {
    /// An app client of a user pool (`aws_cognito_user_pool_client`).
    ///
    /// ```swift
    /// let client = stack.add(Cognito.UserPoolClient("web", userPoolID: pool.id, clientName: "web", generateSecret: true,
    ///                                               allowedOAuthFlows: ["code"], allowedOAuthScopes: ["openid", "email"],
    ///                                               allowedOAuthFlowsUserPoolClient: true,
    ///                                               callbackURLs: ["https://\(site.domainName)/callback"],
    ///                                               supportedIdentityProviders: ["COGNITO"]))
    /// ```
    ///
    /// `clientSecret` is secret: it is redacted in plans and output and kept only in state.
    public struct UserPoolClient: Resource {
        public static let typeName = "cognito.user_pool_client"

        public var name: String
        /// The pool: `pool.id`. Changing it replaces the client.
        public var userPoolID: Text
        /// The client's name: 1 to 128 letters, digits, spaces or `+ = , . @ _ -`.
        public var clientName: Text
        /// Give the client a secret (for server-side apps). Changing it replaces the client.
        public var generateSecret: Bool
        /// `code`, `implicit`, `client_credentials` (the last not with the others).
        public var allowedOAuthFlows: [String]
        /// `openid`, `email`, `phone`, `profile`, `aws.cognito.signin.user.admin` or resource server scopes.
        public var allowedOAuthScopes: [String]
        /// Let the client use the OAuth flows; needs at least one flow, scope and callback URL.
        public var allowedOAuthFlowsUserPoolClient: Bool
        /// Where the hosted UI may redirect after sign-in (HTTPS, or `http://localhost`).
        public var callbackURLs: [Text]
        /// Where the hosted UI may redirect after sign-out.
        public var logoutURLs: [Text]
        /// `COGNITO` and/or the names of the pool's identity providers (`Google`).
        public var supportedIdentityProviders: [Text]
        /// Authentication flows (`ALLOW_USER_SRP_AUTH`, `ALLOW_REFRESH_TOKEN_AUTH`, …); nil keeps AWS's default.
        public var explicitAuthFlows: [String]?
        /// Access token lifetime in `tokenValidityUnits.accessToken`: 5 minutes to 1 day.
        public var accessTokenValidity: Int
        /// ID token lifetime in `tokenValidityUnits.idToken`: 5 minutes to 1 day.
        public var idTokenValidity: Int
        /// Refresh token lifetime in `tokenValidityUnits.refreshToken`: 60 minutes to 10 years.
        public var refreshTokenValidity: Int
        /// The units of the three lifetimes.
        public var tokenValidityUnits: TokenValidityUnits
        public var dependsOn: [Address] = []

        /// Declares an app client.
        public init(_ name: String, userPoolID: Text, clientName: Text, generateSecret: Bool = false, allowedOAuthFlows: [String] = [],
                    allowedOAuthScopes: [String] = [], allowedOAuthFlowsUserPoolClient: Bool = false, callbackURLs: [Text] = [],
                    logoutURLs: [Text] = [], supportedIdentityProviders: [Text] = [], explicitAuthFlows: [String]? = nil,
                    accessTokenValidity: Int = 60, idTokenValidity: Int = 60, refreshTokenValidity: Int = 30,
                    tokenValidityUnits: TokenValidityUnits = TokenValidityUnits()) {
            self.name = name
            self.userPoolID = userPoolID
            self.clientName = clientName
            self.generateSecret = generateSecret
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

        public var properties: [String: Engine.Expression] {
            var list = PropertyList()
            list.set("userPoolID", userPoolID)
            list.set("clientName", clientName)
            list.set("generateSecret", generateSecret)
            list.set("allowedOAuthFlows", allowedOAuthFlows)
            list.set("allowedOAuthScopes", allowedOAuthScopes)
            list.set("allowedOAuthFlowsUserPoolClient", allowedOAuthFlowsUserPoolClient)
            list.set("callbackURLs", callbackURLs)
            list.set("logoutURLs", logoutURLs)
            list.set("supportedIdentityProviders", supportedIdentityProviders)
            list.set("explicitAuthFlows", explicitAuthFlows)
            list.set("accessTokenValidity", accessTokenValidity)
            list.set("idTokenValidity", idTokenValidity)
            list.set("refreshTokenValidity", refreshTokenValidity)
            list.set("tokenValidityUnits", tokenValidityUnits)
            return list.values
        }

        /// The client secret (empty without `generateSecret`). Sensitive.
        public var clientSecret: Text { attribute("clientSecret") }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { UserPoolClientType(aws: aws) }
    }
}

/// Creates, reads, updates and deletes user pool app clients.
struct UserPoolClientType: ResourceType {
    let aws: AWSClient

    static let oauthFlows = ["code", "implicit", "client_credentials"]
    static let authFlows = ["ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                            "ALLOW_CUSTOM_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH"]
    static let timeUnits = ["seconds", "minutes", "hours", "days"]
    static let listProperties = ["allowedOAuthFlows", "allowedOAuthScopes", "callbackURLs", "logoutURLs", "supportedIdentityProviders",
                                 "explicitAuthFlows"]

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: Cognito.UserPoolClient.typeName, terraformType: "aws_cognito_user_pool_client",
            properties: [
                PropertySchema("userPoolID", forcesReplacement: true),
                PropertySchema("clientName"),
                PropertySchema("generateSecret", forcesReplacement: true, default: false),
                PropertySchema("allowedOAuthFlows", default: []),
                PropertySchema("allowedOAuthScopes", default: []),
                PropertySchema("allowedOAuthFlowsUserPoolClient", default: false),
                PropertySchema("callbackURLs", default: []),
                PropertySchema("logoutURLs", default: []),
                PropertySchema("supportedIdentityProviders", default: []),
                PropertySchema("explicitAuthFlows"),
                PropertySchema("accessTokenValidity", default: 60),
                PropertySchema("idTokenValidity", default: 60),
                PropertySchema("refreshTokenValidity", default: 30),
                PropertySchema("tokenValidityUnits", default: Cognito.TokenValidityUnits().expression.literal),
            ],
            attributes: [AttributeSchema("clientSecret", sensitive: true)])
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func add(_ property: String, _ message: String) {
            issues.append(ValidationIssue(subject: address.description, property: property, message: message))
        }
        if let issue = CognitoValues.nameIssue(properties, "clientName", address: address) { issues.append(issue) }
        issues += CognitoValues.enumListIssues(properties, "allowedOAuthFlows", Self.oauthFlows, address: address)
        issues += CognitoValues.enumListIssues(properties, "explicitAuthFlows", Self.authFlows, address: address)
        let flows = CognitoValues.strings(properties["allowedOAuthFlows"]?.literal)
        if flows.contains("client_credentials") && flows.count > 1 {
            add("allowedOAuthFlows", "client_credentials cannot be combined with code or implicit")
        }
        if properties["allowedOAuthFlowsUserPoolClient"]?.literal == true {
            if let flows = properties["allowedOAuthFlows"]?.literal?.listValue, flows.isEmpty {
                add("allowedOAuthFlows", "allowedOAuthFlowsUserPoolClient needs at least one OAuth flow")
            }
            if let scopes = properties["allowedOAuthScopes"]?.literal?.listValue, scopes.isEmpty {
                add("allowedOAuthScopes", "allowedOAuthFlowsUserPoolClient needs at least one OAuth scope")
            }
        }
        if let units = properties["tokenValidityUnits"]?.literal?.mapValue {
            for (token, unit) in units.sorted(by: { $0.key < $1.key }) {
                if let unit = unit.stringValue, !Self.timeUnits.contains(unit) {
                    add("tokenValidityUnits", "\(token): \"\(unit)\" is not one of \(Self.timeUnits.joined(separator: ", "))")
                }
            }
        }
        // AWS's limits, in seconds: access and ID tokens 5 minutes to 1 day, refresh tokens 1 hour to 10 years.
        let units = properties["tokenValidityUnits"]?.literal ?? Cognito.TokenValidityUnits().expression.literal ?? .null
        let limits: [(String, String, ClosedRange<Int>)] = [("accessTokenValidity", "accessToken", 300...86_400),
                                                            ("idTokenValidity", "idToken", 300...86_400),
                                                            ("refreshTokenValidity", "refreshToken", 3_600...315_360_000)]
        for (property, unitKey, range) in limits {
            guard let amount = properties[property]?.literal?.intValue, let unit = units[unitKey].stringValue,
                  let seconds = Self.seconds(unit) else { continue }
            if !range.contains(amount * seconds) {
                add(property, "\(amount) \(unit) is outside AWS's limit of \(range.lowerBound / 60) minutes to \(range.upperBound / 86_400) days")
            }
        }
        return issues
    }

    static func seconds(_ unit: String) -> Int? {
        ["seconds": 1, "minutes": 60, "hours": 3_600, "days": 86_400][unit]
    }

    func normalize(_ property: String, _ value: Value) -> Value {
        // AWS does not keep (or use) the order of these lists.
        Self.listProperties.contains(property) && !value.containsUnknown ? CognitoValues.sortedList(CognitoValues.strings(value)) : value
    }

    // MARK: - Create

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let poolID = properties["userPoolID"]?.stringValue ?? ""
        let created = try await aws.cognitoIdentityProvider.createUserPoolClient(
            userPoolID: poolID, generateSecret: properties["generateSecret"] == true, settings: Self.settings(properties),
            region: context.region)
        var recorded = properties
        for (name, value) in properties { recorded[name] = normalize(name, value) }
        return ResourceSnapshot(id: created.clientID, properties: recorded, attributes: Self.attributes(created))
    }

    // MARK: - Read

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let poolID = recorded.properties["userPoolID"]?.stringValue else { return nil }
        guard let client = try await describe(poolID: poolID, clientID: recorded.id, region: context.region) else { return nil }
        return snapshot(client, declared: Set(recorded.properties.keys))
    }

    private func describe(poolID: String, clientID: String, region: String) async throws -> CognitoIdentityProvider.UserPoolClient? {
        do {
            return try await aws.cognitoIdentityProvider.describeUserPoolClient(userPoolID: poolID, clientID: clientID, region: region)
        } catch let error as AWSError where CognitoValues.isNotFound(error) {
            return nil
        }
    }

    func snapshot(_ client: CognitoIdentityProvider.UserPoolClient, declared: Set<String>) -> ResourceSnapshot {
        let settings = client.settings
        var all: [String: Value] = [
            "userPoolID": .string(client.userPoolID),
            "clientName": .string(settings.clientName),
            "generateSecret": .bool(client.clientSecret != nil),
            "allowedOAuthFlows": CognitoValues.sortedList(settings.allowedOAuthFlows),
            "allowedOAuthScopes": CognitoValues.sortedList(settings.allowedOAuthScopes),
            "allowedOAuthFlowsUserPoolClient": .bool(settings.allowedOAuthFlowsUserPoolClient),
            "callbackURLs": CognitoValues.sortedList(settings.callbackURLs),
            "logoutURLs": CognitoValues.sortedList(settings.logoutURLs),
            "supportedIdentityProviders": CognitoValues.sortedList(settings.supportedIdentityProviders),
            // AWS leaves out lifetimes and units at their defaults (60 minutes, 60 minutes, 30 days).
            "accessTokenValidity": .int(settings.accessTokenValidity ?? 60),
            "idTokenValidity": .int(settings.idTokenValidity ?? 60),
            "refreshTokenValidity": .int(settings.refreshTokenValidity ?? 30),
            "tokenValidityUnits": .map([
                "accessToken": .string(settings.tokenValidityUnits?.accessToken ?? "minutes"),
                "idToken": .string(settings.tokenValidityUnits?.idToken ?? "minutes"),
                "refreshToken": .string(settings.tokenValidityUnits?.refreshToken ?? "days"),
            ]),
        ]
        if let flows = settings.explicitAuthFlows { all["explicitAuthFlows"] = CognitoValues.sortedList(flows) }
        return ResourceSnapshot(id: client.clientID, properties: all.filter { declared.contains($0.key) }, attributes: Self.attributes(client))
    }

    // MARK: - Update

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let poolID = desired["userPoolID"]?.stringValue ?? ""
        // UpdateUserPoolClient resets every member it is not given, so it starts from the client as it is now.
        guard let client = try await describe(poolID: poolID, clientID: current.id, region: context.region) else {
            throw AWSError(service: "cognito-idp", operation: "DescribeUserPoolClient", statusCode: 400, code: "ResourceNotFoundException",
                           message: "User pool client \(current.id) does not exist.")
        }
        try await aws.cognitoIdentityProvider.updateUserPoolClient(client, settings: Self.settings(desired), region: context.region)
        var properties = desired
        for (name, value) in desired { properties[name] = normalize(name, value) }
        return ResourceSnapshot(id: current.id, properties: properties, attributes: current.attributes)
    }

    // MARK: - Delete, import, recovery

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        guard let poolID = current.properties["userPoolID"]?.stringValue else { return }
        do {
            try await aws.cognitoIdentityProvider.deleteUserPoolClient(userPoolID: poolID, clientID: current.id, region: context.region)
        } catch let error as AWSError where CognitoValues.isNotFound(error) {
            return
        }
    }

    /// Imports `<user pool id>/<client id>`.
    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        let parts = id.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        guard let client = try await describe(poolID: parts[0], clientID: parts[1], region: context.region) else { return nil }
        return snapshot(client, declared: Set(schema.properties.map(\.name)))
    }

    /// Clients have no tags: a client a crashed apply created is the only one of its pool with
    /// the declared name. With two or more of that name none is adopted, since imgstack cannot
    /// tell which one it made.
    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let poolID = properties["userPoolID"]?.stringValue, let name = properties["clientName"]?.stringValue else { return nil }
        let clients: [CognitoIdentityProvider.UserPoolClientDescription]
        do {
            clients = try await aws.cognitoIdentityProvider.listUserPoolClients(userPoolID: poolID, region: context.region)
        } catch let error as AWSError where CognitoValues.isNotFound(error) {
            return nil
        }
        let named = clients.filter { $0.clientName == name }
        guard named.count == 1, let client = try await describe(poolID: poolID, clientID: named[0].clientID, region: context.region) else {
            return nil
        }
        return snapshot(client, declared: Set(properties.keys))
    }

    // MARK: - Helpers

    static func settings(_ properties: [String: Value]) -> CognitoIdentityProvider.ClientSettings {
        let units = properties["tokenValidityUnits"] ?? Cognito.TokenValidityUnits().expression.literal ?? .null
        return CognitoIdentityProvider.ClientSettings(
            clientName: properties["clientName"]?.stringValue ?? "",
            allowedOAuthFlows: CognitoValues.strings(properties["allowedOAuthFlows"]).sorted(),
            allowedOAuthScopes: CognitoValues.strings(properties["allowedOAuthScopes"]).sorted(),
            allowedOAuthFlowsUserPoolClient: properties["allowedOAuthFlowsUserPoolClient"] == true,
            callbackURLs: CognitoValues.strings(properties["callbackURLs"]).sorted(),
            logoutURLs: CognitoValues.strings(properties["logoutURLs"]).sorted(),
            supportedIdentityProviders: CognitoValues.strings(properties["supportedIdentityProviders"]).sorted(),
            explicitAuthFlows: properties["explicitAuthFlows"].map { CognitoValues.strings($0).sorted() },
            accessTokenValidity: properties["accessTokenValidity"]?.intValue ?? 60,
            idTokenValidity: properties["idTokenValidity"]?.intValue ?? 60,
            refreshTokenValidity: properties["refreshTokenValidity"]?.intValue ?? 30,
            tokenValidityUnits: CognitoIdentityProvider.TokenValidityUnits(
                accessToken: units["accessToken"].stringValue, idToken: units["idToken"].stringValue,
                refreshToken: units["refreshToken"].stringValue))
    }

    static func attributes(_ client: CognitoIdentityProvider.UserPoolClient) -> [String: Value] {
        ["clientSecret": .string(client.clientSecret ?? "")]
    }
}
