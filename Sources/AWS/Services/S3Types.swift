import Foundation

// MARK: - Bucket configuration types

extension S3 {
    /// A bucket's default encryption (`ServerSideEncryptionRule`).
    public struct ServerSideEncryption: Sendable, Equatable {
        /// `AES256` (SSE-S3), `aws:kms` (SSE-KMS) or `aws:kms:dsse`.
        public var algorithm: String
        /// The KMS key (id, ARN or alias) for `aws:kms`; nil means the AWS managed key `aws/s3`.
        public var kmsKeyID: String?
        /// Whether S3 Bucket Keys cut KMS calls for SSE-KMS.
        public var bucketKeyEnabled: Bool

        /// Creates an encryption rule.
        public init(algorithm: String, kmsKeyID: String? = nil, bucketKeyEnabled: Bool = false) {
            self.algorithm = algorithm
            self.kmsKeyID = kmsKeyID
            self.bucketKeyEnabled = bucketKeyEnabled
        }
    }

    /// The four Block Public Access flags of a bucket.
    public struct PublicAccessBlock: Sendable, Equatable {
        /// Refuse requests that set public ACLs.
        public var blockPublicAcls: Bool
        /// Ignore public ACLs already present.
        public var ignorePublicAcls: Bool
        /// Refuse bucket policies that grant public access.
        public var blockPublicPolicy: Bool
        /// Limit a public policy's effect to AWS services and the owner's account.
        public var restrictPublicBuckets: Bool

        /// Creates the flags.
        public init(blockPublicAcls: Bool, ignorePublicAcls: Bool, blockPublicPolicy: Bool, restrictPublicBuckets: Bool) {
            self.blockPublicAcls = blockPublicAcls
            self.ignorePublicAcls = ignorePublicAcls
            self.blockPublicPolicy = blockPublicPolicy
            self.restrictPublicBuckets = restrictPublicBuckets
        }
    }

    /// One CORS rule of a bucket.
    public struct CORSRule: Sendable, Equatable {
        /// An optional rule id.
        public var id: String?
        /// Headers allowed in preflight `Access-Control-Request-Headers`.
        public var allowedHeaders: [String]
        /// `GET`, `PUT`, `POST`, `DELETE`, `HEAD`.
        public var allowedMethods: [String]
        /// Origins allowed to make cross-origin requests.
        public var allowedOrigins: [String]
        /// Response headers the browser may read.
        public var exposeHeaders: [String]
        /// Seconds the browser may cache the preflight answer.
        public var maxAgeSeconds: Int?

        /// Creates a rule.
        public init(id: String? = nil, allowedHeaders: [String] = [], allowedMethods: [String], allowedOrigins: [String],
                    exposeHeaders: [String] = [], maxAgeSeconds: Int? = nil) {
            self.id = id
            self.allowedHeaders = allowedHeaders
            self.allowedMethods = allowedMethods
            self.allowedOrigins = allowedOrigins
            self.exposeHeaders = exposeHeaders
            self.maxAgeSeconds = maxAgeSeconds
        }
    }

    /// A bucket's static website hosting (index and error documents).
    public struct Website: Sendable, Equatable {
        /// The suffix served for a directory request (`index.html`).
        public var indexDocument: String
        /// The object served on a 4xx error.
        public var errorDocument: String?
        /// Elements of the configuration as S3 holds it that this type does not model
        /// (`RoutingRules`, `RedirectAllRequestsTo`), named by ``XMLNode/unread(_:)``; empty in one to write.
        public var unmodeled: [String] = []

        /// Creates a website configuration.
        public init(indexDocument: String, errorDocument: String? = nil) {
            self.indexDocument = indexDocument
            self.errorDocument = errorDocument
        }
    }

    /// One lifecycle rule of a bucket, filtered by key prefix.
    public struct LifecycleRule: Sendable, Equatable {
        /// The rule's id.
        public var id: String
        /// The key prefix the rule applies to; empty for the whole bucket.
        public var prefix: String
        /// `Status` `Enabled` or `Disabled`.
        public var enabled: Bool
        /// Days after creation when current versions expire.
        public var expirationDays: Int?
        /// Days after becoming noncurrent when old versions are deleted.
        public var noncurrentVersionExpirationDays: Int?
        /// Days after initiation when incomplete multipart uploads are aborted.
        public var abortIncompleteMultipartUploadDays: Int?
        /// Elements of the rule as S3 holds it that this type does not model (`Transition`,
        /// `Filter/And/Tag`, …), named by ``XMLNode/unread(_:)``; empty in a rule to write.
        public var unmodeled: [String] = []

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
    }

    /// An object version or delete marker, as `ListObjectVersions` lists and `DeleteObjects` takes.
    public struct ObjectVersion: Sendable, Equatable {
        /// The key.
        public var key: String
        /// The version id; `null` for objects written before versioning.
        public var versionID: String?

        /// Creates a version reference.
        public init(key: String, versionID: String?) {
            self.key = key
            self.versionID = versionID
        }
    }

    /// An object as `ListObjectsV2` lists it.
    public struct ObjectSummary: Sendable, Equatable {
        /// The key.
        public var key: String
        /// The entity tag without quotes (the MD5 of a single-part, non-KMS upload).
        public var etag: String
        /// The size in bytes.
        public var size: Int
    }

    /// An object's metadata as `HeadObject` answers it.
    public struct ObjectHead: Sendable, Equatable {
        /// The entity tag without quotes.
        public var etag: String
        /// `Content-Type`.
        public var contentType: String?
        /// `Cache-Control`.
        public var cacheControl: String?
        /// User metadata (`x-amz-meta-*`), keys lower-cased without the prefix.
        public var metadata: [String: String]
    }

    /// What `PutObject` stores besides the bytes.
    public struct ObjectAttributes: Sendable, Equatable {
        /// `Content-Type`.
        public var contentType: String?
        /// `Cache-Control`.
        public var cacheControl: String?
        /// User metadata, sent as `x-amz-meta-<key>`.
        public var metadata: [String: String]
        /// Object tags, sent URL-encoded in `x-amz-tagging`.
        public var tags: [String: String]

        /// Creates attributes.
        public init(contentType: String? = nil, cacheControl: String? = nil, metadata: [String: String] = [:], tags: [String: String] = [:]) {
            self.contentType = contentType
            self.cacheControl = cacheControl
            self.metadata = metadata
            self.tags = tags
        }
    }
}
