import Crypto
import Foundation

/// Typed calls to Amazon S3 (REST-XML, botocore `s3` 2006-03-01).
public struct S3: Sendable {
    /// A bucket as `ListBuckets` shows it.
    public struct Bucket: Sendable, Equatable {
        /// The bucket name.
        public var name: String
        /// When the bucket was created.
        public var creationDate: Date?
        /// The bucket's region, when S3 reports it (`BucketRegion`).
        public var region: String?
    }

    let client: AWSClient

    /// Creates the S3 calls of `client`.
    public init(client: AWSClient) {
        self.client = client
    }

    /// Lists every bucket of the account, following `ContinuationToken` pages.
    /// - Returns: the buckets in S3's order.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func listBuckets() async throws -> [Bucket] {
        var buckets: [Bucket] = []
        var token: String?
        repeat {
            let query = token.map { [("continuation-token", $0)] } ?? []
            let response = try await client.s3("ListBuckets", method: "GET", query: query)
            let root = try XMLNode.parse(response.body)
            buckets += root.list("Buckets").map {
                Bucket(name: $0.string("Name") ?? "", creationDate: AWSTimestamp.parse($0.string("CreationDate")), region: $0.string("BucketRegion"))
            }
            token = root.string("ContinuationToken").flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return buckets
    }
}

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

// MARK: - Buckets

extension S3 {
    static let namespace = ["xmlns": "http://s3.amazonaws.com/doc/2006-03-01/"]

    /// Creates a bucket in `region` (`CreateBucket`). us-east-1 takes no location constraint;
    /// every other region must be named in `CreateBucketConfiguration`.
    /// - Throws: `AWSError` (`BucketAlreadyExists`, `BucketAlreadyOwnedByYou`, …).
    public func createBucket(_ bucket: String, region: String) async throws {
        var body = Data()
        var headers = HTTPHeaders()
        if region != "us-east-1" {
            body = XMLNode("CreateBucketConfiguration", attributes: Self.namespace,
                           children: [XMLNode("LocationConstraint", text: region)]).document
            headers["Content-Type"] = "application/xml"
        }
        _ = try await client.s3("CreateBucket", method: "PUT", bucket: bucket, headers: headers, body: body, region: region)
    }

    /// Deletes an empty bucket (`DeleteBucket`).
    /// - Throws: `AWSError` (`BucketNotEmpty`, `NoSuchBucket`).
    public func deleteBucket(_ bucket: String, region: String) async throws {
        _ = try await client.s3("DeleteBucket", method: "DELETE", bucket: bucket, region: region)
    }

    /// The bucket's region (`GetBucketLocation`): an empty constraint means us-east-1 and the
    /// legacy `EU` means eu-west-1.
    /// - Throws: `AWSError` (`NoSuchBucket` when it does not exist).
    public func bucketLocation(_ bucket: String, region: String) async throws -> String {
        let response = try await client.s3("GetBucketLocation", method: "GET", bucket: bucket, query: [("location", "")], region: region)
        let constraint = try XMLNode.parse(response.body).text
        switch constraint {
        case "": return "us-east-1"
        case "EU": return "eu-west-1"
        default: return constraint
        }
    }

    /// The bucket's versioning status (`GetBucketVersioning`): `Enabled`, `Suspended`, or nil
    /// for a bucket that never had versioning.
    public func bucketVersioning(_ bucket: String, region: String) async throws -> String? {
        let response = try await client.s3("GetBucketVersioning", method: "GET", bucket: bucket, query: [("versioning", "")], region: region)
        return try XMLNode.parse(response.body).string("Status")
    }

    /// Sets versioning to `Enabled` or `Suspended` (`PutBucketVersioning`); S3 cannot turn
    /// versioning off once it was on.
    public func putBucketVersioning(_ bucket: String, status: String, region: String) async throws {
        let body = XMLNode("VersioningConfiguration", attributes: Self.namespace, children: [XMLNode("Status", text: status)])
        try await putConfiguration("PutBucketVersioning", bucket, "versioning", body, region)
    }

