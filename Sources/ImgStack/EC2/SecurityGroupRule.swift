import AWS
import Engine
import Foundation

extension EC2 {
    /// One inbound or outbound rule of a security group (`aws_security_group_rule`), known to AWS
    /// by its own id (`SecurityGroupRuleId`, `sgr-…`), which is this resource's id.
    ///
    /// The protocol, ports and description change in place (`ModifySecurityGroupRules`, the rule
    /// keeps its id); another group, direction or peer replaces the rule.
    ///
    /// ```swift
    /// stack.add(EC2.SecurityGroupRule("app-from-lb", securityGroupID: app.id, direction: .ingress,
    ///                                 ipProtocol: "tcp", fromPort: 8080, toPort: 8080, peer: .securityGroup(lb.id)))
    /// ```
    public struct SecurityGroupRule: Resource {
        public static let terraformType = "aws_security_group_rule"

        /// Inbound or outbound.
        public enum Direction: String, Sendable {
            /// Traffic into the group's members (`AuthorizeSecurityGroupIngress`).
            case ingress
            /// Traffic out of the group's members (`AuthorizeSecurityGroupEgress`).
            case egress
        }

        /// Where inbound traffic comes from, or outbound traffic goes to: exactly one.
        public enum Peer: Sendable {
            /// An IPv4 CIDR block, e.g. `0.0.0.0/0`.
            case cidrIPv4(Text)
            /// An IPv6 CIDR block, e.g. `::/0`.
            case cidrIPv6(Text)
            /// Members of another security group in the same VPC, by id (`sg-…`).
            case securityGroup(Text)
            /// A managed prefix list, by id (`pl-…`).
            case prefixList(Text)
        }

        /// The resource's name in the stack.
        public var name: String
        /// The group the rule belongs to (`sg-…`). Changing it replaces the rule.
        public var securityGroupID: Text
        /// Inbound or outbound. Changing it replaces the rule.
        public var direction: Direction
        /// `tcp`, `udp`, `icmp`, `icmpv6`, a protocol number 0–255, or `-1` for all protocols
        /// (then no ports).
        public var ipProtocol: String
        /// TCP/UDP: the first port, 0–65535; ICMP: the type, or -1 for all. Nil for all protocols.
        public var fromPort: Int?
        /// TCP/UDP: the last port, 0–65535, at least `fromPort`; ICMP: the code, or -1 for all.
        public var toPort: Int?
        /// The peer. Changing it replaces the rule.
        public var peer: Peer
        /// Up to 255 characters: letters, digits, spaces and `._-:/()#,@[]+=&;{}!$*`.
        public var description: Text
        /// Tags: at most 50; keys 1–127 characters, values at most 256.
        public var tags: [String: Text]
        /// Dependencies beside those that references imply.
        public var dependsOn: [Address] = []

        /// Declares a rule.
        /// - Parameters:
        ///   - name: the resource's name in the stack.
        ///   - securityGroupID: the group, e.g. `group.id`.
        ///   - direction: `.ingress` or `.egress`.
        ///   - ipProtocol: `tcp`, `udp`, `icmp`, `icmpv6`, a number, or `-1`.
        ///   - fromPort: first port (ICMP type); nil for all protocols.
        ///   - toPort: last port (ICMP code); nil for all protocols.
        ///   - peer: a CIDR block, a security group or a prefix list.
        ///   - description: the rule's description.
        ///   - tags: the rule's tags.
        public init(_ name: String, securityGroupID: Text, direction: Direction, ipProtocol: String, fromPort: Int? = nil, toPort: Int? = nil,
                    peer: Peer, description: Text = "", tags: [String: Text] = [:]) {
            self.name = name
            self.securityGroupID = securityGroupID
            self.direction = direction
            self.ipProtocol = ipProtocol
            self.fromPort = fromPort
            self.toPort = toPort
            self.peer = peer
            self.description = description
            self.tags = tags
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.securityGroupID, securityGroupID)
            list.set(property.direction, direction.rawValue)
            list.set(property.ipProtocol, ipProtocol)
            list.set(property.fromPort, fromPort ?? -1)
            list.set(property.toPort, toPort ?? -1)
            switch peer {
            case .cidrIPv4(let block): list.set(property.cidrIPv4, block)
            case .cidrIPv6(let block): list.set(property.cidrIPv6, block)
            case .securityGroup(let id): list.set(property.sourceSecurityGroupID, id)
            case .prefixList(let id): list.set(property.prefixListID, id)
            }
            list.set(property.description, description)
            list.set(property.tags, tags)
            return list.values
        }

        /// The rule's id, `sgr-…` (the same as `id`).
        public var securityGroupRuleID: Text { attribute("securityGroupRuleID") }

