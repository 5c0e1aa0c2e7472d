import AWS
import Engine

extension S3 {
    /// The resource policy of a bucket (one per bucket).
    ///
    /// ```swift
    /// stack.add(S3.BucketPolicy("images", bucket: images.bucketName, policy: PolicyDocument([
    ///     Statement(effect: .allow, actions: ["s3:GetObject"], resources: ["\(images.arn)/*"],
    ///               principal: .service("cloudfront.amazonaws.com")),
    /// ])))
    /// ```
    public struct BucketPolicy: Resource {
        public static let typeName = "s3.bucket_policy"

        /// The resource's name in the stack.
        public var name: String
        /// The bucket's name. Changing it replaces the policy.
        public var bucket: Text
        /// The policy; at most 20 KB of JSON. Statements need an `Effect` and actions.
        public var policy: PolicyDocument
        /// Dependencies beside those that references imply.
        public var dependsOn: [Address] = []

        /// Declares a bucket policy.
        public init(_ name: String, bucket: Text, policy: PolicyDocument) {
            self.name = name
            self.bucket = bucket
            self.policy = policy
        }

        public var properties: [String: Expression] {
            var list = PropertyList()
            list.set("bucket", bucket)
            list.set("policy", policy)
            return list.values
        }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { BucketPolicyType(aws: aws) }
    }
}

/// Sets, reads and removes bucket policies. The id is the bucket's name.
struct BucketPolicyType: ResourceType {
    let aws: AWSClient

    var schema: ResourceSchema {
        ResourceSchema(typeName: S3.BucketPolicy.typeName, terraformType: "aws_s3_bucket_policy",
                       properties: [PropertySchema("bucket", forcesReplacement: true), PropertySchema("policy")],
                       attributes: [])
    }

    func validate(_ properties: [String: Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if case .string(let name)? = properties["bucket"]?.literal, let problem = BucketName.problem(name) {
            issues.append(ValidationIssue(subject: address.description, property: "bucket", message: problem))
        }
        if let policy = properties["policy"] {
            issues += PolicyNormalizer.issues(policy).map { ValidationIssue(subject: address.description, property: "policy", message: $0) }
        }
        return issues
    }

    func normalize(_ property: String, _ value: Value) -> Value {
        property == "policy" ? PolicyNormalizer.normalize(value) : value
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let bucket = properties["bucket"]?.stringValue ?? ""
        try await put(bucket, properties["policy"] ?? .null, region: context.region)
        return ResourceSnapshot(id: bucket, properties: ["bucket": .string(bucket), "policy": normalize("policy", properties["policy"] ?? .null)])
    }

    /// Puts the policy. A principal created moments ago (a new IAM role) may not be visible to
    /// S3 yet, which it answers with `MalformedPolicy` "Invalid principal"; that is retried a
    /// bounded number of times while IAM propagates.
    private func put(_ bucket: String, _ policy: Value, region: String) async throws {
        let text = policy.stringValue ?? policy.canonicalJSON
        var attempt = 0
        while true {
            do {
                return try await aws.s3.putBucketPolicy(bucket, policy: text, region: region)
            } catch let error as AWSError where error.code == "MalformedPolicy" && error.message.contains("principal") && attempt < 5 {
                attempt += 1
                try await Task.sleep(nanoseconds: UInt64(attempt) * 2_000_000_000)
            }
        }
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        let text: String?
        do {
            text = try await aws.s3.bucketPolicy(recorded.id, region: context.region)
        } catch let error as AWSError where error.code == "NoSuchBucket" {
            return nil
        }
        guard let text else { return nil }
        return ResourceSnapshot(id: recorded.id, properties: ["bucket": .string(recorded.id), "policy": normalize("policy", .string(text))])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        if changed.contains("policy") { try await put(current.id, desired["policy"] ?? .null, region: context.region) }
        return ResourceSnapshot(id: current.id, properties: ["bucket": .string(current.id), "policy": normalize("policy", desired["policy"] ?? .null)])
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        do {
            try await aws.s3.deleteBucketPolicy(current.id, region: context.region)
        } catch let error as AWSError where error.code == "NoSuchBucket" {
            return
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(ResourceSnapshot(id: id, properties: [:]), context: context)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let bucket = properties["bucket"]?.stringValue else { return nil }
        return try await read(ResourceSnapshot(id: bucket, properties: [:]), context: context)
    }
}
