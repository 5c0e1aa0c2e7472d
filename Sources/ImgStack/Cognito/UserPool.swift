import AWS
import Engine
import Foundation

extension Cognito {
    /// A Cognito user pool (`aws_cognito_user_pool`).
    ///
    /// ```swift
    /// let pool = stack.add(Cognito.UserPool("users", poolName: "images-users", autoVerifiedAttributes: ["email"],
    ///                                       usernameAttributes: ["email"], mfaConfiguration: "OPTIONAL"))
    /// ```
    ///
    /// A pool whose `deletionProtection` is `ACTIVE` is never deleted: destroy (or a replacement)
    /// stops with an error saying to set it `INACTIVE` and apply first.
    public struct UserPool: Resource {
        public static let typeName = "cognito.user_pool"

        public var name: String
        /// The pool's name: 1 to 128 letters, digits, spaces or `+ = , . @ _ -`. Names need not be
        /// unique. Changing it replaces the pool.
        public var poolName: Text
        /// The password rules.
        public var passwordPolicy: PasswordPolicy
        /// Attributes Cognito verifies by sending a code: `email`, `phone_number`.
        public var autoVerifiedAttributes: [String]
        /// Attributes users sign in with instead of a user name: `email`, `phone_number`. Changing them replaces the pool.
        public var usernameAttributes: [String]
        /// `OFF`, `ON` or `OPTIONAL`; `ON` and `OPTIONAL` use authenticator apps (TOTP) as the second factor.
        public var mfaConfiguration: String
        /// Standard attributes with other settings and custom attributes. Changing them replaces the pool.
        public var schema: [SchemaAttribute]
        /// `ACTIVE` (the pool cannot be deleted) or `INACTIVE`.
        public var deletionProtection: String
        /// Tags (at most 50).
        public var tags: [String: Text]
        public var dependsOn: [Address] = []

        /// Declares a user pool.
        public init(_ name: String, poolName: Text, passwordPolicy: PasswordPolicy = PasswordPolicy(), autoVerifiedAttributes: [String] = [],
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
            list.set("poolName", poolName)
            list.set("passwordPolicy", passwordPolicy)
            list.set("autoVerifiedAttributes", autoVerifiedAttributes)
            list.set("usernameAttributes", usernameAttributes)
            list.set("mfaConfiguration", mfaConfiguration)
            list.set("schema", schema.isEmpty ? nil : schema)
            list.set("deletionProtection", deletionProtection)
            list.set("tags", tags.isEmpty ? nil : tags)
            return list.values
        }

        /// The pool ARN.
        public var arn: Text { attribute("arn") }
        /// `cognito-idp.<region>.amazonaws.com/<pool id>`: the issuer of the pool's tokens and the
        /// provider name an identity pool knows it by.
        public var endpoint: Text { attribute("endpoint") }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { UserPoolType(aws: aws) }
    }
}

/// Destroying a user pool whose deletion protection is on.
struct UserPoolProtectedError: Error, Sendable, CustomStringConvertible {
    /// The pool id.
    var poolID: String

    var description: String {
        "user pool \(poolID) has deletion protection ACTIVE, so it was not deleted; set deletionProtection: \"INACTIVE\" "
            + "and apply before destroying or replacing it"
    }
}

/// Creates, reads, updates and deletes user pools.
struct UserPoolType: ResourceType {
    let aws: AWSClient