    /// The default encryption rule (`GetBucketEncryption`), nil when none is configured
    /// (`ServerSideEncryptionConfigurationNotFoundError`).
    public func bucketEncryption(_ bucket: String, region: String) async throws -> ServerSideEncryption? {
        guard let root = try await getConfiguration("GetBucketEncryption", bucket, "encryption", region,
                                                   missing: "ServerSideEncryptionConfigurationNotFoundError") else { return nil }
        guard let rule = root["Rule"], let algorithm = rule.string("ApplyServerSideEncryptionByDefault/SSEAlgorithm") else { return nil }
        return ServerSideEncryption(algorithm: algorithm, kmsKeyID: rule.string("ApplyServerSideEncryptionByDefault/KMSMasterKeyID"),
                                    bucketKeyEnabled: rule.string("BucketKeyEnabled") == "true")
    }

    /// Sets the default encryption (`PutBucketEncryption`).
    public func putBucketEncryption(_ bucket: String, _ encryption: ServerSideEncryption, region: String) async throws {
        var byDefault = [XMLNode("SSEAlgorithm", text: encryption.algorithm)]
        if let key = encryption.kmsKeyID { byDefault.append(XMLNode("KMSMasterKeyID", text: key)) }
        let rule = XMLNode("Rule", children: [XMLNode("ApplyServerSideEncryptionByDefault", children: byDefault),
                                              XMLNode("BucketKeyEnabled", text: encryption.bucketKeyEnabled ? "true" : "false")])
        let body = XMLNode("ServerSideEncryptionConfiguration", attributes: Self.namespace, children: [rule])
        try await putConfiguration("PutBucketEncryption", bucket, "encryption", body, region)
    }

    /// The Block Public Access flags (`GetPublicAccessBlock`), nil when none are set
    /// (`NoSuchPublicAccessBlockConfiguration`, which S3 treats as all four off).
    public func publicAccessBlock(_ bucket: String, region: String) async throws -> PublicAccessBlock? {
        guard let root = try await getConfiguration("GetPublicAccessBlock", bucket, "publicAccessBlock", region,
                                                   missing: "NoSuchPublicAccessBlockConfiguration") else { return nil }
        return PublicAccessBlock(blockPublicAcls: root.string("BlockPublicAcls") == "true", ignorePublicAcls: root.string("IgnorePublicAcls") == "true",
                                 blockPublicPolicy: root.string("BlockPublicPolicy") == "true",
                                 restrictPublicBuckets: root.string("RestrictPublicBuckets") == "true")
    }

    /// Sets the Block Public Access flags (`PutPublicAccessBlock`).
    public func putPublicAccessBlock(_ bucket: String, _ block: PublicAccessBlock, region: String) async throws {
        let flag = { (name: String, on: Bool) in XMLNode(name, text: on ? "true" : "false") }
        let body = XMLNode("PublicAccessBlockConfiguration", attributes: Self.namespace, children: [
            flag("BlockPublicAcls", block.blockPublicAcls), flag("IgnorePublicAcls", block.ignorePublicAcls),
            flag("BlockPublicPolicy", block.blockPublicPolicy), flag("RestrictPublicBuckets", block.restrictPublicBuckets),
        ])
        try await putConfiguration("PutPublicAccessBlock", bucket, "publicAccessBlock", body, region)
    }

    /// The object ownership setting (`GetBucketOwnershipControls`): `BucketOwnerEnforced`,
    /// `BucketOwnerPreferred` or `ObjectWriter`; nil when none is set (`OwnershipControlsNotFoundError`).
    public func bucketOwnership(_ bucket: String, region: String) async throws -> String? {
        try await getConfiguration("GetBucketOwnershipControls", bucket, "ownershipControls", region,
                                   missing: "OwnershipControlsNotFoundError")?.string("Rule/ObjectOwnership")
    }

    /// Sets the object ownership (`PutBucketOwnershipControls`).
    public func putBucketOwnership(_ bucket: String, _ ownership: String, region: String) async throws {
        let body = XMLNode("OwnershipControls", attributes: Self.namespace,
                           children: [XMLNode("Rule", children: [XMLNode("ObjectOwnership", text: ownership)])])
        try await putConfiguration("PutBucketOwnershipControls", bucket, "ownershipControls", body, region)
    }

