import AWS
import Engine

extension Cognito {
    /// The IAM roles an identity pool hands out (`aws_cognito_identity_pool_roles_attachment`):
    /// one for signed-in users, one for guests, and optional per-provider role mappings.
    ///
    /// ```swift
    /// stack.add(Cognito.IdentityPoolRoles("images", identityPoolID: identities.poolID,
    ///     authenticatedRole: signedIn.arn, unauthenticatedRole: guests.arn))
    /// ```
    public struct IdentityPoolRoles: Resource {
        public static let terraformType = "aws_cognito_identity_pool_roles_attachment"

        /// One rule of a `Rules` mapping: when the token's claim matches, the user gets the role.
        public struct MappingRule: Sendable, ExpressionConvertible {
            /// The token claim (`cognito:groups`, `isAdmin`).
            public var claim: String
            /// `Equals`, `Contains`, `StartsWith` or `NotEqual`.
            public var matchType: String
            /// The value the claim is compared with.
            public var value: String
            /// The role given: `role.arn`.
            public var roleARN: Text

            /// Declares a rule.
            public init(claim: String, matchType: String = "Equals", value: String, roleARN: Text) {
                self.claim = claim
                self.matchType = matchType
                self.value = value
                self.roleARN = roleARN
            }

            public var expression: Engine.Expression {
                .map(["claim": .value(.string(claim)), "matchType": .value(.string(matchType)), "value": .value(.string(value)),
                      "roleARN": roleARN.expression])
            }
        }

        /// How one identity provider's users get roles.
        public struct RoleMapping: Sendable, ExpressionConvertible {
            /// `cognito-idp.<region>.amazonaws.com/<user pool id>:<app client id>`.
            public var identityProvider: Text
            /// `Token` (roles from the token's `cognito:roles` / `cognito:preferred_role` claims) or
            /// `Rules` (the first matching rule decides).
            public var type: String
            /// `AuthenticatedRole` or `Deny` when no rule or claim decides.
            public var ambiguousRoleResolution: String
            /// The rules of a `Rules` mapping (1 to 25), in order; none for `Token`.
            public var rules: [MappingRule]

            /// Declares a mapping.
            public init(identityProvider: Text, type: String = "Token", ambiguousRoleResolution: String = "AuthenticatedRole",
                        rules: [MappingRule] = []) {
                self.identityProvider = identityProvider
                self.type = type
                self.ambiguousRoleResolution = ambiguousRoleResolution
                self.rules = rules
            }

            public var expression: Engine.Expression {
                .map(["identityProvider": identityProvider.expression, "type": .value(.string(type)),
                      "ambiguousRoleResolution": .value(.string(ambiguousRoleResolution)), "rules": rules.expression])
            }
        }

        public var name: String
        /// The identity pool. Changing it replaces the attachment.
        public var identityPoolID: Text
        /// The role of signed-in users.
        public var authenticatedRole: Text
        /// The role of guests, when the pool allows them.
        public var unauthenticatedRole: Text?
        /// Per-provider mappings.
        public var roleMappings: [RoleMapping]
        public var dependsOn: [Address] = []

        /// Declares the roles of an identity pool.
        public init(_ name: String, identityPoolID: Text, authenticatedRole: Text, unauthenticatedRole: Text? = nil, roleMappings: [RoleMapping] = []) {
            self.name = name
            self.identityPoolID = identityPoolID
            self.authenticatedRole = authenticatedRole
            self.unauthenticatedRole = unauthenticatedRole
            self.roleMappings = roleMappings
        }

        public var properties: [String: Engine.Expression] {
            var roles: [String: Engine.Expression] = ["authenticated": authenticatedRole.expression]
            if let unauthenticatedRole { roles["unauthenticated"] = unauthenticatedRole.expression }
            var list = PropertyList()
            list.set(Self.property.identityPoolID, identityPoolID)
            list.set(Self.property.roles, expression: .map(roles))
            list.set(Self.property.roleMappings, roleMappings)
            return list.values
        }

        public static func makeType() -> any ResourceType { IdentityPoolRolesType() }
    }
}

extension Cognito.IdentityPoolRoles {
    /// The roles attachment's properties, each declared once.
    struct Properties: PropertySet {
        let identityPoolID = Property<String>("identityPoolID", forcesReplacement: true)
        /// `authenticated` / `unauthenticated` → role ARN.
        let roles = Property<[String: String]>("roles")
        /// Per-provider mappings; the provider's `role_mapping` blocks.
        let roleMappings = Property<Value>("roleMappings", terraform: .blocks("role_mapping"), default: .list([]))
    }

    static let property = Properties()
}

/// Sets and clears the roles of identity pools.
struct IdentityPoolRolesType: ResourceType {
    static let schema = ResourceSchema(Cognito.IdentityPoolRoles.self, Cognito.IdentityPoolRoles.Properties.self)

    var schema: ResourceSchema { Self.schema }
    private var property: Cognito.IdentityPoolRoles.Properties { Cognito.IdentityPoolRoles.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func problem(_ message: String) {
            issues.append(ValidationIssue(address, property.roleMappings, message))
        }
        for mapping in properties.literal(property.roleMappings)?.listValue ?? [] {
            let rules = mapping["rules"].listValue ?? []
            switch mapping["type"].stringValue {
            case "Token"?:
                if !rules.isEmpty { problem("a Token mapping takes no rules") }
            case "Rules"?:
                if !(1...25).contains(rules.count) { problem("a Rules mapping needs 1 to 25 rules, not \(rules.count)") }
            case let type?:
                problem("type \"\(type)\" is not Token or Rules")
            case nil:
                break
            }
            for rule in rules {
                if let match = rule["matchType"].stringValue, !["Equals", "Contains", "StartsWith", "NotEqual"].contains(match) {
                    problem("matchType \"\(match)\" is not Equals, Contains, StartsWith or NotEqual")
                }
            }
            if let resolution = mapping["ambiguousRoleResolution"].stringValue, !["AuthenticatedRole", "Deny"].contains(resolution) {
                problem("ambiguousRoleResolution \"\(resolution)\" is not AuthenticatedRole or Deny")
            }
        }
        return issues
    }

