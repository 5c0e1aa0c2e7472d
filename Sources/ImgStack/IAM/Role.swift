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
        public static let typeName = "iam.role"

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
            var list = PropertyList()
            list.set("name", declaredName)
            list.set("assumeRolePolicy", assumeRolePolicy)
            list.set("path", path)
            list.set("description", description)
            list.set("maxSessionDuration", maxSessionDuration)
            list.set("inlinePolicies", expression: inlinePolicies.isEmpty ? nil : Engine.Expression.map(inlinePolicies.mapValues(\.expression)))
            list.set("tags", tags)
            return list.values
        }

        /// The role ARN.
        public var arn: Text { attribute("arn") }
        /// The role name, as a reference.
        public var roleName: Text { attribute("name") }
        /// The stable id (`AROA…`).
        public var uniqueID: Text { attribute("uniqueID") }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { RoleType(aws: aws) }
    }
}

/// Creates, reads, updates and deletes IAM roles.
struct RoleType: ResourceType {
    let aws: AWSClient

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: IAM.Role.typeName, terraformType: "aws_iam_role",
            properties: [
                PropertySchema("name", forcesReplacement: true),
                PropertySchema("assumeRolePolicy"),
                PropertySchema("path", forcesReplacement: true, default: "/"),
                PropertySchema("description", default: ""),
                PropertySchema("maxSessionDuration", default: 3600),
                PropertySchema("inlinePolicies", default: .map([:])),
                PropertySchema("tags", default: .map([:])),
            ],
            attributes: [AttributeSchema("arn"), AttributeSchema("uniqueID")],
            uniqueNameProperty: "name")
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues = IAMRules.check(properties, "name", address: address) { IAMRules.nameProblem($0, maximum: 64) }
        issues += IAMRules.check(properties, "path", address: address, IAMRules.pathProblem)
        issues += IAMRules.policyIssues(properties, "assumeRolePolicy", address: address)
        issues += IAMRules.check(properties, "description", address: address, IAMRules.descriptionProblem)
        issues += IAMRules.tagIssues(properties, address: address)
        if let seconds = properties["maxSessionDuration"]?.literal?.intValue, !(3600...43200).contains(seconds) {
            issues.append(ValidationIssue(subject: address.description, property: "maxSessionDuration", message: "must be 3600 to 43200 seconds, not \(seconds)"))
        }
        if case .map(let policies)? = properties["inlinePolicies"] {
            for (policyName, policy) in policies.sorted(by: { $0.key < $1.key }) {
                issues += PolicyNormalizer.issues(policy).map {
                    ValidationIssue(subject: address.description, property: "inlinePolicies", message: "\(policyName): \($0)")
                }
            }
        }
        return issues
    }

    func normalize(_ property: String, _ value: Value) -> Value {
        switch property {
        case "assumeRolePolicy": return PolicyNormalizer.normalize(value)
        case "inlinePolicies": return .map((value.mapValue ?? [:]).mapValues(PolicyNormalizer.normalize))
        default: return value
        }
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let name = properties["name"]?.stringValue ?? ""
        _ = try await aws.iam.createRole(name: name, path: properties["path"]?.stringValue ?? "/",
                                         assumeRolePolicy: (properties["assumeRolePolicy"] ?? .null).canonicalJSON,
                                         description: properties["description"]?.stringValue,
                                         maxSessionDuration: properties["maxSessionDuration"]?.intValue ?? 3600,
                                         tags: IAMRules.tags(properties["tags"]))
        for (policyName, document) in (properties["inlinePolicies"]?.mapValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            try await IAMRules.retryingNewEntity { try await aws.iam.putRolePolicy(role: name, name: policyName, document: document.canonicalJSON) }
        }
        guard let created = try await IAMRules.retryingNewEntity({ try await read(name, declared: Set(properties.keys)) }) else {
            throw AWSClientError(.invalidResponse, "IAM created role \(name) but does not show it")
        }
        return created
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, declared: Set(recorded.properties.keys))
    }

    private func read(_ name: String, declared: Set<String>) async throws -> ResourceSnapshot? {
        guard let role = try await aws.iam.role(name) else { return nil }
        var properties: [String: Value] = [
            "name": .string(role.name), "path": .string(role.path), "description": .string(role.description),
            "maxSessionDuration": .int(role.maxSessionDuration), "assumeRolePolicy": normalize("assumeRolePolicy", .string(role.assumeRolePolicy)),
            "tags": TagRules.visible(role.tags),
        ]
        if declared.contains("inlinePolicies") {
            var policies: [String: Value] = [:]
            for policyName in try await aws.iam.rolePolicyNames(name) {
                policies[policyName] = PolicyNormalizer.normalize(.string(try await aws.iam.rolePolicy(role: name, name: policyName)))
            }
            properties["inlinePolicies"] = .map(policies)
        }
        return ResourceSnapshot(id: role.name, properties: properties.filter { declared.contains($0.key) },
                                attributes: ["arn": .string(role.arn), "uniqueID": .string(role.roleID)])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let name = current.id
        if changed.contains("assumeRolePolicy") {
            try await aws.iam.updateAssumeRolePolicy(role: name, policy: (desired["assumeRolePolicy"] ?? .null).canonicalJSON)
        }
        if changed.contains("description") || changed.contains("maxSessionDuration") {
            try await aws.iam.updateRole(name, description: desired["description"]?.stringValue ?? "",
                                         maxSessionDuration: desired["maxSessionDuration"]?.intValue ?? 3600)
        }
        if changed.contains("tags") {
            try await IAMRules.retag(old: current.properties["tags"], new: desired["tags"],
                                     untag: { try await aws.iam.untagRole(name, keys: $0) }, tag: { try await aws.iam.tagRole(name, tags: $0) })
        }
        if changed.contains("inlinePolicies") {
            let wanted = desired["inlinePolicies"]?.mapValue ?? [:]
            for existing in try await aws.iam.rolePolicyNames(name) where wanted[existing] == nil {
                try await aws.iam.deleteRolePolicy(role: name, name: existing)
            }
            for (policyName, document) in wanted.sorted(by: { $0.key < $1.key }) {
                try await aws.iam.putRolePolicy(role: name, name: policyName, document: document.canonicalJSON)
            }
        }
        return try await read(name, declared: Set(desired.keys)) ?? current
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let name = current.id
        guard try await aws.iam.role(name) != nil else { return }
        // AWS refuses to delete a role with attached or inline policies, or in an instance
        // profile (DeleteConflict), so those go first.
        for arn in try await aws.iam.attachedRolePolicies(name) {
            try await aws.iam.detachRolePolicy(role: name, policyARN: arn)
        }
        for policyName in try await aws.iam.rolePolicyNames(name) {
            try await aws.iam.deleteRolePolicy(role: name, name: policyName)
        }
        for profile in try await aws.iam.instanceProfilesForRole(name) {
            try await aws.iam.removeRoleFromInstanceProfile(profile, role: name)
        }
        do {
            try await aws.iam.deleteRole(name)
        } catch let error as AWSError where error.code == "NoSuchEntity" {
            return
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, declared: Set(schema.properties.map(\.name)))
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let name = properties["name"]?.stringValue else { return nil }
        return try await read(name, declared: Set(properties.keys))
    }
}
