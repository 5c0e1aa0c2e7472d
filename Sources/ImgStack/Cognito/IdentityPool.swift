import AWS
import Engine

extension Cognito {
    /// A Cognito identity pool (`aws_cognito_identity_pool`): exchanges user pool tokens (or
    /// nothing, for guests) for temporary AWS credentials of the roles `IdentityPoolRoles` sets.
    ///
    /// ```swift
    /// let identities = stack.add(Cognito.IdentityPool("images", name: "images", allowUnauthenticatedIdentities: true,
    ///     cognitoIdentityProviders: [.init(providerName: users.endpoint, clientID: web.clientID)]))
    /// ```
    public struct IdentityPool: Resource {
        public static let typeName = "cognito.identity_pool"

        /// A user pool app client whose users may sign in.
        public struct Provider: Sendable, ExpressionConvertible {
            /// `cognito-idp.<region>.amazonaws.com/<user pool id>` — a user pool's `endpoint`.
            public var providerName: Text
            /// The app client id.
            public var clientID: Text
            /// Ask the user pool whether the token was revoked.
            public var serverSideTokenCheck: Bool

            /// Declares a provider.
            public init(providerName: Text, clientID: Text, serverSideTokenCheck: Bool = false) {
                self.providerName = providerName
                self.clientID = clientID
                self.serverSideTokenCheck = serverSideTokenCheck
            }

            public var expression: Engine.Expression {
                .map(["providerName": providerName.expression, "clientID": clientID.expression, "serverSideTokenCheck": .value(.bool(serverSideTokenCheck))])
            }
        }

        public var name: String
        /// The pool's name: letters, digits, spaces and `_`, 1–128 characters.
        public var poolName: Text
        /// Give guests (not signed in) credentials of the unauthenticated role.
        public var allowUnauthenticatedIdentities: Bool
        /// Allow the basic (classic) authentication flow.
        public var allowClassicFlow: Bool
        /// User pool app clients whose users may sign in.
        public var cognitoIdentityProviders: [Provider]
        /// Public providers: `accounts.google.com`, `graph.facebook.com` → app id.
        public var supportedLoginProviders: [String: Text]
        public var tags: [String: Text]
        public var dependsOn: [Address] = []

        /// Declares an identity pool.
        public init(_ name: String, name poolName: Text, allowUnauthenticatedIdentities: Bool = false, allowClassicFlow: Bool = false,
                    cognitoIdentityProviders: [Provider] = [], supportedLoginProviders: [String: Text] = [:], tags: [String: Text] = [:]) {
            self.name = name
            self.poolName = poolName
            self.allowUnauthenticatedIdentities = allowUnauthenticatedIdentities
            self.allowClassicFlow = allowClassicFlow
            self.cognitoIdentityProviders = cognitoIdentityProviders
            self.supportedLoginProviders = supportedLoginProviders
            self.tags = tags
        }

        public var properties: [String: Engine.Expression] {
            var list = PropertyList()
            list.set("name", poolName)
            list.set("allowUnauthenticatedIdentities", allowUnauthenticatedIdentities)
            list.set("allowClassicFlow", allowClassicFlow)
            list.set("cognitoIdentityProviders", cognitoIdentityProviders)
            list.set("supportedLoginProviders", supportedLoginProviders)
            list.set("tags", tags.isEmpty ? nil : tags)
            return list.values
        }

        /// The identity pool id (`us-east-1:…`).
        public var poolID: Text { attribute("id") }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { IdentityPoolType(aws: aws) }
    }
}

