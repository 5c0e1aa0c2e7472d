import Engine

extension CloudFront {
    /// A Lambda@Edge function run at one event of a cache behaviour.
    ///
    /// The function must live in `us-east-1` and be named by a published version's ARN
    /// (`…:function:auth:3`): CloudFront refuses `$LATEST` and aliases.
    public struct LambdaAssociation: Sendable, ExpressionConvertible {
        /// `viewer-request`, `viewer-response`, `origin-request` or `origin-response`; one function per event.
        public var eventType: String
        /// The function version's ARN.
        public var lambdaARN: Text
        /// Pass the request body to the function (request events only).
        public var includeBody: Bool

        /// Declares an association.
        public init(eventType: String, lambdaARN: Text, includeBody: Bool = false) {
            self.eventType = eventType
            self.lambdaARN = lambdaARN
            self.includeBody = includeBody
        }

        public var expression: Expression {
            CloudFrontValues.map(["eventType": eventType.expression, "lambdaARN": lambdaARN.expression, "includeBody": includeBody.expression])
        }
    }
}