        public static func makeType() -> any ResourceType { SecurityGroupRuleType() }
    }
}

extension EC2.SecurityGroupRule {
    /// A rule's properties, each declared once. The four peers are separate properties (one
    /// set), named as Terraform's `aws_vpc_security_group_*_rule` names them.
    struct Properties: PropertySet {
        let securityGroupID = Property<String>("securityGroupID", terraform: "security_group_id", forcesReplacement: true)
        let direction = Property<String>("type", forcesReplacement: true)
        let ipProtocol = Property<String>("ipProtocol", terraform: "protocol")
        /// -1: no port range (all protocols, or all ICMP types).
        let fromPort = Property<Int>("fromPort", default: -1)
        let toPort = Property<Int>("toPort", default: -1)
        /// The provider's `cidr_blocks` (a list), as `ipv6_cidr_blocks` and `prefix_list_ids` below.
        let cidrIPv4 = Property<String>("cidrIPv4", terraform: SecurityGroupRuleType.listOfOne("cidr_blocks"), forcesReplacement: true)
        let cidrIPv6 = Property<String>("cidrIPv6", terraform: SecurityGroupRuleType.listOfOne("ipv6_cidr_blocks"), forcesReplacement: true)
        let sourceSecurityGroupID = Property<String>("sourceSecurityGroupID", terraform: "source_security_group_id", forcesReplacement: true)
        let prefixListID = Property<String>("prefixListID", terraform: SecurityGroupRuleType.listOfOne("prefix_list_ids"), forcesReplacement: true)
        let description = Property<String>("description", default: "")
        let tags = Property<[String: String]>("tags", terraform: .none("aws_security_group_rule takes no tags"), default: [:])
    }

    static let property = Properties()
}

/// Creates, reads, updates and deletes security group rules. The id is the rule id (`sgr-…`).
struct SecurityGroupRuleType: ResourceType {
    static let schema = ResourceSchema(EC2.SecurityGroupRule.self, EC2.SecurityGroupRule.Properties.self,
                                       attributes: [AttributeSchema("securityGroupRuleID")])

    var schema: ResourceSchema { Self.schema }

    /// One peer as the provider's list attribute `name` (`cidr_blocks = ["0.0.0.0/0"]`), so
    /// scanners read an open rule as they read Terraform's; none without that peer.
    static func listOfOne(_ name: String) -> TerraformAttribute {
        TerraformAttribute(name, .converted { peer in peer == .null ? .null : .list([peer]) })
    }
    private var property: EC2.SecurityGroupRule.Properties { EC2.SecurityGroupRule.property }
    private var peers: [Property<String>] { [property.cidrIPv4, property.cidrIPv6, property.sourceSecurityGroupID, property.prefixListID] }

    // MARK: - Validation

