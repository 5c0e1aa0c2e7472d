import Foundation

// MARK: - Conditional object calls (remote state and its lock)

extension S3 {
    /// An object's bytes with the entity tag they were read at.
    public struct StoredObject: Sendable, Equatable {
        /// The object's bytes.
        public var body: Data
        /// The entity tag without quotes; `If-Match` on a later write names it.
        public var etag: String
    }

    /// The precondition a conditional `PutObject` or `DeleteObject` carries.
    public enum WriteCondition: Sendable, Equatable {
        /// `If-None-Match: *`: only when no object has the key.
        case absent
        /// `If-Match: "<etag>"`: only when the object is still the one with this entity tag.
        case matches(etag: String)
    }

    /// Reads an object with its entity tag (`GetObject`).
    /// - Returns: the bytes and ETag, or nil when the key does not exist (`NoSuchKey`).
    /// - Throws: `AWSError` (`NoSuchBucket`, `AccessDenied`, …), `AWSClientError`.
    public func storedObject(_ bucket: String, key: String) async throws -> StoredObject? {
        try await nilWhenMissing(.noSuchKey) {
            let response = try await client.s3("GetObject", method: "GET", bucket: bucket, key: key, region: region)
            return StoredObject(body: response.body, etag: Self.unquoted(response.headers["ETag"] ?? ""))
        }
    }

    /// Writes an object only if `condition` holds (`PutObject` with `If-None-Match` or
    /// `If-Match`), encrypted at rest with `encryption`.
    ///
    /// S3 answers 412 `PreconditionFailed` when the condition does not hold, and 409
    /// `ConditionalRequestConflict` when another conditional write to the key is in flight;
    /// both reach the caller as `AWSError` so it can tell "lost the race" from other failures.
    /// - Parameters:
    ///   - encryption: `AES256` (SSE-S3) or `aws:kms` with an optional key id (SSE-KMS); nil
    ///     leaves it to the bucket's default.
    /// - Returns: the new object's entity tag without quotes.
    /// - Throws: `AWSError`, `AWSClientError`.
    @discardableResult
    public func putObject(_ bucket: String, key: String, body: Data, condition: WriteCondition, encryption: ServerSideEncryption?,
                          contentType: String = "application/json") async throws -> String {
        var headers: HTTPHeaders = ["Content-MD5": Self.contentMD5(body), "Content-Type": contentType]
        headers.add(condition)
        if let encryption {
            headers["x-amz-server-side-encryption"] = encryption.algorithm
            if let keyID = encryption.kmsKeyID { headers["x-amz-server-side-encryption-aws-kms-key-id"] = keyID }
        }
        let response = try await client.s3("PutObject", method: "PUT", bucket: bucket, key: key, headers: headers, body: body, region: region)
        return Self.unquoted(response.headers["ETag"] ?? "")
    }

    /// Deletes an object only if it still has entity tag `etag` (`DeleteObject` with `If-Match`),
    /// so a lock another run took in the meantime is never removed.
    /// - Throws: `AWSError` 412 `PreconditionFailed` when the object changed, `NoSuchKey` (404)
    ///   when it is gone; `AWSClientError`.
    public func deleteObject(_ bucket: String, key: String, ifMatch etag: String) async throws {
        var headers = HTTPHeaders()
        headers.add(.matches(etag: etag))
        _ = try await client.s3("DeleteObject", method: "DELETE", bucket: bucket, key: key, headers: headers, region: region)
    }

    /// How an object is encrypted at rest, from `HeadObject`'s `x-amz-server-side-encryption`
    /// headers; nil when the key does not exist or S3 names no encryption.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func objectEncryption(_ bucket: String, key: String) async throws -> ServerSideEncryption? {
        guard let response = try await nilWhenMissing(.notFound, .noSuchKey, call: {
            try await client.s3("HeadObject", method: "HEAD", bucket: bucket, key: key, region: region)
        }) else { return nil }
        guard let algorithm = response.headers["x-amz-server-side-encryption"] else { return nil }
        return ServerSideEncryption(algorithm: algorithm, kmsKeyID: response.headers["x-amz-server-side-encryption-aws-kms-key-id"],
                                    bucketKeyEnabled: response.headers["x-amz-server-side-encryption-bucket-key-enabled"] == "true")
    }
}

extension HTTPHeaders {
    /// Adds the header that expresses `condition`. An ETag is sent quoted, as HTTP's entity-tag
    /// syntax (RFC 7232) has it.
    fileprivate mutating func add(_ condition: S3.WriteCondition) {
        switch condition {
        case .absent: self["If-None-Match"] = "*"
        case .matches(let etag): self["If-Match"] = "\"\(etag)\""
        }
    }
}