    /// The CORS rules (`GetBucketCors`); empty when none (`NoSuchCORSConfiguration`).
    public func bucketCORS(_ bucket: String, region: String) async throws -> [CORSRule] {
        guard let root = try await getConfiguration("GetBucketCors", bucket, "cors", region, missing: "NoSuchCORSConfiguration") else { return [] }
        return root.all("CORSRule").map { rule in
            CORSRule(id: rule.string("ID"), allowedHeaders: rule.all("AllowedHeader").map(\.text), allowedMethods: rule.all("AllowedMethod").map(\.text),
                     allowedOrigins: rule.all("AllowedOrigin").map(\.text), exposeHeaders: rule.all("ExposeHeader").map(\.text),
                     maxAgeSeconds: rule.string("MaxAgeSeconds").flatMap { Int($0) })
        }
    }

    /// Replaces the CORS rules (`PutBucketCors`), or removes them when `rules` is empty (`DeleteBucketCors`).
    public func putBucketCORS(_ bucket: String, _ rules: [CORSRule], region: String) async throws {
        guard !rules.isEmpty else {
            _ = try await client.s3("DeleteBucketCors", method: "DELETE", bucket: bucket, query: [("cors", "")], region: region)
            return
        }
        let body = XMLNode("CORSConfiguration", attributes: Self.namespace, children: rules.map { rule in
            var children: [XMLNode] = []
            if let id = rule.id { children.append(XMLNode("ID", text: id)) }
            children += rule.allowedHeaders.map { XMLNode("AllowedHeader", text: $0) }
            children += rule.allowedMethods.map { XMLNode("AllowedMethod", text: $0) }
            children += rule.allowedOrigins.map { XMLNode("AllowedOrigin", text: $0) }
            children += rule.exposeHeaders.map { XMLNode("ExposeHeader", text: $0) }
            if let maxAge = rule.maxAgeSeconds { children.append(XMLNode("MaxAgeSeconds", text: String(maxAge))) }
            return XMLNode("CORSRule", children: children)
        })
        try await putConfiguration("PutBucketCors", bucket, "cors", body, region)
    }

    /// The website configuration (`GetBucketWebsite`), nil when none (`NoSuchWebsiteConfiguration`).
    public func bucketWebsite(_ bucket: String, region: String) async throws -> Website? {
        guard let root = try await getConfiguration("GetBucketWebsite", bucket, "website", region, missing: "NoSuchWebsiteConfiguration"),
              let index = root.string("IndexDocument/Suffix") else { return nil }
        return Website(indexDocument: index, errorDocument: root.string("ErrorDocument/Key"))
    }

    /// Sets the website configuration (`PutBucketWebsite`), or removes it when nil (`DeleteBucketWebsite`).
    public func putBucketWebsite(_ bucket: String, _ website: Website?, region: String) async throws {
        guard let website else {
            _ = try await client.s3("DeleteBucketWebsite", method: "DELETE", bucket: bucket, query: [("website", "")], region: region)
            return
        }
        var children = [XMLNode("IndexDocument", children: [XMLNode("Suffix", text: website.indexDocument)])]
        if let error = website.errorDocument { children.append(XMLNode("ErrorDocument", children: [XMLNode("Key", text: error)])) }
        try await putConfiguration("PutBucketWebsite", bucket, "website", XMLNode("WebsiteConfiguration", attributes: Self.namespace, children: children), region)
    }

    /// The lifecycle rules (`GetBucketLifecycleConfiguration`); empty when none
    /// (`NoSuchLifecycleConfiguration`). A rule's prefix is read from `Filter/Prefix`,
    /// `Filter/And/Prefix` or the legacy rule-level `Prefix`.
    public func bucketLifecycle(_ bucket: String, region: String) async throws -> [LifecycleRule] {
        guard let root = try await getConfiguration("GetBucketLifecycleConfiguration", bucket, "lifecycle", region,
                                                   missing: "NoSuchLifecycleConfiguration") else { return [] }
        return root.all("Rule").map { rule in
            LifecycleRule(id: rule.string("ID") ?? "",
                          prefix: rule.string("Filter/Prefix") ?? rule.string("Filter/And/Prefix") ?? rule.string("Prefix") ?? "",
                          enabled: rule.string("Status") == "Enabled",
                          expirationDays: rule.string("Expiration/Days").flatMap { Int($0) },
                          noncurrentVersionExpirationDays: rule.string("NoncurrentVersionExpiration/NoncurrentDays").flatMap { Int($0) },
                          abortIncompleteMultipartUploadDays: rule.string("AbortIncompleteMultipartUpload/DaysAfterInitiation").flatMap { Int($0) })
        }
    }

