import AWS
import Engine

extension Cognito {
    /// A Cognito user pool (`aws_cognito_user_pool`).
    ///
    /// ```swift
    /// let users = stack.add(Cognito.UserPool("users", name: "images-users", usernameAttributes: ["email"],
    ///                                        autoVerifiedAttributes: ["email"]))
    /// ```
    ///
    /// A pool with deletion protection `ACTIVE` is not deleted by `destroy`: set it to
    /// `INACTIVE` and apply first (deletion protection exists to stop exactly that).
    public struct UserPool: Resource {
        public static let terraformType = "aws_cognito_user_pool"

        /// Password rules.
        public struct PasswordPolicy: Sendable, ExpressionConvertible {
            public var minimumLength: Int
            public var requireUppercase: Bool
            public var requireLowercase: Bool
            public var requireNumbers: Bool
            public var requireSymbols: Bool
            public var temporaryPasswordValidityDays: Int

            /// Creates rules; the defaults are Cognito's.
            public init(minimumLength: Int = 8, requireUppercase: Bool = true, requireLowercase: Bool = true, requireNumbers: Bool = true,
                        requireSymbols: Bool = true, temporaryPasswordValidityDays: Int = 7) {
                self.minimumLength = minimumLength
                self.requireUppercase = requireUppercase
                self.requireLowercase = requireLowercase
                self.requireNumbers = requireNumbers
                self.requireSymbols = requireSymbols
                self.temporaryPasswordValidityDays = temporaryPasswordValidityDays
            }

            public var expression: Engine.Expression {
                .value(.map(["minimumLength": .int(minimumLength), "requireUppercase": .bool(requireUppercase),
                             "requireLowercase": .bool(requireLowercase), "requireNumbers": .bool(requireNumbers),
                             "requireSymbols": .bool(requireSymbols), "temporaryPasswordValidityDays": .int(temporaryPasswordValidityDays)]))
            }
        }

        /// A custom user attribute (Cognito names it `custom:<name>`).
        public struct SchemaAttribute: Sendable, ExpressionConvertible {
            public var name: String
            /// `String`, `Number`, `DateTime` or `Boolean`.
            public var type: String
            public var mutable: Bool
            public var required: Bool

            /// Declares an attribute.
            public init(name: String, type: String = "String", mutable: Bool = true, required: Bool = false) {
                self.name = name
                self.type = type
                self.mutable = mutable
                self.required = required
            }

            public var expression: Engine.Expression {
                .value(.map(["name": .string(name), "type": .string(type), "mutable": .bool(mutable), "required": .bool(required)]))
            }
        }

        public var name: String
        /// The pool's name (1–128 characters). Cognito cannot rename a pool: changing it replaces the pool.
        public var poolName: Text
        public var passwordPolicy: PasswordPolicy
        /// Attributes Cognito verifies by sending a code: `email`, `phone_number`.
        public var autoVerifiedAttributes: [String]
        /// Sign in with these instead of a user name (`email`, `phone_number`). Changing it replaces the pool.
        public var usernameAttributes: [String]
        /// `OFF`, `ON` or `OPTIONAL`.
        public var mfaConfiguration: String
        /// Custom attributes. Cognito cannot remove them: changing them replaces the pool.
        public var schema: [SchemaAttribute]
        /// `ACTIVE` or `INACTIVE`.
        public var deletionProtection: String
        public var tags: [String: Text]
        public var dependsOn: [Address] = []

        /// Declares a user pool.
        public init(_ name: String, name poolName: Text, passwordPolicy: PasswordPolicy = PasswordPolicy(), autoVerifiedAttributes: [String] = [],
                    usernameAttributes: [String] = [], mfaConfiguration: String = "OFF", schema: [SchemaAttribute] = [],
                    deletionProtection: String = "INACTIVE", tags: [String: Text] = [:]) {
            self.name = name
            self.poolName = poolName
            self.passwordPolicy = passwordPolicy
            self.autoVerifiedAttributes = autoVerifiedAttributes
            self.usernameAttributes = usernameAttributes
            self.mfaConfiguration = mfaConfiguration
            self.schema = schema
            self.deletionProtection = deletionProtection
            self.tags = tags
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.poolName, poolName)
            list.set(property.passwordPolicy, passwordPolicy)
            list.set(property.autoVerifiedAttributes, autoVerifiedAttributes)
            list.set(property.usernameAttributes, usernameAttributes)
            list.set(property.mfaConfiguration, mfaConfiguration)
            list.set(property.schema, schema)
            list.set(property.deletionProtection, deletionProtection)
            list.set(property.tags, tags.isEmpty ? nil : tags)
            return list.values
        }

