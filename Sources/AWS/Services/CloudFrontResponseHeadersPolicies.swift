import Foundation

extension CloudFront {
    /// A response headers policy's settings imgstack manages: name, comment, CORS and security
    /// headers (botocore `ResponseHeadersPolicyConfig`).
    public struct ResponseHeadersPolicyConfig: Sendable, Equatable {
        /// Unique in the account, up to 128 characters.
        public var name: String
        /// Free text, up to 128 characters.
        public var comment: String
        /// The CORS headers CloudFront adds; nil for none.
        public var cors: CORSConfig?
        /// The security headers CloudFront adds; nil for none.
        public var securityHeaders: SecurityHeadersConfig?

        /// Creates a configuration.
        public init(name: String, comment: String = "", cors: CORSConfig? = nil, securityHeaders: SecurityHeadersConfig? = nil) {
            self.name = name
            self.comment = comment
            self.cors = cors
            self.securityHeaders = securityHeaders
        }
    }

    /// The security headers a response headers policy adds (botocore
    /// `ResponseHeadersPolicySecurityHeadersConfig`): each nil header is not sent; each carries
    /// `Override`, whether it replaces the origin's own header of that name.
    public struct SecurityHeadersConfig: Sendable, Equatable {
        /// A header value and whether it overrides the origin's.
        public struct Header<Content: Sendable & Equatable>: Sendable, Equatable {
            /// The header's value (for `X-Content-Type-Options` always `true`: the header is `nosniff`).
            public var value: Content
            /// Whether it replaces the origin's own header.
            public var override: Bool

            /// Creates a header setting.
            public init(_ value: Content, override: Bool = true) {
                self.value = value
                self.override = override
            }
        }

        /// `Content-Security-Policy`, up to 1783 characters.
        public var contentSecurityPolicy: Header<String>?
        /// `X-Content-Type-Options: nosniff` when set (the value is always `true`).
        public var contentTypeOptions: Header<Bool>?
        /// `X-Frame-Options`: `DENY` or `SAMEORIGIN`.
        public var frameOptions: Header<String>?
        /// `Referrer-Policy`: `no-referrer`, `same-origin`, `strict-origin-when-cross-origin`, ….
        public var referrerPolicy: Header<String>?

        /// Creates a security headers configuration.
        public init(contentSecurityPolicy: Header<String>? = nil, contentTypeOptions: Header<Bool>? = nil,
                    frameOptions: Header<String>? = nil, referrerPolicy: Header<String>? = nil) {
            self.contentSecurityPolicy = contentSecurityPolicy
            self.contentTypeOptions = contentTypeOptions
            self.frameOptions = frameOptions
            self.referrerPolicy = referrerPolicy
        }
    }

    /// The `Access-Control-*` headers a response headers policy adds (botocore `ResponseHeadersPolicyCorsConfig`).
    public struct CORSConfig: Sendable, Equatable {
        /// `Access-Control-Allow-Origin` values, `*` for any.
        public var allowOrigins: [String]
        /// `Access-Control-Allow-Headers` values, `*` for any.
        public var allowHeaders: [String]
        /// `GET`, `POST`, `OPTIONS`, `PUT`, `DELETE`, `PATCH`, `HEAD` or `ALL`.
        public var allowMethods: [String]
        /// `Access-Control-Allow-Credentials`.
        public var allowCredentials: Bool
        /// `Access-Control-Expose-Headers` values.
        public var exposeHeaders: [String]
        /// `Access-Control-Max-Age` in seconds; nil to send none.
        public var maxAgeSeconds: Int?
        /// Whether these values replace the origin's own CORS headers.
        public var originOverride: Bool

        /// Creates a CORS configuration.
        public init(allowOrigins: [String], allowHeaders: [String], allowMethods: [String], allowCredentials: Bool = false,
                    exposeHeaders: [String] = [], maxAgeSeconds: Int? = nil, originOverride: Bool = true) {
            self.allowOrigins = allowOrigins
            self.allowHeaders = allowHeaders
            self.allowMethods = allowMethods
            self.allowCredentials = allowCredentials
            self.exposeHeaders = exposeHeaders
            self.maxAgeSeconds = maxAgeSeconds
            self.originOverride = originOverride
        }
    }

    /// A response headers policy with its id and current ETag.
    public typealias ResponseHeadersPolicy = Versioned<ResponseHeadersPolicyConfig>

    /// The response headers policy calls (the account's own, `custom`, policies).
    public var responseHeadersPolicies: VersionedConfigurations<ResponseHeadersPolicyConfig> { configurations() }
}

extension CloudFront.ResponseHeadersPolicyConfig: CloudFront.VersionedConfiguration {
    public static let resourceName = "ResponseHeadersPolicy"
    public static let listOperation = "ListResponseHeadersPolicies"
    public static let collectionPath = "/response-headers-policy"
    /// Only the account's own policies: AWS's managed ones are not imgstack's to find.
    public static let listQuery = [("Type", "custom")]
    public static let notFound: AWSErrorCode = .noSuchResponseHeadersPolicy
    public static let alreadyExists: AWSErrorCode = .responseHeadersPolicyAlreadyExists
}