    /// Replaces the lifecycle rules (`PutBucketLifecycleConfiguration`), or removes them when
    /// `rules` is empty (`DeleteBucketLifecycle`).
    public func putBucketLifecycle(_ bucket: String, _ rules: [LifecycleRule], region: String) async throws {
        guard !rules.isEmpty else {
            _ = try await client.s3("DeleteBucketLifecycle", method: "DELETE", bucket: bucket, query: [("lifecycle", "")], region: region)
            return
        }
        let body = XMLNode("LifecycleConfiguration", attributes: Self.namespace, children: rules.map { rule in
            var children = [XMLNode("ID", text: rule.id), XMLNode("Filter", children: [XMLNode("Prefix", text: rule.prefix)]),
                            XMLNode("Status", text: rule.enabled ? "Enabled" : "Disabled")]
            if let days = rule.expirationDays {
                children.append(XMLNode("Expiration", children: [XMLNode("Days", text: String(days))]))
            }
            if let days = rule.noncurrentVersionExpirationDays {
                children.append(XMLNode("NoncurrentVersionExpiration", children: [XMLNode("NoncurrentDays", text: String(days))]))
            }
            if let days = rule.abortIncompleteMultipartUploadDays {
                children.append(XMLNode("AbortIncompleteMultipartUpload", children: [XMLNode("DaysAfterInitiation", text: String(days))]))
            }
            return XMLNode("Rule", children: children)
        })
        try await putConfiguration("PutBucketLifecycleConfiguration", bucket, "lifecycle", body, region)
    }

    /// The bucket's tags (`GetBucketTagging`); empty when none (`NoSuchTagSet`).
    public func bucketTags(_ bucket: String, region: String) async throws -> [String: String] {
        guard let root = try await getConfiguration("GetBucketTagging", bucket, "tagging", region, missing: "NoSuchTagSet") else { return [:] }
        return Self.tags(root)
    }

    /// Replaces the bucket's tags (`PutBucketTagging`), or removes them all when `tags` is
    /// empty (`DeleteBucketTagging`: S3 refuses an empty `TagSet`).
    public func putBucketTags(_ bucket: String, _ tags: [String: String], region: String) async throws {
        guard !tags.isEmpty else {
            _ = try await client.s3("DeleteBucketTagging", method: "DELETE", bucket: bucket, query: [("tagging", "")], region: region)
            return
        }
        try await putConfiguration("PutBucketTagging", bucket, "tagging", Self.tagging(tags), region)
    }

    /// The bucket policy's JSON text (`GetBucketPolicy`), nil when none (`NoSuchBucketPolicy`).
    public func bucketPolicy(_ bucket: String, region: String) async throws -> String? {
        do {
            let response = try await client.s3("GetBucketPolicy", method: "GET", bucket: bucket, query: [("policy", "")], region: region)
            return String(decoding: response.body, as: UTF8.self)
        } catch let error as AWSError where error.code == "NoSuchBucketPolicy" {
            return nil
        }
    }

    /// Sets the bucket policy (`PutBucketPolicy`, a JSON body).
    public func putBucketPolicy(_ bucket: String, policy: String, region: String) async throws {
        let body = Data(policy.utf8)
        _ = try await client.s3("PutBucketPolicy", method: "PUT", bucket: bucket, query: [("policy", "")],
                                headers: ["Content-Type": "application/json", "Content-MD5": Self.contentMD5(body)], body: body, region: region)
    }

    /// Removes the bucket policy (`DeleteBucketPolicy`); S3 answers 204 even when there is none.
    public func deleteBucketPolicy(_ bucket: String, region: String) async throws {
        _ = try await client.s3("DeleteBucketPolicy", method: "DELETE", bucket: bucket, query: [("policy", "")], region: region)
    }

    // MARK: Helpers

