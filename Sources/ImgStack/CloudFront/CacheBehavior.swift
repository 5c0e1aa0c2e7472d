import Engine

extension CloudFront {
    /// How a distribution serves requests: the default behaviour (no path pattern) or an
    /// ordered one (`/api/*`), with a cache policy instead of the legacy forwarded values.
    ///
    /// ```swift
    /// CloudFront.CacheBehavior(targetOriginID: "images", responseHeadersPolicyID: cors.id,
    ///                          lambdaAssociations: [.init(eventType: "viewer-request", lambdaARN: auth.qualifiedARN)])
    /// ```
    public struct CacheBehavior: Sendable, ExpressionConvertible {
        /// The AWS managed cache policy `Managed-CachingOptimized`.
        public static let cachingOptimized = "658327ea-f89d-4fab-a63d-7e88639e58f6"
        /// The AWS managed cache policy `Managed-CachingDisabled`.
        public static let cachingDisabled = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
        /// The AWS managed origin request policy `Managed-CORS-S3Origin`.
        public static let corsS3Origin = "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf"
        /// The AWS managed origin request policy `Managed-AllViewerExceptHostHeader`: every viewer
        /// header (`Authorization` included), cookie and query string except `Host`, which must
        /// be the origin's own for API Gateway to route the request.
        public static let allViewerExceptHostHeader = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
        /// All seven methods, the only set with `POST`: `GET`, `HEAD`, `OPTIONS`, `PUT`, `PATCH`, `POST`, `DELETE`.
        public static let allMethods = ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]

        /// The path pattern of an ordered behaviour (`/api/*`); nil for the default behaviour.
        public var pathPattern: String?
        /// The id of the origin requests go to.
        public var targetOriginID: String
        /// `allow-all`, `https-only` or `redirect-to-https`.
        public var viewerProtocolPolicy: String
        /// `[GET, HEAD]`, `[GET, HEAD, OPTIONS]` or all seven methods: CloudFront takes only these sets.
        public var allowedMethods: [String]
        /// `[GET, HEAD]` or `[GET, HEAD, OPTIONS]`, within `allowedMethods`.
        public var cachedMethods: [String]
        /// The cache policy id (an AWS managed one by default).
        public var cachePolicyID: Text
        /// The origin request policy id; nil for none.
        public var originRequestPolicyID: Text?
        /// The response headers policy id; nil for none.
        public var responseHeadersPolicyID: Text?
        /// Compress eligible answers (gzip, Brotli).
        public var compress: Bool
        /// Lambda@Edge functions, at most one per event type.
        public var lambdaAssociations: [LambdaAssociation]

        /// Declares a cache behaviour.
        public init(pathPattern: String? = nil, targetOriginID: String, viewerProtocolPolicy: String = "redirect-to-https",
                    allowedMethods: [String] = ["GET", "HEAD"], cachedMethods: [String] = ["GET", "HEAD"],
                    cachePolicyID: Text = Text(CacheBehavior.cachingOptimized), originRequestPolicyID: Text? = nil,
                    responseHeadersPolicyID: Text? = nil, compress: Bool = true, lambdaAssociations: [LambdaAssociation] = []) {
            self.pathPattern = pathPattern
            self.targetOriginID = targetOriginID
            self.viewerProtocolPolicy = viewerProtocolPolicy
            self.allowedMethods = allowedMethods
            self.cachedMethods = cachedMethods
            self.cachePolicyID = cachePolicyID
            self.originRequestPolicyID = originRequestPolicyID
            self.responseHeadersPolicyID = responseHeadersPolicyID
            self.compress = compress
            self.lambdaAssociations = lambdaAssociations
        }

        public var expression: Expression {
            var fields: [String: Expression] = [
                "targetOriginID": targetOriginID.expression, "viewerProtocolPolicy": viewerProtocolPolicy.expression,
                "allowedMethods": allowedMethods.expression, "cachedMethods": cachedMethods.expression,
                "cachePolicyID": cachePolicyID.expression, "originRequestPolicyID": originRequestPolicyID?.expression ?? "",
                "responseHeadersPolicyID": responseHeadersPolicyID?.expression ?? "", "compress": compress.expression,
                "lambdaAssociations": lambdaAssociations.expression,
            ]
            if let pathPattern { fields["pathPattern"] = pathPattern.expression }
            return CloudFrontValues.map(fields)
        }
    }
}
