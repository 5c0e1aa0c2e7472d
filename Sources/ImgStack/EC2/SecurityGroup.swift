import AWS
import Engine
import Foundation

extension EC2 {
    /// A VPC security group (`aws_security_group`), without inline rules: each rule is an
    /// ``EC2/SecurityGroupRule`` of its own, read and changed by its `SecurityGroupRuleId`, so
    /// rules added by other stacks or by hand never show as drift of the group.
    ///
    /// AWS gives every new VPC group an outbound rule allowing all traffic to `0.0.0.0/0`.
    /// `keepDefaultEgress` says what happens to that one rule: kept as AWS made it (true, the
    /// default), or revoked right after the create (false), when the stack's own egress rules
    /// are to be the only ones. imgstack records that rule's id and compares only it, so there
    /// is no perpetual diff between the group and its separate rules (Terraform's
    /// `aws_security_group` revokes it and then reports rules declared elsewhere as drift).
    ///
    /// ```swift
    /// let web = stack.add(EC2.SecurityGroup("web", name: "file-upload-web", description: "load balancer",
    ///                                       vpcID: vpc.id))
    /// ```
    public struct SecurityGroup: Resource {
        public static let terraformType = "aws_security_group"

        /// The resource's name in the stack.
        public var name: String
        /// The group's name: up to 255 characters (a–z, A–Z, 0–9, spaces and `._-:/()#,@[]+=&;{}!$*`),
        /// not starting with `sg-`, unique in the VPC. Changing it replaces the group.
        public var groupName: Text
        /// Up to 255 characters of the same set; AWS cannot change it, so changing it replaces the group.
        public var description: Text
        /// The VPC (`vpc-…`), e.g. a lookup's id. Changing it replaces the group.
        public var vpcID: Text
        /// Keep AWS's default allow-all IPv4 outbound rule (true) or revoke it (false).
        public var keepDefaultEgress: Bool
        /// Tags: at most 50; keys 1–127 characters, values at most 256; `aws:` and `imgstack:` prefixes are reserved.
        public var tags: [String: Text]
        /// Dependencies beside those that references imply.
        public var dependsOn: [Address] = []

        /// Declares a security group.
        /// - Parameters:
        ///   - name: the resource's name in the stack.
        ///   - groupName: the group's name in the VPC.
        ///   - description: what the group is for (fixed at creation).
        ///   - vpcID: the VPC's id.
        ///   - keepDefaultEgress: keep AWS's allow-all outbound rule.
        ///   - tags: the group's tags.
        public init(_ name: String, name groupName: Text, description: Text = "Managed by imgstack", vpcID: Text,
                    keepDefaultEgress: Bool = true, tags: [String: Text] = [:]) {
            self.name = name
            self.groupName = groupName
            self.description = description
            self.vpcID = vpcID
            self.keepDefaultEgress = keepDefaultEgress
            self.tags = tags
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.groupName, groupName)
            list.set(property.description, description)
            list.set(property.vpcID, vpcID)
            list.set(property.keepDefaultEgress, keepDefaultEgress)
            list.set(property.tags, tags)
            return list.values
        }

        /// `arn:aws:ec2:<region>:<account>:security-group/sg-…`.
        public var arn: Text { attribute("arn") }

        public static func makeType() -> any ResourceType { SecurityGroupType() }
    }
}

extension EC2.SecurityGroup {
    /// A security group's properties, each declared once.
    struct Properties: PropertySet {
        let groupName = Property<String>("name", forcesReplacement: true)
        let description = Property<String>("description", forcesReplacement: true, default: "Managed by imgstack")
        let vpcID = Property<String>("vpcID", terraform: "vpc_id", forcesReplacement: true)
        let keepDefaultEgress = Property<Bool>("keepDefaultEgress", terraform: .none("imgstack's own: whether the default allow-all egress rule stays"),
                                               default: true)
        let tags = Property<[String: String]>("tags", default: [:])
    }

    static let property = Properties()
}

/// Creates, reads, updates and deletes security groups. The id is the group id (`sg-…`).
struct SecurityGroupType: ResourceType {
    static let schema = ResourceSchema(EC2.SecurityGroup.self, EC2.SecurityGroup.Properties.self,
                                       attributes: [AttributeSchema("arn"), AttributeSchema(defaultEgressRuleID, changesOnUpdate: true,
                                                                                                    terraform: .none("imgstack's record of the default egress rule"))],
                                       uniqueName: [EC2.SecurityGroup.property.groupName, EC2.SecurityGroup.property.vpcID])
    /// The attribute holding the id of AWS's default outbound rule while it is kept; empty once revoked.
    static let defaultEgressRuleID = "defaultEgressRuleID"

