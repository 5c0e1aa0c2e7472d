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
        public static let typeName = "s3.bucket"

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
        /// Tags: at most 50; keys 1–128 characters, values at most 256; `aws:` and `imgstack:` prefixes are reserved.
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
            var list = PropertyList()
            list.set("bucket", bucket)
            list.set("versioning", versioning)
            list.set("encryption", encryption)
            list.set("publicAccessBlock", publicAccessBlock)
            list.set("ownership", ownership)
            // Empty lists and maps are left undeclared, so refresh does not read those groups.
            list.set("cors", cors.isEmpty ? nil : cors)
            list.set("website", website)
            list.set("lifecycle", lifecycle.isEmpty ? nil : lifecycle)
            list.set("tags", tags.isEmpty ? nil : tags)
            list.set("forceDestroy", forceDestroy)
            return list.values
        }

        /// The bucket's name, given or generated.
        public var bucketName: Text { attribute("bucket") }
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

        public static func makeType(_ aws: AWSClient) -> any ResourceType { BucketType(aws: aws) }
    }
}

/// Creates, reads, updates and deletes S3 buckets.
struct BucketType: ResourceType {
    let aws: AWSClient

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: S3.Bucket.typeName, terraformType: "aws_s3_bucket",
            properties: [
                PropertySchema("bucket", forcesReplacement: true),
                PropertySchema("versioning", default: false),
                PropertySchema("encryption"),
                PropertySchema("publicAccessBlock"),
                PropertySchema("ownership"),
                PropertySchema("cors", default: .list([])),
                PropertySchema("website", default: Value.null),
                PropertySchema("lifecycle", default: .list([])),
                PropertySchema("tags", default: .map([:])),
                PropertySchema("forceDestroy", default: false),
            ],
            attributes: [
                AttributeSchema("arn"), AttributeSchema("bucketDomainName"), AttributeSchema("bucketRegionalDomainName"),
                AttributeSchema("region"), AttributeSchema("websiteEndpoint", changesOnUpdate: true),
            ],
            uniqueNameProperty: "bucket")
    }

    /// The sub-configurations in the order they are written: ownership before public access,
    /// so a bucket never briefly allows ACLs it is meant to ignore.
    static let groups = ["ownership", "publicAccessBlock", "encryption", "versioning", "cors", "website", "lifecycle", "tags"]

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        BucketValidation.issues(properties, address: address)
    }

    func normalize(_ property: String, _ value: Value) -> Value {
        BucketConfiguration.normalize(property, value)
    }

    // MARK: - Create

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let given = properties["bucket"]?.stringValue
        let name = given ?? BucketName.generate(for: context.address.name)
        let region = context.region
        try await aws.s3.createBucket(name, region: region)
        var tags = BucketConfiguration.tags(properties["tags"] ?? .null)
        // A generated name cannot be found again after a crash; the intent tag can.
        if given == nil, let intent = context.intentID { tags[TagRules.reservedPrefix + "intent"] = intent }
        for group in Self.groups {
            let value = properties[group] ?? .null
            // A fresh bucket already has no versioning, CORS, website, lifecycle or tags.
            let isFreshState = value == .null || value == false || value == .list([]) || value == .map([:])
            if group == "tags" {
                if !tags.isEmpty { try await afterCreate { try await aws.s3.putBucketTags(name, tags, region: region) } }
            } else if properties[group] != nil, !isFreshState || ["ownership", "publicAccessBlock", "encryption"].contains(group) {
                try await afterCreate { try await write(group, value, bucket: name, region: region, wasVersioned: false) }
            }
        }
        var recorded = Dictionary(uniqueKeysWithValues: properties.map { ($0.key, normalize($0.key, $0.value)) })
        recorded["bucket"] = .string(name)
        return snapshot(name, properties: recorded, region: region)
    }

    /// Runs a configuration call on a bucket just created. S3 is eventually consistent right
    /// after `CreateBucket`: other calls may still answer `NoSuchBucket` for a few seconds, so
    /// those are retried, a bounded number of times.
    private func afterCreate(_ call: () async throws -> Void) async throws {
        var attempt = 0
        while true {
            do {
                return try await call()
            } catch let error as AWSError where error.code == "NoSuchBucket" && attempt < 5 {
                attempt += 1
                try await Task.sleep(nanoseconds: UInt64(attempt) * 500_000_000)
            }
        }
    }

    // MARK: - Read

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, groups: Array(recorded.properties.keys), recorded: recorded.properties, region: context.region)
    }

    /// Reads the bucket's existence and the named groups, one call each.
    private func read(_ name: String, groups: [String], recorded: [String: Value], region: String) async throws -> ResourceSnapshot? {
        do {
            _ = try await aws.s3.bucketLocation(name, region: region)
        } catch let error as AWSError where error.code == "NoSuchBucket" {
            return nil
        }
        var properties: [String: Value] = ["bucket": .string(name)]
        if groups.contains("forceDestroy") { properties["forceDestroy"] = recorded["forceDestroy"] ?? false }
        // The groups are independent reads: made at once, a refresh costs two round trips
        // (existence, then every group), not one per group.
        try await withThrowingTaskGroup(of: (String, Value).self) { reads in
            for group in groups where group != "bucket" && group != "forceDestroy" {
                reads.addTask { (group, try await self.readGroup(group, bucket: name, region: region)) }
            }
            for try await (group, value) in reads { properties[group] = value }
        }
        return snapshot(name, properties: properties, region: region)
    }

    private func readGroup(_ group: String, bucket: String, region: String) async throws -> Value {
        let s3 = aws.s3
        switch group {
        case "versioning": return .bool(try await s3.bucketVersioning(bucket, region: region) == "Enabled")
        case "encryption": return BucketConfiguration.value(try await s3.bucketEncryption(bucket, region: region))
        case "publicAccessBlock":
            // No configuration at all means S3 blocks nothing.
            let block = try await s3.publicAccessBlock(bucket, region: region)
            return BucketConfiguration.value(block ?? AWS.S3.PublicAccessBlock(blockPublicAcls: false, ignorePublicAcls: false,
                                                                               blockPublicPolicy: false, restrictPublicBuckets: false))
        case "ownership":
            // Without ownership controls S3 behaves as ObjectWriter.
            return .string(try await s3.bucketOwnership(bucket, region: region) ?? S3.ObjectOwnership.objectWriter.rawValue)
        case "cors": return BucketConfiguration.value(try await s3.bucketCORS(bucket, region: region))
        case "website": return BucketConfiguration.value(try await s3.bucketWebsite(bucket, region: region))
        case "lifecycle": return BucketConfiguration.value(try await s3.bucketLifecycle(bucket, region: region))
        case "tags": return TagRules.visible(try await s3.bucketTags(bucket, region: region))
        default: return .null
        }
    }

    // MARK: - Update

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let wasVersioned = current.properties["versioning"] == true
        for group in Self.groups where changed.contains(group) {
            try await write(group, desired[group] ?? .null, bucket: current.id, region: context.region, wasVersioned: wasVersioned)
        }
        var recorded = current.properties.merging(desired.map { ($0.key, normalize($0.key, $0.value)) }) { _, new in new }
        recorded["bucket"] = .string(current.id)
        return snapshot(current.id, properties: recorded, region: context.region)
    }

    /// Writes one sub-configuration with its own call.
    private func write(_ group: String, _ value: Value, bucket: String, region: String, wasVersioned: Bool) async throws {
        let s3 = aws.s3
        switch group {
        case "versioning":
            // S3 cannot turn versioning off, only suspend it; a bucket never versioned needs no call.
            if value == true {
                try await s3.putBucketVersioning(bucket, status: "Enabled", region: region)
            } else if wasVersioned {
                try await s3.putBucketVersioning(bucket, status: "Suspended", region: region)
            }
        case "encryption":
            if let encryption = BucketConfiguration.encryption(value) {
                try await s3.putBucketEncryption(bucket, encryption, region: region)
            }
        case "publicAccessBlock": try await s3.putPublicAccessBlock(bucket, BucketConfiguration.publicAccessBlock(value), region: region)
        case "ownership":
            if let ownership = value.stringValue { try await s3.putBucketOwnership(bucket, ownership, region: region) }
        case "cors": try await s3.putBucketCORS(bucket, BucketConfiguration.corsRules(value), region: region)
        case "website": try await s3.putBucketWebsite(bucket, BucketConfiguration.website(value), region: region)
        case "lifecycle": try await s3.putBucketLifecycle(bucket, BucketConfiguration.lifecycleRules(value), region: region)
        case "tags": try await s3.putBucketTags(bucket, BucketConfiguration.tags(value), region: region)
        default: break
        }
    }

    // MARK: - Delete

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let name = current.id
        let region = context.region
        do {
            if current.properties["forceDestroy"] == true {
                try await BucketEmptier(s3: aws.s3, bucket: name, region: region).deleteEverything(report: context.report)
            }
            try await aws.s3.deleteBucket(name, region: region)
        } catch let error as AWSError where error.code == "NoSuchBucket" {
            return
        } catch let error as AWSError where error.code == "BucketNotEmpty" {
            throw BucketNotEmptyError(bucket: name, address: context.address)
        }
    }

    // MARK: - Import and recovery

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, groups: schema.properties.map(\.name), recorded: ["forceDestroy": false], region: context.region)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        let groups = Array(properties.keys)
        if let name = properties["bucket"]?.stringValue {
            do {
                return try await read(name, groups: groups, recorded: properties, region: context.region)
            } catch let error as AWSError where error.code == "AccessDenied" || error.code == "Forbidden" {
                // The name belongs to another account: this apply never created it.
                return nil
            }
        }
        guard let intent = context.intentID else { return nil }
        let prefix = BucketName.generatedPrefix(for: context.address.name)
        for bucket in try await aws.s3.listBuckets() where bucket.name.hasPrefix(prefix) {
            let region = bucket.region ?? context.region
            let tags = try await aws.s3.bucketTags(bucket.name, region: region)
            if tags[TagRules.reservedPrefix + "intent"] == intent {
                return try await read(bucket.name, groups: groups, recorded: properties, region: region)
            }
        }
        return nil
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
        if let website = properties["website"], !website.isNull {
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
