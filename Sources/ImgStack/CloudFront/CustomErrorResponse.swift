import Engine

extension CloudFront {
    /// What viewers get when the origin answers an HTTP error (a single-page app serving
    /// `/index.html` with 200 for S3's 403 and 404).
    public struct CustomErrorResponse: Sendable, ExpressionConvertible {
        /// The origin's status: 400, 403, 404, 405, 414, 416, 500, 501, 502, 503 or 504.
        public var errorCode: Int
        /// The status viewers get instead; nil to keep the origin's. Needs `responsePagePath`.
        public var responseCode: Int?
        /// The page served instead, starting with `/`; nil for none.
        public var responsePagePath: String?
        /// Seconds CloudFront caches the error (CloudFront's default is 10).
        public var errorCachingMinTTL: Int

        /// Declares a custom error response.
        public init(errorCode: Int, responseCode: Int? = nil, responsePagePath: String? = nil, errorCachingMinTTL: Int = 10) {
            self.errorCode = errorCode
            self.responseCode = responseCode
            self.responsePagePath = responsePagePath
            self.errorCachingMinTTL = errorCachingMinTTL
        }

        public var expression: Expression {
            .value(.map([
                "errorCode": .int(errorCode), "responseCode": .string(responseCode.map(String.init) ?? ""),
                "responsePagePath": .string(responsePagePath ?? ""), "errorCachingMinTTL": .int(errorCachingMinTTL),
            ]))
        }
    }
}
