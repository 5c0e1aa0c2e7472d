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
        public static let terraformType = "aws_s3_bucket_policy"

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
            list.set(Self.property.bucket, bucket)
            list.set(Self.property.policy, policy)
            return list.values
        }

        public static func makeType() -> any ResourceType { BucketPolicyType() }
    }
}

extension S3.BucketPolicy {
    /// A bucket policy's properties, each declared once.
    struct Properties: PropertySet {
        let bucket = Property<String>("bucket", forcesReplacement: true)
        let policy = Property<Value>("policy", terraform: .json())
    }

    static let property = Properties()
}

/// Sets, reads and removes bucket policies. The id is the bucket's name.
struct BucketPolicyType: ResourceType {
    static let schema = ResourceSchema(S3.BucketPolicy.self, S3.BucketPolicy.Properties.self)

    var schema: ResourceSchema { Self.schema }
    private var property: S3.BucketPolicy.Properties { S3.BucketPolicy.property }

    func validate(_ properties: [String: Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let name = properties.literal(property.bucket), let problem = BucketName.problem(name) {
            issues.append(ValidationIssue(address, property.bucket, problem))
        }
        if let policy = properties[property.policy] {
            issues += PolicyNormalizer.issues(policy).map { ValidationIssue(address, property.policy, $0) }
        }
        return issues
    }

    func normalize(_ name: String, _ value: Value) -> Value {
        name == property.policy.name ? PolicyNormalizer.normalize(value) : value
    }

    /// Policies that differ only in the case of actions are the same (``PolicyNormalizer/equivalent(_:_:)``).
    func equivalent(_ name: String, _ lhs: Value, _ rhs: Value) -> Bool {
        name == property.policy.name ? PolicyNormalizer.equivalent(lhs, rhs) : lhs == rhs
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let bucket = properties[property.bucket] ?? ""
        let policy = properties[property.policy] ?? .null
        try await put(bucket, policy, context: context)
        return ResourceSnapshot(id: bucket, properties: recorded(bucket, policy: policy))
    }

    /// Puts the policy, waiting out principals IAM has not propagated yet
    /// (``S3Rules/newPrincipals``).
    private func put(_ bucket: String, _ policy: Value, context: OperationContext) async throws {
        let s3 = try context.s3
        let text = PolicyNormalizer.text(policy)
        try await S3Rules.newPrincipals.run(context, reason: "a principal of the bucket policy is not visible to S3 yet") {
            try await s3.putBucketPolicy(bucket, policy: text)
        }
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        let s3 = try context.s3
        // No bucket (NoSuchBucket), or a bucket without a policy (nil): no policy.
        guard let found = try await nilWhenMissing(.noSuchBucket, call: { try await s3.bucketPolicy(recorded.id) }),
              let text = found else { return nil }
        return ResourceSnapshot(id: recorded.id, properties: self.recorded(recorded.id, policy: .string(text)))
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let policy = desired[property.policy] ?? .null
        if changed.contains(property.policy) { try await put(current.id, policy, context: context) }
        return ResourceSnapshot(id: current.id, properties: recorded(current.id, policy: policy))
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let s3 = try context.s3
        _ = try await nilWhenMissing(.noSuchBucket) { try await s3.deleteBucketPolicy(current.id) }
    }

    /// A policy is imported by its bucket's name.
    func validateImportID(_ id: String) -> String? {
        S3Rules.bucketImportIDProblem(id, expected: "a bucket policy is imported by its bucket's name")
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(ResourceSnapshot(id: id, properties: [:]), context: context)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let bucket = properties[property.bucket] else { return nil }
        return try await read(ResourceSnapshot(id: bucket, properties: [:]), context: context)
    }

    /// What state records: the bucket and the policy in its normal form.
    private func recorded(_ bucket: String, policy: Value) -> [String: Value] {
        var properties: [String: Value] = [:]
        properties[property.bucket] = bucket
        properties[property.policy] = normalize(property.policy.name, policy)
        return properties
    }
}

extension BucketPolicyType: AccessDeclaring {
    /// S3 actions per the Service Authorization Reference (Amazon S3).
    static let access: ResourceAccess = {
        let bucket = ARNPattern.arn("arn:{partition}:s3:::{bucket}")
        return ResourceAccess([
            IAMCall(.s3, "PutBucketPolicy", in: .writing, on: [bucket]),
            IAMCall(.s3, "GetBucketPolicy", in: .readingBack, on: [bucket]),
            IAMCall(.s3, "DeleteBucketPolicy", in: [.delete], on: [bucket]),
        ])
    }()
}