extension AWSErrorCode {
    /// CloudFront: no response headers policy by that id.
    public static let noSuchResponseHeadersPolicy: Self = "NoSuchResponseHeadersPolicy"
    /// CloudFront: another response headers policy has that name (409).
    public static let responseHeadersPolicyAlreadyExists: Self = "ResponseHeadersPolicyAlreadyExists"
}

// MARK: - XML

extension CloudFront.ResponseHeadersPolicyConfig {
    /// The `<ResponseHeadersPolicyConfig>` element, members in the model's order.
    public func xml() -> XMLNode {
        var children = [XMLNode("Comment", text: comment), XMLNode("Name", text: name)]
        if let cors {
            var corsChildren = [
                CloudFront.itemsList("AccessControlAllowOrigins", item: "Origin", cors.allowOrigins),
                CloudFront.itemsList("AccessControlAllowHeaders", item: "Header", cors.allowHeaders),
                CloudFront.itemsList("AccessControlAllowMethods", item: "Method", cors.allowMethods),
                XMLNode("AccessControlAllowCredentials", text: String(cors.allowCredentials)),
            ]
            if !cors.exposeHeaders.isEmpty {
                corsChildren.append(CloudFront.itemsList("AccessControlExposeHeaders", item: "Header", cors.exposeHeaders))
            }
            if let maxAge = cors.maxAgeSeconds { corsChildren.append(XMLNode("AccessControlMaxAgeSec", text: String(maxAge))) }
            corsChildren.append(XMLNode("OriginOverride", text: String(cors.originOverride)))
            children.append(XMLNode("CorsConfig", children: corsChildren))
        }
        if let securityHeaders {
            // Members in the model's order: XSSProtection, FrameOptions, ReferrerPolicy,
            // ContentSecurityPolicy, ContentTypeOptions, StrictTransportSecurity.
            var headers: [XMLNode] = []
            if let frame = securityHeaders.frameOptions {
                headers.append(XMLNode("FrameOptions", children: [XMLNode("Override", text: String(frame.override)),
                                                                  XMLNode("FrameOption", text: frame.value)]))
            }
            if let referrer = securityHeaders.referrerPolicy {
                headers.append(XMLNode("ReferrerPolicy", children: [XMLNode("Override", text: String(referrer.override)),
                                                                    XMLNode("ReferrerPolicy", text: referrer.value)]))
            }
            if let csp = securityHeaders.contentSecurityPolicy {
                headers.append(XMLNode("ContentSecurityPolicy", children: [XMLNode("Override", text: String(csp.override)),
                                                                           XMLNode("ContentSecurityPolicy", text: csp.value)]))
            }
            if let options = securityHeaders.contentTypeOptions {
                headers.append(XMLNode("ContentTypeOptions", children: [XMLNode("Override", text: String(options.override))]))
            }
            children.append(XMLNode("SecurityHeadersConfig", children: headers))
        }
        return XMLNode("ResponseHeadersPolicyConfig", children: children)
    }

    /// Reads a `<ResponseHeadersPolicyConfig>` element.
    public init(xml node: XMLNode) {
        let cors = node["CorsConfig"].map { cors in
            CloudFront.CORSConfig(
                allowOrigins: cors.list("AccessControlAllowOrigins/Items").map(\.text),
                allowHeaders: cors.list("AccessControlAllowHeaders/Items").map(\.text),
                allowMethods: cors.list("AccessControlAllowMethods/Items").map(\.text),
                allowCredentials: cors.string("AccessControlAllowCredentials") == "true",
                exposeHeaders: cors.list("AccessControlExposeHeaders/Items").map(\.text),
                maxAgeSeconds: cors.string("AccessControlMaxAgeSec").flatMap { Int($0) },
                originOverride: cors.string("OriginOverride") == "true")
        }
        let securityHeaders = node["SecurityHeadersConfig"].map { headers in
            func override(_ element: XMLNode) -> Bool { element.string("Override") == "true" }
            return CloudFront.SecurityHeadersConfig(
                contentSecurityPolicy: headers["ContentSecurityPolicy"].map {
                    .init($0.string("ContentSecurityPolicy") ?? "", override: override($0))
                },
                contentTypeOptions: headers["ContentTypeOptions"].map { .init(true, override: override($0)) },
                frameOptions: headers["FrameOptions"].map { .init($0.string("FrameOption") ?? "", override: override($0)) },
                referrerPolicy: headers["ReferrerPolicy"].map { .init($0.string("ReferrerPolicy") ?? "", override: override($0)) })
        }
        self.init(name: node.string("Name") ?? "", comment: node.string("Comment") ?? "", cors: cors, securityHeaders: securityHeaders)
    }
}

extension CloudFront {
    /// A `Quantity`/`Items` list of plain strings, each in an element named `item`.
    static func itemsList(_ name: String, item: String, _ values: [String]) -> XMLNode {
        XMLNode(name, children: [XMLNode("Quantity", text: String(values.count)),
                                 XMLNode("Items", children: values.map { XMLNode(item, text: $0) })])
    }
}
