import AWS

/// Deletes every object version and delete marker of a bucket, for `forceDestroy`.
struct BucketEmptier: Sendable {
    /// S3 calls in the bucket's region.
    let s3: AWS.S3
    let bucket: String

    /// Lists and deletes until the bucket is empty; a few passes at most, since writers may
    /// still be adding objects while it runs.
    func deleteEverything(report: @Sendable (String) -> Void) async throws {
        for _ in 0..<3 {
            let versions = try await s3.listObjectVersions(bucket)
            guard !versions.isEmpty else { return }
            report("deleting \(versions.count) object versions from \(bucket)")
            try await s3.deleteObjects(bucket, versions)
        }
    }
}
