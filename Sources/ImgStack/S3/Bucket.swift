import AWS
import Engine
import Foundation

extension S3 {
    /// An S3 bucket with its versioning, default encryption, public access block, object
    /// ownership, CORS, website, lifecycle rules and tags.
    ///
    /// ```swift
    /// let images = stack.add(S3.Bucket("images", versioning: true,
    ///                                  encryption: .kms(kmsKeyID: key.arn),
    ///                                  publicAccessBlock: .blockAll))
    /// ```
    public struct Bucket: Resource {
        public static let terraformType = "aws_s3_bucket"

        /// The resource's name in the stack.
        public var name: String
        /// The bucket's name, unique across all of S3: 3–63 lowercase letters, digits, `.` and
        /// `-`, starting and ending with a letter or digit, not like an IP address. When nil,
        /// imgstack generates `imgstack-<resource name>-<random>`. Changing it replaces the bucket.
        public var bucket: Text?
        /// Keep every version of every object. S3 can only suspend versioning once it was on:
        /// `false` on such a bucket means `Suspended`, and old versions stay.
        public var versioning: Bool
        /// Default encryption; nil leaves S3's own default (SSE-S3 on new buckets) unmanaged.
        public var encryption: Encryption?
        /// Block Public Access flags; nil leaves S3's default (all on for new buckets) unmanaged.
        public var publicAccessBlock: PublicAccessBlock?
        /// Object ownership; nil leaves S3's default (`BucketOwnerEnforced` for new buckets) unmanaged.
        public var ownership: ObjectOwnership?
        /// CORS rules, at most 100, first match wins.
        public var cors: [CORSRule]
        /// Static website hosting; nil for none.
        public var website: Website?
        /// Lifecycle rules, at most 1000.
        public var lifecycle: [LifecycleRule]
        /// Tags: at most 49 (AWS takes 50; one is imgstack's intent tag); keys 1–128 characters, values at most 256; `aws:` and `imgstack:` prefixes are reserved.
        public var tags: [String: Text]
        /// Delete every object version and delete marker before deleting the bucket. Without
        /// it, destroying a bucket that holds objects fails and deletes nothing.
        public var forceDestroy: Bool
        /// Dependencies beside those that references imply.
        public var dependsOn: [Address] = []

        /// Declares a bucket.
        public init(_ name: String, bucket: Text? = nil, versioning: Bool = false, encryption: Encryption? = nil,
                    publicAccessBlock: PublicAccessBlock? = nil, ownership: ObjectOwnership? = nil, cors: [CORSRule] = [],
                    website: Website? = nil, lifecycle: [LifecycleRule] = [], tags: [String: Text] = [:], forceDestroy: Bool = false) {
            self.name = name
            self.bucket = bucket
            self.versioning = versioning
            self.encryption = encryption
            self.publicAccessBlock = publicAccessBlock
            self.ownership = ownership
            self.cors = cors
            self.website = website
            self.lifecycle = lifecycle
            self.tags = tags
            self.forceDestroy = forceDestroy
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.bucket, bucket)
            list.set(property.versioning, versioning)
            list.set(property.encryption, encryption)
            list.set(property.publicAccessBlock, publicAccessBlock)
            list.set(property.ownership, ownership)
            // Empty lists and maps are left undeclared, so refresh does not read those groups.
            list.set(property.cors, cors.isEmpty ? nil : cors)
            list.set(property.website, website)
            list.set(property.lifecycle, lifecycle.isEmpty ? nil : lifecycle)
            list.set(property.tags, tags.isEmpty ? nil : tags)
            list.set(property.forceDestroy, forceDestroy)
            return list.values
        }

        /// The bucket's name, given or generated.
        public var bucketName: Text { attribute(Self.property.bucket.name) }
        /// `arn:aws:s3:::<name>`.
        public var arn: Text { attribute("arn") }
        /// `<name>.s3.amazonaws.com`.
        public var bucketDomainName: Text { attribute("bucketDomainName") }
        /// `<name>.s3.<region>.amazonaws.com`, the origin domain CloudFront should use.
        public var bucketRegionalDomainName: Text { attribute("bucketRegionalDomainName") }
        /// The region the bucket lives in.
        public var bucketRegion: Text { attribute("region") }
        /// The website endpoint host (`<name>.s3-website-<region>.amazonaws.com`); empty without a website.
        public var websiteEndpoint: Text { attribute("websiteEndpoint") }

        public static func makeType() -> any ResourceType { BucketType() }
    }
}

