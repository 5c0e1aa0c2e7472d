import AWS
import Engine

extension CloudFront {
    /// An origin of a distribution: an S3 bucket read through an origin access control, or an
    /// HTTP server such as an API Gateway stage (``custom(id:domainName:originPath:protocolPolicy:)``).
    ///
    /// ```swift
    /// CloudFront.Origin(id: "images", domainName: bucket.bucketRegionalDomainName, originAccessControlID: oac.id)
    /// CloudFront.Origin.custom(id: "api", domainName: "\(api.id).execute-api.eu-west-2.amazonaws.com", originPath: "/prod")
    /// ```
    public struct Origin: Sendable, ExpressionConvertible {
        /// The origin's id within the distribution, which cache behaviours target; unique per distribution.
        public var id: String
        /// The bucket's regional domain name, `bucket.s3.us-east-1.amazonaws.com`, or the server's host name.
        public var domainName: Text
        /// A path prefix CloudFront adds to every request: starts with `/`, does not end with one; empty for none.
        public var originPath: String
        /// The origin access control that signs requests to the bucket; nil to send them unsigned.
        public var originAccessControlID: Text?
        /// For a custom origin, how CloudFront connects to it (`https-only`, `http-only`,
        /// `match-viewer`); nil for an S3 origin.
        public var protocolPolicy: String?

        /// Declares an S3 origin.
        public init(id: String, domainName: Text, originPath: String = "", originAccessControlID: Text? = nil) {
            self.id = id
            self.domainName = domainName
            self.originPath = originPath
            self.originAccessControlID = originAccessControlID
        }

        /// Declares a custom origin (`CustomOriginConfig`): an HTTP server, reached on ports 80/443
        /// with TLS 1.2, a 30-second read timeout and a 5-second keep-alive (CloudFront's defaults).
        /// For an API Gateway stage: `domainName` is `<api id>.execute-api.<region>.amazonaws.com`
        /// and `originPath` the stage, `/prod`; API Gateway answers HTTPS only, so
        /// `protocolPolicy` stays `https-only`.
        /// - Parameters:
        ///   - id: the origin's id within the distribution.
        ///   - domainName: the server's host name, without scheme or path.
        ///   - originPath: a path prefix, `/prod`; empty for none.
        ///   - protocolPolicy: `https-only` (default), `http-only` or `match-viewer`.
        public static func custom(id: String, domainName: Text, originPath: String = "", protocolPolicy: String = "https-only") -> Origin {
            var origin = Origin(id: id, domainName: domainName, originPath: originPath)
            origin.protocolPolicy = protocolPolicy
            return origin
        }

        public var expression: Expression {
            var fields: [String: Expression] = [
                "id": id.expression, "domainName": domainName.expression, "originPath": originPath.expression,
                "originAccessControlID": originAccessControlID?.expression ?? "",
            ]
            if let protocolPolicy {
                fields["customOrigin"] = .value(CloudFrontValues.value(AWS.CloudFront.CustomOriginConfig(protocolPolicy: protocolPolicy)))
            }
            return CloudFrontValues.map(fields)
        }
    }
}
