import AWS
import Engine
import Foundation

extension S3 {
    /// Every file of a local directory, uploaded under a key prefix as one resource. The plan
    /// shows `files` (key → MD5), so it names the files that change; apply uploads only those
    /// and deletes the objects of files that were removed. Hidden files (`.name`) are skipped.
    ///
    /// ```swift
    /// stack.add(S3.Objects("site", bucket: site.bucketName,
    ///                      directory: Bundle.module.url(forResource: "site", withExtension: nil)!))
    /// ```
    public struct Objects: Resource {
        public static let terraformType = "aws_s3_object"

        /// The resource's name in the stack.
        public var name: String
        /// The bucket's name. Changing it replaces every object.
        public var bucket: Text
        /// The absolute path of the directory whose files are uploaded.
        public var directory: String
        /// Prepended to each file's relative path to make its key (`assets/`). Changing it
        /// replaces every object.
        public var prefix: String
        /// `Cache-Control` for every object; changing it uploads every file again.
        public var cacheControl: String?
        /// Dependencies beside those that references imply.
        public var dependsOn: [Address] = []

        /// Declares the files of `directory` as objects under `prefix`.
        public init(_ name: String, bucket: Text, directory: URL, prefix: String = "", cacheControl: String? = nil) {
            self.name = name
            self.bucket = bucket
            self.directory = directory.path
            self.prefix = prefix
            self.cacheControl = cacheControl
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.bucket, bucket)
            list.set(property.directory, directory)
            list.set(property.prefix, prefix)
            list.set(property.cacheControl, cacheControl)
            let files = DirectoryListing.files(in: directory).reduce(into: [String: String]()) { files, relative in
                if let md5 = ObjectDigest.md5(file: directory + "/" + relative) { files[prefix + relative] = md5 }
            }
            list.set(property.files, files)
            return list.values
        }

        public static func makeType() -> any ResourceType { ObjectsType() }
    }
}

extension S3.Objects {
    /// The properties of a directory's objects, each declared once.
    struct Properties: PropertySet {
        let bucket = Property<String>("bucket", forcesReplacement: true)
        let prefix = Property<String>("prefix", terraform: .none("written in each object's key"), forcesReplacement: true, default: "")
        /// The local directory: what it holds is compared through `files`.
        let directory = Property<String>("directory", terraform: .none("a path on this machine: what it holds is each object's source_hash"),
                                         local: true)
        /// Key → MD5 of every file; the provider's `aws_s3_object` once per file, as
        /// `for_each = fileset(…)` writes it, its `source_hash` the MD5.
        let files = Property<[String: String]>("files", terraform: .forEach { files in
            (files.mapValue ?? [:]).reduce(into: [:]) { instances, file in
                instances[file.key] = ["key": .string(file.key), "id": .string(file.key), "source_hash": file.value,
                                       "content_type": .string(ContentType.forPath(file.key))]
            }
        }, default: [:])
        /// Null by default: objects without `Cache-Control` are compared as having none.
        let cacheControl = Property<Value>("cacheControl", terraform: TerraformAttribute("cache_control", .value), default: Value.null)
    }

    static let property = Properties()
}

/// Keeps a bucket prefix in step with a directory. The id is `bucket/prefix`.
struct ObjectsType: ResourceType {
    static let schema = ResourceSchema(S3.Objects.self, S3.Objects.Properties.self)

    var schema: ResourceSchema { Self.schema }
    private var property: S3.Objects.Properties { S3.Objects.property }

