import Engine

extension Cognito {
    /// One rule of a `Rules` role mapping: when the token's claim matches, the user gets the role.
    public struct MappingRule: Sendable, ExpressionConvertible {
        /// The token claim (`cognito:groups`, `isAdmin`).
        public var claim: String
        /// `Equals`, `Contains`, `StartsWith` or `NotEqual`.
        public var matchType: String
        /// The value the claim is compared with.
        public var value: String
        /// The role given: `role.arn`.
        public var roleARN: Text

        /// Creates a rule.
        public init(claim: String, matchType: String, value: String, roleARN: Text) {
            self.claim = claim
            self.matchType = matchType
            self.value = value
            self.roleARN = roleARN
        }

        public var expression: Expression {
            let map = Expression.map(["claim": claim.expression, "matchType": matchType.expression, "value": value.expression,
                                      "roleARN": roleARN.expression])
            return map.references.isEmpty ? .value(map.resolve { _ in .unknown }) : map
        }
    }
}
