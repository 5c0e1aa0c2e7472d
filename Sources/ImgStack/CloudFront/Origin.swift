import Engine

extension CloudFront {
    /// An S3 origin of a distribution, read through an origin access control.
    ///
    /// ```swift
    /// CloudFront.Origin(id: "images", domainName: bucket.bucketRegionalDomainName, originAccessControlID: oac.id)
    /// ```
    public struct Origin: Sendable, ExpressionConvertible {
        /// The origin's id within the distribution, which cache behaviours target; unique per distribution.
        public var id: String
        /// The bucket's regional domain name, `bucket.s3.us-east-1.amazonaws.com`.
        public var domainName: Text
        /// A path prefix CloudFront adds to every request: starts with `/`, does not end with one; empty for none.
        public var originPath: String
        /// The origin access control that signs requests to the bucket; nil to send them unsigned.
        public var originAccessControlID: Text?

        /// Declares an origin.
        public init(id: String, domainName: Text, originPath: String = "", originAccessControlID: Text? = nil) {
            self.id = id
            self.domainName = domainName
            self.originPath = originPath
            self.originAccessControlID = originAccessControlID
        }

        public var expression: Expression {
            CloudFrontValues.map([
                "id": id.expression, "domainName": domainName.expression, "originPath": originPath.expression,
                "originAccessControlID": originAccessControlID?.expression ?? "",
            ])
        }
    }
}
