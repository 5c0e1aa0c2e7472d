import AWS
import Engine
import Foundation

extension ECR {
    /// A repository's lifecycle policy (`aws_ecr_lifecycle_policy`): which images ECR expires,
    /// written as typed rules and rendered to ECR's policy JSON.
    ///
    /// ```swift
    /// stack.add(ECR.LifecyclePolicy("app", repository: app, rules: [
    ///     .expireUntagged(afterDays: 14),
    ///     .keepLast(30, tagStatus: .tagged(prefixes: ["v"])),
    /// ]))
    /// ```
    ///
    /// Its id is the repository's name. A repository has at most one lifecycle policy.
    public struct LifecyclePolicy: Resource {
        public static let terraformType = "aws_ecr_lifecycle_policy"

        /// The resource's name in the stack.
        public var name: String
        /// The repository's name; changing it replaces the policy.
        public var repository: Text
        /// The rules, at least one; each gets its `priority`, or else its position (1 for the first).
        public var rules: [LifecycleRule]
        /// Dependencies beside those that references imply.
        public var dependsOn: [Address] = []

        /// Declares the lifecycle policy of a repository in the stack: its name, which the plan
        /// knows (and `imgstack policy` scopes the policy's grants to).
        public init(_ name: String, repository: Repository, rules: [LifecycleRule]) {
            self.init(name, repositoryName: repository.attribute(ECR.Repository.property.repositoryName.name), rules: rules)
        }

        /// Declares the lifecycle policy of a repository by name.
        public init(_ name: String, repositoryName: Text, rules: [LifecycleRule]) {
            self.name = name
            self.repository = repositoryName
            self.rules = rules
        }

        public var properties: [String: Engine.Expression] {
            var list = PropertyList()
            list.set(Self.property.repository, repository)
            list.set(Self.property.policy, expression: .value(LifecycleRule.policy(rules)))
            return list.values
        }

        public static func makeType() -> any ResourceType { LifecyclePolicyType() }
    }
}

extension ECR.LifecyclePolicy {
    /// A lifecycle policy's properties, each declared once.
    struct Properties: PropertySet {
        let repository = Property<String>("repository", forcesReplacement: true)
        /// ECR's policy document, `{"rules": [...]}`, rendered from the typed rules.
        let policy = Property<Value>("policy", terraform: .json())
    }

    static let property = Properties()
}

/// Puts, reads and deletes ECR lifecycle policies.
struct LifecyclePolicyType: ResourceType {
    /// A repository has one lifecycle policy: the repository's name names it, so a replacement
    /// deletes the old policy before putting the new one (deleting it afterwards would remove
    /// the new one).
    static let schema = ResourceSchema(ECR.LifecyclePolicy.self, ECR.LifecyclePolicy.Properties.self,
                                       uniqueName: [ECR.LifecyclePolicy.property.repository])

    var schema: ResourceSchema { Self.schema }
    private var property: ECR.LifecyclePolicy.Properties { ECR.LifecyclePolicy.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        guard let policy = properties.literal(property.policy) else { return [] }
        return Self.problems(policy).map { ValidationIssue(address, property.policy, $0) }
    }

    /// What `PutLifecyclePolicy` would refuse in a policy document (ECR user guide, "Lifecycle
    /// policy properties"; `LifecyclePolicyText` is at most 30,720 characters).
    static func problems(_ policy: Value) -> [String] {
        let rules = policy["rules"].listValue ?? []
        guard !rules.isEmpty else { return ["needs at least one rule"] }
        var problems: [String] = []
        var seen: [Int: Int] = [:]
        let priorities = rules.compactMap { $0["rulePriority"].intValue }
        for (index, rule) in rules.enumerated() {
            let place = "rule \(index + 1)"
            let selection = rule["selection"]
            let priority = rule["rulePriority"].intValue ?? 0
            if priority < 1 { problems.append("\(place): priority must be at least 1, not \(priority)") }
            if let earlier = seen[priority] {
                problems.append("\(place): priority \(priority) is also rule \(earlier)'s; priorities must be unique")
            } else {
                seen[priority] = index + 1
            }
            if let count = selection["countNumber"].intValue, count < 1 {
                problems.append("\(place): the count must be at least 1, not \(count)")
            }
            switch selection["tagStatus"].stringValue {
            case "tagged":
                let prefixes = selection["tagPrefixList"].listValue ?? []
                if prefixes.isEmpty { problems.append("\(place): a rule for tagged images needs at least one tag prefix") }
                if prefixes.contains(where: { ($0.stringValue ?? "").isEmpty }) { problems.append("\(place): tag prefixes must not be empty") }
            case "any":
                if priorities.contains(where: { $0 > priority }) {
                    problems.append("\(place): a rule for any image must have the highest priority (be evaluated last); \(priority) is not")
                }
            default:
                break
            }
        }
        let length = policy.canonicalJSON.count
        if length > 30720 { problems.append("the policy is \(length) characters; ECR takes at most 30720") }
        return problems
    }

