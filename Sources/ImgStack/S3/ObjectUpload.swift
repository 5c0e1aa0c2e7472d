import AWS
import Foundation

/// Uploads object bodies the way both object resource types need: the body checked against
/// the digest the plan showed, the digest kept in metadata, the content type given.
struct ObjectUpload: Sendable {
    /// S3 calls in the bucket's region.
    let s3: AWS.S3
    let bucket: String

    /// Reads `path`, checks it still has the planned digest and uploads it.
    /// - Throws: `ObjectChangedError` when the file changed since the plan, or cannot be read.
    func uploadFile(_ path: String, key: String, plannedMD5: String?, contentType: String, cacheControl: String?,
                    tags: [String: String] = [:]) async throws -> String {
        guard let body = FileManager.default.contents(atPath: path) else {
            throw ObjectChangedError(path: path, key: key, reason: "cannot be read")
        }
        return try await upload(body, key: key, plannedMD5: plannedMD5, source: path, contentType: contentType, cacheControl: cacheControl, tags: tags)
    }

    /// Uploads `body` after checking its digest.
    /// - Returns: the digest uploaded.
    func upload(_ body: Data, key: String, plannedMD5: String?, source: String, contentType: String, cacheControl: String?,
                tags: [String: String] = [:]) async throws -> String {
        let md5 = ObjectDigest.md5(body)
        // Apply does what the plan showed or stops: a file edited after the plan is not uploaded.
        if let plannedMD5, plannedMD5 != md5 {
            throw ObjectChangedError(path: source, key: key, reason: "changed since the plan (MD5 \(md5), planned \(plannedMD5))")
        }
        let attributes = AWS.S3.ObjectAttributes(contentType: contentType, cacheControl: cacheControl,
                                                 metadata: [ObjectDigest.metadataKey: md5], tags: tags)
        try await s3.putObject(bucket, key: key, body: body, attributes: attributes)
        return md5
    }

    /// The digest of an existing object: the one imgstack stored in its metadata, else its ETag.
    func currentMD5(key: String, etag: String?) async throws -> String? {
        guard let head = try await s3.headObject(bucket, key: key) else { return nil }
        return head.metadata[ObjectDigest.metadataKey] ?? etag ?? head.etag
    }
}

/// A file to upload is not what the plan saw.
struct ObjectChangedError: Error, Sendable, CustomStringConvertible {
    /// The local file (or `content` for inline content).
    var path: String
    /// The object key it was to be uploaded to.
    var key: String
    /// What is wrong with it.
    var reason: String

    var description: String { "\(path) (for key \(key)) \(reason); nothing was uploaded for it: plan again" }
}