    var schema: ResourceSchema { Self.schema }
    private var property: EC2.SecurityGroup.Properties { EC2.SecurityGroup.property }
    /// How long deleting a group still in use is retried (``EC2Rules/groupInUse``).
    var groupInUse = EC2Rules.groupInUse

    // MARK: - Validation

    /// Characters AWS takes in a VPC group's name and description (`CreateSecurityGroup`).
    private static let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-:/()#,@[]+=&;{}!$*")

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let name = properties.literal(property.groupName) {
            if let problem = Self.textProblem(name) { issues.append(ValidationIssue(address, property.groupName, problem)) }
            if name.lowercased().hasPrefix("sg-") {
                issues.append(ValidationIssue(address, property.groupName, "\"\(name)\" must not start with sg- (AWS keeps it for group ids)"))
            }
        }
        if let description = properties.literal(property.description), let problem = Self.textProblem(description) {
            issues.append(ValidationIssue(address, property.description, problem))
        }
        if let vpc = properties.literal(property.vpcID), !vpc.hasPrefix("vpc-") {
            issues.append(ValidationIssue(address, property.vpcID, "\"\(vpc)\" is not a VPC id (vpc-…)"))
        }
        for problem in EC2Rules.tagProblems(properties[property.tags]?.literal) {
            issues.append(ValidationIssue(address, property.tags, problem))
        }
        return issues
    }

    /// What AWS refuses in a VPC group's name or description, nil when valid.
    private static func textProblem(_ text: String) -> String? {
        if !(1...255).contains(text.count) { return "must be 1 to 255 characters, not \(text.count)" }
        if let bad = text.first(where: { !allowed.contains($0) }) {
            return "\"\(text)\": '\(bad)' is not allowed (letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* only)"
        }
        return nil
    }

    /// A group is imported by its id.
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: "sg-([0-9a-f]{8}|[0-9a-f]{17})",
                             expected: "a security group is imported by its id (sg- and 8 or 17 hex digits, such as sg-0123456789abcdef0)")
    }

    // MARK: - Create, read

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let ec2 = try context.ec2
        var tags = properties[property.tags] ?? [:]
        if let intent = context.intentID { tags[TagRules.intentKey] = intent }
        let id = try await ec2.createSecurityGroup(name: properties[property.groupName] ?? "", description: properties.value(property.description) ?? "",
                                                   vpcID: properties[property.vpcID], tags: tags)
        var defaultRule = try await Self.defaultEgressRule(of: id, ec2: ec2)
        if properties.value(property.keepDefaultEgress) == false, let rule = defaultRule {
            try await ec2.revokeSecurityGroupRules(groupID: id, egress: true, ruleIDs: [rule])
            defaultRule = nil
        }
        return try await read(id, defaultRule: defaultRule ?? "", ec2: ec2) ?? ResourceSnapshot(id: id, properties: properties)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, defaultRule: recorded.attributes[Self.defaultEgressRuleID]?.stringValue ?? "", ec2: try context.ec2)
    }

    func readForDestroy(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await recordedIfExists(recorded) { try await read(recorded.id, defaultRule: "", ec2: try context.ec2) }
    }

    /// The group as EC2 describes it. `keepDefaultEgress` is true while the default outbound
    /// rule recorded at create (`defaultRule`, by id; "" when it was removed) still exists, read
    /// alongside the group: other allow-all rules are the stack's own rules or someone else's,
    /// never this flag.
    private func read(_ id: String, defaultRule: String, ec2: AWS.EC2) async throws -> ResourceSnapshot? {
        guard let (group, kept) = try await ConcurrentReads.alongside({ try await ec2.securityGroup(id) }, {
            defaultRule.isEmpty ? false : try await ec2.securityGroupRule(defaultRule) != nil
        }) else { return nil }
        var properties: [String: Value] = [:]
        properties[property.groupName] = group.name
        properties[property.description] = group.description
        properties[property.vpcID] = group.vpcID
        properties[property.keepDefaultEgress] = kept
        properties[property.tags.name] = TagRules.visible(group.tags)
        return ResourceSnapshot(id: group.id, properties: properties,
                                attributes: ["arn": group.arn.map(Value.string) ?? .null, Self.defaultEgressRuleID: .string(kept ? defaultRule : "")])
    }

    /// The id of the group's allow-all IPv4 outbound rule without a description: the one AWS
    /// adds to every new VPC group.
    static func defaultEgressRule(of groupID: String, ec2: AWS.EC2) async throws -> String? {
        try await ec2.describeSecurityGroupRules(groupID: groupID)
            .first { $0.isEgress && $0.permission == .allowAllIPv4 }?.id
    }

    // MARK: - Update

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let ec2 = try context.ec2
        var defaultRule = current.attributes[Self.defaultEgressRuleID]?.stringValue ?? ""
        if changed.contains(property.keepDefaultEgress) {
            if desired.value(property.keepDefaultEgress) == true {
                let rule = try await ec2.authorizeSecurityGroupRule(groupID: current.id, egress: true, permission: .allowAllIPv4)
                defaultRule = rule?.id ?? ""
            } else if !defaultRule.isEmpty {
                _ = try await nilWhenMissing(.invalidSecurityGroupRuleIDNotFound, .invalidPermissionNotFound) {
                    try await ec2.revokeSecurityGroupRules(groupID: current.id, egress: true, ruleIDs: [defaultRule])
                }
                defaultRule = ""
            }
        }
        if changed.contains(property.tags) {
            try await ec2.replaceTags(of: current.id, had: current.properties[property.tags] ?? [:], wanted: desired[property.tags] ?? [:])
        }
        return try await read(current.id, defaultRule: defaultRule, ec2: ec2) ?? current
    }

    // MARK: - Delete, import, recovery

    /// Deletes the group, retrying while AWS still counts a network interface as its user
    /// (``EC2Rules/groupInUse``), with the wait reported; already gone is success.
    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let ec2 = try context.ec2
        try await groupInUse.run(context, reason: "the security group is still in use by a network interface (DependencyViolation)") {
            _ = try await nilWhenMissing(.invalidGroupNotFound) { try await ec2.deleteSecurityGroup(current.id) }
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        let ec2 = try context.ec2
        guard try await ec2.securityGroup(id) != nil else { return nil }
        let rule = try await Self.defaultEgressRule(of: id, ec2: ec2)
        return try await read(id, defaultRule: rule ?? "", ec2: ec2)
    }

    /// Names are unique in a VPC: the group by that name in that VPC is the one the crashed
    /// apply made, when it carries this intent's tag. Read only, as every command settles
    /// first, `plan` too: a crash between the create and the revoke of the default egress rule
    /// leaves the rule recorded (`keepDefaultEgress` true), so the plan shows the revoke and
    /// the next apply's update makes it.
    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let name = properties[property.groupName], let vpc = properties[property.vpcID] else { return nil }
        let ec2 = try context.ec2
        let found = try await ec2.describeSecurityGroups(filters: [.vpcID(vpc), AWS.EC2.Filter(name: "group-name", values: [name])])
        guard let group = found.first, context.intentID.map({ group.tags[TagRules.intentKey] == $0 }) ?? false else { return nil }
        let rule = try await Self.defaultEgressRule(of: group.id, ec2: ec2)
        return try await read(group.id, defaultRule: rule ?? "", ec2: ec2)
    }
}

