import Foundation

/// The Amazon EC2 calls imgstack makes, in the EC2 protocol (`AWSService.ec2`): VPCs and
/// subnets (read only, for lookups), security groups and their rules, launch templates.
///
/// Member names follow botocore's `ec2/2016-11-15/service-2.json`: requests use each member's
/// serialized name (`Filter.1.Name`, `VpcId.1`), answers the `locationName`s (`vpcSet/item/vpcId`).
/// Source: Amazon EC2 API Reference.
public struct EC2: Sendable {
    /// A describe call's filter: results match when the named attribute equals any of the
    /// values; several filters must all match (EC2 API Reference, `Filter`).
    public struct Filter: Sendable, Equatable {
        /// The filter name, e.g. `vpc-id`, `tag:Name` (case-sensitive).
        public var name: String
        /// The values, joined with OR (case-sensitive).
        public var values: [String]

        /// Creates a filter.
        public init(name: String, values: [String]) {
            self.name = name
            self.values = values
        }

        /// Resources carrying tag `key` with one of `values` (filter `tag:<key>`).
        public static func tag(_ key: String, _ values: String...) -> Filter { Filter(name: "tag:\(key)", values: values) }
        /// Resources in one of these VPCs (`vpc-id`).
        public static func vpcID(_ ids: String...) -> Filter { Filter(name: "vpc-id", values: ids) }
        /// Subnets in one of these Availability Zones, by name (`availability-zone`, e.g. `eu-west-1a`).
        public static func availabilityZone(_ zones: String...) -> Filter { Filter(name: "availability-zone", values: zones) }
        /// Subnets that are (or are not) their zone's default subnet (`default-for-az`).
        public static func defaultForAZ(_ flag: Bool) -> Filter { Filter(name: "default-for-az", values: [String(flag)]) }
        /// The default VPC, or all others (`is-default`).
        public static func isDefault(_ flag: Bool) -> Filter { Filter(name: "is-default", values: [String(flag)]) }
    }

    /// A VPC as `DescribeVpcs` answers it.
    public struct Vpc: Sendable, Equatable {
        /// `vpc-…`.
        public var id: String
        /// The primary IPv4 CIDR block, e.g. `172.31.0.0/16`.
        public var cidrBlock: String
        /// Whether it is the region's default VPC.
        public var isDefault: Bool
        /// `pending` or `available`.
        public var state: String
        /// The owning account id.
        public var ownerID: String
        /// Its tags.
        public var tags: [String: String]
    }

    /// A subnet as `DescribeSubnets` answers it.
    public struct Subnet: Sendable, Equatable {
        /// `subnet-…`.
        public var id: String
        /// The VPC it belongs to.
        public var vpcID: String
        /// Its Availability Zone by name (`eu-west-1a`).
        public var availabilityZone: String
        /// Its Availability Zone id (`euw1-az1`), when answered.
        public var availabilityZoneID: String?
        /// Its IPv4 CIDR block.
        public var cidrBlock: String
        /// Whether it is its zone's default subnet.
        public var defaultForAZ: Bool
        /// Whether instances launched in it get a public IPv4 address (true in default subnets).
        public var mapPublicIPOnLaunch: Bool
        /// `pending` or `available`.
        public var state: String
        /// Its ARN, when answered.
        public var arn: String?
        /// Its tags.
        public var tags: [String: String]
    }

    let client: AWSClient
    /// The region every call goes to; nil for the client's configured region.
    public let region: String?

    /// Creates the EC2 calls of `client` in `region`.
    public init(client: AWSClient, region: String? = nil) {
        self.client = client
        self.region = region
    }

    // MARK: - VPCs and subnets

    /// The VPCs matching every filter and, when given, having one of `ids` (`DescribeVpcs`, all pages).
    /// - Parameters:
    ///   - filters: e.g. `[.isDefault(true)]` or `[.tag("Name", "main")]`.
    ///   - ids: VPC ids; empty for any.
    /// - Returns: the VPCs, possibly none.
    /// - Throws: `AWSError` (`InvalidVpcID.NotFound` for an id that does not exist), `AWSClientError`.
    public func describeVpcs(filters: [Filter] = [], ids: [String] = []) async throws -> [Vpc] {
        try await describe("DescribeVpcs", filters: filters, ids: ("VpcId", ids), set: "vpcSet").map(Self.vpc)
    }