    /// Protocol numbers EC2 answers by name (IANA numbers; `AuthorizeSecurityGroupIngress`).
    private static let protocolNames = ["1": "icmp", "6": "tcp", "17": "udp", "58": "icmpv6"]
    /// Characters AWS takes in a rule's description.
    private static let descriptionCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-:/()#,@[]+=&;{}!$*")

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        let ipProtocol = properties.literal(property.ipProtocol).map { normalizedProtocol($0) }
        if let ipProtocol, !(["-1", "tcp", "udp", "icmp", "icmpv6"].contains(ipProtocol) || (Int(ipProtocol).map { (0...255).contains($0) } ?? false)) {
            issues.append(ValidationIssue(address, property.ipProtocol, "\"\(ipProtocol)\" is not a protocol: use tcp, udp, icmp, icmpv6, a number 0–255, or -1 for all"))
        }
        let from = properties.literal(property.fromPort) ?? -1
        let to = properties.literal(property.toPort) ?? -1
        switch ipProtocol {
        case "tcp", "udp":
            for (port, value) in [(property.fromPort, from), (property.toPort, to)] where !(0...65535).contains(value) {
                issues.append(ValidationIssue(address, port, "\(ipProtocol ?? "") needs a port 0–65535, not \(value == -1 ? "none" : String(value))"))
            }
            if (0...65535).contains(from), (0...65535).contains(to), from > to {
                issues.append(ValidationIssue(address, property.toPort, "\(to) is below fromPort \(from)"))
            }
        case "icmp", "icmpv6":
            for (port, value) in [(property.fromPort, from), (property.toPort, to)] where !(-1...255).contains(value) {
                issues.append(ValidationIssue(address, port, "an ICMP type or code is -1 to 255, not \(value)"))
            }
        case "-1":
            for (port, value) in [(property.fromPort, from), (property.toPort, to)] where value != -1 {
                issues.append(ValidationIssue(address, port, "all protocols (-1) take no ports; leave it unset, not \(value)"))
            }
        default:
            break
        }
        if let block = properties.literal(property.cidrIPv4), !Self.isIPv4CIDR(block) {
            issues.append(ValidationIssue(address, property.cidrIPv4, "\"\(block)\" is not an IPv4 CIDR block (a.b.c.d/n)"))
        }
        if let block = properties.literal(property.cidrIPv6), !(block.contains(":") && Self.prefixLength(block, maximum: 128) != nil) {
            issues.append(ValidationIssue(address, property.cidrIPv6, "\"\(block)\" is not an IPv6 CIDR block (e.g. ::/0)"))
        }
        if let group = properties.literal(property.sourceSecurityGroupID), !group.hasPrefix("sg-") {
            issues.append(ValidationIssue(address, property.sourceSecurityGroupID, "\"\(group)\" is not a security group id (sg-…)"))
        }
        if let list = properties.literal(property.prefixListID), !list.hasPrefix("pl-") {
            issues.append(ValidationIssue(address, property.prefixListID, "\"\(list)\" is not a prefix list id (pl-…)"))
        }
        if let group = properties.literal(property.securityGroupID), !group.hasPrefix("sg-") {
            issues.append(ValidationIssue(address, property.securityGroupID, "\"\(group)\" is not a security group id (sg-…)"))
        }
        if let text = properties.literal(property.description) {
            if text.count > 255 {
                issues.append(ValidationIssue(address, property.description, "must be at most 255 characters, not \(text.count)"))
            } else if let bad = text.first(where: { !Self.descriptionCharacters.contains($0) }) {
                issues.append(ValidationIssue(address, property.description, "'\(bad)' is not allowed (letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* only)"))
            }
        }
        for problem in EC2Rules.tagProblems(properties[property.tags]?.literal) {
            issues.append(ValidationIssue(address, property.tags, problem))
        }
        return issues
    }

    private static func isIPv4CIDR(_ block: String) -> Bool {
        let parts = block.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, prefixLength(block, maximum: 32) != nil else { return false }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { Int($0).map { (0...255).contains($0) } ?? false }
    }

    private static func prefixLength(_ block: String, maximum: Int) -> Int? {
        guard let slash = block.lastIndex(of: "/"), let length = Int(block[block.index(after: slash)...]), (0...maximum).contains(length) else { return nil }
        return length
    }

    /// A rule is imported by its id.
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: "sgr-([0-9a-f]{8}|[0-9a-f]{17})",
                             expected: "a security group rule is imported by its id (sgr- and 8 or 17 hex digits, such as sgr-0123456789abcdef0)")
    }

    /// EC2 answers `tcp` for `6` or `TCP`: compare protocols in that form.
    func normalize(_ name: String, _ value: Value) -> Value {
        guard name == property.ipProtocol.name, case .string(let text) = value else { return value }
        return .string(normalizedProtocol(text))
    }

    private func normalizedProtocol(_ text: String) -> String {
        Self.protocolNames[text] ?? text.lowercased()
    }

    // MARK: - Create, read

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let ec2 = try context.ec2
        var tags = properties[property.tags] ?? [:]
        if let intent = context.intentID { tags[TagRules.intentKey] = intent }
        let groupID = properties[property.securityGroupID] ?? ""
        guard let rule = try await ec2.authorizeSecurityGroupRule(groupID: groupID, egress: properties[property.direction] == "egress",
                                                                  permission: permission(properties), tags: tags) else {
            throw SecurityGroupRuleMissingError(address: context.address, groupID: groupID)
        }
        return snapshot(rule)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await context.ec2.securityGroupRule(recorded.id).map(snapshot)
    }

    /// The permission the properties describe.
    private func permission(_ properties: [String: Value]) -> AWS.EC2.RulePermission {
        let peer: AWS.EC2.RulePeer
        if let block = properties[property.cidrIPv6] {
            peer = .cidrIPv6(block)
        } else if let group = properties[property.sourceSecurityGroupID] {
            peer = .securityGroup(group)
        } else if let list = properties[property.prefixListID] {
            peer = .prefixList(list)
        } else {
            peer = .cidrIPv4(properties[property.cidrIPv4] ?? "")
        }
        let ipProtocol = normalizedProtocol(properties[property.ipProtocol] ?? "-1")
        let from = properties.value(property.fromPort) ?? -1
        let to = properties.value(property.toPort) ?? -1
        let ported = ipProtocol != "-1"
        let description = properties.value(property.description) ?? ""
        return AWS.EC2.RulePermission(ipProtocol: ipProtocol, fromPort: ported ? from : nil, toPort: ported ? to : nil, peer: peer,
                                      description: description.isEmpty ? nil : description)
    }

    private func snapshot(_ rule: AWS.EC2.SecurityGroupRule) -> ResourceSnapshot {
        var properties: [String: Value] = [:]
        properties[property.securityGroupID] = rule.groupID
        properties[property.direction] = rule.isEgress ? "egress" : "ingress"
        properties[property.ipProtocol] = rule.permission.ipProtocol
        properties[property.fromPort] = rule.permission.fromPort ?? -1
        properties[property.toPort] = rule.permission.toPort ?? -1
        switch rule.permission.peer {
        case .cidrIPv4(let block): properties[property.cidrIPv4] = block
        case .cidrIPv6(let block): properties[property.cidrIPv6] = block
        case .securityGroup(let id): properties[property.sourceSecurityGroupID] = id
        case .prefixList(let id): properties[property.prefixListID] = id
        }
        properties[property.description] = rule.permission.description ?? ""
        properties[property.tags.name] = TagRules.visible(rule.tags)
        return ResourceSnapshot(id: rule.id, properties: properties, attributes: ["securityGroupRuleID": .string(rule.id)])
    }

    // MARK: - Update

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let ec2 = try context.ec2
        let groupID = current.properties[property.securityGroupID] ?? ""
        if !changed.isDisjoint(with: [property.ipProtocol.name, property.fromPort.name, property.toPort.name, property.description.name]) {
            try await ec2.modifySecurityGroupRule(groupID: groupID, ruleID: current.id, permission: permission(desired))
        }
        if changed.contains(property.tags) {
            try await ec2.replaceTags(of: current.id, had: current.properties[property.tags] ?? [:], wanted: desired[property.tags] ?? [:])
        }
        return try await ec2.securityGroupRule(current.id).map(snapshot) ?? current
    }

    // MARK: - Delete, import, recovery

    /// Revokes the rule; a rule or group already gone is success (`InvalidSecurityGroupRuleId.NotFound`,
    /// `InvalidPermission.NotFound` "The specified rule does not exist in this security group",
    /// `InvalidGroup.NotFound`).
    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let ec2 = try context.ec2
        _ = try await nilWhenMissing(.invalidSecurityGroupRuleIDNotFound, .invalidPermissionNotFound, .invalidGroupNotFound) {
            try await ec2.revokeSecurityGroupRules(groupID: current.properties[property.securityGroupID] ?? "",
                                                   egress: current.properties[property.direction] == "egress", ruleIDs: [current.id])
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await context.ec2.securityGroupRule(id).map(snapshot)
    }

    /// Rules have no name: the group's rule carrying this intent's tag is the one the crashed apply made.
    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let intent = context.intentID, let groupID = properties[property.securityGroupID] else { return nil }
        let rules = try await nilWhenMissing(.invalidGroupNotFound) { try await context.ec2.describeSecurityGroupRules(groupID: groupID) } ?? []
        return rules.first { $0.tags[TagRules.intentKey] == intent }.map(snapshot)
    }
}

