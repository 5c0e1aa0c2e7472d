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
    public struct ResponseHeadersPolicy: Sendable, Equatable {
        /// The id cache behaviours name.
        public var id: String
        /// The settings.
        public var config: ResponseHeadersPolicyConfig
        /// The version to send in `If-Match`; empty from a list.
        public var etag: String
    }

    /// Creates a response headers policy.
    /// - Throws: `AWSError` (`ResponseHeadersPolicyAlreadyExists` for a taken name).
    public func createResponseHeadersPolicy(_ config: ResponseHeadersPolicyConfig) async throws -> ResponseHeadersPolicy {
        let response = try await client.rest(.cloudFront, "CreateResponseHeadersPolicy", method: "POST",
                                             path: Self.version + "/response-headers-policy",
                                             headers: ["Content-Type": "application/xml"], body: config.xml().document)
        return try Self.responseHeadersPolicy(response)
    }

    /// Reads a response headers policy.
    /// - Throws: `AWSError` (`NoSuchResponseHeadersPolicy`).
    public func getResponseHeadersPolicy(_ id: String) async throws -> ResponseHeadersPolicy {
        let path = try URITemplate.expand(Self.version + "/response-headers-policy/{Id}", labels: ["Id": id])
        return try Self.responseHeadersPolicy(try await client.rest(.cloudFront, "GetResponseHeadersPolicy", method: "GET", path: path))
    }

    /// Replaces a response headers policy's settings.
    /// - Throws: `AWSError` (`PreconditionFailed` for a stale `ifMatch`).
    public func updateResponseHeadersPolicy(_ id: String, config: ResponseHeadersPolicyConfig, ifMatch: String) async throws -> ResponseHeadersPolicy {
        let path = try URITemplate.expand(Self.version + "/response-headers-policy/{Id}", labels: ["Id": id])
        let response = try await client.rest(.cloudFront, "UpdateResponseHeadersPolicy", method: "PUT", path: path,
                                             headers: ["Content-Type": "application/xml", "If-Match": ifMatch], body: config.xml().document)
        return try Self.responseHeadersPolicy(response)
    }

    /// Deletes a response headers policy no cache behaviour uses.
    /// - Throws: `AWSError` (`ResponseHeadersPolicyInUse`, `NoSuchResponseHeadersPolicy`, `PreconditionFailed`).
    public func deleteResponseHeadersPolicy(_ id: String, ifMatch: String) async throws {
        let path = try URITemplate.expand(Self.version + "/response-headers-policy/{Id}", labels: ["Id": id])
        _ = try await client.rest(.cloudFront, "DeleteResponseHeadersPolicy", method: "DELETE", path: path, headers: ["If-Match": ifMatch])
    }

    /// Lists the account's own (`custom`) response headers policies, following `NextMarker` pages.
    public func listResponseHeadersPolicies() async throws -> [ResponseHeadersPolicy] {
        var policies: [ResponseHeadersPolicy] = []
        var marker: String?
        repeat {
            let query = [("Type", "custom")] + (marker.map { [("Marker", $0)] } ?? [])
            let response = try await client.rest(.cloudFront, "ListResponseHeadersPolicies", method: "GET",
                                                 path: Self.version + "/response-headers-policy", query: query)
            let list = try XMLNode.parse(response.body)
            policies += list.list("Items").compactMap { summary in
                summary["ResponseHeadersPolicy"].flatMap { policy in
                    policy.string("Id").map {
                        ResponseHeadersPolicy(id: $0, config: ResponseHeadersPolicyConfig(xml: policy["ResponseHeadersPolicyConfig"] ?? XMLNode("")), etag: "")
                    }
                }
            }
            marker = list.string("NextMarker").flatMap { $0.isEmpty ? nil : $0 }
        } while marker != nil
        return policies
    }

    static func responseHeadersPolicy(_ response: HTTPResponse) throws -> ResponseHeadersPolicy {
        let node = try XMLNode.parse(response.body)
        guard let id = node.string("Id"), let config = node["ResponseHeadersPolicyConfig"] else {
            throw AWSClientError(.invalidResponse, "CloudFront answered a response headers policy without Id or config")
        }
        return ResponseHeadersPolicy(id: id, config: ResponseHeadersPolicyConfig(xml: config), etag: response.headers["ETag"] ?? "")
    }
}

// MARK: - XML

extension CloudFront.ResponseHeadersPolicyConfig {
    /// The `<ResponseHeadersPolicyConfig>` element, members in the model's order.
    func xml() -> XMLNode {
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
        return XMLNode("ResponseHeadersPolicyConfig", attributes: ["xmlns": CloudFront.namespace], children: children)
    }

    init(xml node: XMLNode) {
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
