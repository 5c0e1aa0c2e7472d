import Engine

extension Cognito {
    /// The units of an app client's token lifetimes: `seconds`, `minutes`, `hours` or `days`.
    public struct TokenValidityUnits: Sendable, Hashable, ExpressionConvertible {
        /// Unit of `accessTokenValidity`.
        public var accessToken: String
        /// Unit of `idTokenValidity`.
        public var idToken: String
        /// Unit of `refreshTokenValidity`.
        public var refreshToken: String

        /// Creates units; the defaults match the client's default lifetimes (60 minutes, 60 minutes, 30 days).
        public init(accessToken: String = "minutes", idToken: String = "minutes", refreshToken: String = "days") {
            self.accessToken = accessToken
            self.idToken = idToken
            self.refreshToken = refreshToken
        }

        public var expression: Expression {
            .value(.map(["accessToken": .string(accessToken), "idToken": .string(idToken), "refreshToken": .string(refreshToken)]))
        }
    }
}
