import Engine

extension CloudFront {
    /// The CORS headers a response headers policy adds to answers.
    ///
    /// The defaults are "CORS with preflight, allow all headers": any origin, any request
    /// header, `GET`/`HEAD`/`OPTIONS`, overriding what the origin sends.
    public struct CORSConfig: Sendable, ExpressionConvertible {
        /// `Access-Control-Allow-Origin` values (`https://example.com`), `*` for any.
        public var allowOrigins: [String]
        /// `Access-Control-Allow-Headers` values, `*` for any.
        public var allowHeaders: [String]
        /// `GET`, `POST`, `OPTIONS`, `PUT`, `DELETE`, `PATCH`, `HEAD`, or `ALL`.
        public var allowMethods: [String]
        /// Send `Access-Control-Allow-Credentials: true`.
        public var allowCredentials: Bool
        /// `Access-Control-Expose-Headers` values.
        public var exposeHeaders: [String]
        /// `Access-Control-Max-Age` in seconds; nil to send none.
        public var maxAgeSeconds: Int?
        /// Replace the origin's own CORS headers.
        public var originOverride: Bool

        /// Declares a CORS configuration.
        public init(allowOrigins: [String] = ["*"], allowHeaders: [String] = ["*"], allowMethods: [String] = ["GET", "HEAD", "OPTIONS"],
                    allowCredentials: Bool = false, exposeHeaders: [String] = [], maxAgeSeconds: Int? = 600, originOverride: Bool = true) {
            self.allowOrigins = allowOrigins
            self.allowHeaders = allowHeaders
            self.allowMethods = allowMethods
            self.allowCredentials = allowCredentials
            self.exposeHeaders = exposeHeaders
            self.maxAgeSeconds = maxAgeSeconds
            self.originOverride = originOverride
        }

        public var expression: Expression {
            .value(.map([
                "allowOrigins": .list(allowOrigins.map(Value.string)), "allowHeaders": .list(allowHeaders.map(Value.string)),
                "allowMethods": .list(allowMethods.map(Value.string)), "allowCredentials": .bool(allowCredentials),
                "exposeHeaders": .list(exposeHeaders.map(Value.string)), "maxAgeSeconds": maxAgeSeconds.map(Value.int) ?? .null,
                "originOverride": .bool(originOverride),
            ]))
        }
    }
}