    /// ECR's JSON text (or the stack's document) as one canonical document: rules by priority,
    /// without null members.
    func normalize(_ name: String, _ value: Value) -> Value {
        guard name == property.policy.name else { return value }
        var document = value
        if case .string(let text) = value, let parsed = try? Value(jsonText: text) { document = parsed }
        guard case .map(var entries) = Self.withoutNulls(document), let rules = entries["rules"]?.listValue else { return document }
        entries["rules"] = .list(rules.sorted { ($0["rulePriority"].intValue ?? 0) < ($1["rulePriority"].intValue ?? 0) })
        return .map(entries)
    }

    private static func withoutNulls(_ value: Value) -> Value {
        switch value {
        case .map(let entries): return .map(entries.filter { !$0.value.isNull }.mapValues(withoutNulls))
        case .list(let items): return .list(items.map(withoutNulls))
        default: return value
        }
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let ecr = try context.ecr
        let repository = properties[property.repository] ?? ""
        try await put(repository, properties, ecr: ecr)
        return ResourceSnapshot(id: repository, properties: recorded(properties))
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(recorded.id, ecr: try context.ecr)
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        if changed.contains(property.policy) { try await put(current.id, desired, ecr: try context.ecr) }
        return ResourceSnapshot(id: current.id, properties: recorded(desired), attributes: current.attributes)
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let ecr = try context.ecr
        // Gone with its repository, or already removed: nothing to do.
        _ = try await nilWhenMissing(.lifecyclePolicyNotFoundException, .repositoryNotFoundException) {
            try await ecr.deleteLifecyclePolicy(current.id)
        }
    }

    /// A lifecycle policy is imported by its repository's name.
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: #"(?=.{2,256}$)"# + RepositoryType.namePattern.dropFirst().dropLast(),
                             expected: "an ECR lifecycle policy is imported by its repository's name (2 to 256 lower-case letters, digits and ._-/)")
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(id, ecr: try context.ecr)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        // A put that may or may not have happened: nothing to adopt, it is simply put again.
        nil
    }

    private func put(_ repository: String, _ properties: [String: Value], ecr: AWS.ECR) async throws {
        let policy = properties[property.policy] ?? .map(["rules": .list([])])
        try await ecr.putLifecyclePolicy(repository, text: normalize(property.policy.name, policy).canonicalJSON)
    }

    private func find(_ repository: String, ecr: AWS.ECR) async throws -> ResourceSnapshot? {
        guard let text = try await nilWhenMissing(.lifecyclePolicyNotFoundException, .repositoryNotFoundException,
                                                  call: { try await ecr.lifecyclePolicy(repository) }) else { return nil }
        var properties: [String: Value] = [:]
        properties[property.repository] = repository
        properties[property.policy] = normalize(property.policy.name, .string(text))
        return ResourceSnapshot(id: repository, properties: properties)
    }

    private func recorded(_ properties: [String: Value]) -> [String: Value] {
        var recorded = properties
        if let policy = properties[property.policy] { recorded[property.policy] = normalize(property.policy.name, policy) }
        return recorded
    }
}

extension LifecyclePolicyType: AccessDeclaring {
    /// ECR actions per the Service Authorization Reference (Amazon ECR).
    static let access: ResourceAccess = {
        let repository = ARNPattern.arn("arn:{partition}:ecr:{region}:{account}:repository/{repository}")
        return ResourceAccess([
            IAMCall(.ecr, "PutLifecyclePolicy", in: .writing, on: [repository]),
            IAMCall(.ecr, "GetLifecyclePolicy", in: .readingBack, on: [repository]),
            IAMCall(.ecr, "DeleteLifecyclePolicy", in: [.delete], on: [repository]),
        ])
    }()
}
