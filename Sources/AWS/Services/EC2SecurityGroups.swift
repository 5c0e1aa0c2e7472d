import Foundation

extension EC2 {
    /// A security group as `DescribeSecurityGroups` answers it (its rules are read separately,
    /// by `DescribeSecurityGroupRules`).
    public struct SecurityGroup: Sendable, Equatable {
        /// `sg-…`.
        public var id: String
        /// The name, unique in its VPC.
        public var name: String
        /// The description given at creation (AWS cannot change it).
        public var description: String
        /// The VPC it belongs to.
        public var vpcID: String
        /// `arn:aws:ec2:<region>:<account>:security-group/sg-…`, when answered.
        public var arn: String?
        /// Its tags.
        public var tags: [String: String]
    }

    /// One security group rule as `DescribeSecurityGroupRules` answers it.
    public struct SecurityGroupRule: Sendable, Equatable {
        /// `sgr-…`.
        public var id: String
        /// The group it belongs to.
        public var groupID: String
        /// True for an outbound rule.
        public var isEgress: Bool
        /// What the rule allows and from or to where.
        public var permission: RulePermission
        /// Its tags.
        public var tags: [String: String]
    }

    /// Where a rule's traffic comes from (ingress) or goes to (egress): exactly one of these.
    public enum RulePeer: Sendable, Equatable {
        /// An IPv4 CIDR block, e.g. `10.0.0.0/16`.
        case cidrIPv4(String)
        /// An IPv6 CIDR block.
        case cidrIPv6(String)
        /// Another security group, by id.
        case securityGroup(String)
        /// A managed prefix list, by id (`pl-…`).
        case prefixList(String)
    }

    /// What a rule allows: a protocol, a port range and a peer.
    public struct RulePermission: Sendable, Equatable {
        /// `tcp`, `udp`, `icmp`, `icmpv6`, a protocol number, or `-1` for all.
        public var ipProtocol: String
        /// The first port (or ICMP type); nil for all protocols.
        public var fromPort: Int?
        /// The last port (or ICMP code); nil for all protocols.
        public var toPort: Int?
        /// The peer.
        public var peer: RulePeer
        /// A description (up to 255 characters), or nil.
        public var description: String?

        /// Creates a permission.
        public init(ipProtocol: String, fromPort: Int?, toPort: Int?, peer: RulePeer, description: String? = nil) {
            self.ipProtocol = ipProtocol
            self.fromPort = fromPort
            self.toPort = toPort
            self.peer = peer
            self.description = description
        }

        /// AWS's default outbound rule of a new VPC group: all protocols to `0.0.0.0/0`.
        public static let allowAllIPv4 = RulePermission(ipProtocol: "-1", fromPort: nil, toPort: nil, peer: .cidrIPv4("0.0.0.0/0"))
    }

    // MARK: - Groups

    /// Creates a security group (`CreateSecurityGroup`). In a VPC, AWS adds an outbound rule
    /// allowing all traffic to `0.0.0.0/0`.
    /// - Parameters:
    ///   - name: up to 255 characters, not starting with `sg-`, unique in the VPC.
    ///   - description: up to 255 characters; it cannot be changed later.
    ///   - vpcID: the VPC; nil for the default VPC.
    ///   - tags: applied at creation (`TagSpecification`, resource type `security-group`).
    /// - Returns: the new group's id.
    /// - Throws: `AWSError` (`InvalidGroup.Duplicate` for a name in use in the VPC), `AWSClientError`.
    public func createSecurityGroup(name: String, description: String, vpcID: String?, tags: [String: String]) async throws -> String {
        var parameters: QueryParameters = ["GroupName": name, "GroupDescription": description]
        parameters["VpcId"] = vpcID
        Self.add(tags: tags, resourceType: "security-group", to: &parameters)
        return try await call("CreateSecurityGroup", parameters).string("groupId") ?? ""
    }

    /// The security groups matching every filter and, when given, having one of `ids`
    /// (`DescribeSecurityGroups`, all pages).
    /// - Throws: `AWSError` (`InvalidGroup.NotFound` for an id that does not exist), `AWSClientError`.
    public func describeSecurityGroups(filters: [Filter] = [], ids: [String] = []) async throws -> [SecurityGroup] {
        try await describe("DescribeSecurityGroups", filters: filters, ids: ("GroupId", ids), set: "securityGroupInfo").map(Self.securityGroup)
    }

