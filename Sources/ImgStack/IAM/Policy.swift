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
        public static let terraformType = "aws_iam_policy"

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
            let property = Self.property
            var list = PropertyList()
            list.set(property.declaredName, declaredName)
            list.set(property.document, document)
            list.set(property.path, path)
            list.set(property.description, description)
            list.set(property.tags, tags)
            return list.values
        }

        /// The policy ARN.
        public var arn: Text { attribute("arn") }
        /// The policy name, as a reference.
        public var policyName: Text { attribute(Self.property.declaredName.name) }

        public static func makeType() -> any ResourceType { PolicyType() }
    }
}

extension IAM.Policy {
    /// A managed policy's properties, each declared once.
    struct Properties: PropertySet {
        let declaredName = Property<String>("name", forcesReplacement: true)
        let document = Property<Value>("document", terraform: .json("policy"))
        let path = Property<String>("path", forcesReplacement: true, default: "/")
        let description = Property<String>("description", forcesReplacement: true, default: "")
        let tags = Property<[String: String]>("tags", default: [:])
    }

    static let property = Properties()
}

/// Creates, versions and deletes managed policies.
struct PolicyType: ResourceType {
    static let schema = ResourceSchema(IAM.Policy.self, IAM.Policy.Properties.self,
                                       attributes: [AttributeSchema("arn"),
                                                    AttributeSchema(defaultVersionID, changesWith: [IAM.Policy.property.document],
                                                                    terraform: .none("imgstack's record of the version its document is read from"))],
                                       uniqueName: [IAM.Policy.property.declaredName])

    /// The attribute recording the default version's id (`v3`), by which a refresh reads the
    /// document alongside `GetPolicy`.
    static let defaultVersionID = "defaultVersionID"

    /// IAM keeps at most five versions of a managed policy.
    static let maximumVersions = 5

    var schema: ResourceSchema { Self.schema }
    private var property: IAM.Policy.Properties { IAM.Policy.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        IAMRules.check(properties, property.declaredName, address: address) { IAMRules.nameProblem($0, maximum: 128) }
            + IAMRules.check(properties, property.path, address: address, IAMRules.pathProblem)
            + IAMRules.policyIssues(properties, property.document, address: address)
            + IAMRules.check(properties, property.description, address: address, IAMRules.descriptionProblem)
            + IAMRules.tagIssues(properties, property.tags, address: address)
    }

    func normalize(_ name: String, _ value: Value) -> Value {
        name == property.document.name ? PolicyNormalizer.normalize(value) : value
    }

