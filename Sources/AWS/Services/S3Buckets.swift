import Foundation

// MARK: - Buckets

extension S3 {
    /// Creates a bucket in this region (`CreateBucket`), with `tags` from the start
    /// (`CreateBucketConfiguration/Tags`; at most 50). us-east-1 takes no location constraint;
    /// every other region must be named in `CreateBucketConfiguration`.
    /// - Throws: `AWSError` (`BucketAlreadyExists`, `BucketAlreadyOwnedByYou`, …).
    public func createBucket(_ bucket: String, tags: [String: String] = [:]) async throws {
        let region = effectiveRegion
        var body = Data()
        var headers = HTTPHeaders()
        var configuration: [XMLNode] = []
        if region != "us-east-1" { configuration.append(XMLNode("LocationConstraint", text: region)) }
        if !tags.isEmpty {
            configuration.append(XMLNode("Tags", children: tags.sorted { $0.key < $1.key }.map {
                XMLNode("Tag", children: [XMLNode("Key", text: $0.key), XMLNode("Value", text: $0.value)])
            }))
        }
        if !configuration.isEmpty {
            body = XMLNode("CreateBucketConfiguration", attributes: Self.namespace, children: configuration).document
            headers["Content-Type"] = "application/xml"
        }
        _ = try await client.s3("CreateBucket", method: "PUT", bucket: bucket, headers: headers, body: body, region: region)
    }

    /// Deletes an empty bucket (`DeleteBucket`).
    /// - Throws: `AWSError` (`BucketNotEmpty`, `NoSuchBucket`).
    public func deleteBucket(_ bucket: String) async throws {
        _ = try await client.s3("DeleteBucket", method: "DELETE", bucket: bucket, region: region)
    }

