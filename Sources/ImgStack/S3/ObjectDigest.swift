import Crypto
import Foundation

/// The MD5 digests that decide whether an object is uploaded again.
enum ObjectDigest {
    /// The user-metadata key the digest is stored under: an SSE-KMS object's ETag is not its
    /// MD5, so the metadata is what read compares when the ETag differs.
    static let metadataKey = "imgstack-md5"

    /// Lower-case hex MD5 of `data`, as S3's ETag of a single-part SSE-S3 upload.
    static func md5(_ data: Data) -> String {
        Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// The digest of the file at `path`, nil when it cannot be read.
    static func md5(file path: String) -> String? {
        FileManager.default.contents(atPath: path).map(md5)
    }
}