    /// GETs a configuration sub-resource; nil when S3 answers `missing` (no such configuration).
    private func getConfiguration(_ operation: String, _ bucket: String, _ subresource: String, _ region: String,
                                  missing: AWSErrorCode) async throws -> XMLNode? {
        do {
            let response = try await client.s3(operation, method: "GET", bucket: bucket, query: [(subresource, "")], region: region)
            return try XMLNode.parse(response.body)
        } catch let error as AWSError where error.code == missing {
            return nil
        }
    }

    /// PUTs a configuration document with `Content-MD5`, which S3 requires on these operations
    /// (botocore marks them `requestChecksumRequired`).
    private func putConfiguration(_ operation: String, _ bucket: String, _ subresource: String, _ document: XMLNode, _ region: String) async throws {
        let body = document.document
        _ = try await client.s3(operation, method: "PUT", bucket: bucket, query: [(subresource, "")],
                                headers: ["Content-Type": "application/xml", "Content-MD5": Self.contentMD5(body)], body: body, region: region)
    }

    /// The base64 MD5 digest S3 checks in `Content-MD5`.
    static func contentMD5(_ body: Data) -> String {
        Data(Insecure.MD5.hash(data: body)).base64EncodedString()
    }

    static func tagging(_ tags: [String: String]) -> XMLNode {
        XMLNode("Tagging", attributes: namespace, children: [XMLNode("TagSet", children: tags.sorted { $0.key < $1.key }.map {
            XMLNode("Tag", children: [XMLNode("Key", text: $0.key), XMLNode("Value", text: $0.value)])
        })])
    }

    static func tags(_ root: XMLNode) -> [String: String] {
        var tags: [String: String] = [:]
        for tag in root.list("TagSet") { tags[tag.string("Key") ?? ""] = tag.string("Value") ?? "" }
        return tags
    }
}

// MARK: - Objects

extension S3 {
    /// Every object version and delete marker in the bucket (`ListObjectVersions`, following
    /// `NextKeyMarker`/`NextVersionIdMarker`).
    public func listObjectVersions(_ bucket: String, region: String) async throws -> [ObjectVersion] {
        var versions: [ObjectVersion] = []
        var markers: (key: String, version: String?)?
        repeat {
            var query = [("versions", "")]
            if let markers {
                query.append(("key-marker", markers.key))
                if let version = markers.version { query.append(("version-id-marker", version)) }
            }
            let response = try await client.s3("ListObjectVersions", method: "GET", bucket: bucket, query: query, region: region)
            let root = try XMLNode.parse(response.body)
            for entry in root.children where entry.name == "Version" || entry.name == "DeleteMarker" {
                versions.append(ObjectVersion(key: entry.string("Key") ?? "", versionID: entry.string("VersionId")))
            }
            markers = root.string("IsTruncated") == "true"
                ? root.string("NextKeyMarker").map { ($0, root.string("NextVersionIdMarker")) } : nil
        } while markers != nil
        return versions
    }

    /// Deletes objects or versions, at most 1000 per `DeleteObjects` request (S3's limit).
    /// - Throws: `AWSError` for the first key S3 could not delete.
    public func deleteObjects(_ bucket: String, _ objects: [ObjectVersion], region: String) async throws {
        for start in stride(from: 0, to: objects.count, by: 1000) {
            let batch = objects[start..<min(start + 1000, objects.count)]
            let body = XMLNode("Delete", attributes: Self.namespace, children: [XMLNode("Quiet", text: "true")] + batch.map { object in
                var children = [XMLNode("Key", text: object.key)]
                if let version = object.versionID { children.append(XMLNode("VersionId", text: version)) }
                return XMLNode("Object", children: children)
            }).document
            let response = try await client.s3("DeleteObjects", method: "POST", bucket: bucket, query: [("delete", "")],
                                               headers: ["Content-Type": "application/xml", "Content-MD5": Self.contentMD5(body)], body: body, region: region)
            // DeleteObjects answers 200 even when single keys failed; they come back as <Error>.
            if !response.body.isEmpty, let failure = try XMLNode.parse(response.body).all("Error").first {
                throw AWSError(service: "s3", operation: "DeleteObjects", statusCode: 200, code: failure.string("Code") ?? "InternalError",
                               message: "\(failure.string("Key") ?? ""): \(failure.string("Message") ?? "")")
            }
        }
    }

