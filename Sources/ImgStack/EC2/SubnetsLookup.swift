import AWS
import Engine

extension EC2 {
    /// The existing subnets of a VPC, optionally only those in given Availability Zones, carrying
    /// given tags, or public (Terraform's `aws_subnets` data source), read with EC2
    /// `DescribeSubnets`. Public means `MapPublicIpOnLaunch` is on — instances launched there get a
    /// public address, as in every default subnet; the route tables are not read, so a subnet
    /// routed to an internet gateway without that setting does not count. The subnets are not
    /// managed by the stack: imgstack never changes or deletes them.
    ///
    /// ```swift
    /// let vpc = stack.lookup(EC2.VPCLookup.defaultVPC("default"))
    /// let subnets = stack.lookup(EC2.SubnetsLookup("public", vpcID: vpc.id, publicOnly: true))
    /// stack.output("subnets", subnets.ids)
    /// ```
    public struct SubnetsLookup: Lookup {
        public static let typeName = "ec2.subnets"
        public static let terraformType = "aws_subnets"

        public var name: String
        /// The VPC (`vpc-…`), often a ``VPCLookup``'s `id`.
        public var vpcID: Text
        /// Only subnets in these zones, by name (`eu-west-1a`); empty for every zone.
        public var availabilityZones: [Text]
        /// Only subnets carrying these tags (each key with that value).
        public var tags: [String: Text]
        /// Only subnets whose instances get a public address (`MapPublicIpOnLaunch`).
        public var publicOnly: Bool
        public var region: String?

        /// Declares the lookup.
        public init(_ name: String, vpcID: Text, availabilityZones: [Text] = [], tags: [String: Text] = [:], publicOnly: Bool = false,
                    region: String? = nil) {
            self.name = name
            self.vpcID = vpcID
            self.availabilityZones = availabilityZones
            self.tags = tags
            self.publicOnly = publicOnly
            self.region = region
        }

        public var arguments: [String: Engine.Expression] {
            var list = PropertyList()
            list.set("vpcID", vpcID)
            list.set("availabilityZones", availabilityZones.isEmpty ? nil : availabilityZones)
            list.set("tags", tags.isEmpty ? nil : tags)
            list.set("publicOnly", publicOnly ? true : nil)
            return list.values
        }

        /// The subnet ids (`subnet-…`), a list sorted by zone then id: what a list property such as
        /// `ELBv2.LoadBalancer(subnets:)` or `AutoScaling.Group(subnetIDs:)` takes as a whole.
        public var ids: TextList { listAttribute("ids") }
        /// Each subnet's zone, in the order of ``ids``.
        public var availabilityZoneNames: TextList { listAttribute("availabilityZones") }
        /// Each subnet's IPv4 CIDR block, in the order of ``ids``.
        public var cidrBlocks: TextList { listAttribute("cidrBlocks") }

        public static func makeType() -> any LookupType { SubnetsLookupType() }
    }
}

/// Lists a VPC's subnets with `DescribeSubnets` and the `vpc-id`, `availability-zone` and
/// `tag:KEY` filters (EC2 API reference); finding none is an error.
struct SubnetsLookupType: LookupType {
    let schema = LookupSchema(typeName: EC2.SubnetsLookup.typeName, terraformType: EC2.SubnetsLookup.terraformType,
                              arguments: ["vpcID", "availabilityZones", "tags", "publicOnly"],
                              attributes: ["ids", "availabilityZones", "cidrBlocks"])

    func validate(_ arguments: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        guard let vpc = arguments["vpcID"] else {
            return [ValidationIssue(subject: address.description, property: "vpcID", message: "is required")]
        }
        if let id = vpc.literal?.stringValue, !id.hasPrefix("vpc-") {
            return [ValidationIssue(subject: address.description, property: "vpcID", message: "\"\(id)\" is not a VPC id (vpc-…)")]
        }
        return []
    }

    func read(_ arguments: [String: Engine.Value], context: OperationContext) async throws -> [String: Engine.Value] {
        let vpcID = arguments["vpcID"]?.stringValue ?? ""
        let zones = [String](propertyValue: arguments["availabilityZones"] ?? .list([])) ?? []
        let tags = [String: String](propertyValue: arguments["tags"] ?? .map([:])) ?? [:]
        let publicOnly = arguments["publicOnly"] == true
        var filters: [AWS.EC2.Filter] = [.vpcID(vpcID)]
        if !zones.isEmpty { filters.append(AWS.EC2.Filter(name: "availability-zone", values: zones)) }
        filters += tags.sorted { $0.key < $1.key }.map { AWS.EC2.Filter.tag($0.key, $0.value) }
        let subnets = try await context.ec2.describeSubnets(filters: filters)
            .filter { !publicOnly || $0.mapPublicIPOnLaunch }
            .sorted { ($0.availabilityZone, $0.id) < ($1.availabilityZone, $1.id) }
        guard !subnets.isEmpty else {
            var what = ["\(publicOnly ? "public " : "")subnets of \(vpcID)"]
            if !zones.isEmpty { what.append("in \(zones.joined(separator: ", "))") }
            if !tags.isEmpty { what.append("with tags " + tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")) }
            throw LookupError.noMatch(context.address, "no " + what.joined(separator: " "))
        }
        return ["ids": .list(subnets.map { .string($0.id) }), "availabilityZones": .list(subnets.map { .string($0.availabilityZone) }),
                "cidrBlocks": .list(subnets.map { .string($0.cidrBlock) })]
    }
}

extension SubnetsLookupType: AccessDeclaring {
    /// EC2's describe calls take no resource (Service Authorization Reference, Amazon EC2).
    static let access = ResourceAccess([
        IAMCall(.ec2, "DescribeSubnets", in: Set(AccessPhase.allCases), on: [.anyResource(reason: "ec2:DescribeSubnets takes no resource")]),
    ])
}
