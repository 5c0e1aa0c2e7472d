import Engine

extension S3 {
    /// Static website hosting of a bucket, served at its `websiteEndpoint`.
    public struct Website: Sendable, ExpressionConvertible {
        /// The object name served for a request to a "directory" (`index.html`); not empty and
        /// without `/`.
        public var indexDocument: String
        /// The object served when a request ends in a 4xx error (`error.html`).
        public var errorDocument: String?

        /// Creates a website configuration.
        public init(indexDocument: String = "index.html", errorDocument: String? = nil) {
            self.indexDocument = indexDocument
            self.errorDocument = errorDocument
        }

        public var expression: Expression {
            var entries: [String: Value] = ["indexDocument": .string(indexDocument)]
            if let errorDocument { entries["errorDocument"] = .string(errorDocument) }
            return .value(.map(entries))
        }
    }
}
