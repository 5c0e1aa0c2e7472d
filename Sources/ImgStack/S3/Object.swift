import AWS
import Engine
import Foundation

extension S3 {
    /// One object in a bucket, from a local file or inline content. It is uploaded again when
    /// its MD5 changes (shown in the plan as `md5`), or its content type or cache control.
    /// Inline content may hold references (a configuration file naming other resources): the
    /// plan then compares the content itself, and a change made outside imgstack shows as a
    /// change of `content`.
    ///
    /// ```swift
    /// stack.add(S3.Object("index", bucket: site.bucketName, key: "index.html",
    ///                     source: siteDirectory.appendingPathComponent("index.html")))
    /// ```
    public struct Object: Resource {
        public static let terraformType = "aws_s3_object"

        /// The resource's name in the stack.
        public var name: String
        /// The bucket's name. Changing it replaces the object.
        public var bucket: Text
        /// The object's key (1–1024 bytes of UTF-8). Changing it replaces the object.
        public var key: Text
        /// The absolute path of the file to upload; set this or `content`.
        public var source: String?
        /// Inline text to upload; set this or `source`.
        public var content: Text?
        /// `Content-Type`; when nil, chosen from the key's (or the file's) extension.
        public var contentType: String?
        /// `Cache-Control` (`max-age=300`).
        public var cacheControl: String?
        /// Tags: at most 10; keys 1–128 characters, values at most 256.
        public var tags: [String: Text]
        /// Dependencies beside those that references imply.
        public var dependsOn: [Address] = []

        /// Declares an object uploaded from a file.
        public init(_ name: String, bucket: Text, key: Text, source: URL, contentType: String? = nil, cacheControl: String? = nil,
                    tags: [String: Text] = [:]) {
            self.init(name, bucket: bucket, key: key, source: source.path, content: nil, contentType: contentType,
                      cacheControl: cacheControl, tags: tags)
        }

        /// Declares an object holding `content` (UTF-8).
        public init(_ name: String, bucket: Text, key: Text, content: Text, contentType: String? = nil, cacheControl: String? = nil,
                    tags: [String: Text] = [:]) {
            self.init(name, bucket: bucket, key: key, source: nil, content: content, contentType: contentType,
                      cacheControl: cacheControl, tags: tags)
        }

        private init(_ name: String, bucket: Text, key: Text, source: String?, content: Text?, contentType: String?,
                     cacheControl: String?, tags: [String: Text]) {
            self.name = name
            self.bucket = bucket
            self.key = key
            self.source = source
            self.content = content
            self.contentType = contentType
            self.cacheControl = cacheControl
            self.tags = tags
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.bucket, bucket)
            list.set(property.key, key)
            list.set(property.source, source)
            list.set(property.content, content)
            list.set(property.contentType, contentType ?? ContentType.forPath(key.literal ?? source ?? ""))
            list.set(property.cacheControl, cacheControl)
            list.set(property.tags, tags)
            // The digest is what the plan compares; an unreadable file leaves it out and
            // validation names the file.
            if let content {
                list.set(property.md5, content.literal.map { ObjectDigest.md5(Data($0.utf8)) })
            } else {
                list.set(property.md5, source.flatMap { ObjectDigest.md5(file: $0) })
            }
            return list.values
        }

        /// The object's entity tag.
        public var etag: Text { attribute("etag") }

        public static func makeType() -> any ResourceType { ObjectType() }
    }
}

extension S3.Object {
    /// An object's properties, each declared once.
    struct Properties: PropertySet {
        let bucket = Property<String>("bucket", forcesReplacement: true)
        let key = Property<String>("key", forcesReplacement: true)
        /// The local file: what it holds is compared through `md5`.
        let source = Property<String>("source", local: true)
        let content = Property<String>("content")
        let contentType = Property<String>("contentType", terraform: "content_type", default: ContentType.fallback)
        /// Null by default: an object without `Cache-Control` is compared as having none.
        let cacheControl = Property<Value>("cacheControl", terraform: TerraformAttribute("cache_control", .value), default: Value.null)
        let tags = Property<[String: String]>("tags", default: [:])
        /// The body's MD5, hex: what the plan compares to decide an upload.
        let md5 = Property<String>("md5", terraform: "source_hash")
    }

    static let property = Properties()
}

/// Uploads, reads and deletes single objects. The id is `bucket/key`.
struct ObjectType: ResourceType {
    static let schema = ResourceSchema(
        S3.Object.self, S3.Object.Properties.self,
        attributes: [AttributeSchema("etag", changesWith: bodyProperties),
                     AttributeSchema("uploadedMD5", changesWith: bodyProperties, terraform: .none("imgstack's record of what it uploaded"))],
        digests: [(S3.Object.property.content, digest: S3.Object.property.md5)])

