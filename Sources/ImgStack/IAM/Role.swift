import AWS
import Engine

extension IAM {
    /// An IAM role (`aws_iam_role`), with inline policies.
    ///
    /// ```swift
    /// let role = stack.add(IAM.Role("app", name: "images-app", assumeRolePolicy: PolicyDocument([
    ///     Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service("ec2.amazonaws.com")),
    /// ])))
    /// ```
    ///
    /// Deleting a role first detaches its managed policies, deletes its inline policies and takes
    /// it out of instance profiles, as AWS requires.
    public struct Role: Resource {
        public static let terraformType = "aws_iam_role"

        public var name: String
        /// The role name as declared (1–64 characters: letters, digits, `+=,.@_-`), unique in
        /// the account. Changing it replaces the role. Other resources refer to `roleName`,
        /// which also orders them after the role.
        public var declaredName: Text
        /// Who may assume the role.
        public var assumeRolePolicy: PolicyDocument
        /// The path, `/` by default. Changing it replaces the role.
        public var path: String
        /// A description.
        public var description: String
        /// Longest session in seconds: 3,600 to 43,200.
        public var maxSessionDuration: Int
        /// Inline policies by name.
        public var inlinePolicies: [String: PolicyDocument]
        /// Tags.
        public var tags: [String: Text]
        public var dependsOn: [Address] = []

        /// Declares a role.
        public init(_ name: String, name roleName: Text, assumeRolePolicy: PolicyDocument, path: String = "/", description: String = "",
                    maxSessionDuration: Int = 3600, inlinePolicies: [String: PolicyDocument] = [:], tags: [String: Text] = [:]) {
            self.name = name
            self.declaredName = roleName
            self.assumeRolePolicy = assumeRolePolicy
            self.path = path
            self.description = description
            self.maxSessionDuration = maxSessionDuration
            self.inlinePolicies = inlinePolicies
            self.tags = tags
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.declaredName, declaredName)
            list.set(property.assumeRolePolicy, assumeRolePolicy)
            list.set(property.path, path)
            list.set(property.description, description)
            list.set(property.maxSessionDuration, maxSessionDuration)
            list.set(property.inlinePolicies, expression: inlinePolicies.isEmpty ? nil : Engine.Expression.map(inlinePolicies.mapValues(\.expression)))
            list.set(property.tags, tags)
            return list.values
        }

        /// The role ARN.
        public var arn: Text { attribute("arn") }
        /// The role name, as a reference.
        public var roleName: Text { attribute(Self.property.declaredName.name) }
        /// The stable id (`AROA…`).
        public var uniqueID: Text { attribute("uniqueID") }

        public static func makeType() -> any ResourceType { RoleType() }
    }
}

extension IAM.Role {
    /// A role's properties, each declared once.
    struct Properties: PropertySet {
        let declaredName = Property<String>("name", forcesReplacement: true)
        let assumeRolePolicy = Property<Value>("assumeRolePolicy", terraform: .json())
        let path = Property<String>("path", forcesReplacement: true, default: "/")
        let description = Property<String>("description", default: "")
        let maxSessionDuration = Property<Int>("maxSessionDuration", default: 3600)
        /// Policy name → document; the provider's `inline_policy` blocks.
        let inlinePolicies = Property<Value>("inlinePolicies", terraform: IAMTerraform.inlinePolicies, default: .map([:]))
        let tags = Property<[String: String]>("tags", default: [:])
    }

    static let property = Properties()
}

/// Creates, reads, updates and deletes IAM roles.
struct RoleType: ResourceType {
    static let schema = ResourceSchema(IAM.Role.self, IAM.Role.Properties.self,
                                       attributes: [AttributeSchema("arn"), AttributeSchema("uniqueID")],
                                       uniqueName: [IAM.Role.property.declaredName])

