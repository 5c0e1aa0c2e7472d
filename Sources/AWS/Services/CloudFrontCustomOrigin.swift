extension CloudFront {
    /// How CloudFront connects to an origin that is not an S3 bucket (botocore `CustomOriginConfig`).
    public struct CustomOriginConfig: Sendable, Equatable {
        /// `http-only`, `match-viewer` or `https-only`.
        public var protocolPolicy: String
        /// The TLS versions CloudFront may use with the origin: `TLSv1.2`, `TLSv1.1`, `TLSv1`, `SSLv3`.
        public var sslProtocols: [String]
        /// The HTTP port, 80 by default (1–65535).
        public var httpPort: Int
        /// The HTTPS port, 443 by default (1–65535).
        public var httpsPort: Int
        /// Seconds CloudFront waits for an answer (`OriginReadTimeout`), 30 by default.
        public var readTimeout: Int
        /// Seconds CloudFront keeps an idle connection open (`OriginKeepaliveTimeout`), 5 by default.
        public var keepaliveTimeout: Int

        /// Creates the settings; the defaults are CloudFront's.
        public init(protocolPolicy: String, sslProtocols: [String] = ["TLSv1.2"], httpPort: Int = 80, httpsPort: Int = 443,
                    readTimeout: Int = 30, keepaliveTimeout: Int = 5) {
            self.protocolPolicy = protocolPolicy
            self.sslProtocols = sslProtocols
            self.httpPort = httpPort
            self.httpsPort = httpsPort
            self.readTimeout = readTimeout
            self.keepaliveTimeout = keepaliveTimeout
        }
    }
}

extension CloudFront.CustomOriginConfig {
    /// The `<CustomOriginConfig>` element, members in the model's order.
    func xml() -> XMLNode {
        XMLNode("CustomOriginConfig", children: [
            XMLNode("HTTPPort", text: String(httpPort)),
            XMLNode("HTTPSPort", text: String(httpsPort)),
            XMLNode("OriginProtocolPolicy", text: protocolPolicy),
            XMLNode("OriginSslProtocols", children: [
                XMLNode("Quantity", text: String(sslProtocols.count)),
                XMLNode("Items", children: sslProtocols.map { XMLNode("SslProtocol", text: $0) }),
            ]),
            XMLNode("OriginReadTimeout", text: String(readTimeout)),
            XMLNode("OriginKeepaliveTimeout", text: String(keepaliveTimeout)),
        ])
    }

    init(xml node: XMLNode) {
        self.init(protocolPolicy: node.string("OriginProtocolPolicy") ?? "",
                  sslProtocols: node.list("OriginSslProtocols/Items").map(\.text),
                  httpPort: node.string("HTTPPort").flatMap { Int($0) } ?? 80,
                  httpsPort: node.string("HTTPSPort").flatMap { Int($0) } ?? 443,
                  readTimeout: node.string("OriginReadTimeout").flatMap { Int($0) } ?? 30,
                  keepaliveTimeout: node.string("OriginKeepaliveTimeout").flatMap { Int($0) } ?? 5)
    }
}
