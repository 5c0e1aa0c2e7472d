import AWS
import Engine
import Foundation

extension Cognito {
    /// The roles an identity pool gives its identities (`aws_cognito_identity_pool_roles_attachment`).
    ///
    /// ```swift
    /// stack.add(Cognito.IdentityPoolRoles("roles", identityPoolID: identities.id,
    ///                                     roles: ["authenticated": signedIn.arn, "unauthenticated": guest.arn],
    ///                                     roleMappings: [Cognito.RoleMapping(identityProvider: "\(pool.endpoint):\(client.id)",
    ///                                                                        type: "Token", ambiguousRoleResolution: "Deny")]))
    /// ```
    ///
    /// Destroying it leaves the pool without roles.
    public struct IdentityPoolRoles: Resource {
        public static let typeName = "cognito.identity_pool_roles"

        public var name: String
        /// The identity pool: `identities.id`. Changing it replaces the attachment.
        public var identityPoolID: Text
        /// `authenticated` and/or `unauthenticated` → role ARN.
        public var roles: [String: Text]
        /// Per-provider role choice (at most 10).
        public var roleMappings: [RoleMapping]
        public var dependsOn: [Address] = []

        /// Declares the roles of an identity pool.
        public init(_ name: String, identityPoolID: Text, roles: [String: Text], roleMappings: [RoleMapping] = []) {
            self.name = name
            self.identityPoolID = identityPoolID
            self.roles = roles
            self.roleMappings = roleMappings
        }

        public var properties: [String: Engine.Expression] {
            var list = PropertyList()
            list.set("identityPoolID", identityPoolID)
            list.set("roles", roles)
            list.set("roleMappings", roleMappings)
            return list.values
        }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { IdentityPoolRolesType(aws: aws) }
    }
}

/// Sets, reads and clears the roles of identity pools.
struct IdentityPoolRolesType: ResourceType {
    let aws: AWSClient

