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
        public static let typeName = "cognito.identity_pool_roles"

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
            list.set("identityPoolID", identityPoolID)
            list.set("roles", expression: .map(roles))
            list.set("roleMappings", roleMappings)
            return list.values
        }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { IdentityPoolRolesType(aws: aws) }
    }
}

/// Sets and clears the roles of identity pools.
struct IdentityPoolRolesType: ResourceType {
    let aws: AWSClient

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: Cognito.IdentityPoolRoles.typeName, terraformType: "aws_cognito_identity_pool_roles_attachment",
            properties: [PropertySchema("identityPoolID", forcesReplacement: true), PropertySchema("roles"),
                         PropertySchema("roleMappings", default: .list([]))],
            attributes: [])
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func problem(_ message: String) {
            issues.append(ValidationIssue(subject: address.description, property: "roleMappings", message: message))
        }
        for mapping in properties["roleMappings"]?.literal?.listValue ?? [] {
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
                issues.append(ValidationIssue(subject: address.description, property: "roleMappings",
                                              message: "ambiguousRoleResolution \"\(resolution)\" is not AuthenticatedRole or Deny"))
            }
        }
        return issues
    }

    func normalize(_ property: String, _ value: Value) -> Value {
        property == "roleMappings" ? CognitoValues.sortedList(value) : value
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let id = properties["identityPoolID"]?.stringValue ?? ""
        try await aws.cognitoIdentity.setIdentityPoolRoles(Self.roles(properties, id: id), region: context.region)
        return try await find(id, region: context.region) ?? ResourceSnapshot(id: id, properties: properties)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(recorded.id, region: context.region)
    }

    private func find(_ id: String, region: String) async throws -> ResourceSnapshot? {
        guard let roles = try await aws.cognitoIdentity.identityPoolRoles(id, region: region), !roles.roles.isEmpty else { return nil }
        let mappings = (roles.roleMappings ?? [:]).map { provider, mapping -> Value in
            .map(["identityProvider": .string(provider), "type": .string(mapping.type),
                  "ambiguousRoleResolution": .string(mapping.ambiguousRoleResolution ?? "AuthenticatedRole"),
                  "rules": .list((mapping.rules ?? []).map { rule in
                      .map(["claim": .string(rule.claim), "matchType": .string(rule.matchType), "value": .string(rule.value),
                            "roleARN": .string(rule.roleARN)])
                  })])
        }
        return ResourceSnapshot(id: id, properties: [
            "identityPoolID": .string(id), "roles": CognitoValues.map(roles.roles), "roleMappings": normalize("roleMappings", .list(mappings)),
        ])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        try await aws.cognitoIdentity.setIdentityPoolRoles(Self.roles(desired, id: current.id), region: context.region)
        return try await find(current.id, region: context.region) ?? current
    }

    /// Clears the roles: the pool stays (it is its own resource) but hands out no credentials.
    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        do {
            try await aws.cognitoIdentity.setIdentityPoolRoles(.init(identityPoolID: current.id, roles: [:], roleMappings: nil), region: context.region)
        } catch let error as AWSError where error.code == "ResourceNotFoundException" {
            return
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(id, region: context.region)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(properties["identityPoolID"]?.stringValue ?? "", region: context.region)
    }

    static func roles(_ properties: [String: Value], id: String) -> AWS.CognitoIdentity.PoolRoles {
        var mappings: [String: AWS.CognitoIdentity.RoleMapping] = [:]
        for mapping in properties["roleMappings"]?.listValue ?? [] {
            mappings[mapping["identityProvider"].stringValue ?? ""] = .init(type: mapping["type"].stringValue ?? "Token",
                                                                           ambiguousRoleResolution: mapping["ambiguousRoleResolution"].stringValue,
                                                                           rules: Self.rules(mapping["rules"]))
        }
        return .init(identityPoolID: id, roles: CognitoValues.stringMap(properties["roles"]), roleMappings: mappings.isEmpty ? nil : mappings)
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
