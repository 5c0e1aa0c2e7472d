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

        /// How one identity provider's users get roles.
        public struct RoleMapping: Sendable, ExpressionConvertible {
            /// `cognito-idp.<region>.amazonaws.com/<user pool id>:<app client id>`.
            public var identityProvider: Text
            /// `Token`: roles from the token's `cognito:roles` claim (rule-based mappings are not modelled yet).
            public var type: String
            /// `AuthenticatedRole` or `Deny` when no rule or claim decides.
            public var ambiguousRoleResolution: String

            /// Declares a mapping.
            public init(identityProvider: Text, type: String = "Token", ambiguousRoleResolution: String = "AuthenticatedRole") {
                self.identityProvider = identityProvider
                self.type = type
                self.ambiguousRoleResolution = ambiguousRoleResolution
            }

            public var expression: Engine.Expression {
                .map(["identityProvider": identityProvider.expression, "type": .value(.string(type)),
                      "ambiguousRoleResolution": .value(.string(ambiguousRoleResolution))])
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
        for mapping in properties["roleMappings"]?.literal?.listValue ?? [] {
            // Rules mappings need their rule lists, which imgstack does not model yet.
            if let type = mapping["type"].stringValue, type != "Token" {
                issues.append(ValidationIssue(subject: address.description, property: "roleMappings",
                                              message: "type \"\(type)\" is not supported; imgstack maps roles by Token (the cognito:roles claim)"))
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
                  "ambiguousRoleResolution": .string(mapping.ambiguousRoleResolution ?? "AuthenticatedRole")])
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
                                                                           rules: nil)
        }
        return .init(identityPoolID: id, roles: CognitoValues.stringMap(properties["roles"]), roleMappings: mappings.isEmpty ? nil : mappings)
    }
}