/// AWS accepted a rule but answered no `securityGroupRuleSet` item for it.
struct SecurityGroupRuleMissingError: Error, CustomStringConvertible {
    var address: Address
    var groupID: String
    var description: String { "\(address): AWS authorized the rule on \(groupID) but did not answer its id" }
}

extension SecurityGroupRuleType: AccessDeclaring {
    /// EC2 actions per the Service Authorization Reference (Amazon EC2): a rule is written
    /// through its group's `Authorize…`/`Revoke…`; `Describe*` takes no resource.
    static let access: ResourceAccess = {
        let group = ARNPattern.arn("arn:{partition}:ec2:{region}:{account}:security-group/{securityGroupID}")
        let rule = ARNPattern.arn("arn:{partition}:ec2:{region}:{account}:security-group-rule/*")
        return ResourceAccess([
            IAMCall(.ec2, "AuthorizeSecurityGroupIngress", in: [.create], needs: ["ec2:AuthorizeSecurityGroupIngress", "ec2:CreateTags"], on: [group, rule]),
            IAMCall(.ec2, "AuthorizeSecurityGroupEgress", in: [.create], needs: ["ec2:AuthorizeSecurityGroupEgress", "ec2:CreateTags"], on: [group, rule]),
            IAMCall(.ec2, "DescribeSecurityGroupRules", in: .readingBack,
                    on: [.anyResource(reason: "ec2:DescribeSecurityGroupRules takes no resource")]),
            IAMCall(.ec2, "ModifySecurityGroupRules", in: [.update], on: [group, rule]),
            IAMCall(.ec2, "CreateTags", in: [.update], on: [rule]),
            IAMCall(.ec2, "DeleteTags", in: [.update], on: [rule]),
            IAMCall(.ec2, "RevokeSecurityGroupIngress", in: [.delete], on: [group, rule]),
            IAMCall(.ec2, "RevokeSecurityGroupEgress", in: [.delete], on: [group, rule]),
        ])
    }()
}
