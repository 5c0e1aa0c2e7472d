import Engine

extension Cognito {
    /// A user pool app client whose users an identity pool accepts.
    public struct IdentityPoolProvider: Sendable, ExpressionConvertible {
        /// The app client id: `client.id`.
        public var clientID: Text
        /// `cognito-idp.<region>.amazonaws.com/<user pool id>`: `pool.endpoint`.
        public var providerName: Text
        /// Check with the user pool that the token was not revoked.
        public var serverSideTokenCheck: Bool

        /// Creates a provider entry.
        public init(clientID: Text, providerName: Text, serverSideTokenCheck: Bool = false) {
            self.clientID = clientID
            self.providerName = providerName
            self.serverSideTokenCheck = serverSideTokenCheck
        }

        public var expression: Expression {
            let map = Expression.map(["clientID": clientID.expression, "providerName": providerName.expression,
                                      "serverSideTokenCheck": serverSideTokenCheck.expression])
            return map.references.isEmpty ? .value(map.resolve { _ in .unknown }) : map
        }
    }
}
