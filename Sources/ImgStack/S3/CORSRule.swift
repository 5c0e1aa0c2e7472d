import Engine

extension S3 {
    /// One CORS rule of a bucket. S3 takes at most 100 rules and uses the first that matches,
    /// so their order counts; within a rule, the order of methods, origins and headers does not.
    public struct CORSRule: Sendable, ExpressionConvertible {
        /// An optional id (at most 255 characters).
        public var id: String?
        /// `GET`, `PUT`, `POST`, `DELETE` or `HEAD`; at least one.
        public var allowedMethods: [String]
        /// Origins allowed to call (`https://example.com`, at most one `*` each); at least one.
        /// May refer to another resource: `"https://\(distribution.domainName)"`.
        public var allowedOrigins: [Text]
        /// Headers a preflight may ask for (`*` for any).
        public var allowedHeaders: [String]
        /// Response headers the browser may read (`ETag`).
        public var exposeHeaders: [String]
        /// Seconds a browser may cache the preflight answer.
        public var maxAgeSeconds: Int?

        /// Creates a rule.
        public init(id: String? = nil, allowedMethods: [String], allowedOrigins: [Text], allowedHeaders: [String] = [],
                    exposeHeaders: [String] = [], maxAgeSeconds: Int? = nil) {
            self.id = id
            self.allowedMethods = allowedMethods
            self.allowedOrigins = allowedOrigins
            self.allowedHeaders = allowedHeaders
            self.exposeHeaders = exposeHeaders
            self.maxAgeSeconds = maxAgeSeconds
        }

        public var expression: Expression {
            var entries: [String: Expression] = [
                "allowedMethods": allowedMethods.expression, "allowedOrigins": allowedOrigins.expression,
                "allowedHeaders": allowedHeaders.expression, "exposeHeaders": exposeHeaders.expression,
            ]
            if let id { entries["id"] = id.expression }
            if let maxAgeSeconds { entries["maxAgeSeconds"] = maxAgeSeconds.expression }
            // `Expression.literal` cannot tell "no literal" from `.null` (Value is nil-literal
            // expressible), so the references decide.
            let map = Expression.map(entries)
            return map.references.isEmpty ? .value(map.resolve { _ in .unknown }) : map
        }
    }
}
