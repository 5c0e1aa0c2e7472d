import AWS
import Engine

extension IAM {
    /// A customer managed IAM policy (`aws_iam_policy`). Changing the document creates a new
    /// default version; the oldest versions are pruned so at most five exist, as IAM allows.
    ///
    /// ```swift
    /// let read = stack.add(IAM.Policy("read", name: "images-read", document: PolicyDocument([
    ///     Statement(effect: .allow, actions: ["s3:GetObject"], resources: ["\(bucket.arn)/*"]),
    /// ])))
    /// ```
    public struct Policy: Resource {
        public static let typeName = "iam.policy"

        public var name: String
        /// The policy name as declared (1–128 characters: letters, digits, `+=,.@_-`). Changing it
        /// replaces the policy.
        public var declaredName: Text
        /// The policy document.
        public var document: PolicyDocument
        /// The path, `/` by default. Changing it replaces the policy.
        public var path: String
        /// A description; IAM cannot change it, so changing it replaces the policy.
        public var description: String
        /// Tags.
        public var tags: [String: Text]
        public var dependsOn: [Address] = []

        /// Declares a managed policy.
        public init(_ name: String, name policyName: Text, document: PolicyDocument, path: String = "/", description: String = "",
                    tags: [String: Text] = [:]) {
            self.name = name
            self.declaredName = policyName
            self.document = document
            self.path = path
            self.description = description
            self.tags = tags
        }

        public var properties: [String: Engine.Expression] {
            var list = PropertyList()
            list.set("name", declaredName)
            list.set("document", document)
            list.set("path", path)
            list.set("description", description)
            list.set("tags", tags)
            return list.values
        }

        /// The policy ARN.
        public var arn: Text { attribute("arn") }
        /// The policy name, as a reference.
        public var policyName: Text { attribute("name") }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { PolicyType(aws: aws) }
    }
}

/// Creates, versions and deletes managed policies.
struct PolicyType: ResourceType {
    let aws: AWSClient

    /// IAM keeps at most five versions of a managed policy.
    static let maximumVersions = 5

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: IAM.Policy.typeName, terraformType: "aws_iam_policy",
            properties: [
                PropertySchema("name", forcesReplacement: true),
                PropertySchema("document"),
                PropertySchema("path", forcesReplacement: true, default: "/"),
                PropertySchema("description", forcesReplacement: true, default: ""),
                PropertySchema("tags", default: .map([:])),
            ],
            attributes: [AttributeSchema("arn")],
            uniqueNameProperty: "name")
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        IAMRules.check(properties, "name", address: address) { IAMRules.nameProblem($0, maximum: 128) }
            + IAMRules.check(properties, "path", address: address, IAMRules.pathProblem)
            + IAMRules.policyIssues(properties, "document", address: address)
            + IAMRules.check(properties, "description", address: address, IAMRules.descriptionProblem)
            + IAMRules.tagIssues(properties, address: address)
    }

    func normalize(_ property: String, _ value: Value) -> Value {
        property == "document" ? PolicyNormalizer.normalize(value) : value
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let created = try await aws.iam.createPolicy(
            name: properties["name"]?.stringValue ?? "", path: properties["path"]?.stringValue ?? "/",
            document: (properties["document"] ?? .null).canonicalJSON, description: properties["description"]?.stringValue,
            tags: IAMRules.tags(properties["tags"]))
        return try await IAMRules.retryingNewEntity { try await read(created.arn, declared: Set(properties.keys)) }
            ?? ResourceSnapshot(id: created.arn, properties: properties, attributes: ["arn": .string(created.arn)])
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, declared: Set(recorded.properties.keys))
    }

    private func read(_ arn: String, declared: Set<String>) async throws -> ResourceSnapshot? {
        guard let policy = try await aws.iam.policy(arn) else { return nil }
        var properties: [String: Value] = [
            "name": .string(policy.name), "path": .string(policy.path), "description": .string(policy.description),
            "tags": TagRules.visible(policy.tags),
        ]
        if declared.contains("document") {
            properties["document"] = normalize("document", .string(try await aws.iam.policyDocument(arn, version: policy.defaultVersionID)))
        }
        return ResourceSnapshot(id: arn, properties: properties.filter { declared.contains($0.key) }, attributes: ["arn": .string(arn)])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let arn = current.id
        if changed.contains("document") {
            // Make room first: IAM refuses a sixth version (LimitExceeded).
            let versions = try await aws.iam.policyVersions(arn)
            if versions.count >= Self.maximumVersions {
                let oldest = versions.filter { !$0.isDefault }.sorted { ($0.createDate ?? .distantPast, $0.id) < ($1.createDate ?? .distantPast, $1.id) }
                for version in oldest.prefix(versions.count - Self.maximumVersions + 1) {
                    try await aws.iam.deletePolicyVersion(arn, version: version.id)
                }
            }
            try await aws.iam.createPolicyVersion(arn, document: (desired["document"] ?? .null).canonicalJSON)
        }
        if changed.contains("tags") {
            try await IAMRules.retag(old: current.properties["tags"], new: desired["tags"],
                                     untag: { try await aws.iam.untagPolicy(arn, keys: $0) }, tag: { try await aws.iam.tagPolicy(arn, tags: $0) })
        }
        return try await read(arn, declared: Set(desired.keys)) ?? current
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let arn = current.id
        do {
            // DeletePolicy refuses while non-default versions exist (DeleteConflict).
            for version in try await aws.iam.policyVersions(arn) where !version.isDefault {
                try await aws.iam.deletePolicyVersion(arn, version: version.id)
            }
            try await aws.iam.deletePolicy(arn)
        } catch let error as AWSError where error.code == "NoSuchEntity" {
            return
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, declared: Set(schema.properties.map(\.name)))
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let name = properties["name"]?.stringValue else { return nil }
        let account = try await aws.sts.getCallerIdentity().account
        let path = properties["path"]?.stringValue ?? "/"
        return try await read("arn:aws:iam::\(account):policy\(path)\(name)", declared: Set(properties.keys))
    }
}