    var schema: ResourceSchema { Self.schema }
    private var property: S3.Object.Properties { S3.Object.property }

    /// Properties whose change means uploading the body again.
    private static let bodyProperties: [any PropertyDeclaration] = {
        let property = S3.Object.property
        return [property.source, property.content, property.md5, property.contentType, property.cacheControl]
    }()

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func add(_ property: some PropertyDeclaration, _ message: String) {
            issues.append(ValidationIssue(address, property, message))
        }
        if let name = properties.literal(property.bucket), let problem = BucketName.problem(name) { add(property.bucket, problem) }
        if let key = properties.literal(property.key), key.isEmpty || key.utf8.count > 1024 {
            add(property.key, "object keys are 1 to 1024 bytes of UTF-8")
        }
        switch (properties[property.source], properties[property.content]) {
        case (nil, nil): add(property.source, "set source (a file) or content (inline text)")
        case (.some, .some): add(property.content, "set source or content, not both")
        default: break
        }
        if let path = properties.literal(property.source), !FileManager.default.isReadableFile(atPath: path) {
            add(property.source, "cannot read the file \(path)")
        }
        for problem in TagRules.problems(properties[property.tags]?.resolve { _ in .unknown }, limit: 10) { add(property.tags, problem) }
        return issues
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let (bucket, key) = (properties[property.bucket] ?? "", properties[property.key] ?? "")
        let md5 = try await upload(properties, bucket: bucket, key: key, s3: try context.s3)
        return ResourceSnapshot(id: "\(bucket)/\(key)", properties: properties, attributes: Self.attributes(md5: md5))
    }

    private func upload(_ properties: [String: Value], bucket: String, key: String, s3: AWS.S3) async throws -> String {
        let upload = ObjectUpload(s3: s3, bucket: bucket)
        let contentType = properties[property.contentType] ?? ContentType.fallback
        let cacheControl = properties[property.cacheControl]?.stringValue
        let tags = BucketConfiguration.tags(properties[property.tags.name] ?? .null)
        let planned = properties[property.md5]
        if let content = properties[property.content] {
            return try await upload.upload(Data(content.utf8), key: key, plannedMD5: planned, source: property.content.name, contentType: contentType,
                                           cacheControl: cacheControl, tags: tags)
        }
        return try await upload.uploadFile(properties[property.source] ?? "", key: key, plannedMD5: planned, contentType: contentType,
                                           cacheControl: cacheControl, tags: tags)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let (bucket, key) = Self.split(recorded.id) else { return nil }
        return try await read(bucket: bucket, key: key, recorded: recorded.properties, uploaded: recorded.attributes["uploadedMD5"]?.stringValue,
                              s3: try context.s3)
    }

    func readForDestroy(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let (bucket, key) = Self.split(recorded.id) else { return nil }
        return try await recordedIfExists(recorded) { try await read(bucket: bucket, key: key, recorded: [:], s3: try context.s3) }
    }

    /// Reads an object. `uploaded` is the MD5 imgstack last uploaded: for content with
    /// references (no planned `md5`), a different MD5 stands for a change made outside imgstack.
    private func read(bucket: String, key: String, recorded: [String: Value], uploaded: String? = nil,
                      s3: AWS.S3) async throws -> ResourceSnapshot? {
        // No bucket (NoSuchBucket), or no object with the key (nil): no object. The tags are
        // read by bucket and key, alongside.
        let readsTags = recorded.contains(property.tags)
        guard let (head, tags) = try await ConcurrentReads.alongside(
            { try await nilWhenMissing(.noSuchBucket, call: { try await s3.headObject(bucket, key: key) }) ?? nil },
            { readsTags ? try await s3.objectTags(bucket, key: key) : nil }) else { return nil }
        let md5 = head.metadata[ObjectDigest.metadataKey] ?? head.etag
        var properties: [String: Value] = [:]
        properties[property.bucket] = bucket
        properties[property.key] = key
        properties[property.contentType.name] = head.contentType.map(Value.string) ?? .null
        properties[property.cacheControl] = head.cacheControl.map(Value.string) ?? .null
        // Where the body came from is known only to the stack.
        properties[property.source.name] = recorded[property.source.name]
        properties[property.content.name] = recorded[property.content.name]
        if !recorded.contains(property.content) || recorded.contains(property.md5) {
            properties[property.md5] = md5
        } else if let uploaded, uploaded != md5 {
            properties[property.content] = "(changed outside imgstack: MD5 \(md5))"
        }
        if let tags {
            properties[property.tags.name] = TagRules.visible(tags)
        }
        return ResourceSnapshot(id: "\(bucket)/\(key)", properties: properties,
                                attributes: ["etag": .string(head.etag), "uploadedMD5": .string(uploaded ?? md5)])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        guard let (bucket, key) = Self.split(current.id) else { return current }
        let s3 = try context.s3
        var attributes = current.attributes
        if Self.bodyProperties.contains(where: { changed.contains($0.schema.name) }) {
            attributes = Self.attributes(md5: try await upload(desired, bucket: bucket, key: key, s3: s3))
        } else if changed.contains(property.tags) {
            try await s3.putObjectTags(bucket, key: key, BucketConfiguration.tags(desired[property.tags.name] ?? .null))
        }
        return ResourceSnapshot(id: current.id, properties: desired, attributes: attributes)
    }

    /// What an upload records: its digest, which is also the ETag S3 gives a plain upload.
    private static func attributes(md5: String) -> [String: Value] {
        ["etag": .string(md5), "uploadedMD5": .string(md5)]
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        guard let (bucket, key) = Self.split(current.id) else { return }
        let s3 = try context.s3
        _ = try await nilWhenMissing(.noSuchBucket) { try await s3.deleteObject(bucket, key: key) }
    }

    /// An object is imported as `<bucket>/<key>`: a bucket name and a key of 1 to 1024 bytes.
    func validateImportID(_ id: String) -> String? {
        let expected = "an S3 object is imported as BUCKET/KEY (my-bucket/images/logo.png)"
        guard let (bucket, key) = Self.split(id), BucketName.problem(bucket) == nil, !key.isEmpty, key.utf8.count <= 1024,
              !key.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            return ImportIDForm.refusal(id, expected: expected)
        }
        return nil
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let (bucket, key) = Self.split(id) else { return nil }
        var recorded: [String: Value] = [:]
        recorded[property.tags] = [:]
        return try await read(bucket: bucket, key: key, recorded: recorded, s3: try context.s3)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let bucket = properties[property.bucket], let key = properties[property.key],
              let found = try await read(bucket: bucket, key: key, recorded: properties, s3: try context.s3),
              found.properties[property.md5.name] == properties[property.md5.name] else { return nil }
        return found
    }

    /// `bucket/key` split at the first `/` (bucket names hold none).
    static func split(_ id: String) -> (String, String)? {
        guard let slash = id.firstIndex(of: "/") else { return nil }
        return (String(id[..<slash]), String(id[id.index(after: slash)...]))
    }
}

