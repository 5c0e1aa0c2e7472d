import Foundation

extension CloudFront {
    /// A response headers policy's settings imgstack manages: name, comment and CORS
    /// (botocore `ResponseHeadersPolicyConfig`).
    public struct ResponseHeadersPolicyConfig: Sendable, Equatable {
        /// Unique in the account, up to 128 characters.
        public var name: String
        /// Free text, up to 128 characters.
        public var comment: String
        /// The CORS headers CloudFront adds; nil for none.
        public var cors: CORSConfig?

        /// Creates a configuration.
        public init(name: String, comment: String = "", cors: CORSConfig? = nil) {
            self.name = name
            self.comment = comment
            self.cors = cors
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
}

extension AWSErrorCode {
    /// CloudFront: no response headers policy by that id.
    public static let noSuchResponseHeadersPolicy: Self = "NoSuchResponseHeadersPolicy"
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
        self.init(name: node.string("Name") ?? "", comment: node.string("Comment") ?? "", cors: cors)
    }
}

extension CloudFront {
    /// A `Quantity`/`Items` list of plain strings, each in an element named `item`.
    static func itemsList(_ name: String, item: String, _ values: [String]) -> XMLNode {
        XMLNode(name, children: [XMLNode("Quantity", text: String(values.count)),
                                 XMLNode("Items", children: values.map { XMLNode(item, text: $0) })])
    }
}