extension S3.Bucket {
    /// A bucket's properties, each declared once. The structured ones (encryption, public
    /// access block, CORS, website, lifecycle) are checked by ``BucketValidation`` and
    /// converted by ``BucketConfiguration``.
    struct Properties: PropertySet {
        let bucket = Property<String>("bucket", forcesReplacement: true)
        let versioning = Property<Bool>("versioning", terraform: BucketTerraform.versioning, default: false)
        let encryption = Property<Value>("encryption", terraform: BucketTerraform.encryption)
        let publicAccessBlock = Property<Value>("publicAccessBlock", terraform: BucketTerraform.publicAccessBlock)
        let ownership = Property<String>("ownership", terraform: BucketTerraform.ownership)
        let cors = Property<Value>("cors", terraform: BucketTerraform.cors, default: .list([]))
        /// Null by default: a bucket without a website is compared as having none.
        let website = Property<Value>("website", terraform: BucketTerraform.website, default: Value.null)
        let lifecycle = Property<Value>("lifecycle", terraform: BucketTerraform.lifecycle, default: .list([]))
        let tags = Property<[String: String]>("tags", default: [:])
        /// imgstack's own: whether destroy empties the bucket first.
        let forceDestroy = Property<Bool>("forceDestroy", default: false, appliesAtDeletion: true)
    }

    static let property = Properties()
}

/// Creates, reads, updates and deletes S3 buckets.
struct BucketType: ResourceType {
    static let schema = ResourceSchema(
        S3.Bucket.self, S3.Bucket.Properties.self,
        attributes: [
            AttributeSchema("arn"), AttributeSchema("bucketDomainName"), AttributeSchema("bucketRegionalDomainName"),
            AttributeSchema("region"), AttributeSchema("websiteEndpoint", changesWith: [S3.Bucket.property.website]),
        ],
        uniqueName: [S3.Bucket.property.bucket])

    var schema: ResourceSchema { Self.schema }
    private var property: S3.Bucket.Properties { S3.Bucket.property }

    /// The sub-configurations in the order they are written: ownership before public access,
    /// so a bucket never briefly allows ACLs it is meant to ignore.
    static let groups: [String] = {
        let property = S3.Bucket.property
        let ordered: [any PropertyDeclaration] = [property.ownership, property.publicAccessBlock, property.encryption, property.versioning,
                                                  property.cors, property.website, property.lifecycle, property.tags]
        return ordered.map(\.schema.name)
    }()