    /// The bucket's region (`GetBucketLocation`): an empty constraint means us-east-1 and the
    /// legacy `EU` means eu-west-1.
    /// - Throws: `AWSError` (`NoSuchBucket` when it does not exist).
    public func bucketLocation(_ bucket: String) async throws -> String {
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
    public func bucketVersioning(_ bucket: String) async throws -> String? {
        let response = try await client.s3("GetBucketVersioning", method: "GET", bucket: bucket, query: [("versioning", "")], region: region)
        return try XMLNode.parse(response.body).string("Status")
    }

    /// Sets versioning to `Enabled` or `Suspended` (`PutBucketVersioning`); S3 cannot turn
    /// versioning off once it was on.
    public func putBucketVersioning(_ bucket: String, status: String) async throws {
        let body = XMLNode("VersioningConfiguration", attributes: Self.namespace, children: [XMLNode("Status", text: status)])
        try await putConfiguration("PutBucketVersioning", bucket, "versioning", body)
    }

    /// The default encryption rule (`GetBucketEncryption`), nil when none is configured
    /// (`ServerSideEncryptionConfigurationNotFoundError`).
    public func bucketEncryption(_ bucket: String) async throws -> ServerSideEncryption? {
        guard let root = try await getConfiguration("GetBucketEncryption", bucket, "encryption",
                                                   missing: .serverSideEncryptionConfigurationNotFoundError) else { return nil }
        guard let rule = root["Rule"], let algorithm = rule.string("ApplyServerSideEncryptionByDefault/SSEAlgorithm") else { return nil }
        return ServerSideEncryption(algorithm: algorithm, kmsKeyID: rule.string("ApplyServerSideEncryptionByDefault/KMSMasterKeyID"),
                                    bucketKeyEnabled: rule.string("BucketKeyEnabled") == "true")
    }

    /// Sets the default encryption (`PutBucketEncryption`).
    public func putBucketEncryption(_ bucket: String, _ encryption: ServerSideEncryption) async throws {
        var byDefault = [XMLNode("SSEAlgorithm", text: encryption.algorithm)]
        if let key = encryption.kmsKeyID { byDefault.append(XMLNode("KMSMasterKeyID", text: key)) }
        let rule = XMLNode("Rule", children: [XMLNode("ApplyServerSideEncryptionByDefault", children: byDefault),
                                              XMLNode("BucketKeyEnabled", text: encryption.bucketKeyEnabled ? "true" : "false")])
        let body = XMLNode("ServerSideEncryptionConfiguration", attributes: Self.namespace, children: [rule])
        try await putConfiguration("PutBucketEncryption", bucket, "encryption", body)
    }

    /// The Block Public Access flags (`GetPublicAccessBlock`), nil when none are set
    /// (`NoSuchPublicAccessBlockConfiguration`, which S3 treats as all four off).
    public func publicAccessBlock(_ bucket: String) async throws -> PublicAccessBlock? {
        guard let root = try await getConfiguration("GetPublicAccessBlock", bucket, "publicAccessBlock",
                                                   missing: .noSuchPublicAccessBlockConfiguration) else { return nil }
        return PublicAccessBlock(blockPublicAcls: root.string("BlockPublicAcls") == "true", ignorePublicAcls: root.string("IgnorePublicAcls") == "true",
                                 blockPublicPolicy: root.string("BlockPublicPolicy") == "true",
                                 restrictPublicBuckets: root.string("RestrictPublicBuckets") == "true")
    }

    /// Sets the Block Public Access flags (`PutPublicAccessBlock`).
    public func putPublicAccessBlock(_ bucket: String, _ block: PublicAccessBlock) async throws {
        let flag = { (name: String, on: Bool) in XMLNode(name, text: on ? "true" : "false") }
        let body = XMLNode("PublicAccessBlockConfiguration", attributes: Self.namespace, children: [
            flag("BlockPublicAcls", block.blockPublicAcls), flag("IgnorePublicAcls", block.ignorePublicAcls),
            flag("BlockPublicPolicy", block.blockPublicPolicy), flag("RestrictPublicBuckets", block.restrictPublicBuckets),
        ])
        try await putConfiguration("PutPublicAccessBlock", bucket, "publicAccessBlock", body)
    }

    /// The object ownership setting (`GetBucketOwnershipControls`): `BucketOwnerEnforced`,
    /// `BucketOwnerPreferred` or `ObjectWriter`; nil when none is set (`OwnershipControlsNotFoundError`).
    public func bucketOwnership(_ bucket: String) async throws -> String? {
        try await getConfiguration("GetBucketOwnershipControls", bucket, "ownershipControls",
                                   missing: .ownershipControlsNotFoundError)?.string("Rule/ObjectOwnership")
    }

    /// Sets the object ownership (`PutBucketOwnershipControls`).
    public func putBucketOwnership(_ bucket: String, _ ownership: String) async throws {
        let body = XMLNode("OwnershipControls", attributes: Self.namespace,
                           children: [XMLNode("Rule", children: [XMLNode("ObjectOwnership", text: ownership)])])
        try await putConfiguration("PutBucketOwnershipControls", bucket, "ownershipControls", body)
    }

    /// The CORS rules (`GetBucketCors`); empty when none (`NoSuchCORSConfiguration`).
    public func bucketCORS(_ bucket: String) async throws -> [CORSRule] {
        guard let root = try await getConfiguration("GetBucketCors", bucket, "cors", missing: .noSuchCORSConfiguration) else { return [] }
        return root.all("CORSRule").map { rule in
            CORSRule(id: rule.string("ID"), allowedHeaders: rule.all("AllowedHeader").map(\.text), allowedMethods: rule.all("AllowedMethod").map(\.text),
                     allowedOrigins: rule.all("AllowedOrigin").map(\.text), exposeHeaders: rule.all("ExposeHeader").map(\.text),
                     maxAgeSeconds: rule.string("MaxAgeSeconds").flatMap { Int($0) })
        }
    }

    /// Replaces the CORS rules (`PutBucketCors`), or removes them when `rules` is empty (`DeleteBucketCors`).
    public func putBucketCORS(_ bucket: String, _ rules: [CORSRule]) async throws {
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
        try await putConfiguration("PutBucketCors", bucket, "cors", body)
    }

    /// The website configuration (`GetBucketWebsite`), nil when none (`NoSuchWebsiteConfiguration`).
    public func bucketWebsite(_ bucket: String) async throws -> Website? {
        guard let root = try await getConfiguration("GetBucketWebsite", bucket, "website", missing: .noSuchWebsiteConfiguration) else { return nil }
        // A website that only redirects has no index document: it is read with an empty one, and
        // what it holds instead is named.
        var website = Website(indexDocument: root.string("IndexDocument/Suffix") ?? "", errorDocument: root.string("ErrorDocument/Key"))
        website.unmodeled = root.unread(["IndexDocument/Suffix", "ErrorDocument/Key"])
        return website
    }

    /// Sets the website configuration (`PutBucketWebsite`), or removes it when nil (`DeleteBucketWebsite`).
    public func putBucketWebsite(_ bucket: String, _ website: Website?) async throws {
        guard let website else {
            _ = try await client.s3("DeleteBucketWebsite", method: "DELETE", bucket: bucket, query: [("website", "")], region: region)
            return
        }
        var children = [XMLNode("IndexDocument", children: [XMLNode("Suffix", text: website.indexDocument)])]
        if let error = website.errorDocument { children.append(XMLNode("ErrorDocument", children: [XMLNode("Key", text: error)])) }
        try await putConfiguration("PutBucketWebsite", bucket, "website", XMLNode("WebsiteConfiguration", attributes: Self.namespace, children: children))
    }

    /// The lifecycle rules (`GetBucketLifecycleConfiguration`); empty when none
    /// (`NoSuchLifecycleConfiguration`). A rule's prefix is read from `Filter/Prefix`,
    /// `Filter/And/Prefix` or the legacy rule-level `Prefix`.
    public func bucketLifecycle(_ bucket: String) async throws -> [LifecycleRule] {
        guard let root = try await getConfiguration("GetBucketLifecycleConfiguration", bucket, "lifecycle",
                                                   missing: .noSuchLifecycleConfiguration) else { return [] }
        return root.all("Rule").map { rule in
            var read = LifecycleRule(id: rule.string("ID") ?? "",
                                     prefix: rule.string("Filter/Prefix") ?? rule.string("Filter/And/Prefix") ?? rule.string("Prefix") ?? "",
                                     enabled: rule.string("Status") == "Enabled",
                                     expirationDays: rule.string("Expiration/Days").flatMap { Int($0) },
                                     noncurrentVersionExpirationDays: rule.string("NoncurrentVersionExpiration/NoncurrentDays").flatMap { Int($0) },
                                     abortIncompleteMultipartUploadDays: rule.string("AbortIncompleteMultipartUpload/DaysAfterInitiation").flatMap { Int($0) })
            // Transitions, tag and size filters, expiration dates…: named so the plan shows them.
            read.unmodeled = rule.unread(Self.lifecycleRuleElements)
            return read
        }
    }

    /// The elements of a lifecycle `Rule` that ``LifecycleRule`` models.
    static let lifecycleRuleElements = ["ID", "Filter/Prefix", "Filter/And/Prefix", "Prefix", "Status", "Expiration/Days",
                                        "NoncurrentVersionExpiration/NoncurrentDays", "AbortIncompleteMultipartUpload/DaysAfterInitiation"]

    /// Replaces the lifecycle rules (`PutBucketLifecycleConfiguration`), or removes them when
    /// `rules` is empty (`DeleteBucketLifecycle`).
    public func putBucketLifecycle(_ bucket: String, _ rules: [LifecycleRule]) async throws {
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
        try await putConfiguration("PutBucketLifecycleConfiguration", bucket, "lifecycle", body)
    }

    /// The bucket's tags (`GetBucketTagging`); empty when none (`NoSuchTagSet`).
    public func bucketTags(_ bucket: String) async throws -> [String: String] {
        guard let root = try await getConfiguration("GetBucketTagging", bucket, "tagging", missing: .noSuchTagSet) else { return [:] }
        return Self.tags(root)
    }

    /// Replaces the bucket's tags (`PutBucketTagging`), or removes them all when `tags` is
    /// empty (`DeleteBucketTagging`: S3 refuses an empty `TagSet`).
    public func putBucketTags(_ bucket: String, _ tags: [String: String]) async throws {
        guard !tags.isEmpty else {
            _ = try await client.s3("DeleteBucketTagging", method: "DELETE", bucket: bucket, query: [("tagging", "")], region: region)
            return
        }
        try await putConfiguration("PutBucketTagging", bucket, "tagging", Self.tagging(tags))
    }

    /// The bucket policy's JSON text (`GetBucketPolicy`), nil when none (`NoSuchBucketPolicy`).
    public func bucketPolicy(_ bucket: String) async throws -> String? {
        try await nilWhenMissing(.noSuchBucketPolicy) {
            let response = try await client.s3("GetBucketPolicy", method: "GET", bucket: bucket, query: [("policy", "")], region: region)
            return String(decoding: response.body, as: UTF8.self)
        }
    }

    /// Sets the bucket policy (`PutBucketPolicy`, a JSON body).
    public func putBucketPolicy(_ bucket: String, policy: String) async throws {
        let body = Data(policy.utf8)
        _ = try await client.s3("PutBucketPolicy", method: "PUT", bucket: bucket, query: [("policy", "")],
                                headers: ["Content-Type": "application/json", "Content-MD5": Self.contentMD5(body)], body: body, region: region)
    }

    /// Removes the bucket policy (`DeleteBucketPolicy`); S3 answers 204 even when there is none.
    public func deleteBucketPolicy(_ bucket: String) async throws {
        _ = try await client.s3("DeleteBucketPolicy", method: "DELETE", bucket: bucket, query: [("policy", "")], region: region)
    }

    // MARK: Helpers

    /// GETs a configuration sub-resource; nil when S3 answers `missing` (no such configuration).
    func getConfiguration(_ operation: String, _ bucket: String, _ subresource: String,
                                  missing: AWSErrorCode) async throws -> XMLNode? {
        try await nilWhenMissing(missing) {
            let response = try await client.s3(operation, method: "GET", bucket: bucket, query: [(subresource, "")], region: region)
            return try XMLNode.parse(response.body)
        }
    }

    /// PUTs a configuration document with `Content-MD5`, which S3 requires on these operations
    /// (botocore marks them `requestChecksumRequired`).
    func putConfiguration(_ operation: String, _ bucket: String, _ subresource: String, _ document: XMLNode) async throws {
        let body = document.document
        _ = try await client.s3(operation, method: "PUT", bucket: bucket, query: [(subresource, "")],
                                headers: ["Content-Type": "application/xml", "Content-MD5": Self.contentMD5(body)], body: body, region: region)
    }
}