    var schema: ResourceSchema { Self.schema }
    private var property: IAM.Role.Properties { IAM.Role.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues = IAMRules.check(properties, property.declaredName, address: address) { IAMRules.nameProblem($0, maximum: 64) }
        issues += IAMRules.check(properties, property.path, address: address, IAMRules.pathProblem)
        issues += IAMRules.policyIssues(properties, property.assumeRolePolicy, address: address)
        issues += IAMRules.check(properties, property.description, address: address, IAMRules.descriptionProblem)
        issues += IAMRules.tagIssues(properties, property.tags, address: address)
        if let seconds = properties.literal(property.maxSessionDuration), !(3600...43200).contains(seconds) {
            issues.append(ValidationIssue(address, property.maxSessionDuration, "must be 3600 to 43200 seconds, not \(seconds)"))
        }
        if case .map(let policies)? = properties[property.inlinePolicies] {
            for (policyName, policy) in policies.sorted(by: { $0.key < $1.key }) {
                issues += PolicyNormalizer.issues(policy).map { ValidationIssue(address, property.inlinePolicies, "\(policyName): \($0)") }
            }
        }
        return issues
    }

    func normalize(_ name: String, _ value: Value) -> Value {
        switch name {
        case property.assumeRolePolicy.name: return PolicyNormalizer.normalize(value)
        case property.inlinePolicies.name: return .map((value.mapValue ?? [:]).mapValues(PolicyNormalizer.normalize))
        default: return value
        }
    }

    /// Policies that differ only in the case of actions are the same (``PolicyNormalizer/equivalent(_:_:)``).
    func equivalent(_ name: String, _ lhs: Value, _ rhs: Value) -> Bool {
        switch name {
        case property.assumeRolePolicy.name: return PolicyNormalizer.equivalent(lhs, rhs)
        case property.inlinePolicies.name:
            guard let left = lhs.mapValue, let right = rhs.mapValue, Set(left.keys) == Set(right.keys) else { return lhs == rhs }
            return left.allSatisfy { name, policy in right[name].map { PolicyNormalizer.equivalent(policy, $0) } ?? false }
        default: return lhs == rhs
        }
    }

