import Engine

extension S3 {
    /// A bucket's default encryption: what S3 applies to objects written without their own.
    public enum Encryption: Sendable, ExpressionConvertible {
        /// SSE-S3 (`AES256`): keys S3 owns and manages.
        case s3Managed
        /// SSE-KMS (`aws:kms`) with a customer managed key (its id, ARN or alias), or the AWS
        /// managed key `aws/s3` when `kmsKeyID` is nil. `bucketKey` enables S3 Bucket Keys, which
        /// cut KMS request costs by deriving per-bucket data keys.
        case kms(kmsKeyID: Text? = nil, bucketKey: Bool = true)

        public var expression: Expression {
            switch self {
            case .s3Managed:
                return .value(["algorithm": "AES256", "bucketKey": false])
            case .kms(let key, let bucketKey):
                var entries: [String: Expression] = ["algorithm": "aws:kms", "bucketKey": .value(.bool(bucketKey))]
                if let key { entries["kmsKeyID"] = key.expression }
                // `Expression.literal` cannot tell "no literal" from `.null` (Value is nil-literal
                // expressible), so the references decide.
                let map = Expression.map(entries)
                return map.references.isEmpty ? .value(map.resolve { _ in .unknown }) : map
            }
        }
    }
}
