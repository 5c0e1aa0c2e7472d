import Foundation

// MARK: - Objects

extension S3 {
    /// Every object version and delete marker in the bucket (`ListObjectVersions`, following
    /// `NextKeyMarker`/`NextVersionIdMarker`).
    public func listObjectVersions(_ bucket: String) async throws -> [ObjectVersion] {
        try await Paginator.collect({ token in
            var query = [("versions", "")]
            if let token {
                let markers = Self.versionMarkers(token)
                query.append(("key-marker", markers.key))
                if let version = markers.version { query.append(("version-id-marker", version)) }
            }
            let response = try await client.s3("ListObjectVersions", method: "GET", bucket: bucket, query: query, region: region)
            return try XMLNode.parse(response.body)
        }, items: { root in
            root.children.filter { $0.name == "Version" || $0.name == "DeleteMarker" }.map {
                ObjectVersion(key: $0.string("Key") ?? "", versionID: $0.string("VersionId"))
            }
        }, next: { root in
            guard root.string("IsTruncated") == "true", let key = root.string("NextKeyMarker") else { return nil }
            return Self.versionToken(key: key, version: root.string("NextVersionIdMarker"))
        })
    }

    /// `ListObjectVersions` pages on two markers; the paginator's one token holds both, joined
    /// by U+0000, which XML 1.0 (and so S3's answer) cannot carry in a key or version id.
    private static func versionToken(key: String, version: String?) -> String {
        version.map { key + "\u{0}" + $0 } ?? key
    }

    private static func versionMarkers(_ token: String) -> (key: String, version: String?) {
        let parts = token.split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false)
        return (String(parts[0]), parts.count > 1 ? String(parts[1]) : nil)
    }

    /// Deletes objects or versions, at most 1000 per `DeleteObjects` request (S3's limit).
    /// - Throws: `AWSError` for the first key S3 could not delete.
    public func deleteObjects(_ bucket: String, _ objects: [ObjectVersion]) async throws {
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
    public func listObjects(_ bucket: String, prefix: String) async throws -> [ObjectSummary] {
        try await Paginator.collect({ token in
            var query = [("list-type", "2"), ("prefix", prefix)]
            if let token { query.append(("continuation-token", token)) }
            let response = try await client.s3("ListObjectsV2", method: "GET", bucket: bucket, query: query, region: region)
            return try XMLNode.parse(response.body)
        }, items: { root in
            root.all("Contents").map {
                ObjectSummary(key: $0.string("Key") ?? "", etag: Self.unquoted($0.string("ETag") ?? ""), size: Int($0.string("Size") ?? "") ?? 0)
            }
        }, next: { $0.string("IsTruncated") == "true" ? $0.string("NextContinuationToken") : nil })
    }

    /// Uploads an object in one request (`PutObject`) with `Content-MD5`, so S3 refuses a body
    /// damaged on the way.
    /// - Returns: the entity tag without quotes.
    @discardableResult
    public func putObject(_ bucket: String, key: String, body: Data, attributes: ObjectAttributes) async throws -> String {
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
    public func headObject(_ bucket: String, key: String) async throws -> ObjectHead? {
        guard let response = try await nilWhenMissing(.notFound, .noSuchKey, call: {
            try await client.s3("HeadObject", method: "HEAD", bucket: bucket, key: key, region: region)
        }) else { return nil }
        var metadata: [String: String] = [:]
        for (name, value) in response.headers where name.lowercased().hasPrefix("x-amz-meta-") {
            metadata[String(name.lowercased().dropFirst("x-amz-meta-".count))] = value
        }
        return ObjectHead(etag: Self.unquoted(response.headers["ETag"] ?? ""), contentType: response.headers["Content-Type"],
                          cacheControl: response.headers["Cache-Control"], metadata: metadata)
    }

    /// The object's tags (`GetObjectTagging`).
    public func objectTags(_ bucket: String, key: String) async throws -> [String: String] {
        let response = try await client.s3("GetObjectTagging", method: "GET", bucket: bucket, key: key, query: [("tagging", "")], region: region)
        return Self.tags(try XMLNode.parse(response.body))
    }

    /// Replaces the object's tags (`PutObjectTagging`; an empty set removes them all).
    public func putObjectTags(_ bucket: String, key: String, _ tags: [String: String]) async throws {
        let body = Self.tagging(tags).document
        _ = try await client.s3("PutObjectTagging", method: "PUT", bucket: bucket, key: key, query: [("tagging", "")],
                                headers: ["Content-Type": "application/xml", "Content-MD5": Self.contentMD5(body)], body: body, region: region)
    }

    /// Deletes an object (`DeleteObject`); S3 answers 204 whether or not it existed.
    public func deleteObject(_ bucket: String, key: String) async throws {
        _ = try await client.s3("DeleteObject", method: "DELETE", bucket: bucket, key: key, region: region)
    }
}