    /// The subnets matching every filter and, when given, having one of `ids` (`DescribeSubnets`, all pages).
    /// - Parameters:
    ///   - filters: e.g. `[.vpcID(id), .defaultForAZ(true)]`.
    ///   - ids: subnet ids; empty for any.
    /// - Returns: the subnets, possibly none.
    /// - Throws: `AWSError` (`InvalidSubnetID.NotFound`), `AWSClientError`.
    public func describeSubnets(filters: [Filter] = [], ids: [String] = []) async throws -> [Subnet] {
        try await describe("DescribeSubnets", filters: filters, ids: ("SubnetId", ids), set: "subnetSet").map(Self.subnet)
    }

    // MARK: - Shared pieces

    /// Every item of a paged `Describe…` answer's `set` (`NextToken` in, `nextToken` out).
    func describe(_ operation: String, filters: [Filter], ids: (name: String, values: [String]), set: String,
                  extra: QueryParameters = QueryParameters()) async throws -> [XMLNode] {
        try await Paginator.collect({ token in
            var parameters = extra
            Self.add(filters, to: &parameters)
            parameters.addIndexedList(ids.name, ids.values)
            parameters["NextToken"] = token
            return try await call(operation, parameters)
        }, items: { $0.list(set) }, next: { $0.string("nextToken") })
    }

    /// Sends one call to this service's region.
    func call(_ operation: String, _ parameters: QueryParameters) async throws -> XMLNode {
        try await client.ec2Query(.ec2, operation, parameters, region: region)
    }

    static func add(_ filters: [Filter], to parameters: inout QueryParameters) {
        var structures: [[String: String]] = []
        for filter in filters {
            var item = ["Name": filter.name]
            for (index, value) in filter.values.enumerated() { item["Value.\(index + 1)"] = value }
            structures.append(item)
        }
        parameters.addIndexedList("Filter", structures: structures)
    }

    /// The `tagSet` of an item: `<tagSet><item><key>…</key><value>…</value></item></tagSet>`.
    static func tags(_ node: XMLNode) -> [String: String] {
        Dictionary(node.list("tagSet").map { ($0.string("key") ?? "", $0.string("value") ?? "") }, uniquingKeysWith: { _, last in last })
    }

    /// A `TagSpecification.1` for `resourceType` (`security-group`, `launch-template`), or nothing
    /// for no tags.
    static func add(tags: [String: String], resourceType: String, to parameters: inout QueryParameters) {
        guard !tags.isEmpty else { return }
        var specification = ["ResourceType": resourceType]
        for (index, tag) in tags.sorted(by: { $0.key < $1.key }).enumerated() {
            specification["Tag.\(index + 1).Key"] = tag.key
            specification["Tag.\(index + 1).Value"] = tag.value
        }
        parameters.addIndexedList("TagSpecification", structures: [specification])
    }

    static func bool(_ node: XMLNode, _ path: String) -> Bool { node.string(path) == "true" }

    static func vpc(_ node: XMLNode) -> Vpc {
        Vpc(id: node.string("vpcId") ?? "", cidrBlock: node.string("cidrBlock") ?? "", isDefault: bool(node, "isDefault"),
            state: node.string("state") ?? "", ownerID: node.string("ownerId") ?? "", tags: tags(node))
    }

    static func subnet(_ node: XMLNode) -> Subnet {
        Subnet(id: node.string("subnetId") ?? "", vpcID: node.string("vpcId") ?? "", availabilityZone: node.string("availabilityZone") ?? "",
               availabilityZoneID: node.string("availabilityZoneId"), cidrBlock: node.string("cidrBlock") ?? "",
               defaultForAZ: bool(node, "defaultForAz"), mapPublicIPOnLaunch: bool(node, "mapPublicIpOnLaunch"),
               state: node.string("state") ?? "", arn: node.string("subnetArn"), tags: tags(node))
    }
}

extension AWSClient {
    /// The typed EC2 calls of this client, in its configured region.
    public var ec2: EC2 { EC2(client: self) }

    /// The typed EC2 calls of this client in `region`.
    public func ec2(region: String) -> EC2 { EC2(client: self, region: region) }
}