    /// Policies that differ only in the case of actions are the same (``PolicyNormalizer/equivalent(_:_:)``).
    func equivalent(_ name: String, _ lhs: Value, _ rhs: Value) -> Bool {
        name == property.document.name ? PolicyNormalizer.equivalent(lhs, rhs) : lhs == rhs
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let iam = try context.iam
        let created = try await iam.createPolicy(
            name: properties[property.declaredName] ?? "", path: properties[property.path] ?? "/",
            document: PolicyNormalizer.text(properties[property.document] ?? .null), description: properties[property.description],
            tags: TagRules.withIntent(properties[property.tags], context))
        return try await IAMRules.newEntity.run { try await read(created.arn, declared: Set(properties.keys), iam: iam) }
            ?? ResourceSnapshot(id: created.arn, properties: properties, attributes: ["arn": .string(created.arn)])
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, declared: Set(recorded.properties.keys), recordedVersion: recorded.attributes[Self.defaultVersionID]?.stringValue,
                       iam: try context.iam)
    }

    func readForDestroy(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await recordedIfExists(recorded) { try await read(recorded.id, declared: [], iam: try context.iam) }
    }

    /// The policy and, when declared, its default version's document: read by the
    /// `recordedVersion` alongside `GetPolicy` when state has one, else (or when `GetPolicy`
    /// names another default version, or that read failed) after it, by the version it names.
    private func read(_ arn: String, declared: Set<String>, recordedVersion: String? = nil, iam: AWS.IAM) async throws -> ResourceSnapshot? {
        let readsDocument = declared.contains(property.document)
        let early = readsDocument ? recordedVersion : nil
        guard let (policy, earlyDocument) = try await ConcurrentReads.alongside({ try await iam.policy(arn) }, { () async -> Result<String, any Error>? in
            guard let early else { return nil }
            do { return .success(try await iam.policyDocument(arn, version: early)) } catch { return .failure(error) }
        }) else { return nil }
        var properties: [String: Value] = [:]
        properties[property.declaredName] = policy.name
        properties[property.path] = policy.path
        properties[property.description] = policy.description
        properties[property.tags.name] = TagRules.visible(policy.tags)
        if readsDocument {
            let document: String
            if early == policy.defaultVersionID, case .success(let read)? = earlyDocument {
                document = read
            } else {
                document = try await iam.policyDocument(arn, version: policy.defaultVersionID)
            }
            properties[property.document] = normalize(property.document.name, .string(document))
        }
        return ResourceSnapshot(id: arn, properties: properties.filter { declared.contains($0.key) },
                                attributes: ["arn": .string(arn), Self.defaultVersionID: .string(policy.defaultVersionID)])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let iam = try context.iam
        let arn = current.id
        if changed.contains(property.document) {
            // Make room first: IAM refuses a sixth version (LimitExceeded).
            let versions = try await iam.policyVersions(arn)
            if versions.count >= Self.maximumVersions {
                let oldest = versions.filter { !$0.isDefault }.sorted { ($0.createDate ?? .distantPast, $0.id) < ($1.createDate ?? .distantPast, $1.id) }
                for version in oldest.prefix(versions.count - Self.maximumVersions + 1) {
                    try await iam.deletePolicyVersion(arn, version: version.id)
                }
            }
            try await iam.createPolicyVersion(arn, document: PolicyNormalizer.text(desired[property.document] ?? .null))
        }
        if changed.contains(property.tags) {
            try await IAMRules.retag(old: current.properties[property.tags], new: desired[property.tags],
                                     untag: { try await iam.untagPolicy(arn, keys: $0) }, tag: { try await iam.tagPolicy(arn, tags: $0) })
        }
        return try await read(arn, declared: Set(desired.keys), iam: iam) ?? current
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let iam = try context.iam
        let arn = current.id
        _ = try await nilWhenMissing(.noSuchEntity) {
            // DeletePolicy refuses while non-default versions exist (DeleteConflict).
            for version in try await iam.policyVersions(arn) where !version.isDefault {
                try await iam.deletePolicyVersion(arn, version: version.id)
            }
            try await iam.deletePolicy(arn)
        }
    }

    /// A policy is imported by its ARN: its name alone does not say its path.
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: IAMRules.policyARNPattern,
                             expected: "an IAM policy is imported by its ARN (arn:aws:iam::ACCOUNT:policy/NAME)")
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, declared: IAM.Policy.Properties.names, iam: try context.iam)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let name = properties[property.declaredName] else { return nil }
        let account = try await context.aws.sts.getCallerIdentity().account
        let path = properties[property.path] ?? "/"
        let arn = "arn:aws:iam::\(account):policy\(path)\(name)"
        // Only the policy this create tagged: a same-named one without the intent is someone else's.
        guard let found = try await context.iam.policy(arn), TagRules.carryIntent(found.tags, of: context) else { return nil }
        return try await read(arn, declared: Set(properties.keys), iam: try context.iam)
    }
}

extension PolicyType: AccessDeclaring {
    /// IAM actions per the Service Authorization Reference (AWS Identity and Access Management);
    /// STS `GetCallerIdentity` needs no permission (STS API reference).
    static let access: ResourceAccess = {
        let policy = ARNPattern.arn("arn:{partition}:iam::{account}:policy{path}{name}")
        return ResourceAccess([
            IAMCall(.sts, "GetCallerIdentity", in: Set(AccessPhase.allCases), needs: [], on: []),
            IAMCall(.iam, "CreatePolicy", in: [.create], needs: ["iam:CreatePolicy", "iam:TagPolicy"], on: [policy]),
            IAMCall(.iam, "GetPolicy", in: .readingBack, on: [policy]),
            IAMCall(.iam, "GetPolicyVersion", in: .readingBack, on: [policy]),
            IAMCall(.iam, "ListPolicyVersions", in: [.update, .delete], on: [policy]),
            IAMCall(.iam, "CreatePolicyVersion", in: [.update], on: [policy]),
            IAMCall(.iam, "DeletePolicyVersion", in: [.update, .delete], on: [policy]),
            IAMCall(.iam, "TagPolicy", in: .writing, on: [policy]),
            IAMCall(.iam, "UntagPolicy", in: .writing, on: [policy]),
            IAMCall(.iam, "DeletePolicy", in: [.delete], on: [policy]),
        ])
    }()
}