    /// The progress line while ``IAMRules/newPrincipals`` waits.
    private static let notPropagated = "a principal of the trust policy is not visible to IAM yet"

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let iam = try context.iam
        let name = properties[property.declaredName] ?? ""
        _ = try await IAMRules.newPrincipals.run(context, reason: Self.notPropagated) {
            try await iam.createRole(name: name, path: properties[property.path] ?? "/",
                                     assumeRolePolicy: PolicyNormalizer.text(properties[property.assumeRolePolicy] ?? .null),
                                     description: properties[property.description],
                                     maxSessionDuration: properties[property.maxSessionDuration] ?? 3600,
                                     tags: TagRules.withIntent(properties[property.tags], context))
        }
        try await writePolicies(put: properties[property.inlinePolicies]?.mapValue ?? [:], delete: [], role: name, new: true, iam: iam)
        guard let created = try await IAMRules.newEntity.run({ try await read(name, declared: Set(properties.keys), expectedPolicies: Self.policyNames(properties), iam: iam) }) else {
            throw AWSClientError(.invalidResponse, "IAM created role \(name) but does not show it")
        }
        return created
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, declared: Set(recorded.properties.keys), expectedPolicies: Self.policyNames(recorded.properties), iam: try context.iam)
    }

    func readForDestroy(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await recordedIfExists(recorded) { try await read(recorded.id, declared: [], iam: try context.iam) }
    }

    /// Reads the role and, when `inlinePolicies` is declared, its inline policies alongside it.
    /// - Parameter expectedPolicies: the inline policies' names as recorded or just written.
    private func read(_ name: String, declared: Set<String>, expectedPolicies: [String] = [], iam: AWS.IAM) async throws -> ResourceSnapshot? {
        let readsPolicies = declared.contains(property.inlinePolicies)
        guard let (role, policies) = try await ConcurrentReads.alongside({ try await iam.role(name) }, {
            readsPolicies ? try await inlinePolicies(of: name, expected: expectedPolicies, iam: iam) : nil
        }) else { return nil }
        var properties: [String: Value] = [:]
        properties[property.declaredName] = role.name
        properties[property.path] = role.path
        properties[property.description] = role.description
        properties[property.maxSessionDuration] = role.maxSessionDuration
        properties[property.assumeRolePolicy] = normalize(property.assumeRolePolicy.name, .string(role.assumeRolePolicy))
        properties[property.tags.name] = TagRules.visible(role.tags)
        if let policies { properties[property.inlinePolicies] = .map(policies) }
        return ResourceSnapshot(id: role.name, properties: properties.filter { declared.contains($0.key) },
                                attributes: ["arn": .string(role.arn), "uniqueID": .string(role.roleID)])
    }

    /// Deletes the `delete` inline policies, all at once, then puts the `put` ones, all at once:
    /// each is its own call under its own name. `PutRolePolicy` and `DeleteRolePolicy` list no
    /// `ConcurrentModification` refusal, unlike `CreateRole` and `TagRole`; should IAM answer it
    /// anyway (Terraform's users saw it for inline policies written at once), the client sends
    /// the call again (`RetryPolicy.conflictCodes`). The deletes go
    /// first because a role's inline policies share one size quota (`LimitExceeded`): a policy
    /// renamed must leave room before its new name is put.
    /// - Parameter new: the role was just created: a put IAM answers with `NoSuchEntity` is
    ///   retried while the role propagates (``IAMRules/newEntity``).
    private func writePolicies(put: [String: Value], delete: [String], role: String, new: Bool, iam: AWS.IAM) async throws {
        try await ConcurrentWrites.all(delete.map { policyName in { try await iam.deleteRolePolicy(role: role, name: policyName) } })
        try await ConcurrentWrites.all(put.map { policyName, document in
            {
                let text = PolicyNormalizer.text(document)
                if new {
                    try await IAMRules.newEntity.run { try await iam.putRolePolicy(role: role, name: policyName, document: text) }
                } else {
                    try await iam.putRolePolicy(role: role, name: policyName, document: text)
                }
            }
        })
    }

    /// The names of the inline policies in `properties`.
    private static func policyNames(_ properties: [String: Value]) -> [String] {
        Array((properties[IAM.Role.property.inlinePolicies]?.mapValue ?? [:]).keys)
    }

    /// The role's inline policies by name, normalised. Each is read with its own call; the
    /// `expected` names (recorded or just written) are read at once with the list of names, so
    /// nothing waits on the list unless a policy was added out of band; an expected name no
    /// longer listed is dropped.
    private func inlinePolicies(of role: String, expected: [String], iam: AWS.IAM) async throws -> [String: Value] {
        async let listed = iam.rolePolicyNames(role)
        let early = try await ConcurrentReads.map(expected) { policyName in
            try await nilWhenMissing(.noSuchEntity) { try await iam.rolePolicy(role: role, name: policyName) }
        }
        return try await ConcurrentReads.map(try await listed) { policyName in
            let document: String
            if let read = early[policyName] ?? nil { document = read } else { document = try await iam.rolePolicy(role: role, name: policyName) }
            return PolicyNormalizer.normalize(.string(document))
        }
    }

    /// Writes each changed part of the role at once: the trust policy (which may wait up to 30 s
    /// for a new principal to propagate, ``IAMRules/newPrincipals``), the description and
    /// session duration, the tags, and the inline policies are independent calls on the role,
    /// none needing another's answer, and `UpdateAssumeRolePolicy`, `UpdateRole` and
    /// `PutRolePolicy` list no `ConcurrentModification` refusal (`TagRole` and `UntagRole` do,
    /// and the client sends them again, `RetryPolicy.conflictCodes`). Inside each part the
    /// order stays: untag before tag, inline deletes before puts. Then reads the role back.
    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let iam = try context.iam
        let name = current.id
        var parts: [@Sendable () async throws -> Void] = []
        if changed.contains(property.assumeRolePolicy) {
            parts.append {
                try await IAMRules.newPrincipals.run(context, reason: Self.notPropagated) {
                    try await iam.updateAssumeRolePolicy(role: name, policy: PolicyNormalizer.text(desired[property.assumeRolePolicy] ?? .null))
                }
            }
        }
        if changed.contains(property.description) || changed.contains(property.maxSessionDuration) {
            parts.append {
                try await iam.updateRole(name, description: desired[property.description] ?? "",
                                         maxSessionDuration: desired[property.maxSessionDuration] ?? 3600)
            }
        }
        if changed.contains(property.tags) {
            parts.append {
                try await IAMRules.retag(old: current.properties[property.tags], new: desired[property.tags],
                                         untag: { try await iam.untagRole(name, keys: $0) }, tag: { try await iam.tagRole(name, tags: $0) })
            }
        }
        if changed.contains(property.inlinePolicies) {
            parts.append {
                let wanted = desired[property.inlinePolicies]?.mapValue ?? [:]
                let unwanted = try await iam.rolePolicyNames(name).filter { wanted[$0] == nil }
                try await writePolicies(put: wanted, delete: unwanted, role: name, new: false, iam: iam)
            }
        }
        try await ConcurrentWrites.all(parts)
        return try await read(name, declared: Set(desired.keys), expectedPolicies: Self.policyNames(desired), iam: iam) ?? current
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let iam = try context.iam
        let name = current.id
        // AWS refuses to delete a role with attached or inline policies, or in an instance
        // profile (DeleteConflict), so those go first: listed at once, then removed at once. A
        // role already gone answers the lists NoSuchEntity.
        guard let (attached, inline, profiles) = try await nilWhenMissing(.noSuchEntity, call: {
            async let attached = iam.attachedRolePolicies(name)
            async let inline = iam.rolePolicyNames(name)
            async let profiles = iam.instanceProfilesForRole(name)
            return try await (attached, inline, profiles)
        }) else { return }
        // Each succeeds when what it removes went meanwhile (NoSuchEntity).
        func removal(_ call: @escaping @Sendable () async throws -> Void) -> @Sendable () async throws -> Void {
            { _ = try await nilWhenMissing(.noSuchEntity, call: call) }
        }
        try await ConcurrentWrites.all(attached.map { arn in removal { try await iam.detachRolePolicy(role: name, policyARN: arn) } }
            + inline.map { policyName in removal { try await iam.deleteRolePolicy(role: name, name: policyName) } }
            + profiles.map { profile in removal { try await iam.removeRoleFromInstanceProfile(profile, role: name) } })
        _ = try await nilWhenMissing(.noSuchEntity) { try await iam.deleteRole(name) }
    }

    /// A role is imported by its name (`roleNameType`), not its ARN.
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: IAMRules.nameCharacter + "{1,64}",
                             expected: "an IAM role is imported by its name (1 to 64 letters, digits and +=,.@_-)")
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, declared: IAM.Role.Properties.names, iam: try context.iam)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        // By name, but only the role this create tagged: a same-named role that is not tagged
        // with the intent was someone else's before the create was tried.
        guard let name = properties[property.declaredName], let iam = try? context.iam,
              let role = try await iam.role(name), TagRules.carryIntent(role.tags, of: context) else { return nil }
        return try await read(name, declared: Set(properties.keys), expectedPolicies: Self.policyNames(properties), iam: iam)
    }
}

