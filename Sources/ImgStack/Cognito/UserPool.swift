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
        public static let typeName = "cognito.user_pool"

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
            var list = PropertyList()
            list.set("name", poolName)
            list.set("passwordPolicy", passwordPolicy)
            list.set("autoVerifiedAttributes", autoVerifiedAttributes)
            list.set("usernameAttributes", usernameAttributes)
            list.set("mfaConfiguration", mfaConfiguration)
            list.set("schema", schema)
            list.set("deletionProtection", deletionProtection)
            list.set("tags", tags.isEmpty ? nil : tags)
            return list.values
        }

        /// The pool's ARN.
        public var arn: Text { attribute("arn") }
        /// The pool id (`us-east-1_AbCdEf`).
        public var poolID: Text { attribute("id") }
        /// `cognito-idp.<region>.amazonaws.com/<pool id>`: the issuer of the pool's tokens and the
        /// provider name identity pools use.
        public var endpoint: Text { attribute("endpoint") }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { UserPoolType(aws: aws) }
    }
}

/// Creates, reads, updates and deletes user pools.
struct UserPoolType: ResourceType {
    let aws: AWSClient

    static let defaultPasswordPolicy = Cognito.UserPool.PasswordPolicy().expression.literal ?? .null

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: Cognito.UserPool.typeName, terraformType: "aws_cognito_user_pool",
            properties: [
                PropertySchema("name", forcesReplacement: true),
                PropertySchema("passwordPolicy", default: Self.defaultPasswordPolicy),
                PropertySchema("autoVerifiedAttributes", default: .list([])),
                PropertySchema("usernameAttributes", forcesReplacement: true, default: .list([])),
                PropertySchema("mfaConfiguration", default: "OFF"),
                PropertySchema("schema", forcesReplacement: true, default: .list([])),
                PropertySchema("deletionProtection", default: "INACTIVE"),
                PropertySchema("tags", default: .map([:])),
            ],
            attributes: [AttributeSchema("arn"), AttributeSchema("endpoint")])
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func problem(_ property: String, _ message: String) {
            issues.append(ValidationIssue(subject: address.description, property: property, message: message))
        }
        if let name = properties["name"]?.literal?.stringValue, name.isEmpty || name.count > 128 {
            problem("name", "must be 1 to 128 characters")
        }
        if let mfa = properties["mfaConfiguration"]?.literal?.stringValue, !["OFF", "ON", "OPTIONAL"].contains(mfa) {
            problem("mfaConfiguration", "must be OFF, ON or OPTIONAL, not \"\(mfa)\"")
        }
        if let protection = properties["deletionProtection"]?.literal?.stringValue, !["ACTIVE", "INACTIVE"].contains(protection) {
            problem("deletionProtection", "must be ACTIVE or INACTIVE, not \"\(protection)\"")
        }
        if let length = properties["passwordPolicy"]?.literal?["minimumLength"].intValue, !(6...99).contains(length) {
            problem("passwordPolicy", "minimumLength must be 6 to 99, not \(length)")
        }
        for attribute in CognitoValues.strings(properties["usernameAttributes"]?.literal) where !["email", "phone_number"].contains(attribute) {
            problem("usernameAttributes", "\"\(attribute)\" is not email or phone_number")
        }
        return issues
    }

    func normalize(_ property: String, _ value: Value) -> Value {
        ["autoVerifiedAttributes", "usernameAttributes", "schema"].contains(property) ? CognitoValues.sortedList(value) : value
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        var settings = Self.settings(properties)
        // Pool names are not unique: the intent tag is how a crashed apply finds the pool again.
        if let intent = context.intentID { settings.userPoolTags?[TagRules.reservedPrefix + "intent"] = intent }
        settings.schemaAttributes = Self.schemaAttributes(properties["schema"])
        settings.usernameAttributes = CognitoValues.strings(properties["usernameAttributes"])
        let created = try await aws.cognitoIdentityProvider.createUserPool(settings, region: context.region)
        guard let id = created.id else { throw AWSClientError(.invalidResponse, "CreateUserPool answered no pool id") }
        return try await read(id, declared: Set(properties.keys), region: context.region)
            ?? ResourceSnapshot(id: id, properties: properties)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, declared: Set(recorded.properties.keys), region: context.region)
    }

    private func read(_ id: String, declared: Set<String>, region: String) async throws -> ResourceSnapshot? {
        guard let pool = try await aws.cognitoIdentityProvider.describeUserPool(id, region: region) else { return nil }
        let password = pool.policies?.passwordPolicy
        // Cognito lists its standard attributes too; custom ones come back as `custom:<name>`.
        let custom = (pool.schemaAttributes ?? []).filter { $0.name.hasPrefix("custom:") }.map { attribute -> Value in
            .map(["name": .string(String(attribute.name.dropFirst("custom:".count))), "type": .string(attribute.attributeDataType ?? "String"),
                  "mutable": .bool(attribute.mutable ?? true), "required": .bool(attribute.required ?? false)])
        }
        let properties: [String: Value] = [
            "name": .string(pool.name ?? ""),
            "passwordPolicy": .map([
                "minimumLength": .int(password?.minimumLength ?? 8), "requireUppercase": .bool(password?.requireUppercase ?? false),
                "requireLowercase": .bool(password?.requireLowercase ?? false), "requireNumbers": .bool(password?.requireNumbers ?? false),
                "requireSymbols": .bool(password?.requireSymbols ?? false),
                "temporaryPasswordValidityDays": .int(password?.temporaryPasswordValidityDays ?? 7),
            ]),
            "autoVerifiedAttributes": CognitoValues.list(pool.autoVerifiedAttributes),
            "usernameAttributes": CognitoValues.list(pool.usernameAttributes),
            "mfaConfiguration": .string(pool.mfaConfiguration ?? "OFF"),
            "schema": normalize("schema", .list(custom)),
            "deletionProtection": .string(pool.deletionProtection ?? "INACTIVE"),
            "tags": TagRules.visible(pool.userPoolTags ?? [:]),
        ]
        return ResourceSnapshot(id: id, properties: properties.filter { declared.contains($0.key) },
                                attributes: ["arn": .string(pool.arn ?? ""), "endpoint": .string("cognito-idp.\(region).amazonaws.com/\(id)")])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        // UpdateUserPool resets what it is not given, so every updatable setting is sent. (The
        // intent tag it drops was only needed while the pool was being created.)
        try await aws.cognitoIdentityProvider.updateUserPool(current.id, Self.settings(desired), region: context.region)
        return try await read(current.id, declared: Set(desired.keys), region: context.region) ?? current
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        guard let pool = try await aws.cognitoIdentityProvider.describeUserPool(current.id, region: context.region) else { return }
        if pool.deletionProtection == "ACTIVE" {
            throw AWSClientError(.invalidConfiguration,
                                 "user pool \(current.id) has deletion protection ACTIVE; set deletionProtection to \"INACTIVE\" and apply before destroying it")
        }
        do {
            try await aws.cognitoIdentityProvider.deleteUserPool(current.id, region: context.region)
        } catch let error as AWSError where error.code == "ResourceNotFoundException" {
            return
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, declared: Set(schema.properties.map(\.name)), region: context.region)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let intent = context.intentID, let name = properties["name"]?.stringValue else { return nil }
        for (id, poolName) in try await aws.cognitoIdentityProvider.listUserPools(region: context.region) where poolName == name {
            let pool = try await aws.cognitoIdentityProvider.describeUserPool(id, region: context.region)
            if pool?.userPoolTags?[TagRules.reservedPrefix + "intent"] == intent {
                return try await read(id, declared: Set(properties.keys), region: context.region)
            }
        }
        return nil
    }

    // MARK: - Conversions

    static func settings(_ properties: [String: Value]) -> AWS.CognitoIdentityProvider.UserPool {
        let password = properties["passwordPolicy"] ?? defaultPasswordPolicy
        return AWS.CognitoIdentityProvider.UserPool(
            name: properties["name"]?.stringValue,
            passwordPolicy: .init(minimumLength: password["minimumLength"].intValue, requireUppercase: password["requireUppercase"].boolValue,
                                  requireLowercase: password["requireLowercase"].boolValue, requireNumbers: password["requireNumbers"].boolValue,
                                  requireSymbols: password["requireSymbols"].boolValue,
                                  temporaryPasswordValidityDays: password["temporaryPasswordValidityDays"].intValue),
            autoVerifiedAttributes: CognitoValues.strings(properties["autoVerifiedAttributes"]),
            mfaConfiguration: properties["mfaConfiguration"]?.stringValue ?? "OFF",
            deletionProtection: properties["deletionProtection"]?.stringValue ?? "INACTIVE",
            userPoolTags: CognitoValues.stringMap(properties["tags"]))
    }

    static func schemaAttributes(_ value: Value?) -> [AWS.CognitoIdentityProvider.SchemaAttribute]? {
        let attributes = (value?.listValue ?? []).map { attribute in
            AWS.CognitoIdentityProvider.SchemaAttribute(name: attribute["name"].stringValue ?? "", attributeDataType: attribute["type"].stringValue,
                                                        mutable: attribute["mutable"].boolValue, required: attribute["required"].boolValue)
        }
        return attributes.isEmpty ? nil : attributes
    }
}