extension ObjectType: AccessDeclaring {
    /// S3 actions per the Service Authorization Reference (Amazon S3): `HeadObject` needs
    /// `s3:GetObject`. A write into a bucket encrypted with SSE-KMS needs `kms:GenerateDataKey`
    /// on the bucket's key (Amazon S3 User Guide, "Using server-side encryption with AWS KMS
    /// keys"), which the object does not name: any key of the account and region. An object
    /// deleted outside imgstack reads as gone (404) only with `s3:ListBucket` on the bucket,
    /// as AccessDenied (403) without it (Amazon S3 API Reference, HeadObject).
    static let access: ResourceAccess = {
        let object = ARNPattern.arn("arn:{partition}:s3:::{bucket}/{key}")
        return ResourceAccess([
            IAMCall(.s3, "PutObject", in: .writing, needs: ["s3:PutObject", "s3:PutObjectTagging"], on: [object],
                    alsoNeeds: [S3Encryption.dataKeyGrant]),
            IAMCall(.s3, "HeadObject", in: .readingBack, needs: ["s3:GetObject"], on: [object],
                    alsoNeeds: [IAMGrant(["s3:ListBucket"], on: [.arn("arn:{partition}:s3:::{bucket}")])]),
            IAMCall(.s3, "GetObjectTagging", in: .readingBack, on: [object]),
            IAMCall(.s3, "PutObjectTagging", in: .writing, on: [object]),
            IAMCall(.s3, "DeleteObject", in: [.delete], on: [object]),
        ])
    }()
}

/// What an object write into an SSE-KMS bucket needs besides the S3 actions.
enum S3Encryption {
    /// `kms:GenerateDataKey` on the bucket's default key, which only the bucket names: S3 asks
    /// KMS for a data key with the caller's permissions (Amazon S3 User Guide, "Using
    /// server-side encryption with AWS KMS keys", permissions).
    static let dataKeyGrant = IAMGrant(["kms:GenerateDataKey"], on: [.arn("arn:{partition}:kms:{region}:{account}:key/*")])
}
