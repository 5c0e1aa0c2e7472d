import Engine

extension Cognito {
    /// How the users of one identity provider of an identity pool get their role.
    public struct RoleMapping: Sendable, ExpressionConvertible {
        /// The provider: `accounts.google.com`, or `cognito-idp.<region>.amazonaws.com/<pool id>:<client id>`
        /// (`"\(pool.endpoint):\(client.id)"`).
        public var identityProvider: Text
        /// `Token` (the role in the token's `cognito:preferred_role`) or `Rules`.
        public var type: String
        /// `AuthenticatedRole` or `Deny` when no role is found. AWS requires it for both types.
        public var ambiguousRoleResolution: String
        /// The rules of a `Rules` mapping (1 to 25), first match wins.
        public var rules: [MappingRule]

        /// Creates a mapping.
        public init(identityProvider: Text, type: String, ambiguousRoleResolution: String = "AuthenticatedRole", rules: [MappingRule] = []) {
            self.identityProvider = identityProvider
            self.type = type
            self.ambiguousRoleResolution = ambiguousRoleResolution
            self.rules = rules
        }

        public var expression: Expression {
            let map = Expression.map(["identityProvider": identityProvider.expression, "type": type.expression,
                                      "ambiguousRoleResolution": ambiguousRoleResolution.expression, "rules": rules.expression])
            return map.references.isEmpty ? .value(map.resolve { _ in .unknown }) : map
        }
    }
}