    /// The groups a new bucket gets S3's own defaults for, so they are written even when the
    /// stack's value looks like a fresh bucket's.
    static let writtenOnCreate: Set<String> = [
        S3.Bucket.property.ownership.name, S3.Bucket.property.publicAccessBlock.name, S3.Bucket.property.encryption.name,
    ]

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        BucketValidation.issues(properties, address: address)
    }

    func normalize(_ name: String, _ value: Value) -> Value {
        BucketConfiguration.normalize(name, value)
    }

    // MARK: - Create

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let s3 = try context.s3
        let given = properties[property.bucket]
        let name = given ?? BucketName.generate(for: context.address.name)
        // In us-east-1, CreateBucket answers 200 for a bucket the account already owns instead of
        // BucketAlreadyOwnedByYou (CreateBucket, "us-east-1 … legacy behaviour"): never take over one
        // this stack did not make.
        if let given, context.region == "us-east-1", try await Self.accountOwns(given, s3: s3) {
            throw NameTakenError(kind: "S3 bucket", name: given, address: context.address)
        }
        // Tagged from the start with the create's intent: after a crash, the intent tag finds a
        // generated name again and tells a named bucket of this stack's from another of the account's.
        try await s3.createBucket(name, tags: TagRules.withIntent(properties[property.tags], context))
        // One after another, never at once: S3 answers concurrent configuration writes to one
        // bucket (versioning and policy, policy and public access block) with 409 OperationAborted,
        // "A conflicting conditional operation is currently in progress" (terraform-provider-aws
        // issues 7628 and 33552).
        for group in Self.groups where group != property.tags.name {
            let value = properties[group] ?? .null
            // A fresh bucket already has no versioning, CORS, website, lifecycle or tags.
            let isFreshState = value == .null || value == false || value == .list([]) || value == .map([:])
            // Other calls may answer NoSuchBucket for a moment after CreateBucket: retried.
            if properties[group] != nil, !isFreshState || Self.writtenOnCreate.contains(group) {
                try await S3Rules.newBucket.run { try await write(group, value, bucket: name, s3: s3, wasVersioned: false) }
            }
        }
        var recorded = Dictionary(uniqueKeysWithValues: properties.map { ($0.key, normalize($0.key, $0.value)) })
        recorded[property.bucket] = name
        return snapshot(name, properties: recorded, region: context.region)
    }

    // MARK: - Read

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, groups: Array(recorded.properties.keys), recorded: recorded.properties, region: context.region, context: context)
    }

    func readForDestroy(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await recordedIfExists(recorded) { try await read(recorded.id, groups: [], recorded: [:], region: context.region, context: context) }
    }

    /// Reads the named groups, one call each, in the bucket's `region`, all at once; nil when the
    /// bucket is gone. Every group's read answers `NoSuchBucket` for a bucket that is gone, so
    /// they say whether it exists: `GetBucketLocation` is sent only when no group needs a call.
    /// `tags`, when recovery has read them already, prove the bucket exists and are not read again.
    private func read(_ name: String, groups: [String], recorded: [String: Value], region: String,
                      context: OperationContext, tags: [String: String]? = nil) async throws -> ResourceSnapshot? {
        let s3 = try context.aws.s3(region: region)
        var properties: [String: Value] = [:]
        properties[property.bucket] = name
        if groups.contains(property.forceDestroy.name) {
            properties[property.forceDestroy] = recorded[property.forceDestroy] ?? false
        }
        if let tags, groups.contains(property.tags.name) {
            properties[property.tags.name] = TagRules.visible(tags)
        }
        let reads = groups.filter { properties[$0] == nil }
        if reads.isEmpty {
            if tags == nil, try await nilWhenMissing(.noSuchBucket, call: { try await s3.bucketLocation(name) }) == nil { return nil }
        } else {
            // The groups are independent reads, each by the bucket's name: made at once, a
            // refresh costs one round trip, not one per group.
            guard let answers = try await nilWhenMissing(.noSuchBucket, call: {
                try await ConcurrentReads.map(reads) { try await self.readGroup($0, bucket: name, s3: s3) }
            }) else { return nil }
            properties.merge(answers) { _, answer in answer }
        }
        return snapshot(name, properties: properties, region: region)
    }

    private func readGroup(_ group: String, bucket: String, s3: AWS.S3) async throws -> Value {
        switch group {
        case property.versioning.name: return .bool(try await s3.bucketVersioning(bucket) == "Enabled")
        case property.encryption.name: return BucketConfiguration.value(try await s3.bucketEncryption(bucket))
        case property.publicAccessBlock.name:
            // No configuration at all means S3 blocks nothing.
            let block = try await s3.publicAccessBlock(bucket)
            return BucketConfiguration.value(block ?? AWS.S3.PublicAccessBlock(blockPublicAcls: false, ignorePublicAcls: false,
                                                                               blockPublicPolicy: false, restrictPublicBuckets: false))
        case property.ownership.name:
            // Without ownership controls S3 behaves as ObjectWriter.
            return .string(try await s3.bucketOwnership(bucket) ?? S3.ObjectOwnership.objectWriter.rawValue)
        case property.cors.name: return BucketConfiguration.value(try await s3.bucketCORS(bucket))
        case property.website.name: return BucketConfiguration.value(try await s3.bucketWebsite(bucket))
        case property.lifecycle.name: return BucketConfiguration.value(try await s3.bucketLifecycle(bucket))
        case property.tags.name: return TagRules.visible(try await s3.bucketTags(bucket))
        default: return .null
        }
    }

    // MARK: - Update

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let s3 = try context.s3
        let wasVersioned = current.properties[property.versioning] == true
        for group in Self.groups where changed.contains(group) {
            try await write(group, desired[group] ?? .null, bucket: current.id, s3: s3, wasVersioned: wasVersioned)
        }
        var recorded = current.properties.merging(desired.map { ($0.key, normalize($0.key, $0.value)) }) { _, new in new }
        recorded[property.bucket] = current.id
        return snapshot(current.id, properties: recorded, region: context.region)
    }

    /// Writes one sub-configuration with its own call.
    private func write(_ group: String, _ value: Value, bucket: String, s3: AWS.S3, wasVersioned: Bool) async throws {
        switch group {
        case property.versioning.name:
            // S3 cannot turn versioning off, only suspend it; a bucket never versioned needs no call.
            if value == true {
                try await s3.putBucketVersioning(bucket, status: "Enabled")
            } else if wasVersioned {
                try await s3.putBucketVersioning(bucket, status: "Suspended")
            }
        case property.encryption.name:
            if let encryption = BucketConfiguration.encryption(value) {
                try await s3.putBucketEncryption(bucket, encryption)
            }
        case property.publicAccessBlock.name: try await s3.putPublicAccessBlock(bucket, BucketConfiguration.publicAccessBlock(value))
        case property.ownership.name:
            if let ownership = value.stringValue { try await s3.putBucketOwnership(bucket, ownership) }
        case property.cors.name: try await s3.putBucketCORS(bucket, BucketConfiguration.corsRules(value))
        case property.website.name: try await s3.putBucketWebsite(bucket, BucketConfiguration.website(value))
        case property.lifecycle.name: try await s3.putBucketLifecycle(bucket, BucketConfiguration.lifecycleRules(value))
        case property.tags.name: try await s3.putBucketTags(bucket, BucketConfiguration.tags(value))
        default: break
        }
    }

    // MARK: - Delete

    func deletionNote(_ properties: [String: Value]) -> String? {
        properties[property.forceDestroy] == true ? "every object and object version in the bucket is deleted with it (forceDestroy)" : nil
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let name = current.id
        let s3 = try context.s3
        do {
            if current.properties[property.forceDestroy] == true {
                try await BucketEmptier(s3: s3, bucket: name).deleteEverything(report: context.report)
            }
            try await s3.deleteBucket(name)
        } catch let error as AWSError where error.code == .noSuchBucket {
            return
        } catch let error as AWSError where error.code == .bucketNotEmpty {
            throw BucketNotEmptyError(bucket: name, address: context.address)
        }
    }

    // MARK: - Import and recovery

    /// A bucket is imported by its name, which S3's naming rules apply to.
    func validateImportID(_ id: String) -> String? {
        S3Rules.bucketImportIDProblem(id, expected: "an S3 bucket is imported by its name")
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        var recorded: [String: Value] = [:]
        recorded[property.forceDestroy] = false
        return try await read(id, groups: S3.Bucket.Properties.names.sorted(), recorded: recorded, region: context.region, context: context)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        let groups = Array(properties.keys)
        if let name = properties[property.bucket] {
            do {
                // Only the bucket the crashed create tagged: a same-named bucket of the account's
                // that this stack did not make is not adopted.
                let s3 = try context.s3
                guard let tags = try await nilWhenMissing(.noSuchBucket, call: { try await s3.bucketTags(name) }),
                      TagRules.carryIntent(tags, of: context) else { return nil }
                return try await read(name, groups: groups, recorded: properties, region: context.region, context: context, tags: tags)
            } catch let error as AWSError where error.code == .accessDenied || error.code == .forbidden {
                // The name belongs to another account: this apply never created it.
                return nil
            }
        }
        guard let intent = context.intentID else { return nil }
        let prefix = BucketName.generatedPrefix(for: context.address.name)
        let aws = try context.aws
        for bucket in try await aws.s3.listBuckets() where bucket.name.hasPrefix(prefix) {
            let region = bucket.region ?? context.region
            let tags = try await aws.s3(region: region).bucketTags(bucket.name)
            if tags[TagRules.intentKey] == intent {
                return try await read(bucket.name, groups: groups, recorded: properties, region: region, context: context, tags: tags)
            }
        }
        return nil
    }

    /// Whether a bucket of that name exists in this account (`GetBucketLocation`: `NoSuchBucket`
    /// when there is none, `AccessDenied` when another account has it).
    private static func accountOwns(_ bucket: String, s3: AWS.S3) async throws -> Bool {
        do {
            return try await nilWhenMissing(.noSuchBucket, call: { try await s3.bucketLocation(bucket) }) != nil
        } catch let error as AWSError where error.code == .accessDenied || error.code == .forbidden {
            return false
        }
    }

    // MARK: - Attributes

    private func snapshot(_ name: String, properties: [String: Value], region: String) -> ResourceSnapshot {
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        let partition = region.hasPrefix("cn-") ? "aws-cn" : region.hasPrefix("us-gov-") ? "aws-us-gov" : "aws"
        var attributes: [String: Value] = [
            "arn": .string("arn:\(partition):s3:::\(name)"),
            "bucketDomainName": .string("\(name).s3.\(suffix)"),
            "bucketRegionalDomainName": .string("\(name).s3.\(region).\(suffix)"),
            "region": .string(region),
            "websiteEndpoint": .string(""),
        ]
        if properties[property.website] != nil {
            // The older regions name website endpoints with a dash, the newer ones with a dot.
            let separator = Self.dashWebsiteRegions.contains(region) ? "-" : "."
            attributes["websiteEndpoint"] = .string("\(name).s3-website\(separator)\(region).\(suffix)")
        }
        return ResourceSnapshot(id: name, properties: properties, attributes: attributes)
    }

    private static let dashWebsiteRegions: Set<String> = [
        "us-east-1", "us-west-1", "us-west-2", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "eu-west-1", "sa-east-1", "us-gov-west-1",
    ]
}

