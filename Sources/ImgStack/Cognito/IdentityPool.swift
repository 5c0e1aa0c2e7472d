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
        public static let terraformType = "aws_cognito_identity_pool"

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
            let property = Self.property
            var list = PropertyList()
            list.set(property.poolName, poolName)
            list.set(property.allowUnauthenticatedIdentities, allowUnauthenticatedIdentities)
            list.set(property.allowClassicFlow, allowClassicFlow)
            list.set(property.cognitoIdentityProviders, cognitoIdentityProviders)
            list.set(property.supportedLoginProviders, supportedLoginProviders)
            list.set(property.tags, tags.isEmpty ? nil : tags)
            return list.values
        }

        /// The identity pool id (`us-east-1:…`).
        public var poolID: Text { attribute("id") }

        public static func makeType() -> any ResourceType { IdentityPoolType() }
    }
}

extension Cognito.IdentityPool {
    /// An identity pool's properties, each declared once.
    struct Properties: PropertySet {
        let poolName = Property<String>("name", terraform: "identity_pool_name")
        let allowUnauthenticatedIdentities = Property<Bool>("allowUnauthenticatedIdentities", default: false)
        let allowClassicFlow = Property<Bool>("allowClassicFlow", default: false)
        /// The user pool app clients; the provider's `cognito_identity_providers` blocks.
        let cognitoIdentityProviders = Property<Value>("cognitoIdentityProviders", terraform: .blocks(), default: .list([]))
        let supportedLoginProviders = Property<[String: String]>("supportedLoginProviders", default: [:])
        let tags = Property<[String: String]>("tags", default: [:])
    }

    static let property = Properties()
}

/// Creates, reads, updates and deletes identity pools.
struct IdentityPoolType: ResourceType {
    static let schema = ResourceSchema(Cognito.IdentityPool.self, Cognito.IdentityPool.Properties.self)