        /// The pool's ARN.
        public var arn: Text { attribute("arn") }
        /// The pool id (`us-east-1_AbCdEf`).
        public var poolID: Text { attribute("id") }
        /// `cognito-idp.<region>.amazonaws.com/<pool id>`: the issuer of the pool's tokens and the
        /// provider name identity pools use.
        public var endpoint: Text { attribute("endpoint") }

        public static func makeType() -> any ResourceType { UserPoolType() }
    }
}

extension Cognito.UserPool {
    /// A user pool's properties, each declared once.
    struct Properties: PropertySet {
        let poolName = Property<String>("name", forcesReplacement: true)
        let passwordPolicy = Property<Value>("passwordPolicy", terraform: .blocks(), default: UserPoolType.defaultPasswordPolicy)
        let autoVerifiedAttributes = Property<[String]>("autoVerifiedAttributes", default: [])
        let usernameAttributes = Property<[String]>("usernameAttributes", forcesReplacement: true, default: [])
        let mfaConfiguration = Property<String>("mfaConfiguration", default: "OFF")
        /// The custom attributes; the provider's `schema` blocks.
        let schema = Property<Value>("schema", terraform: .blocks(), forcesReplacement: true, default: .list([]))
        let deletionProtection = Property<String>("deletionProtection", default: "INACTIVE", appliesAtDeletion: true)
        let tags = Property<[String: String]>("tags", default: [:])
    }

    static let property = Properties()
}

/// Creates, reads, updates and deletes user pools.
struct UserPoolType: ResourceType {
    static let schema = ResourceSchema(Cognito.UserPool.self, Cognito.UserPool.Properties.self,
                                       attributes: [AttributeSchema("arn"), AttributeSchema("endpoint")])

    static let defaultPasswordPolicy = Cognito.UserPool.PasswordPolicy().expression.literal ?? .null

    var schema: ResourceSchema { Self.schema }
    private var property: Cognito.UserPool.Properties { Cognito.UserPool.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let name = properties.literal(property.poolName), name.isEmpty || name.count > 128 {
            issues.append(ValidationIssue(address, property.poolName, "must be 1 to 128 characters"))
        }
        if let mfa = properties.literal(property.mfaConfiguration), !["OFF", "ON", "OPTIONAL"].contains(mfa) {
            issues.append(ValidationIssue(address, property.mfaConfiguration, "must be OFF, ON or OPTIONAL, not \"\(mfa)\""))
        }
        if let protection = properties.literal(property.deletionProtection), !["ACTIVE", "INACTIVE"].contains(protection) {
            issues.append(ValidationIssue(address, property.deletionProtection, "must be ACTIVE or INACTIVE, not \"\(protection)\""))
        }
        if let length = properties.literal(property.passwordPolicy)?["minimumLength"].intValue, !(6...99).contains(length) {
            issues.append(ValidationIssue(address, property.passwordPolicy, "minimumLength must be 6 to 99, not \(length)"))
        }
        for attribute in CognitoValues.strings(properties[property.usernameAttributes]?.literal) where !["email", "phone_number"].contains(attribute) {
            issues.append(ValidationIssue(address, property.usernameAttributes, "\"\(attribute)\" is not email or phone_number"))
        }
        // UserPoolTags: at most 50, keys 1–128 and values up to 256 characters (Cognito API
        // reference, CreateUserPool); one is the create's intent tag.
        for problem in TagRules.problems(properties[property.tags]?.literal, limit: 49) {
            issues.append(ValidationIssue(address, property.tags, problem))
        }
        return issues
    }