/// Creates, reads, updates and deletes identity pools.
struct IdentityPoolType: ResourceType {
    let aws: AWSClient

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: Cognito.IdentityPool.typeName, terraformType: "aws_cognito_identity_pool",
            properties: [
                PropertySchema("name"),
                PropertySchema("allowUnauthenticatedIdentities", default: false),
                PropertySchema("allowClassicFlow", default: false),
                PropertySchema("cognitoIdentityProviders", default: .list([])),
                PropertySchema("supportedLoginProviders", default: .map([:])),
                PropertySchema("tags", default: .map([:])),
            ],
            attributes: [])
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        guard let name = properties["name"]?.literal?.stringValue else { return [] }
        let valid = (1...128).contains(name.count)
            && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == " " || $0 == "_") }
        return valid ? [] : [ValidationIssue(subject: address.description, property: "name",
                                             message: "\"\(name)\" must be 1–128 letters, digits, spaces and '_' (no hyphens)")]
    }

    func normalize(_ property: String, _ value: Value) -> Value {
        property == "cognitoIdentityProviders" ? CognitoValues.sortedList(value) : value
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        var pool = Self.pool(properties, id: nil)
        // Identity pool names are not unique: the intent tag finds the pool after a crash.
        if let intent = context.intentID { pool.identityPoolTags?[TagRules.reservedPrefix + "intent"] = intent }
        let created = try await aws.cognitoIdentity.createIdentityPool(pool, region: context.region)
        guard let id = created.identityPoolID else { throw AWSClientError(.invalidResponse, "CreateIdentityPool answered no pool id") }
        return try await find(id, region: context.region) ?? ResourceSnapshot(id: id, properties: properties)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(recorded.id, region: context.region)
    }

    private func find(_ id: String, region: String) async throws -> ResourceSnapshot? {
        guard let pool = try await aws.cognitoIdentity.describeIdentityPool(id, region: region) else { return nil }
        return snapshot(pool, id: id)
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        try await aws.cognitoIdentity.updateIdentityPool(Self.pool(desired, id: current.id), region: context.region)
        return try await find(current.id, region: context.region) ?? current
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        do {
            try await aws.cognitoIdentity.deleteIdentityPool(current.id, region: context.region)
        } catch let error as AWSError where error.code == "ResourceNotFoundException" {
            return
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(id, region: context.region)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let intent = context.intentID, let name = properties["name"]?.stringValue else { return nil }
        for (id, poolName) in try await aws.cognitoIdentity.listIdentityPools(region: context.region) where poolName == name {
            if let pool = try await aws.cognitoIdentity.describeIdentityPool(id, region: context.region),
               pool.identityPoolTags?[TagRules.reservedPrefix + "intent"] == intent {
                return snapshot(pool, id: id)
            }
        }
        return nil
    }

    // MARK: - Conversions

    static func pool(_ properties: [String: Value], id: String?) -> AWS.CognitoIdentity.IdentityPool {
        let providers = (properties["cognitoIdentityProviders"]?.listValue ?? []).map { provider in
            AWS.CognitoIdentity.Provider(providerName: provider["providerName"].stringValue ?? "", clientID: provider["clientID"].stringValue ?? "",
                                         serverSideTokenCheck: provider["serverSideTokenCheck"].boolValue ?? false)
        }
        return AWS.CognitoIdentity.IdentityPool(
            identityPoolID: id, identityPoolName: properties["name"]?.stringValue ?? "",
            allowUnauthenticatedIdentities: properties["allowUnauthenticatedIdentities"] == true,
            allowClassicFlow: properties["allowClassicFlow"] == true,
            supportedLoginProviders: CognitoValues.stringMap(properties["supportedLoginProviders"]),
            cognitoIdentityProviders: providers, identityPoolTags: CognitoValues.stringMap(properties["tags"]))
    }

    private func snapshot(_ pool: AWS.CognitoIdentity.IdentityPool, id: String) -> ResourceSnapshot {
        let providers = (pool.cognitoIdentityProviders ?? []).map { provider -> Value in
            .map(["providerName": .string(provider.providerName), "clientID": .string(provider.clientID),
                  "serverSideTokenCheck": .bool(provider.serverSideTokenCheck ?? false)])
        }
        return ResourceSnapshot(id: id, properties: [
            "name": .string(pool.identityPoolName),
            "allowUnauthenticatedIdentities": .bool(pool.allowUnauthenticatedIdentities),
            "allowClassicFlow": .bool(pool.allowClassicFlow ?? false),
            "cognitoIdentityProviders": normalize("cognitoIdentityProviders", .list(providers)),
            "supportedLoginProviders": CognitoValues.map(pool.supportedLoginProviders),
            "tags": TagRules.visible(pool.identityPoolTags ?? [:]),
        ])
    }
}
