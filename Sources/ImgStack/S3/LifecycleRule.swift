import Engine

extension S3 {
    /// One lifecycle rule of a bucket, for the objects under a key prefix. Each rule needs a
    /// unique id and at least one action (an expiration or an abort of incomplete uploads).
    public struct LifecycleRule: Sendable, ExpressionConvertible {
        /// The rule's id: unique in the bucket, 1–255 characters.
        public var id: String
        /// The key prefix the rule applies to; empty for the whole bucket.
        public var prefix: String
        /// Whether S3 applies the rule (`Status` `Enabled`/`Disabled`).
        public var enabled: Bool
        /// Days after creation when current object versions expire (at least 1).
        public var expirationDays: Int?
        /// Days after an object version becomes noncurrent when S3 deletes it (at least 1).
        public var noncurrentVersionExpirationDays: Int?
        /// Days after initiation when S3 aborts incomplete multipart uploads (at least 1).
        public var abortIncompleteMultipartUploadDays: Int?

        /// Creates a rule.
        public init(id: String, prefix: String = "", enabled: Bool = true, expirationDays: Int? = nil,
                    noncurrentVersionExpirationDays: Int? = nil, abortIncompleteMultipartUploadDays: Int? = nil) {
            self.id = id
            self.prefix = prefix
            self.enabled = enabled
            self.expirationDays = expirationDays
            self.noncurrentVersionExpirationDays = noncurrentVersionExpirationDays
            self.abortIncompleteMultipartUploadDays = abortIncompleteMultipartUploadDays
        }

        public var expression: Expression {
            var entries: [String: Value] = ["id": .string(id), "prefix": .string(prefix), "enabled": .bool(enabled)]
            if let expirationDays { entries["expirationDays"] = .int(expirationDays) }
            if let noncurrentVersionExpirationDays { entries["noncurrentVersionExpirationDays"] = .int(noncurrentVersionExpirationDays) }
            if let abortIncompleteMultipartUploadDays { entries["abortIncompleteMultipartUploadDays"] = .int(abortIncompleteMultipartUploadDays) }
            return .value(.map(entries))
        }
    }
}