    func normalize(_ name: String, _ value: Value) -> Value {
        switch name {
        case property.autoVerifiedAttributes.name, property.usernameAttributes.name, property.schema.name: return CognitoValues.sortedList(value)
        default: return value
        }
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let userPools = try context.cognitoIdentityProvider
        var settings = Self.settings(properties)
        // Pool names are not unique: the intent tag is how a crashed apply finds the pool again.
        if let intent = context.intentID { settings.userPoolTags?[TagRules.intentKey] = intent }
        settings.schemaAttributes = Self.schemaAttributes(properties[property.schema])
        settings.usernameAttributes = properties[property.usernameAttributes] ?? []
        // MFA ON or OPTIONAL at creation needs an SMS configuration; SetUserPoolMfaConfig turns it
        // on with authenticator apps once the pool exists.
        let mfa = settings.mfaConfiguration ?? "OFF"
        settings.mfaConfiguration = nil
        let created = try await userPools.createUserPool(settings)
        guard let id = created.id else { throw AWSClientError(.invalidResponse, "CreateUserPool answered no pool id") }
        if mfa != "OFF" { try await userPools.setUserPoolMfaConfig(id, mode: mfa) }
        return try await read(id, declared: Set(properties.keys), context: context)
            ?? ResourceSnapshot(id: id, properties: properties)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, declared: Set(recorded.properties.keys), context: context)
    }

    private func read(_ id: String, declared: Set<String>, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let pool = try await context.cognitoIdentityProvider.describeUserPool(id) else { return nil }
        let password = pool.policies?.passwordPolicy
        // Cognito lists its standard attributes too; custom ones come back as `custom:<name>`.
        let custom = (pool.schemaAttributes ?? []).filter { $0.name.hasPrefix("custom:") }.map { attribute -> Value in
            .map(["name": .string(String(attribute.name.dropFirst("custom:".count))), "type": .string(attribute.attributeDataType ?? "String"),
                  "mutable": .bool(attribute.mutable ?? true), "required": .bool(attribute.required ?? false)])
        }
        var properties: [String: Value] = [:]
        properties[property.poolName] = pool.name ?? ""
        properties[property.passwordPolicy] = .map([
            "minimumLength": .int(password?.minimumLength ?? 8), "requireUppercase": .bool(password?.requireUppercase ?? false),
            "requireLowercase": .bool(password?.requireLowercase ?? false), "requireNumbers": .bool(password?.requireNumbers ?? false),
            "requireSymbols": .bool(password?.requireSymbols ?? false),
            "temporaryPasswordValidityDays": .int(password?.temporaryPasswordValidityDays ?? 7),
        ])
        properties[property.autoVerifiedAttributes] = (pool.autoVerifiedAttributes ?? []).sorted()
        properties[property.usernameAttributes] = (pool.usernameAttributes ?? []).sorted()
        properties[property.mfaConfiguration] = pool.mfaConfiguration ?? "OFF"
        properties[property.schema] = normalize(property.schema.name, .list(custom))
        properties[property.deletionProtection] = pool.deletionProtection ?? "INACTIVE"
        properties[property.tags.name] = TagRules.visible(pool.userPoolTags ?? [:])
        return ResourceSnapshot(id: id, properties: properties.filter { declared.contains($0.key) },
                                attributes: ["arn": .string(pool.arn ?? ""), "endpoint": .string("cognito-idp.\(context.region).amazonaws.com/\(id)")])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let userPools = try context.cognitoIdentityProvider
        // UpdateUserPool resets what it is not given, so every updatable setting is sent. (The
        // intent tag it drops was only needed while the pool was being created.)
        let settings = Self.settings(desired)
        if changed.contains(property.mfaConfiguration) {
            // Enables (or disables) the authenticator-app factor the mode needs before UpdateUserPool names the mode.
            try await userPools.setUserPoolMfaConfig(current.id, mode: settings.mfaConfiguration ?? "OFF")
        }
        try await userPools.updateUserPool(current.id, settings)
        return try await read(current.id, declared: Set(desired.keys), context: context) ?? current
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let userPools = try context.cognitoIdentityProvider
        guard let pool = try await userPools.describeUserPool(current.id) else { return }
        if pool.deletionProtection == "ACTIVE" {
            // The stack turned protection off since the last apply: a destroy applies that first
            // (the snapshot carries the stack's setting, ``PropertySchema/appliesAtDeletion``).
            guard current.properties[property.deletionProtection] == "INACTIVE" else {
                throw AWSClientError(.invalidConfiguration,
                                     "user pool \(current.id) has deletion protection ACTIVE; set \(property.deletionProtection.name) to \"INACTIVE\" "
                                         + "in the stack and destroy again")
            }
            context.report("turning deletion protection off, as the stack declares")
            try await userPools.updateUserPool(current.id, AWS.CognitoIdentityProvider.UserPool(deletionProtection: "INACTIVE"))
        }
        _ = try await nilWhenMissing(.resourceNotFoundException) { try await userPools.deleteUserPool(current.id) }
    }

    /// A pool is imported by its id (`UserPoolIdType`).
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: CognitoValues.userPoolIDPattern,
                             expected: "a user pool is imported by its id (REGION_ID, such as us-east-1_aB3dE5fG7)")
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, declared: Cognito.UserPool.Properties.names, context: context)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let intent = context.intentID, let name = properties[property.poolName] else { return nil }
        let userPools = try context.cognitoIdentityProvider
        for (id, poolName) in try await userPools.listUserPools() where poolName == name {
            let pool = try await userPools.describeUserPool(id)
            if pool?.userPoolTags?[TagRules.intentKey] == intent {
                return try await read(id, declared: Set(properties.keys), context: context)
            }
        }
        return nil
    }

    // MARK: - Conversions

    static func settings(_ properties: [String: Value]) -> AWS.CognitoIdentityProvider.UserPool {
        let property = Cognito.UserPool.property
        let password = properties[property.passwordPolicy] ?? defaultPasswordPolicy
        return AWS.CognitoIdentityProvider.UserPool(
            name: properties[property.poolName],
            passwordPolicy: .init(minimumLength: password["minimumLength"].intValue, requireUppercase: password["requireUppercase"].boolValue,
                                  requireLowercase: password["requireLowercase"].boolValue, requireNumbers: password["requireNumbers"].boolValue,
                                  requireSymbols: password["requireSymbols"].boolValue,
                                  temporaryPasswordValidityDays: password["temporaryPasswordValidityDays"].intValue),
            autoVerifiedAttributes: properties[property.autoVerifiedAttributes] ?? [],
            mfaConfiguration: properties[property.mfaConfiguration] ?? "OFF",
            deletionProtection: properties[property.deletionProtection] ?? "INACTIVE",
            userPoolTags: properties[property.tags] ?? [:])
    }

    static func schemaAttributes(_ value: Value?) -> [AWS.CognitoIdentityProvider.SchemaAttribute]? {
        let attributes = (value?.listValue ?? []).map { attribute in
            AWS.CognitoIdentityProvider.SchemaAttribute(name: attribute["name"].stringValue ?? "", attributeDataType: attribute["type"].stringValue,
                                                        mutable: attribute["mutable"].boolValue, required: attribute["required"].boolValue)
        }
        return attributes.isEmpty ? nil : attributes
    }
}

