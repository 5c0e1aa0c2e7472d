import Engine

extension CloudFront {
    /// Standard access logs written to an S3 bucket (which must allow ACLs: CloudFront writes
    /// logs with the `awslogsdelivery` account's ACL).
    public struct Logging: Sendable, ExpressionConvertible {
        /// The bucket's domain name, `logs.s3.amazonaws.com` (`bucket.bucketDomainName`).
        public var bucket: Text
        /// A key prefix, `cloudfront/`; empty for none.
        public var prefix: String
        /// Log cookies too.
        public var includeCookies: Bool

        /// Declares logging.
        public init(bucket: Text, prefix: String = "", includeCookies: Bool = false) {
            self.bucket = bucket
            self.prefix = prefix
            self.includeCookies = includeCookies
        }

        public var expression: Expression {
            CloudFrontValues.map(["bucket": bucket.expression, "prefix": prefix.expression, "includeCookies": includeCookies.expression])
        }
    }
}