    func normalize(_ name: String, _ value: Value) -> Value {
        name == property.roleMappings.name ? CognitoValues.sortedList(value) : value
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let identityPools = try context.cognitoIdentity
        let id = properties[property.identityPoolID] ?? ""
        try await identityPools.setIdentityPoolRoles(Self.roles(properties, id: id))
        return try await find(id, identityPools: identityPools) ?? ResourceSnapshot(id: id, properties: properties)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(recorded.id, identityPools: try context.cognitoIdentity)
    }

    private func find(_ id: String, identityPools: AWS.CognitoIdentity) async throws -> ResourceSnapshot? {
        guard let roles = try await identityPools.identityPoolRoles(id), !roles.roles.isEmpty else { return nil }
        let mappings = (roles.roleMappings ?? [:]).map { provider, mapping -> Value in
            .map(["identityProvider": .string(provider), "type": .string(mapping.type),
                  "ambiguousRoleResolution": .string(mapping.ambiguousRoleResolution ?? "AuthenticatedRole"),
                  "rules": .list((mapping.rules ?? []).map { rule in
                      .map(["claim": .string(rule.claim), "matchType": .string(rule.matchType), "value": .string(rule.value),
                            "roleARN": .string(rule.roleARN)])
                  })])
        }
        var properties: [String: Value] = [:]
        properties[property.identityPoolID] = id
        properties[property.roles] = roles.roles
        properties[property.roleMappings] = normalize(property.roleMappings.name, .list(mappings))
        return ResourceSnapshot(id: id, properties: properties)
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let identityPools = try context.cognitoIdentity
        try await identityPools.setIdentityPoolRoles(Self.roles(desired, id: current.id))
        return try await find(current.id, identityPools: identityPools) ?? current
    }

    /// Clears the roles: the pool stays (it is its own resource) but hands out no credentials.
    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let identityPools = try context.cognitoIdentity
        _ = try await nilWhenMissing(.resourceNotFoundException) {
            try await identityPools.setIdentityPoolRoles(.init(identityPoolID: current.id, roles: [:], roleMappings: nil))
        }
    }

    /// The roles are imported by their pool's id (`IdentityPoolId`).
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: CognitoValues.identityPoolIDPattern, expected: "an identity pool's roles attachment " + CognitoValues.identityPoolForm)
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(id, identityPools: try context.cognitoIdentity)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(properties[property.identityPoolID] ?? "", identityPools: try context.cognitoIdentity)
    }

    static func roles(_ properties: [String: Value], id: String) -> AWS.CognitoIdentity.PoolRoles {
        let property = Cognito.IdentityPoolRoles.property
        var mappings: [String: AWS.CognitoIdentity.RoleMapping] = [:]
        for mapping in properties[property.roleMappings]?.listValue ?? [] {
            mappings[mapping["identityProvider"].stringValue ?? ""] = .init(type: mapping["type"].stringValue ?? "Token",
                                                                           ambiguousRoleResolution: mapping["ambiguousRoleResolution"].stringValue,
                                                                           rules: Self.rules(mapping["rules"]))
        }
        return .init(identityPoolID: id, roles: properties[property.roles] ?? [:], roleMappings: mappings.isEmpty ? nil : mappings)
    }

    /// A mapping's rules in AWS's form; nil when there are none (a `Token` mapping).
    static func rules(_ value: Value) -> [AWS.CognitoIdentity.MappingRule]? {
        let rules = (value.listValue ?? []).map { rule in
            AWS.CognitoIdentity.MappingRule(claim: rule["claim"].stringValue ?? "", matchType: rule["matchType"].stringValue ?? "",
                                            value: rule["value"].stringValue ?? "", roleARN: rule["roleARN"].stringValue ?? "")
        }
        return rules.isEmpty ? nil : rules
    }
}

extension IdentityPoolRolesType: AccessDeclaring {
    /// Cognito identity pool actions per the Service Authorization Reference (Amazon Cognito
    /// Identity): setting a pool's roles passes them (`iam:PassRole`); `SetIdentityPoolRoles`
    /// itself takes no resource.
    static let access: ResourceAccess = {
        let pool = ARNPattern.arn("arn:{partition}:cognito-identity:{region}:{account}:identitypool/{identityPoolID}")
        // Each role the pool hands out, and each role a mapping's rules give.
        let referencedRole = "arn:{partition}:iam::{account}:role{path}{name}"
        let role = [ARNPattern.heldIn("roles[]", ofReferenced: referencedRole),
                    .heldIn("roleMappings[].rules[].roleARN", ofReferenced: referencedRole)]
        return ResourceAccess([
            IAMCall(.cognitoIdentity, "SetIdentityPoolRoles", in: [.create, .update, .delete],
                    on: [.anyResource(reason: "cognito-identity:SetIdentityPoolRoles takes no resource")],
                    // Delete clears the roles: it passes none.
                    alsoNeeds: [IAMGrant(["iam:PassRole"], on: role, in: [.create, .update])]),
            IAMCall(.cognitoIdentity, "GetIdentityPoolRoles", in: .readingBack, on: [pool]),
        ])
    }()
}