    static let verifiableAttributes = ["email", "phone_number"]
    static let mfaModes = ["OFF", "ON", "OPTIONAL"]
    static let protectionModes = ["ACTIVE", "INACTIVE"]
    static let dataTypes = ["String", "Number", "DateTime", "Boolean"]
    static let defaultPasswordPolicy = Cognito.PasswordPolicy().value

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: Cognito.UserPool.typeName, terraformType: "aws_cognito_user_pool",
            properties: [
                PropertySchema("poolName", forcesReplacement: true),
                PropertySchema("passwordPolicy", default: Self.defaultPasswordPolicy),
                PropertySchema("autoVerifiedAttributes", default: []),
                PropertySchema("usernameAttributes", forcesReplacement: true, default: []),
                PropertySchema("mfaConfiguration", default: "OFF"),
                PropertySchema("schema", forcesReplacement: true, default: []),
                PropertySchema("deletionProtection", default: "INACTIVE"),
                PropertySchema("tags", default: .map([:])),
            ],
            attributes: [AttributeSchema("arn"), AttributeSchema("endpoint")])
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func add(_ property: String, _ message: String) {
            issues.append(ValidationIssue(subject: address.description, property: property, message: message))
        }
        issues += [CognitoValues.nameIssue(properties, "poolName", address: address),
                   CognitoValues.enumIssue(properties, "mfaConfiguration", Self.mfaModes, address: address),
                   CognitoValues.enumIssue(properties, "deletionProtection", Self.protectionModes, address: address)].compactMap { $0 }
        issues += CognitoValues.enumListIssues(properties, "autoVerifiedAttributes", Self.verifiableAttributes, address: address)
        issues += CognitoValues.enumListIssues(properties, "usernameAttributes", Self.verifiableAttributes, address: address)
        if let policy = properties["passwordPolicy"]?.literal {
            issues += [CognitoValues.rangeIssue(policy["minimumLength"], 6...99, property: "passwordPolicy",
                                                what: "minimumLength", address: address),
                       CognitoValues.rangeIssue(policy["temporaryPasswordValidityDays"], 0...365, property: "passwordPolicy",
                                                what: "temporaryPasswordValidityDays", address: address)].compactMap { $0 }
        }
        var seen: Set<String> = []
        for attribute in properties["schema"]?.literal?.listValue ?? [] {
            let name = attribute["name"].stringValue ?? ""
            if name.isEmpty || name.count > 20 { add("schema", "attribute name \"\(name)\" must be 1 to 20 characters") }
            if name.hasPrefix("custom:") { add("schema", "attribute \"\(name)\": give the name without the custom: prefix") }
            if !seen.insert(name).inserted { add("schema", "attribute \"\(name)\" is declared twice") }
            if let type = attribute["attributeDataType"].stringValue, !Self.dataTypes.contains(type) {
                add("schema", "attribute \"\(name)\": type \"\(type)\" is not one of \(Self.dataTypes.joined(separator: ", "))")
            }
            if attribute["required"] == true && !UserPoolType.standardAttributes.contains(name) {
                add("schema", "attribute \"\(name)\": only standard attributes can be required")
            }
        }
        for problem in TagRules.problems(properties["tags"]?.literal, limit: 50) { add("tags", problem) }
        return issues
    }

    func normalize(_ property: String, _ value: Value) -> Value {
        switch property {
        case "autoVerifiedAttributes", "usernameAttributes": return CognitoValues.sortedList(CognitoValues.strings(value))
        case "schema": return CognitoValues.sorted(value, by: "name")
        default: return value
        }
    }

    // MARK: - Create

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let idp = aws.cognitoIdentityProvider
        let settings = Self.settings(properties, keeping: CognitoValues.intentTag(context))
        let schema = (properties["schema"]?.listValue ?? []).map { attribute in
            CognitoIdentityProvider.SchemaAttribute(name: attribute["name"].stringValue ?? "",
                                                    attributeDataType: attribute["attributeDataType"].stringValue,
                                                    mutable: attribute["mutable"].boolValue, required: attribute["required"].boolValue)
        }
        // Pool names are not unique: the intent tag (with the name) is how a crashed apply finds the pool.
        let pool = try await idp.createUserPool(name: properties["poolName"]?.stringValue ?? "", settings: settings,
                                                usernameAttributes: CognitoValues.strings(properties["usernameAttributes"]),
                                                schema: schema, region: context.region)
        if settings.mfaConfiguration != "OFF" {
            try await idp.setUserPoolMfaConfig(pool.id, mode: settings.mfaConfiguration, region: context.region)
        }
        var recorded = properties
        for (name, value) in properties { recorded[name] = normalize(name, value) }
        return ResourceSnapshot(id: pool.id, properties: recorded, attributes: Self.attributes(pool, region: context.region))
    }

    // MARK: - Read

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let pool = try await describe(recorded.id, region: context.region) else { return nil }
        return snapshot(pool, declared: Set(recorded.properties.keys), schemaNames: Self.schemaNames(recorded.properties["schema"]),
                        region: context.region)
    }

    private func describe(_ id: String, region: String) async throws -> CognitoIdentityProvider.UserPool? {
        do {
            return try await aws.cognitoIdentityProvider.describeUserPool(id, region: region)
        } catch let error as AWSError where CognitoValues.isNotFound(error) {
            return nil
        }
    }

    /// The pool's declared properties from one `DescribeUserPool` answer.
    /// - Parameter schemaNames: the attributes to report; nil for every custom attribute (import).
    func snapshot(_ pool: CognitoIdentityProvider.UserPool, declared: Set<String>, schemaNames: Set<String>?, region: String) -> ResourceSnapshot {
        var properties: [String: Value] = [:]
        if declared.contains("poolName") { properties["poolName"] = .string(pool.name) }
        if declared.contains("passwordPolicy") { properties["passwordPolicy"] = Self.passwordPolicyValue(pool.passwordPolicy) }
        if declared.contains("autoVerifiedAttributes") { properties["autoVerifiedAttributes"] = CognitoValues.sortedList(pool.autoVerifiedAttributes) }
        if declared.contains("usernameAttributes") { properties["usernameAttributes"] = CognitoValues.sortedList(pool.usernameAttributes) }
        if declared.contains("mfaConfiguration") { properties["mfaConfiguration"] = .string(pool.mfaConfiguration ?? "OFF") }
        if declared.contains("deletionProtection") { properties["deletionProtection"] = .string(pool.deletionProtection ?? "INACTIVE") }
        if declared.contains("tags") { properties["tags"] = TagRules.visible(pool.tags) }
        if declared.contains("schema") { properties["schema"] = Self.schemaValue(pool.schemaAttributes, names: schemaNames) }
        return ResourceSnapshot(id: pool.id, properties: properties, attributes: Self.attributes(pool, region: region))
    }

    // MARK: - Update

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let idp = aws.cognitoIdentityProvider
        // UpdateUserPool resets every member it is not given, so it starts from the pool as it is now.
        guard let pool = try await describe(current.id, region: context.region) else {
            throw AWSError(service: "cognito-idp", operation: "DescribeUserPool", statusCode: 400, code: "ResourceNotFoundException",
                           message: "User pool \(current.id) does not exist.")
        }
        let settings = Self.settings(desired, keeping: pool.tags)
        if changed.contains("mfaConfiguration") {
            try await idp.setUserPoolMfaConfig(pool.id, mode: settings.mfaConfiguration, region: context.region)
        }
        try await idp.updateUserPool(pool, settings: settings, region: context.region)
        var properties = desired
        for (name, value) in desired { properties[name] = normalize(name, value) }
        return ResourceSnapshot(id: current.id, properties: properties, attributes: current.attributes)
    }

    // MARK: - Delete, import, recovery

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        // Deletion protection is the owner's explicit guard: imgstack refuses rather than turning it off.
        guard let pool = try await describe(current.id, region: context.region) else { return }
        if pool.deletionProtection == "ACTIVE" { throw UserPoolProtectedError(poolID: pool.id) }
        do {
            try await aws.cognitoIdentityProvider.deleteUserPool(pool.id, region: context.region)
        } catch let error as AWSError where CognitoValues.isNotFound(error) {
            return
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let pool = try await describe(id, region: context.region) else { return nil }
        return snapshot(pool, declared: Set(schema.properties.map(\.name)), schemaNames: nil, region: context.region)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard context.intentID != nil, let name = properties["poolName"]?.stringValue else { return nil }
        for entry in try await aws.cognitoIdentityProvider.listUserPools(region: context.region) where entry.name == name {
            guard let pool = try await describe(entry.id, region: context.region), CognitoValues.hasIntent(pool.tags, context) else { continue }
            return snapshot(pool, declared: Set(properties.keys), schemaNames: Self.schemaNames(properties["schema"]), region: context.region)
        }
        return nil
    }

    // MARK: - Helpers

    /// The standard attributes of every pool (all others are custom).
    static let standardAttributes: Set<String> = [
        "address", "birthdate", "email", "email_verified", "family_name", "gender", "given_name", "locale", "middle_name", "name",
        "nickname", "phone_number", "phone_number_verified", "picture", "preferred_username", "profile", "sub", "updated_at",
        "website", "zoneinfo",
    ]

    static func settings(_ properties: [String: Value], keeping currentTags: [String: String]) -> CognitoIdentityProvider.UserPoolSettings {
        let policy = properties["passwordPolicy"] ?? defaultPasswordPolicy
        return CognitoIdentityProvider.UserPoolSettings(
            passwordPolicy: CognitoIdentityProvider.PasswordPolicy(
                minimumLength: policy["minimumLength"].intValue, requireUppercase: policy["requireUppercase"].boolValue,
                requireLowercase: policy["requireLowercase"].boolValue, requireNumbers: policy["requireNumbers"].boolValue,
                requireSymbols: policy["requireSymbols"].boolValue,
                temporaryPasswordValidityDays: policy["temporaryPasswordValidityDays"].intValue),
            autoVerifiedAttributes: CognitoValues.strings(properties["autoVerifiedAttributes"]).sorted(),
            deletionProtection: properties["deletionProtection"]?.stringValue ?? "INACTIVE",
            mfaConfiguration: properties["mfaConfiguration"]?.stringValue ?? "OFF",
            tags: CognitoValues.tags(properties["tags"], keeping: currentTags))
    }

    static func passwordPolicyValue(_ policy: CognitoIdentityProvider.PasswordPolicy?) -> Value {
        // AWS leaves out members at their defaults in some answers; the defaults fill them in.
        let defaults = Cognito.PasswordPolicy()
        return Cognito.PasswordPolicy(
            minimumLength: policy?.minimumLength ?? defaults.minimumLength,
            requireLowercase: policy?.requireLowercase ?? defaults.requireLowercase,
            requireUppercase: policy?.requireUppercase ?? defaults.requireUppercase,
            requireNumbers: policy?.requireNumbers ?? defaults.requireNumbers,
            requireSymbols: policy?.requireSymbols ?? defaults.requireSymbols,
            temporaryPasswordValidityDays: policy?.temporaryPasswordValidityDays ?? defaults.temporaryPasswordValidityDays).value
    }

    /// The names of the declared schema attributes.
    static func schemaNames(_ value: Value?) -> Set<String> {
        Set((value?.listValue ?? []).compactMap { $0["name"].stringValue })
    }

    /// The described attributes as a property value, named as declared (custom ones without
    /// `custom:`): the declared ones, or every custom one when `names` is nil.
    static func schemaValue(_ attributes: [CognitoIdentityProvider.SchemaAttribute], names: Set<String>?) -> Value {
        let items: [Value] = attributes.compactMap { attribute in
            let isCustom = attribute.name.hasPrefix("custom:")
            let name = isCustom ? String(attribute.name.dropFirst("custom:".count)) : attribute.name
            if let names { guard names.contains(name) else { return nil } } else { guard isCustom else { return nil } }
            return .map(["name": .string(name), "attributeDataType": .string(attribute.attributeDataType ?? "String"),
                         "mutable": .bool(attribute.mutable ?? true), "required": .bool(attribute.required ?? false)])
        }
        return CognitoValues.sorted(.list(items), by: "name")
    }

    static func attributes(_ pool: CognitoIdentityProvider.UserPool, region: String) -> [String: Value] {
        var attributes: [String: Value] = ["endpoint": .string("cognito-idp.\(region).amazonaws.com/\(pool.id)")]
        if let arn = pool.arn { attributes["arn"] = .string(arn) }
        return attributes
    }
}