    var schema: ResourceSchema { Self.schema }
    private var property: Cognito.IdentityPool.Properties { Cognito.IdentityPool.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        // IdentityPoolTags: at most 50, keys 1–128 and values up to 256 characters (Cognito
        // Identity API reference, CreateIdentityPool); one is the create's intent tag.
        var issues = TagRules.problems(properties[property.tags]?.literal, limit: 49).map { ValidationIssue(address, property.tags, $0) }
        guard let name = properties.literal(property.poolName) else { return issues }
        let valid = (1...128).contains(name.count)
            && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == " " || $0 == "_") }
        if !valid {
            issues.append(ValidationIssue(address, property.poolName, "\"\(name)\" must be 1–128 letters, digits, spaces and '_' (no hyphens)"))
        }
        return issues
    }

    func normalize(_ name: String, _ value: Value) -> Value {
        name == property.cognitoIdentityProviders.name ? CognitoValues.sortedList(value) : value
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let identityPools = try context.cognitoIdentity
        var pool = Self.pool(properties, id: nil)
        // Identity pool names are not unique: the intent tag finds the pool after a crash.
        if let intent = context.intentID { pool.identityPoolTags?[TagRules.intentKey] = intent }
        let created = try await identityPools.createIdentityPool(pool)
        guard let id = created.identityPoolID else { throw AWSClientError(.invalidResponse, "CreateIdentityPool answered no pool id") }
        return try await find(id, identityPools: identityPools) ?? ResourceSnapshot(id: id, properties: properties)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(recorded.id, identityPools: try context.cognitoIdentity)
    }

    private func find(_ id: String, identityPools: AWS.CognitoIdentity) async throws -> ResourceSnapshot? {
        guard let pool = try await identityPools.describeIdentityPool(id) else { return nil }
        return snapshot(pool, id: id)
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let identityPools = try context.cognitoIdentity
        try await identityPools.updateIdentityPool(Self.pool(desired, id: current.id))
        return try await find(current.id, identityPools: identityPools) ?? current
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let identityPools = try context.cognitoIdentity
        _ = try await nilWhenMissing(.resourceNotFoundException) { try await identityPools.deleteIdentityPool(current.id) }
    }

    /// A pool is imported by its id (`IdentityPoolId`).
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: CognitoValues.identityPoolIDPattern, expected: "an identity pool " + CognitoValues.identityPoolForm)
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(id, identityPools: try context.cognitoIdentity)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let intent = context.intentID, let name = properties[property.poolName] else { return nil }
        let identityPools = try context.cognitoIdentity
        for (id, poolName) in try await identityPools.listIdentityPools() where poolName == name {
            if let pool = try await identityPools.describeIdentityPool(id), pool.identityPoolTags?[TagRules.intentKey] == intent {
                return snapshot(pool, id: id)
            }
        }
        return nil
    }

    // MARK: - Conversions

    static func pool(_ properties: [String: Value], id: String?) -> AWS.CognitoIdentity.IdentityPool {
        let property = Cognito.IdentityPool.property
        let providers = (properties[property.cognitoIdentityProviders]?.listValue ?? []).map { provider in
            AWS.CognitoIdentity.Provider(providerName: provider["providerName"].stringValue ?? "", clientID: provider["clientID"].stringValue ?? "",
                                         serverSideTokenCheck: provider["serverSideTokenCheck"].boolValue ?? false)
        }
        return AWS.CognitoIdentity.IdentityPool(
            identityPoolID: id, identityPoolName: properties[property.poolName] ?? "",
            allowUnauthenticatedIdentities: properties[property.allowUnauthenticatedIdentities] == true,
            allowClassicFlow: properties[property.allowClassicFlow] == true,
            supportedLoginProviders: properties[property.supportedLoginProviders] ?? [:],
            cognitoIdentityProviders: providers, identityPoolTags: properties[property.tags] ?? [:])
    }

    private func snapshot(_ pool: AWS.CognitoIdentity.IdentityPool, id: String) -> ResourceSnapshot {
        let providers = (pool.cognitoIdentityProviders ?? []).map { provider -> Value in
            .map(["providerName": .string(provider.providerName), "clientID": .string(provider.clientID),
                  "serverSideTokenCheck": .bool(provider.serverSideTokenCheck ?? false)])
        }
        var properties: [String: Value] = [:]
        properties[property.poolName] = pool.identityPoolName
        properties[property.allowUnauthenticatedIdentities] = pool.allowUnauthenticatedIdentities
        properties[property.allowClassicFlow] = pool.allowClassicFlow ?? false
        properties[property.cognitoIdentityProviders] = normalize(property.cognitoIdentityProviders.name, .list(providers))
        properties[property.supportedLoginProviders] = pool.supportedLoginProviders ?? [:]
        properties[property.tags.name] = TagRules.visible(pool.identityPoolTags ?? [:])
        return ResourceSnapshot(id: id, properties: properties)
    }
}

extension IdentityPoolType: AccessDeclaring {
    /// Cognito identity pool actions per the Service Authorization Reference (Amazon Cognito
    /// Identity): `CreateIdentityPool` and `ListIdentityPools` take no resource. The create and
    /// the update carry the pool's tags (the intent tag at least), which AWS checks as
    /// `cognito-identity:TagResource` on the pool, as other services' tag-on-create.
    static let access: ResourceAccess = {
        let pool = ARNPattern.arn("arn:{partition}:cognito-identity:{region}:{account}:identitypool/*")
        let tagging = IAMGrant(["cognito-identity:TagResource"], on: [pool])
        return ResourceAccess([
            IAMCall(.cognitoIdentity, "CreateIdentityPool", in: [.create],
                    on: [.anyResource(reason: "cognito-identity:CreateIdentityPool takes no resource: the pool does not exist yet")], alsoNeeds: [tagging]),
            IAMCall(.cognitoIdentity, "ListIdentityPools", in: [.create, .settle],
                    on: [.anyResource(reason: "cognito-identity:ListIdentityPools takes no resource; a crashed create is found among the account's pools")]),
            IAMCall(.cognitoIdentity, "DescribeIdentityPool", in: .readingBack, on: [pool]),
            IAMCall(.cognitoIdentity, "UpdateIdentityPool", in: [.update], on: [pool], alsoNeeds: [tagging]),
            IAMCall(.cognitoIdentity, "DeleteIdentityPool", in: [.delete], on: [pool]),
        ])
    }()
}
