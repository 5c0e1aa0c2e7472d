import AWS

/// Deletes every object version and delete marker of a bucket, for `forceDestroy`.
struct BucketEmptier: Sendable {
    let s3: AWS.S3
    let bucket: String
    let region: String

    /// Lists and deletes until the bucket is empty; a few passes at most, since writers may
    /// still be adding objects while it runs.
    func deleteEverything(report: @Sendable (String) -> Void) async throws {
        for _ in 0..<3 {
            let versions = try await s3.listObjectVersions(bucket, region: region)
            guard !versions.isEmpty else { return }
            report("deleting \(versions.count) object versions from \(bucket)")
            try await s3.deleteObjects(bucket, versions, region: region)
        }
    }
}
