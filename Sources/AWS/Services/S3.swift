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
    /// The region every call goes to (the bucket's region); nil for the client's configured region.
    public let region: String?

    /// Creates the S3 calls of `client` in `region`.
    public init(client: AWSClient, region: String? = nil) {
        self.client = client
        self.region = region
    }

    /// The region calls go to: the bound one, else the client's.
    var effectiveRegion: String { region ?? client.configuration.region }

    /// Lists every bucket of the account, following `ContinuationToken` pages.
    /// - Returns: the buckets in S3's order.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func listBuckets() async throws -> [Bucket] {
        try await Paginator.collect({ token in
            let response = try await client.s3("ListBuckets", method: "GET", query: token.map { [("continuation-token", $0)] } ?? [],
                                               region: region)
            return try XMLNode.parse(response.body)
        }, items: { root in
            root.list("Buckets").map {
                Bucket(name: $0.string("Name") ?? "", creationDate: AWSTimestamp.parse($0.string("CreationDate")), region: $0.string("BucketRegion"))
            }
        }, next: { $0.string("ContinuationToken") })
    }
}

// MARK: - Shared encoding

extension S3 {
    static let namespace = ["xmlns": "http://s3.amazonaws.com/doc/2006-03-01/"]

    /// The base64 MD5 digest S3 checks in `Content-MD5` (required by the `Put…Configuration`
    /// calls and `DeleteObjects`).
    /// - Returns: the 24-character base64 text of the body's MD5.
    public static func contentMD5(_ body: Data) -> String {
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

    static func unquoted(_ etag: String) -> String {
        etag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }
}

extension AWSClient {
    /// The typed S3 calls of this client, in its configured region.
    public var s3: S3 { S3(client: self) }

    /// The typed S3 calls of this client in `region` (a bucket's region).
    public func s3(region: String) -> S3 { S3(client: self, region: region) }
}

extension AWSErrorCode {
    /// S3: the bucket does not exist (also for a moment right after `CreateBucket`).
    public static let noSuchBucket: Self = "NoSuchBucket"
    /// S3: `DeleteBucket` on a bucket that still holds objects or versions.
    public static let bucketNotEmpty: Self = "BucketNotEmpty"
    /// S3: no object has the key (`GetObject`, `DeleteObject` with `If-Match`).
    public static let noSuchKey: Self = "NoSuchKey"
    /// S3: a 404 answer without a body (`HeadObject`, `HeadBucket`); SNS: no such topic or subscription.
    public static let notFound: Self = "NotFound"
    /// S3: a 403 answer without a body (`HeadObject`, `HeadBucket`): the bucket is another account's.
    public static let forbidden: Self = "Forbidden"
    /// S3: the bucket has no policy (`GetBucketPolicy`).
    public static let noSuchBucketPolicy: Self = "NoSuchBucketPolicy"
    /// S3: a bucket policy S3 refuses, among them one naming a principal IAM has not propagated yet.
    public static let malformedPolicy: Self = "MalformedPolicy"
    /// S3: the bucket has no default encryption configured (`GetBucketEncryption`).
    public static let serverSideEncryptionConfigurationNotFoundError: Self = "ServerSideEncryptionConfigurationNotFoundError"
    /// S3: the bucket has no Block Public Access configuration (`GetPublicAccessBlock`).
    public static let noSuchPublicAccessBlockConfiguration: Self = "NoSuchPublicAccessBlockConfiguration"
    /// S3: the bucket has no ownership controls (`GetBucketOwnershipControls`).
    public static let ownershipControlsNotFoundError: Self = "OwnershipControlsNotFoundError"
    /// S3: the bucket has no CORS configuration (`GetBucketCors`).
    public static let noSuchCORSConfiguration: Self = "NoSuchCORSConfiguration"
    /// S3: the bucket has no website configuration (`GetBucketWebsite`).
    public static let noSuchWebsiteConfiguration: Self = "NoSuchWebsiteConfiguration"
    /// S3: the bucket has no lifecycle configuration (`GetBucketLifecycleConfiguration`).
    public static let noSuchLifecycleConfiguration: Self = "NoSuchLifecycleConfiguration"
    /// S3: the bucket or object has no tags (`GetBucketTagging`).
    public static let noSuchTagSet: Self = "NoSuchTagSet"
    /// S3: a conditional request's precondition did not hold (412, `If-Match` / `If-None-Match`).
    public static let preconditionFailed: Self = "PreconditionFailed"
    /// S3: another conditional write to the key was in flight (409).
    public static let conditionalRequestConflict: Self = "ConditionalRequestConflict"
}