extension RoleType: AccessDeclaring {
    /// IAM actions per the Service Authorization Reference (AWS Identity and Access Management).
    static let access: ResourceAccess = {
        let role = ARNPattern.arn("arn:{partition}:iam::{account}:role{path}{name}")
        let profiles = ARNPattern.arn("arn:{partition}:iam::{account}:instance-profile/*")
        return ResourceAccess([
            IAMCall(.iam, "CreateRole", in: [.create], needs: ["iam:CreateRole", "iam:TagRole"], on: [role]),
            IAMCall(.iam, "GetRole", in: .readingBack, on: [role]),
            IAMCall(.iam, "UpdateAssumeRolePolicy", in: [.update], on: [role]),
            IAMCall(.iam, "UpdateRole", in: [.update], on: [role]),
            IAMCall(.iam, "TagRole", in: .writing, on: [role]),
            IAMCall(.iam, "UntagRole", in: .writing, on: [role]),
            IAMCall(.iam, "ListRolePolicies", in: .readingBack.union([.delete]), on: [role]),
            IAMCall(.iam, "GetRolePolicy", in: .readingBack, on: [role]),
            IAMCall(.iam, "PutRolePolicy", in: .writing, on: [role], when: .anySet(["inlinePolicies[]"])),
            IAMCall(.iam, "DeleteRolePolicy", in: [.update, .delete], on: [role]),
            IAMCall(.iam, "ListAttachedRolePolicies", in: [.delete], on: [role]),
            IAMCall(.iam, "DetachRolePolicy", in: [.delete], on: [role]),
            IAMCall(.iam, "ListInstanceProfilesForRole", in: [.delete], on: [role]),
            IAMCall(.iam, "RemoveRoleFromInstanceProfile", in: [.delete], on: [profiles]),
            IAMCall(.iam, "DeleteRole", in: [.delete], on: [role]),
        ])
    }()
}