    /// One security group by id; nil when there is none (`InvalidGroup.NotFound`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func securityGroup(_ id: String) async throws -> SecurityGroup? {
        do {
            return try await describeSecurityGroups(ids: [id]).first { $0.id == id }
        } catch let error as AWSError where error.code == .invalidGroupNotFound {
            return nil
        }
    }

    /// Deletes a security group (`DeleteSecurityGroup`).
    /// - Throws: `AWSError` (`InvalidGroup.NotFound`; `DependencyViolation` while a network
    ///   interface, an instance or another group's rule still uses it), `AWSClientError`.
    public func deleteSecurityGroup(_ id: String) async throws {
        _ = try await call("DeleteSecurityGroup", ["GroupId": id])
    }

    // MARK: - Rules

    /// The rules of one group, or the rules with these ids (`DescribeSecurityGroupRules`, all pages).
    /// - Parameters:
    ///   - groupID: the group whose rules to list (filter `group-id`), or nil.
    ///   - ids: rule ids; empty for any.
    /// - Throws: `AWSError` (`InvalidSecurityGroupRuleId.NotFound` for an id that does not exist), `AWSClientError`.
    public func describeSecurityGroupRules(groupID: String? = nil, ids: [String] = []) async throws -> [SecurityGroupRule] {
        let filters = groupID.map { [Filter(name: "group-id", values: [$0])] } ?? []
        return try await describe("DescribeSecurityGroupRules", filters: filters, ids: ("SecurityGroupRuleId", ids), set: "securityGroupRuleSet")
            .map(Self.rule)
    }

    /// One rule by id; nil when there is none (`InvalidSecurityGroupRuleId.NotFound`, or a
    /// group that is gone).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func securityGroupRule(_ id: String) async throws -> SecurityGroupRule? {
        do {
            return try await describeSecurityGroupRules(ids: [id]).first { $0.id == id }
        } catch let error as AWSError where error.code == .invalidSecurityGroupRuleIDNotFound || error.code == .invalidGroupNotFound {
            return nil
        }
    }

    /// Adds one rule (`AuthorizeSecurityGroupIngress` or `AuthorizeSecurityGroupEgress`).
    /// - Parameters:
    ///   - groupID: the group.
    ///   - egress: true for an outbound rule.
    ///   - permission: what it allows.
    ///   - tags: the rule's tags (`TagSpecification`, resource type `security-group-rule`).
    /// - Returns: the rule as AWS made it, with its id.
    /// - Throws: `AWSError` (`InvalidPermission.Duplicate` when the group already has the same
    ///   rule; `InvalidGroup.NotFound`), `AWSClientError`.
    public func authorizeSecurityGroupRule(groupID: String, egress: Bool, permission: RulePermission,
                                           tags: [String: String] = [:]) async throws -> SecurityGroupRule? {
        var parameters: QueryParameters = ["GroupId": groupID]
        parameters.addIndexedList("IpPermissions", structures: [Self.ipPermission(permission)])
        Self.add(tags: tags, resourceType: "security-group-rule", to: &parameters)
        let result = try await call(egress ? "AuthorizeSecurityGroupEgress" : "AuthorizeSecurityGroupIngress", parameters)
        return result.list("securityGroupRuleSet").first.map(Self.rule)
    }

    /// Removes rules by id (`RevokeSecurityGroupIngress` or `RevokeSecurityGroupEgress` with
    /// `SecurityGroupRuleId.N`).
    /// - Throws: `AWSError` (`InvalidSecurityGroupRuleId.NotFound` or `InvalidPermission.NotFound`
    ///   for a rule that is gone, `InvalidGroup.NotFound`), `AWSClientError`.
    public func revokeSecurityGroupRules(groupID: String, egress: Bool, ruleIDs: [String]) async throws {
        var parameters: QueryParameters = ["GroupId": groupID]
        parameters.addIndexedList("SecurityGroupRuleId", ruleIDs)
        _ = try await call(egress ? "RevokeSecurityGroupEgress" : "RevokeSecurityGroupIngress", parameters)
    }

    /// Changes a rule in place, keeping its id (`ModifySecurityGroupRules`).
    /// - Throws: `AWSError` (`InvalidSecurityGroupRuleId.NotFound`), `AWSClientError`.
    public func modifySecurityGroupRule(groupID: String, ruleID: String, permission: RulePermission) async throws {
        var parameters: QueryParameters = ["GroupId": groupID]
        var request = ["SecurityGroupRuleId": ruleID, "SecurityGroupRule.IpProtocol": permission.ipProtocol]
        request["SecurityGroupRule.FromPort"] = permission.fromPort.map(String.init)
        request["SecurityGroupRule.ToPort"] = permission.toPort.map(String.init)
        switch permission.peer {
        case .cidrIPv4(let block): request["SecurityGroupRule.CidrIpv4"] = block
        case .cidrIPv6(let block): request["SecurityGroupRule.CidrIpv6"] = block
        case .securityGroup(let id): request["SecurityGroupRule.ReferencedGroupId"] = id
        case .prefixList(let id): request["SecurityGroupRule.PrefixListId"] = id
        }
        request["SecurityGroupRule.Description"] = permission.description
        parameters.addIndexedList("SecurityGroupRule", structures: [request])
        _ = try await call("ModifySecurityGroupRules", parameters)
    }

    // MARK: - Tags

    /// Adds or overwrites tags on EC2 resources (`CreateTags`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func createTags(_ resourceIDs: [String], tags: [String: String]) async throws {
        guard !tags.isEmpty else { return }
        var parameters = QueryParameters()
        parameters.addIndexedList("ResourceId", resourceIDs)
        parameters.addIndexedList("Tag", structures: tags.sorted { $0.key < $1.key }.map { ["Key": $0.key, "Value": $0.value] })
        _ = try await call("CreateTags", parameters)
    }

    /// Removes tags by key (`DeleteTags`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func deleteTags(_ resourceIDs: [String], keys: [String]) async throws {
        guard !keys.isEmpty else { return }
        var parameters = QueryParameters()
        parameters.addIndexedList("ResourceId", resourceIDs)
        parameters.addIndexedList("Tag", structures: keys.sorted().map { ["Key": $0] })
        _ = try await call("DeleteTags", parameters)
    }

    // MARK: - Encoding and decoding

    /// One `IpPermissions.N` structure: `IpProtocol`, `FromPort`, `ToPort` and the peer as
    /// `IpRanges.1.CidrIp`, `Ipv6Ranges.1.CidrIpv6`, `Groups.1.GroupId` or `PrefixListIds.1.PrefixListId`.
    static func ipPermission(_ permission: RulePermission) -> [String: String] {
        var item = ["IpProtocol": permission.ipProtocol]
        item["FromPort"] = permission.fromPort.map(String.init)
        item["ToPort"] = permission.toPort.map(String.init)
        let prefix: String
        switch permission.peer {
        case .cidrIPv4(let block): prefix = "IpRanges.1"; item["\(prefix).CidrIp"] = block
        case .cidrIPv6(let block): prefix = "Ipv6Ranges.1"; item["\(prefix).CidrIpv6"] = block
        case .securityGroup(let id): prefix = "Groups.1"; item["\(prefix).GroupId"] = id
        case .prefixList(let id): prefix = "PrefixListIds.1"; item["\(prefix).PrefixListId"] = id
        }
        item["\(prefix).Description"] = permission.description
        return item
    }

    static func securityGroup(_ node: XMLNode) -> SecurityGroup {
        SecurityGroup(id: node.string("groupId") ?? "", name: node.string("groupName") ?? "", description: node.string("groupDescription") ?? "",
                      vpcID: node.string("vpcId") ?? "", arn: node.string("securityGroupArn"), tags: tags(node))
    }

    static func rule(_ node: XMLNode) -> SecurityGroupRule {
        let peer: RulePeer
        if let block = node.string("cidrIpv4") {
            peer = .cidrIPv4(block)
        } else if let block = node.string("cidrIpv6") {
            peer = .cidrIPv6(block)
        } else if let list = node.string("prefixListId") {
            peer = .prefixList(list)
        } else {
            peer = .securityGroup(node.string("referencedGroupInfo/groupId") ?? "")
        }
        // All protocols answer ports -1 (or none): no port range.
        let fromPort = node.string("fromPort").flatMap { Int($0) }.flatMap { $0 == -1 ? nil : $0 }
        let toPort = node.string("toPort").flatMap { Int($0) }.flatMap { $0 == -1 ? nil : $0 }
        let description = node.string("description").flatMap { $0.isEmpty ? nil : $0 }
        return SecurityGroupRule(id: node.string("securityGroupRuleId") ?? "", groupID: node.string("groupId") ?? "",
                                 isEgress: bool(node, "isEgress"),
                                 permission: RulePermission(ipProtocol: node.string("ipProtocol") ?? "", fromPort: fromPort, toPort: toPort,
                                                            peer: peer, description: description),
                                 tags: tags(node))
    }
}

extension AWSErrorCode {
    /// EC2: no security group by that id (`DescribeSecurityGroups`, `DeleteSecurityGroup`, …).
    public static let invalidGroupNotFound: Self = "InvalidGroup.NotFound"
    /// EC2: no security group rule by that id (`DescribeSecurityGroupRules`, `Revoke…`).
    public static let invalidSecurityGroupRuleIDNotFound: Self = "InvalidSecurityGroupRuleId.NotFound"
    /// EC2: the group has no such rule (`RevokeSecurityGroupIngress` / `Egress`).
    public static let invalidPermissionNotFound: Self = "InvalidPermission.NotFound"
    /// EC2: the group is still used by a network interface, an instance or another group's rule
    /// (`DeleteSecurityGroup`); also answered for a while after the last user is gone.
    public static let dependencyViolation: Self = "DependencyViolation"
}
