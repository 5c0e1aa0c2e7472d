import AWS
import Engine

extension EC2 {
    /// An existing VPC: the region's default VPC, or the one VPC carrying given tags (Terraform's
    /// `aws_vpc` data source), read with EC2 `DescribeVpcs`. The VPC is not managed by the
    /// stack: imgstack never changes or deletes it.
    ///
    /// ```swift
    /// let vpc = stack.lookup(EC2.VPCLookup.defaultVPC("default"))
    /// let tagged = stack.lookup(EC2.VPCLookup("main", tags: ["Name": "main"]))
    /// ```
    public struct VPCLookup: Lookup {
        public static let typeName = "ec2.vpc"
        public static let terraformType = "aws_vpc"

        public var name: String
        /// Select the region's default VPC.
        public var isDefault: Bool
        /// Tags the VPC carries (each key with that value).
        public var tags: [String: Text]
        public var region: String?

        /// Declares the lookup of the VPC carrying `tags` (and the default VPC when `isDefault`).
        /// - Parameters:
        ///   - name: its name in the stack.
        ///   - isDefault: select the default VPC.
        ///   - tags: tags the VPC carries.
        ///   - region: where the VPC is, when not in the stack's region.
        public init(_ name: String, isDefault: Bool = false, tags: [String: Text] = [:], region: String? = nil) {
            self.name = name
            self.isDefault = isDefault
            self.tags = tags
            self.region = region
        }

        /// The region's default VPC.
        public static func defaultVPC(_ name: String, region: String? = nil) -> VPCLookup {
            VPCLookup(name, isDefault: true, region: region)
        }

        public var arguments: [String: Engine.Expression] {
            var list = PropertyList()
            list.set("isDefault", isDefault ? true : nil)
            list.set("tags", tags.isEmpty ? nil : tags)
            return list.values
        }

        /// The VPC id (`vpc-…`).
        public var id: Text { attribute("id") }
        /// Its IPv4 CIDR block.
        public var cidrBlock: Text { attribute("cidrBlock") }
        /// The account that owns it.
        public var ownerID: Text { attribute("ownerID") }

        public static func makeType() -> any LookupType { VPCLookupType() }
    }
}

/// Finds one VPC with `DescribeVpcs` and the `is-default` and `tag:KEY` filters (EC2 API reference).
struct VPCLookupType: LookupType {
    let schema = LookupSchema(typeName: EC2.VPCLookup.typeName, terraformType: EC2.VPCLookup.terraformType,
                              arguments: ["isDefault", "tags"], attributes: ["id", "cidrBlock", "ownerID"])

    func validate(_ arguments: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        guard arguments["isDefault"]?.literal == true || arguments["tags"] != nil else {
            return [ValidationIssue(subject: address.description, property: "tags",
                                    message: "say which VPC: the default one (EC2.VPCLookup.defaultVPC) or tags it carries")]
        }
        return []
    }

    func read(_ arguments: [String: Engine.Value], context: OperationContext) async throws -> [String: Engine.Value] {
        let tags = [String: String](propertyValue: arguments["tags"] ?? .map([:])) ?? [:]
        var filters = tags.sorted { $0.key < $1.key }.map { AWS.EC2.Filter.tag($0.key, $0.value) }
        if arguments["isDefault"] == true { filters.append(.isDefault(true)) }
        let what = EC2Selection.describe(isDefault: arguments["isDefault"] == true, tags: tags, noun: "VPC")
        let vpcs = try await context.ec2.describeVpcs(filters: filters)
        guard let vpc = vpcs.first else { throw LookupError.noMatch(context.address, "no \(what) in \(context.region)") }
        guard vpcs.count == 1 else {
            throw LookupError.manyMatches(context.address, what, count: vpcs.count, matches: vpcs.map(\.id).sorted())
        }
        return ["id": .string(vpc.id), "cidrBlock": .string(vpc.cidrBlock), "ownerID": .string(vpc.ownerID)]
    }
}

/// How the EC2 lookups word what they looked for.
enum EC2Selection {
    /// "the default VPC", "VPC with tags Name=main".
    static func describe(isDefault: Bool, tags: [String: String], noun: String) -> String {
        let tagged = tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        switch (isDefault, tagged.isEmpty) {
        case (true, true): return "default \(noun)"
        case (true, false): return "default \(noun) with tags \(tagged)"
        default: return "\(noun) with tags \(tagged)"
        }
    }
}

extension VPCLookupType: AccessDeclaring {
    /// EC2's describe calls take no resource (Service Authorization Reference, Amazon EC2).
    static let access = ResourceAccess([
        IAMCall(.ec2, "DescribeVpcs", in: Set(AccessPhase.allCases), on: [.anyResource(reason: "ec2:DescribeVpcs takes no resource")]),
    ])
}