extension UserPoolType: AccessDeclaring {
    /// Cognito user pool actions per the Service Authorization Reference (Amazon Cognito User
    /// Pools): `CreateUserPool` and `ListUserPools` take no resource; tags travel in
    /// `CreateUserPool` and `UpdateUserPool` (`UserPoolTags`).
    static let access: ResourceAccess = {
        let pool = ARNPattern.arn("arn:{partition}:cognito-idp:{region}:{account}:userpool/*")
        return ResourceAccess([
            IAMCall(.cognitoIdentityProvider, "CreateUserPool", in: [.create], on: [.anyResource(reason: "cognito-idp:CreateUserPool takes no resource: the pool does not exist yet")]),
            IAMCall(.cognitoIdentityProvider, "ListUserPools", in: [.create, .settle],
                    on: [.anyResource(reason: "cognito-idp:ListUserPools takes no resource; a crashed create is found among the account's pools")]),
            IAMCall(.cognitoIdentityProvider, "DescribeUserPool", in: .readingBack, on: [pool]),
            IAMCall(.cognitoIdentityProvider, "UpdateUserPool", in: .writing, on: [pool]),
            IAMCall(.cognitoIdentityProvider, "SetUserPoolMfaConfig", in: .writing, on: [pool]),
            IAMCall(.cognitoIdentityProvider, "DeleteUserPool", in: [.delete], on: [pool]),
        ])
    }()
}