    static let roleKeys = ["authenticated", "unauthenticated"]
    static let mappingTypes = ["Token", "Rules"]
    static let resolutions = ["AuthenticatedRole", "Deny"]
    static let matchTypes = ["Equals", "Contains", "StartsWith", "NotEqual"]

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: Cognito.IdentityPoolRoles.typeName, terraformType: "aws_cognito_identity_pool_roles_attachment",
            properties: [
                PropertySchema("identityPoolID", forcesReplacement: true),
                PropertySchema("roles"),
                PropertySchema("roleMappings", default: []),
            ],
            attributes: [], uniqueNameProperty: "identityPoolID")
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func add(_ property: String, _ message: String) {
            issues.append(ValidationIssue(subject: address.description, property: property, message: message))
        }
        if let roles = properties["roles"]?.literal?.mapValue {
            if roles.isEmpty { add("roles", "give an authenticated and/or unauthenticated role") }
            for key in roles.keys.sorted() where !Self.roleKeys.contains(key) {
                add("roles", "\"\(key)\" is not authenticated or unauthenticated")
            }
        }
        guard let mappings = properties["roleMappings"]?.literal?.listValue else { return issues }
        if mappings.count > 10 { add("roleMappings", "AWS takes at most 10 role mappings; there are \(mappings.count)") }
        for mapping in mappings {
            let provider = mapping["identityProvider"].stringValue ?? "?"
            let type = mapping["type"].stringValue ?? ""
            if !Self.mappingTypes.contains(type) { add("roleMappings", "\(provider): type \"\(type)\" is not Token or Rules") }
            if let resolution = mapping["ambiguousRoleResolution"].stringValue, !Self.resolutions.contains(resolution) {
                add("roleMappings", "\(provider): ambiguousRoleResolution \"\(resolution)\" is not AuthenticatedRole or Deny")
            }
            let rules = mapping["rules"].listValue ?? []
            if type == "Rules" && !(1...25).contains(rules.count) { add("roleMappings", "\(provider): a Rules mapping needs 1 to 25 rules") }
            if type == "Token" && !rules.isEmpty { add("roleMappings", "\(provider): a Token mapping takes no rules") }
            for rule in rules {
                if let match = rule["matchType"].stringValue, !Self.matchTypes.contains(match) {
                    add("roleMappings", "\(provider): matchType \"\(match)\" is not one of \(Self.matchTypes.joined(separator: ", "))")
                }
            }
        }
        return issues
    }

    func normalize(_ property: String, _ value: Value) -> Value {
        // The mappings are a map in AWS: their order carries nothing. Rules keep theirs (first match wins).
        property == "roleMappings" && !value.containsUnknown ? CognitoValues.sorted(value, by: "identityProvider") : value
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let roles = Self.roles(properties)
        try await aws.cognitoIdentity.setIdentityPoolRoles(roles, region: context.region)
        var recorded = properties
        for (name, value) in properties { recorded[name] = normalize(name, value) }
        return ResourceSnapshot(id: roles.identityPoolID, properties: recorded)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        let roles: CognitoIdentity.Roles
        do {
            roles = try await aws.cognitoIdentity.getIdentityPoolRoles(recorded.id, region: context.region)
        } catch let error as AWSError where CognitoValues.isNotFound(error) {
            return nil
        }
        // A pool without roles has no attachment.
        guard !roles.roles.isEmpty || !roles.roleMappings.isEmpty else { return nil }
        let mappings: [Value] = roles.roleMappings.map { provider, mapping in
            var entry: [String: Value] = [
                "identityProvider": .string(provider), "type": .string(mapping.type),
                "rules": .list(mapping.rules.map {
                    .map(["claim": .string($0.claim), "matchType": .string($0.matchType), "value": .string($0.value), "roleARN": .string($0.roleARN)])
                }),
            ]
            if let resolution = mapping.ambiguousRoleResolution { entry["ambiguousRoleResolution"] = .string(resolution) }
            return .map(entry)
        }
        let all: [String: Value] = [
            "identityPoolID": .string(recorded.id), "roles": .map(roles.roles.mapValues(Value.string)),
            "roleMappings": normalize("roleMappings", .list(mappings)),
        ]
        let declared = recorded.properties.isEmpty ? Set(schema.properties.map(\.name)) : Set(recorded.properties.keys)
        return ResourceSnapshot(id: recorded.id, properties: all.filter { declared.contains($0.key) })
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        // SetIdentityPoolRoles replaces roles and mappings together, so one call carries both.
        try await aws.cognitoIdentity.setIdentityPoolRoles(Self.roles(desired), region: context.region)
        var properties = desired
        for (name, value) in desired { properties[name] = normalize(name, value) }
        return ResourceSnapshot(id: current.id, properties: properties)
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        do {
            try await aws.cognitoIdentity.setIdentityPoolRoles(CognitoIdentity.Roles(identityPoolID: current.id, roles: [:]), region: context.region)
        } catch let error as AWSError where CognitoValues.isNotFound(error) {
            return
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(ResourceSnapshot(id: id, properties: [:]), context: context)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let poolID = properties["identityPoolID"]?.stringValue else { return nil }
        return try await read(ResourceSnapshot(id: poolID, properties: properties), context: context)
    }

    static func roles(_ properties: [String: Value]) -> CognitoIdentity.Roles {
        var mappings: [String: CognitoIdentity.RoleMapping] = [:]
        for mapping in properties["roleMappings"]?.listValue ?? [] {
            mappings[mapping["identityProvider"].stringValue ?? ""] = CognitoIdentity.RoleMapping(
                type: mapping["type"].stringValue ?? "", ambiguousRoleResolution: mapping["ambiguousRoleResolution"].stringValue,
                rules: (mapping["rules"].listValue ?? []).map {
                    CognitoIdentity.MappingRule(claim: $0["claim"].stringValue ?? "", matchType: $0["matchType"].stringValue ?? "",
                                                value: $0["value"].stringValue ?? "", roleARN: $0["roleARN"].stringValue ?? "")
                })
        }
        return CognitoIdentity.Roles(identityPoolID: properties["identityPoolID"]?.stringValue ?? "",
                                     roles: CognitoValues.stringMap(properties["roles"]), roleMappings: mappings)
    }
}
