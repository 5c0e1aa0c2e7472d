import Engine

extension CloudFront {
    /// The security headers a response headers policy adds to answers
    /// (`security_headers_config`; CloudFront Developer Guide, "Understand response headers
    /// policies", security headers). A nil header is not sent.
    ///
    /// ```swift
    /// CloudFront.SecurityHeadersConfig(contentSecurityPolicy: "default-src 'self'", frameOptions: "DENY")
    /// ```
    public struct SecurityHeadersConfig: Sendable, ExpressionConvertible {
        /// `Content-Security-Policy`, up to 1783 characters; nil to send none.
        public var contentSecurityPolicy: String?
        /// Send `X-Content-Type-Options: nosniff`: browsers then never run or render an answer
        /// as another type than its `Content-Type` says.
        public var contentTypeOptions: Bool
        /// `X-Frame-Options`: `DENY` or `SAMEORIGIN`; nil to send none.
        public var frameOptions: String?
        /// `Referrer-Policy`: `no-referrer`, `no-referrer-when-downgrade`, `origin`,
        /// `origin-when-cross-origin`, `same-origin`, `strict-origin`,
        /// `strict-origin-when-cross-origin` or `unsafe-url`; nil to send none.
        public var referrerPolicy: String?
        /// Replace the origin's own headers of these names (CloudFront's `Override`, set alike on each header).
        public var override: Bool

        /// Declares security headers; by default only `X-Content-Type-Options: nosniff`.
        public init(contentSecurityPolicy: String? = nil, contentTypeOptions: Bool = true, frameOptions: String? = nil,
                    referrerPolicy: String? = nil, override: Bool = true) {
            self.contentSecurityPolicy = contentSecurityPolicy
            self.contentTypeOptions = contentTypeOptions
            self.frameOptions = frameOptions
            self.referrerPolicy = referrerPolicy
            self.override = override
        }

        public var expression: Expression {
            .value(.map([
                "contentSecurityPolicy": contentSecurityPolicy.map(Value.string) ?? .null, "contentTypeOptions": .bool(contentTypeOptions),
                "frameOptions": frameOptions.map(Value.string) ?? .null, "referrerPolicy": referrerPolicy.map(Value.string) ?? .null,
                "override": .bool(override),
            ]))
        }

        /// CloudFront's limit on the `Content-Security-Policy` value, in characters.
        static let maximumPolicyLength = 1783
        /// The `X-Frame-Options` values CloudFront takes.
        static let frameOptionValues: Set<String> = ["DENY", "SAMEORIGIN"]
        /// The `Referrer-Policy` values CloudFront takes.
        static let referrerPolicyValues: Set<String> = [
            "no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin", "same-origin", "strict-origin",
            "strict-origin-when-cross-origin", "unsafe-url",
        ]
    }
}
