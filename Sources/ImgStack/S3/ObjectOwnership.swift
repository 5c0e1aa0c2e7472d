import Engine

extension S3 {
    /// Who owns objects written to a bucket, and whether ACLs count (`ObjectOwnership`).
    public enum ObjectOwnership: String, Sendable, ExpressionConvertible {
        /// ACLs are disabled and the bucket owner owns every object (the default for new buckets).
        case bucketOwnerEnforced = "BucketOwnerEnforced"
        /// The bucket owner owns objects written with the `bucket-owner-full-control` ACL.
        case bucketOwnerPreferred = "BucketOwnerPreferred"
        /// The writing account owns the object (S3's behaviour when no ownership controls are set).
        case objectWriter = "ObjectWriter"

        public var expression: Expression { .value(.string(rawValue)) }
    }
}
