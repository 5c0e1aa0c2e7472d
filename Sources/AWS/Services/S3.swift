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

extension AWSClient {
    /// The typed S3 calls of this client.
    public var s3: S3 { S3(client: self) }
}
