import AWS
import Engine

/// Amazon S3 resource types: buckets, bucket policies and objects.
///
/// ```swift
/// let site = stack.add(S3.Bucket("site", website: S3.Website(indexDocument: "index.html")))
/// stack.add(S3.Objects("files", bucket: site.bucketName, directory: siteDirectory))
/// ```
public enum S3 {}

extension OperationContext {
    /// S3 calls in this operation's region.
    var s3: AWS.S3 {
        get throws { try aws.s3(region: region) }
    }
}

/// Rules shared by the S3 types.
enum S3Rules {
    /// Why `id` names no bucket, for the types imported by their bucket's name.
    /// - Parameter expected: how the type is imported ("a bucket policy is imported by its bucket's name").
    static func bucketImportIDProblem(_ id: String, expected: String) -> String? {
        guard let problem = BucketName.problem(id) else { return nil }
        return ImportIDForm.refusal(id, expected: "\(expected) (\(problem))")
    }

    /// Right after `CreateBucket`, other calls on the bucket may answer `NoSuchBucket` for a few
    /// seconds (S3 is eventually consistent about a new bucket).
    static let newBucket = EventualConsistency([.init(.noSuchBucket)], window: 8, interval: 0.5)

    /// A bucket policy naming a principal created moments ago (a new IAM role) is refused until
    /// IAM has propagated it: `MalformedPolicy` "Invalid principal in policy".
    static let newPrincipals = EventualConsistency([.init(.malformedPolicy, messageContains: "principal")], window: 30, interval: 2)
}
