import Foundation

extension ELBV2 {
    /// A load balancer as `DescribeLoadBalancers` returns it.
    public struct LoadBalancer: Sendable, Equatable {
        /// The load balancer ARN, `arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>`.
        public var arn: String
        /// The name, unique per account and region.
        public var name: String
        /// The public DNS name.
        public var dnsName: String
        /// The Route 53 hosted zone id of the DNS name (for alias records).
        public var canonicalHostedZoneID: String
        /// `internet-facing` or `internal`.
        public var scheme: String
        /// `application`, `network` or `gateway`.
        public var type: String
        /// The VPC of its subnets.
        public var vpcID: String
        /// The subnets it has a node in, one per Availability Zone.
        public var subnets: [String]
        /// The security groups (application load balancers).
        public var securityGroups: [String]

        /// Creates a load balancer description.
        public init(arn: String, name: String, dnsName: String, canonicalHostedZoneID: String, scheme: String, type: String,
                    vpcID: String, subnets: [String], securityGroups: [String]) {
            self.arn = arn
            self.name = name
            self.dnsName = dnsName
            self.canonicalHostedZoneID = canonicalHostedZoneID
            self.scheme = scheme
            self.type = type
            self.vpcID = vpcID
            self.subnets = subnets
            self.securityGroups = securityGroups
        }
    }

    /// Creates a load balancer (`CreateLoadBalancer`).
    /// - Parameters:
    ///   - name: 1–32 letters, digits and hyphens.
    ///   - type: `application` (the only type imgstack declares).
    ///   - scheme: `internet-facing` or `internal`.
    ///   - subnets: subnet ids, at least two Availability Zones for an application load balancer.
    ///   - securityGroups: security group ids; none lets AWS use the VPC's default group.
    ///   - tags: tags set at creation.
    /// - Returns: the new load balancer (state `provisioning`).
    /// - Throws: `AWSError` (`DuplicateLoadBalancerName`, `InvalidSubnet`, `InvalidSecurityGroup`, …), `AWSClientError`.
    public func createLoadBalancer(name: String, type: String, scheme: String, subnets: [String], securityGroups: [String],
                                   tags: [String: String]) async throws -> LoadBalancer {
        var parameters: QueryParameters = ["Name": name, "Type": type, "Scheme": scheme]
        parameters.addList("Subnets", subnets)
        if !securityGroups.isEmpty { parameters.addList("SecurityGroups", securityGroups) }
        if !tags.isEmpty { parameters.addList("Tags", structures: Self.tagStructures(tags)) }
        let result = try await call("CreateLoadBalancer", parameters)
        guard let created = result.list("LoadBalancers").first.map(Self.decodeLoadBalancer) else {
            throw AWSClientError(.invalidResponse, "CreateLoadBalancer answered no load balancer for \(name)")
        }
        return created
    }

    /// Reads one load balancer by ARN (`DescribeLoadBalancers` with `LoadBalancerArns`).
    /// - Returns: the load balancer, nil when there is none.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func loadBalancer(arn: String) async throws -> LoadBalancer? {
        var parameters = QueryParameters()
        parameters.addList("LoadBalancerArns", [arn])
        return try await describeLoadBalancers(parameters)
    }

    /// Reads one load balancer by name (`DescribeLoadBalancers` with `Names`).
    /// - Returns: the load balancer, nil when there is none.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func loadBalancer(named name: String) async throws -> LoadBalancer? {
        var parameters = QueryParameters()
        parameters.addList("Names", [name])
        return try await describeLoadBalancers(parameters)
    }

    private func describeLoadBalancers(_ parameters: QueryParameters) async throws -> LoadBalancer? {
        try await nilWhenMissing(.loadBalancerNotFound) {
            try await call("DescribeLoadBalancers", parameters).list("LoadBalancers").first.map(Self.decodeLoadBalancer)
        } ?? nil
    }

    /// A load balancer's attributes (`DescribeLoadBalancerAttributes`), such as
    /// `deletion_protection.enabled` and `idle_timeout.timeout_seconds`, values as AWS writes them.
    /// - Throws: `AWSError` (`LoadBalancerNotFound`), `AWSClientError`.
    public func loadBalancerAttributes(_ arn: String) async throws -> [String: String] {
        let result = try await call("DescribeLoadBalancerAttributes", ["LoadBalancerArn": arn])
        return Dictionary(result.list("Attributes").map { ($0.string("Key") ?? "", $0.string("Value") ?? "") },
                          uniquingKeysWith: { _, last in last })
    }

    /// Sets attributes, leaving others as they are (`ModifyLoadBalancerAttributes`; at most 20).
    /// - Throws: `AWSError` (`InvalidConfigurationRequest` for a value out of range), `AWSClientError`.
    public func modifyLoadBalancerAttributes(_ arn: String, _ attributes: [String: String]) async throws {
        var parameters: QueryParameters = ["LoadBalancerArn": arn]
        parameters.addList("Attributes", structures: attributes.sorted { $0.key < $1.key }.map { ["Key": $0.key, "Value": $0.value] })
        _ = try await call("ModifyLoadBalancerAttributes", parameters)
    }

    /// Replaces the subnets (`SetSubnets`).
    /// - Throws: `AWSError` (`InvalidSubnet`, `SubnetNotFound`), `AWSClientError`.
    public func setSubnets(_ arn: String, _ subnets: [String]) async throws {
        var parameters: QueryParameters = ["LoadBalancerArn": arn]
        parameters.addList("Subnets", subnets)
        _ = try await call("SetSubnets", parameters)
    }

    /// Replaces the security groups (`SetSecurityGroups`).
    /// - Throws: `AWSError` (`InvalidSecurityGroup`), `AWSClientError`.
    public func setSecurityGroups(_ arn: String, _ groups: [String]) async throws {
        var parameters: QueryParameters = ["LoadBalancerArn": arn]
        parameters.addList("SecurityGroups", groups)
        _ = try await call("SetSecurityGroups", parameters)
    }

    /// Deletes a load balancer and its listeners (`DeleteLoadBalancer`; AWS answers success for
    /// one already gone).
    /// - Throws: `AWSError` (`OperationNotPermitted` while deletion protection is on), `AWSClientError`.
    public func deleteLoadBalancer(_ arn: String) async throws {
        _ = try await call("DeleteLoadBalancer", ["LoadBalancerArn": arn])
    }

    static func decodeLoadBalancer(_ node: XMLNode) -> LoadBalancer {
        LoadBalancer(arn: node.string("LoadBalancerArn") ?? "", name: node.string("LoadBalancerName") ?? "",
                     dnsName: node.string("DNSName") ?? "", canonicalHostedZoneID: node.string("CanonicalHostedZoneId") ?? "",
                     scheme: node.string("Scheme") ?? "", type: node.string("Type") ?? "", vpcID: node.string("VpcId") ?? "",
                     subnets: node.list("AvailabilityZones").compactMap { $0.string("SubnetId") },
                     securityGroups: node.list("SecurityGroups").map(\.text))
    }
}