    /// The objects under `prefix` (`ListObjectsV2`, following continuation tokens).
    public func listObjects(_ bucket: String, prefix: String, region: String) async throws -> [ObjectSummary] {
        var objects: [ObjectSummary] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix)]
            if let token { query.append(("continuation-token", token)) }
            let response = try await client.s3("ListObjectsV2", method: "GET", bucket: bucket, query: query, region: region)
            let root = try XMLNode.parse(response.body)
            objects += root.all("Contents").map {
                ObjectSummary(key: $0.string("Key") ?? "", etag: Self.unquoted($0.string("ETag") ?? ""), size: Int($0.string("Size") ?? "") ?? 0)
            }
            token = root.string("IsTruncated") == "true" ? root.string("NextContinuationToken") : nil
        } while token != nil
        return objects
    }

    /// Uploads an object in one request (`PutObject`) with `Content-MD5`, so S3 refuses a body
    /// damaged on the way.
    /// - Returns: the entity tag without quotes.
    @discardableResult
    public func putObject(_ bucket: String, key: String, body: Data, attributes: ObjectAttributes, region: String) async throws -> String {
        var headers: HTTPHeaders = ["Content-MD5": Self.contentMD5(body)]
        headers["Content-Type"] = attributes.contentType ?? "binary/octet-stream"
        if let cacheControl = attributes.cacheControl { headers["Cache-Control"] = cacheControl }
        for (name, value) in attributes.metadata.sorted(by: { $0.key < $1.key }) { headers["x-amz-meta-\(name)"] = value }
        if !attributes.tags.isEmpty {
            headers["x-amz-tagging"] = PercentEncoding.query(attributes.tags.sorted { $0.key < $1.key })
        }
        let response = try await client.s3("PutObject", method: "PUT", bucket: bucket, key: key, headers: headers, body: body, region: region)
        return Self.unquoted(response.headers["ETag"] ?? "")
    }

    /// An object's metadata (`HeadObject`), nil when the key does not exist (404 `NotFound`).
    public func headObject(_ bucket: String, key: String, region: String) async throws -> ObjectHead? {
        let response: HTTPResponse
        do {
            response = try await client.s3("HeadObject", method: "HEAD", bucket: bucket, key: key, region: region)
        } catch let error as AWSError where error.code == "NotFound" || error.code == "NoSuchKey" {
            return nil
        }
        var metadata: [String: String] = [:]
        for (name, value) in response.headers where name.lowercased().hasPrefix("x-amz-meta-") {
            metadata[String(name.lowercased().dropFirst("x-amz-meta-".count))] = value
        }
        return ObjectHead(etag: Self.unquoted(response.headers["ETag"] ?? ""), contentType: response.headers["Content-Type"],
                          cacheControl: response.headers["Cache-Control"], metadata: metadata)
    }

    /// The object's tags (`GetObjectTagging`).
    public func objectTags(_ bucket: String, key: String, region: String) async throws -> [String: String] {
        let response = try await client.s3("GetObjectTagging", method: "GET", bucket: bucket, key: key, query: [("tagging", "")], region: region)
        return Self.tags(try XMLNode.parse(response.body))
    }

    /// Replaces the object's tags (`PutObjectTagging`; an empty set removes them all).
    public func putObjectTags(_ bucket: String, key: String, _ tags: [String: String], region: String) async throws {
        let body = Self.tagging(tags).document
        _ = try await client.s3("PutObjectTagging", method: "PUT", bucket: bucket, key: key, query: [("tagging", "")],
                                headers: ["Content-Type": "application/xml", "Content-MD5": Self.contentMD5(body)], body: body, region: region)
    }

    /// Deletes an object (`DeleteObject`); S3 answers 204 whether or not it existed.
    public func deleteObject(_ bucket: String, key: String, region: String) async throws {
        _ = try await client.s3("DeleteObject", method: "DELETE", bucket: bucket, key: key, region: region)
    }

    static func unquoted(_ etag: String) -> String {
        etag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }
}

extension AWSClient {
    /// The typed S3 calls of this client.
    public var s3: S3 { S3(client: self) }
}