    /// Uploads at once, to keep a large site quick without flooding the connection pool.
    static let parallelUploads = 4

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let name = properties.literal(property.bucket), let problem = BucketName.problem(name) {
            issues.append(ValidationIssue(address, property.bucket, problem))
        }
        if let path = properties.literal(property.directory) {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) || !isDirectory.boolValue {
                issues.append(ValidationIssue(address, property.directory, "\(path) is not a directory"))
            }
        }
        return issues
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let (bucket, prefix) = (properties[property.bucket] ?? "", properties[property.prefix] ?? "")
        let files = Self.files(properties)
        try await upload(Array(files.keys), files: files, properties: properties, bucket: bucket, context: context)
        return ResourceSnapshot(id: "\(bucket)/\(prefix)", properties: properties)
    }

    /// Uploads `keys`, a bounded number at once.
    private func upload(_ keys: [String], files: [String: String], properties: [String: Value], bucket: String,
                        context: OperationContext) async throws {
        guard !keys.isEmpty else { return }
        context.report("uploading \(keys.count) files to \(bucket)")
        let upload = ObjectUpload(s3: try context.s3, bucket: bucket)
        let directory = properties[property.directory] ?? ""
        let prefix = properties[property.prefix] ?? ""
        let cacheControl = properties[property.cacheControl]?.stringValue
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, key) in keys.sorted().enumerated() {
                if index >= Self.parallelUploads { try await group.next() }
                let path = directory + "/" + key.dropFirst(prefix.count)
                group.addTask {
                    _ = try await upload.uploadFile(path, key: key, plannedMD5: files[key], contentType: ContentType.forPath(key),
                                                    cacheControl: cacheControl)
                }
            }
            try await group.waitForAll()
        }
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        let recordedFiles = Self.files(recorded.properties)
        guard let files = try await listFiles(recorded.id, only: Set(recordedFiles.keys), expected: recordedFiles, s3: try context.s3) else {
            return nil
        }
        var properties = recorded.properties
        properties[property.files] = files
        return ResourceSnapshot(id: recorded.id, properties: properties)
    }

    /// The listing under the id's prefix alone, without the `HeadObject` a file's digest may
    /// need: the delete removes the recorded keys.
    func readForDestroy(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let (bucket, prefix) = ObjectType.split(recorded.id) else { return nil }
        let s3 = try context.s3
        return try await recordedIfExists(recorded) {
            try await nilWhenMissing(.noSuchBucket, call: { try await s3.listObjects(bucket, prefix: prefix) })
        }
    }

    /// The digests of the objects under the id's prefix, limited to `only` when given; nil when
    /// the bucket is gone. A listed ETag that is not the expected digest (SSE-KMS objects) is
    /// checked against the digest kept in the object's metadata.
    private func listFiles(_ id: String, only: Set<String>?, expected: [String: String], s3: AWS.S3) async throws -> [String: String]? {
        guard let (bucket, prefix) = ObjectType.split(id),
              let listed = try await nilWhenMissing(.noSuchBucket, call: { try await s3.listObjects(bucket, prefix: prefix) }) else { return nil }
        let upload = ObjectUpload(s3: s3, bucket: bucket)
        var files: [String: String] = [:]
        for object in listed where only?.contains(object.key) ?? true {
            if object.etag == expected[object.key] {
                files[object.key] = object.etag
            } else if let md5 = try await upload.currentMD5(key: object.key, etag: nil) {
                files[object.key] = md5
            }
        }
        return files
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        guard let (bucket, _) = ObjectType.split(current.id) else { return current }
        let wanted = Self.files(desired)
        let present = Self.files(current.properties)
        // New cache control means every object's headers change, so every file goes up again.
        let keys = changed.contains(property.cacheControl) ? Array(wanted.keys) : wanted.keys.filter { present[$0] != wanted[$0] }
        try await upload(keys, files: wanted, properties: desired, bucket: bucket, context: context)
        let removed = present.keys.filter { wanted[$0] == nil }.sorted()
        if !removed.isEmpty {
            try await context.s3.deleteObjects(bucket, removed.map { AWS.S3.ObjectVersion(key: $0, versionID: nil) })
        }
        return ResourceSnapshot(id: current.id, properties: desired)
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        guard let (bucket, _) = ObjectType.split(current.id) else { return }
        let keys = Self.files(current.properties).keys.sorted()
        let s3 = try context.s3
        _ = try await nilWhenMissing(.noSuchBucket) {
            try await s3.deleteObjects(bucket, keys.map { AWS.S3.ObjectVersion(key: $0, versionID: nil) })
        }
    }

    /// A directory's objects are imported as `<bucket>/<prefix>` (an empty prefix is the
    /// bucket's root: `my-bucket/`).
    func validateImportID(_ id: String) -> String? {
        let expected = "a directory's objects are imported as BUCKET/PREFIX (my-bucket/site/, or my-bucket/ for the whole bucket)"
        guard let (bucket, prefix) = ObjectType.split(id), BucketName.problem(bucket) == nil, prefix.utf8.count <= 1024,
              !prefix.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            return ImportIDForm.refusal(id, expected: expected)
        }
        return nil
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let (bucket, prefix) = ObjectType.split(id),
              let files = try await listFiles(id, only: nil, expected: [:], s3: try context.s3) else { return nil }
        var properties: [String: Value] = [:]
        properties[property.bucket] = bucket
        properties[property.prefix] = prefix
        properties[property.files] = files
        properties[property.cacheControl] = Value.null
        return ResourceSnapshot(id: id, properties: properties)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        let (bucket, prefix) = (properties[property.bucket] ?? "", properties[property.prefix] ?? "")
        let wanted = Self.files(properties)
        guard let found = try await listFiles("\(bucket)/\(prefix)", only: Set(wanted.keys), expected: wanted, s3: try context.s3),
              !found.isEmpty else { return nil }
        var recorded = properties
        recorded[property.files] = found
        return ResourceSnapshot(id: "\(bucket)/\(prefix)", properties: recorded)
    }

    /// The `files` map (key → MD5) of a resource's properties; entries that are not text are skipped.
    private static func files(_ properties: [String: Value]) -> [String: String] {
        (properties[S3.Objects.property.files.name]?.mapValue ?? [:]).compactMapValues(\.stringValue)
    }
}

/// The regular, non-hidden files under a directory, as `/`-separated relative paths.
enum DirectoryListing {
    static func files(in directory: String) -> [String] {
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else { return [] }
        var files: [String] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(root.path + "/") else { continue }
            files.append(String(path.dropFirst(root.path.count + 1)))
        }
        return files.sorted()
    }
}

extension ObjectsType: AccessDeclaring {
    /// S3 actions per the Service Authorization Reference (Amazon S3): `ListObjectsV2` needs
    /// `s3:ListBucket`, `HeadObject` `s3:GetObject`, `DeleteObjects` `s3:DeleteObject`; a write
    /// into an SSE-KMS bucket `kms:GenerateDataKey` (``S3Encryption/dataKeyGrant``).
    static let access: ResourceAccess = {
        let bucket = ARNPattern.arn("arn:{partition}:s3:::{bucket}")
        let objects = ARNPattern.arn("arn:{partition}:s3:::{bucket}/{prefix}*")
        return ResourceAccess([
            IAMCall(.s3, "ListObjectsV2", in: [.create, .read, .update, .delete, .import], needs: ["s3:ListBucket"], on: [bucket]),
            IAMCall(.s3, "HeadObject", in: .readingBack, needs: ["s3:GetObject"], on: [objects]),
            IAMCall(.s3, "PutObject", in: .writing, on: [objects], alsoNeeds: [S3Encryption.dataKeyGrant]),
            IAMCall(.s3, "DeleteObjects", in: [.update, .delete], needs: ["s3:DeleteObject"], on: [objects]),
        ])
    }()
}