extension BucketType: AccessDeclaring {
    /// S3 actions per the Service Authorization Reference (Amazon S3): several differ from the
    /// operation's name; a configuration's `Delete…` call needs its `Put…` action.
    static let access: ResourceAccess = {
        let bucket = ARNPattern.arn("arn:{partition}:s3:::{bucket}")
        let objects = ARNPattern.arn("arn:{partition}:s3:::{bucket}/*")
        return ResourceAccess([
            IAMCall(.s3, "CreateBucket", in: [.create], needs: ["s3:CreateBucket", "s3:PutBucketTagging"], on: [bucket]),
            IAMCall(.s3, "ListBuckets", in: [.create, .settle], needs: ["s3:ListAllMyBuckets"],
                    on: [.anyResource(reason: "s3:ListAllMyBuckets takes no resource; a crashed create is found among the account's buckets")]),
            IAMCall(.s3, "GetBucketLocation", in: .readingBack, on: [bucket]),
            IAMCall(.s3, "GetBucketVersioning", in: .readingBack, on: [bucket]),
            IAMCall(.s3, "PutBucketVersioning", in: .writing, on: [bucket]),
            IAMCall(.s3, "GetBucketEncryption", in: .readingBack, needs: ["s3:GetEncryptionConfiguration"], on: [bucket]),
            IAMCall(.s3, "PutBucketEncryption", in: .writing, needs: ["s3:PutEncryptionConfiguration"], on: [bucket]),
            IAMCall(.s3, "GetPublicAccessBlock", in: .readingBack, needs: ["s3:GetBucketPublicAccessBlock"], on: [bucket]),
            IAMCall(.s3, "PutPublicAccessBlock", in: .writing, needs: ["s3:PutBucketPublicAccessBlock"], on: [bucket]),
            IAMCall(.s3, "GetBucketOwnershipControls", in: .readingBack, on: [bucket]),
            IAMCall(.s3, "PutBucketOwnershipControls", in: .writing, on: [bucket]),
            IAMCall(.s3, "GetBucketCors", in: .readingBack, needs: ["s3:GetBucketCORS"], on: [bucket]),
            IAMCall(.s3, "PutBucketCors", in: .writing, needs: ["s3:PutBucketCORS"], on: [bucket]),
            IAMCall(.s3, "DeleteBucketCors", in: .writing, needs: ["s3:PutBucketCORS"], on: [bucket]),
            IAMCall(.s3, "GetBucketWebsite", in: .readingBack, on: [bucket]),
            IAMCall(.s3, "PutBucketWebsite", in: .writing, on: [bucket]),
            IAMCall(.s3, "DeleteBucketWebsite", in: .writing, on: [bucket]),
            IAMCall(.s3, "GetBucketLifecycleConfiguration", in: .readingBack, needs: ["s3:GetLifecycleConfiguration"], on: [bucket]),
            IAMCall(.s3, "PutBucketLifecycleConfiguration", in: .writing, needs: ["s3:PutLifecycleConfiguration"], on: [bucket]),
            IAMCall(.s3, "DeleteBucketLifecycle", in: .writing, needs: ["s3:PutLifecycleConfiguration"], on: [bucket]),
            IAMCall(.s3, "GetBucketTagging", in: .readingBack, on: [bucket]),
            IAMCall(.s3, "PutBucketTagging", in: .writing, on: [bucket]),
            IAMCall(.s3, "DeleteBucketTagging", in: .writing, needs: ["s3:PutBucketTagging"], on: [bucket]),
            IAMCall(.s3, "ListObjectVersions", in: [.delete], needs: ["s3:ListBucketVersions"], on: [bucket], when: .equals("forceDestroy", true)),
            IAMCall(.s3, "DeleteObjects", in: [.delete], needs: ["s3:DeleteObject", "s3:DeleteObjectVersion"], on: [objects],
                    when: .equals("forceDestroy", true)),
            IAMCall(.s3, "DeleteBucket", in: [.delete], on: [bucket]),
        ])
    }()
}
