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
        public static let typeName = "s3.object"

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
            var list = PropertyList()
            list.set("bucket", bucket)
            list.set("key", key)
            list.set("source", source)
            list.set("content", content)
            list.set("contentType", contentType ?? ContentType.forPath(key.literal ?? source ?? ""))
            list.set("cacheControl", cacheControl)
            list.set("tags", tags)
            // The digest is what the plan compares; an unreadable file leaves it out and
            // validation names the file.
            if let content {
                list.set("md5", content.literal.map { ObjectDigest.md5(Data($0.utf8)) })
            } else {
                list.set("md5", source.flatMap { ObjectDigest.md5(file: $0) })
            }
            return list.values
        }

        /// The object's entity tag.
        public var etag: Text { attribute("etag") }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { ObjectType(aws: aws) }
    }
}

/// Uploads, reads and deletes single objects. The id is `bucket/key`.
struct ObjectType: ResourceType {
    let aws: AWSClient

    var schema: ResourceSchema {
        ResourceSchema(typeName: S3.Object.typeName, terraformType: "aws_s3_object",
                       properties: [
                           PropertySchema("bucket", forcesReplacement: true), PropertySchema("key", forcesReplacement: true),
                           PropertySchema("source", local: true), PropertySchema("content"),
                           PropertySchema("contentType", default: .string(ContentType.fallback)),
                           PropertySchema("cacheControl", default: Value.null), PropertySchema("tags", default: .map([:])),
                           PropertySchema("md5"),
                       ],
                       attributes: [AttributeSchema("etag", changesOnUpdate: true), AttributeSchema("uploadedMD5", changesOnUpdate: true)])
    }

    /// Properties whose change means uploading the body again.
    private static let bodyProperties: Set<String> = ["source", "content", "md5", "contentType", "cacheControl"]

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func add(_ property: String, _ message: String) {
            issues.append(ValidationIssue(subject: address.description, property: property, message: message))
        }
        if case .string(let name)? = properties["bucket"]?.literal, let problem = BucketName.problem(name) { add("bucket", problem) }
        if case .string(let key)? = properties["key"]?.literal, key.isEmpty || key.utf8.count > 1024 {
            add("key", "object keys are 1 to 1024 bytes of UTF-8")
        }
        switch (properties["source"], properties["content"]) {
        case (nil, nil): add("source", "set source (a file) or content (inline text)")
        case (.some, .some): add("content", "set source or content, not both")
        default: break
        }
        if case .string(let path)? = properties["source"]?.literal, !FileManager.default.isReadableFile(atPath: path) {
            add("source", "cannot read the file \(path)")
        }
        for problem in TagRules.problems(properties["tags"]?.resolve { _ in .unknown }, limit: 10) { add("tags", problem) }
        return issues
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let (bucket, key) = (properties["bucket"]?.stringValue ?? "", properties["key"]?.stringValue ?? "")
        let md5 = try await upload(properties, bucket: bucket, key: key, region: context.region)
        return ResourceSnapshot(id: "\(bucket)/\(key)", properties: properties, attributes: Self.attributes(md5: md5))
    }

    private func upload(_ properties: [String: Value], bucket: String, key: String, region: String) async throws -> String {
        let upload = ObjectUpload(s3: aws.s3, bucket: bucket, region: region)
        let contentType = properties["contentType"]?.stringValue ?? ContentType.fallback
        let cacheControl = properties["cacheControl"]?.stringValue
        let tags = BucketConfiguration.tags(properties["tags"] ?? .null)
        let planned = properties["md5"]?.stringValue
        if let content = properties["content"]?.stringValue {
            return try await upload.upload(Data(content.utf8), key: key, plannedMD5: planned, source: "content", contentType: contentType,
                                           cacheControl: cacheControl, tags: tags)
        }
        return try await upload.uploadFile(properties["source"]?.stringValue ?? "", key: key, plannedMD5: planned, contentType: contentType,
                                           cacheControl: cacheControl, tags: tags)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let (bucket, key) = Self.split(recorded.id) else { return nil }
        return try await read(bucket: bucket, key: key, recorded: recorded.properties, uploaded: recorded.attributes["uploadedMD5"]?.stringValue,
                              region: context.region)
    }

    /// Reads an object. `uploaded` is the MD5 imgstack last uploaded: for content with
    /// references (no planned `md5`), a different MD5 stands for a change made outside imgstack.
    private func read(bucket: String, key: String, recorded: [String: Value], uploaded: String? = nil,
                      region: String) async throws -> ResourceSnapshot? {
        let head: AWS.S3.ObjectHead?
        do {
            head = try await aws.s3.headObject(bucket, key: key, region: region)
        } catch let error as AWSError where error.code == "NoSuchBucket" {
            return nil
        }
        guard let head else { return nil }
        let md5 = head.metadata[ObjectDigest.metadataKey] ?? head.etag
        var properties: [String: Value] = [
            "bucket": .string(bucket), "key": .string(key),
            "contentType": head.contentType.map(Value.string) ?? .null,
            "cacheControl": head.cacheControl.map(Value.string) ?? .null,
        ]
        // Where the body came from is known only to the stack.
        for local in ["source", "content"] { properties[local] = recorded[local] }
        if recorded["content"] == nil || recorded["md5"] != nil {
            properties["md5"] = .string(md5)
        } else if let uploaded, uploaded != md5 {
            properties["content"] = .string("(changed outside imgstack: MD5 \(md5))")
        }
        if recorded["tags"] != nil {
            properties["tags"] = TagRules.visible(try await aws.s3.objectTags(bucket, key: key, region: region))
        }
        return ResourceSnapshot(id: "\(bucket)/\(key)", properties: properties,
                                attributes: ["etag": .string(head.etag), "uploadedMD5": .string(uploaded ?? md5)])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        guard let (bucket, key) = Self.split(current.id) else { return current }
        var attributes = current.attributes
        if !changed.isDisjoint(with: Self.bodyProperties) {
            attributes = Self.attributes(md5: try await upload(desired, bucket: bucket, key: key, region: context.region))
        } else if changed.contains("tags") {
            try await aws.s3.putObjectTags(bucket, key: key, BucketConfiguration.tags(desired["tags"] ?? .null), region: context.region)
        }
        return ResourceSnapshot(id: current.id, properties: desired, attributes: attributes)
    }

    /// What an upload records: its digest, which is also the ETag S3 gives a plain upload.
    private static func attributes(md5: String) -> [String: Value] {
        ["etag": .string(md5), "uploadedMD5": .string(md5)]
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        guard let (bucket, key) = Self.split(current.id) else { return }
        do {
            try await aws.s3.deleteObject(bucket, key: key, region: context.region)
        } catch let error as AWSError where error.code == "NoSuchBucket" {
            return
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let (bucket, key) = Self.split(id) else { return nil }
        return try await read(bucket: bucket, key: key, recorded: ["tags": .map([:])], region: context.region)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let bucket = properties["bucket"]?.stringValue, let key = properties["key"]?.stringValue,
              let found = try await read(bucket: bucket, key: key, recorded: properties, region: context.region),
              found.properties["md5"] == properties["md5"] else { return nil }
        return found
    }

    /// `bucket/key` split at the first `/` (bucket names hold none).
    static func split(_ id: String) -> (String, String)? {
        guard let slash = id.firstIndex(of: "/") else { return nil }
        return (String(id[..<slash]), String(id[id.index(after: slash)...]))
    }
}
