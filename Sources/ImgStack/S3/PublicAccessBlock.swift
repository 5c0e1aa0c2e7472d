import Engine

extension S3 {
    /// The four Block Public Access flags of a bucket. New buckets have all four on.
    public struct PublicAccessBlock: Sendable, ExpressionConvertible {
        /// Refuse requests that would set a public ACL on the bucket or an object.
        public var blockPublicAcls: Bool
        /// Ignore public ACLs already on the bucket and its objects.
        public var ignorePublicAcls: Bool
        /// Refuse a bucket policy that grants public access.
        public var blockPublicPolicy: Bool
        /// Limit a public bucket policy to AWS services and the bucket owner's account.
        public var restrictPublicBuckets: Bool

        /// Creates the flags; all on by default.
        public init(blockPublicAcls: Bool = true, ignorePublicAcls: Bool = true, blockPublicPolicy: Bool = true,
                    restrictPublicBuckets: Bool = true) {
            self.blockPublicAcls = blockPublicAcls
            self.ignorePublicAcls = ignorePublicAcls
            self.blockPublicPolicy = blockPublicPolicy
            self.restrictPublicBuckets = restrictPublicBuckets
        }

        /// Every flag on: nothing in the bucket can be made public.
        public static let blockAll = PublicAccessBlock()

        public var expression: Expression {
            .value(["blockPublicAcls": .bool(blockPublicAcls), "ignorePublicAcls": .bool(ignorePublicAcls),
                    "blockPublicPolicy": .bool(blockPublicPolicy), "restrictPublicBuckets": .bool(restrictPublicBuckets)])
        }
    }
}