extension SecurityGroupType: AccessDeclaring {
    /// EC2 actions per the Service Authorization Reference (Amazon EC2): `Describe*` takes no
    /// resource; a create with tags needs `ec2:CreateTags` on the new group.
    static let access: ResourceAccess = {
        let group = ARNPattern.arn("arn:{partition}:ec2:{region}:{account}:security-group/*")
        let vpc = ARNPattern.arn("arn:{partition}:ec2:{region}:{account}:vpc/{vpcID}")
        let rule = ARNPattern.arn("arn:{partition}:ec2:{region}:{account}:security-group-rule/*")
        return ResourceAccess([
            IAMCall(.ec2, "CreateSecurityGroup", in: [.create], needs: ["ec2:CreateSecurityGroup", "ec2:CreateTags"], on: [group, vpc]),
            IAMCall(.ec2, "DescribeSecurityGroups", in: .readingBack,
                    on: [.anyResource(reason: "ec2:DescribeSecurityGroups takes no resource")]),
            IAMCall(.ec2, "DescribeSecurityGroupRules", in: .readingBack,
                    on: [.anyResource(reason: "ec2:DescribeSecurityGroupRules takes no resource")]),
            IAMCall(.ec2, "AuthorizeSecurityGroupEgress", in: [.update], on: [group, rule], when: .equals("keepDefaultEgress", true)),
            IAMCall(.ec2, "RevokeSecurityGroupEgress", in: .writing, on: [group, rule], when: .equals("keepDefaultEgress", false)),
            IAMCall(.ec2, "CreateTags", in: [.update], on: [group]),
            IAMCall(.ec2, "DeleteTags", in: [.update], on: [group]),
            IAMCall(.ec2, "DeleteSecurityGroup", in: [.delete], on: [group]),
        ])
    }()
}
