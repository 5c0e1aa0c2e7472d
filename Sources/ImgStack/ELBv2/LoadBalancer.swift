import AWS
import Engine
import Foundation

extension ELBv2 {
    /// An application load balancer (`aws_lb` with `load_balancer_type = "application"`).
    ///
    /// ```swift
    /// let web = stack.add(ELBv2.LoadBalancer("web", loadBalancerName: "upload-web", subnets: publicSubnets.ids,
    ///                                        securityGroups: [loadBalancerGroup.id], idleTimeout: 120))
    /// ```
    ///
    /// Deletion protection is off unless the stack turns it on: with it on, AWS refuses
    /// `DeleteLoadBalancer` (`OperationNotPermitted`) and destroy fails until it is turned off.
    public struct LoadBalancer: Resource {
        public static let terraformType = "aws_lb"

        public var name: String
        /// The name: 1–32 letters, digits and hyphens, not beginning or ending with a hyphen, nor
        /// beginning with `internal-`; unique per account and region. Changing it replaces the load balancer.
        public var loadBalancerName: Text
        /// True for an internal load balancer (private addresses only); false (the default) for an
        /// internet-facing one. Changing it replaces the load balancer.
        public var isInternal: Bool
        /// Subnet ids in at least two Availability Zones, one subnet per zone (public subnets for an
        /// internet-facing load balancer): listed one by one, or the whole list a subnets lookup
        /// found (`subnets.ids`). Order does not matter.
        public var subnets: TextList
        /// Security group ids (at most 5). Unset, AWS uses the VPC's default group and imgstack
        /// does not compare them.
        public var securityGroups: [Text]?
        /// Whether AWS refuses to delete the load balancer. Off by default.
        public var deletionProtection: Bool
        /// Seconds a connection may stay idle, 1–4000; 60 by default.
        public var idleTimeout: Int
        /// Tags (at most 49: imgstack keeps one for itself).
        public var tags: [String: Text]
        public var dependsOn: [Address] = []

        /// Declares an application load balancer.
        public init(_ name: String, loadBalancerName: Text, isInternal: Bool = false, subnets: TextList, securityGroups: [Text]? = nil,
                    deletionProtection: Bool = false, idleTimeout: Int = 60, tags: [String: Text] = [:]) {
            self.name = name
            self.loadBalancerName = loadBalancerName
            self.isInternal = isInternal
            self.subnets = subnets
            self.securityGroups = securityGroups
            self.deletionProtection = deletionProtection
            self.idleTimeout = idleTimeout
            self.tags = tags
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.loadBalancerName, loadBalancerName)
            list.set(property.isInternal, isInternal)
            list.set(property.subnets, subnets)
            list.set(property.securityGroups, securityGroups)
            list.set(property.deletionProtection, deletionProtection)
            list.set(property.idleTimeout, idleTimeout)
            list.set(property.tags, tags)
            return list.values
        }

        /// The load balancer ARN.
        public var arn: Text { attribute("arn") }
        /// The ARN's last part, `app/<name>/<id>`: the `LoadBalancer` dimension of its CloudWatch metrics.
        public var arnSuffix: Text { attribute("arnSuffix") }
        /// The DNS name clients connect to.
        public var dnsName: Text { attribute("dnsName") }
        /// The Route 53 hosted zone id of the DNS name, for alias records.
        public var zoneID: Text { attribute("zoneID") }
        /// The VPC of its subnets.
        public var vpcID: Text { attribute("vpcID") }

        public static func makeType() -> any ResourceType { LoadBalancerType() }
    }
}

extension ELBv2.LoadBalancer {
    /// A load balancer's properties, each declared once.
    struct Properties: PropertySet {
        let loadBalancerName = Property<String>("loadBalancerName", terraform: "name", forcesReplacement: true)
        let isInternal = Property<Bool>("internal", forcesReplacement: true, default: false)
        let subnets = Property<[String]>("subnets")
        /// No default: AWS gives a load balancer declared without groups the VPC's default group.
        let securityGroups = Property<[String]>("securityGroups")
        /// Also a setting of the destroy: a stack that turns it off and destroys has it turned off first.
        let deletionProtection = Property<Bool>("deletionProtection", terraform: "enable_deletion_protection", default: false,
                                                appliesAtDeletion: true)
        let idleTimeout = Property<Int>("idleTimeout", default: 60)
        let tags = Property<[String: String]>("tags", default: [:])
    }

    static let property = Properties()
}

/// Creates, reads, updates and deletes application load balancers. The id is the load balancer ARN.
struct LoadBalancerType: ResourceType {
    static let schema = ResourceSchema(ELBv2.LoadBalancer.self, ELBv2.LoadBalancer.Properties.self,
                                       attributes: ["arn", "arnSuffix", "dnsName", "zoneID", "vpcID"].map { AttributeSchema($0) },
                                       uniqueName: [ELBv2.LoadBalancer.property.loadBalancerName])

    var schema: ResourceSchema { Self.schema }
    private var property: ELBv2.LoadBalancer.Properties { ELBv2.LoadBalancer.property }

    /// The load balancer attributes imgstack manages (`ModifyLoadBalancerAttributes` keys).
    static let deletionProtectionKey = "deletion_protection.enabled"
    static let idleTimeoutKey = "idle_timeout.timeout_seconds"

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let name = properties.literal(property.loadBalancerName) {
            // CreateLoadBalancer: "must not begin with internal-" (the prefix AWS gives internal DNS names).
            if let problem = ELBv2Rules.nameProblem(name) ?? (name.hasPrefix("internal-") ? "must not begin with \"internal-\"" : nil) {
                issues.append(ValidationIssue(address, property.loadBalancerName, problem))
            }
        }
        if let subnets = properties[property.subnets], let count = Self.count(subnets) {
            if count < 2 {
                issues.append(ValidationIssue(address, property.subnets,
                                              "an application load balancer needs subnets in at least two Availability Zones; \(count) given"))
            }
            let known = Self.literalItems(subnets)
            if Set(known).count < known.count { issues.append(ValidationIssue(address, property.subnets, "lists a subnet twice")) }
        }
        if let groups = properties[property.securityGroups], let count = Self.count(groups), count > 5 {
            issues.append(ValidationIssue(address, property.securityGroups, "AWS takes at most 5 security groups, not \(count)"))
        }
        if let timeout = properties.literal(property.idleTimeout), !(1...4000).contains(timeout) {
            issues.append(ValidationIssue(address, property.idleTimeout, "must be 1 to 4000 seconds, not \(timeout)"))
        }
        return issues + ELBv2Rules.tagIssues(properties, property.tags, address: address)
    }

    func validateImportID(_ id: String) -> String? {
        ELBv2Rules.importIDProblem(id, kind: "loadbalancer/app/")
    }

    func normalize(_ name: String, _ value: Value) -> Value {
        // AWS keeps subnets and security groups as sets.
        name == property.subnets.name || name == property.securityGroups.name ? ELBv2Rules.sorted(value) : value
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let elbv2 = try context.elbv2
        let created = try await elbv2.createLoadBalancer(
            name: properties[property.loadBalancerName] ?? "", type: "application",
            scheme: properties[property.isInternal] == true ? "internal" : "internet-facing",
            subnets: ELBv2Rules.list(properties[property.subnets.name]), securityGroups: ELBv2Rules.list(properties[property.securityGroups.name]),
            tags: ELBv2Rules.taggedWithIntent(properties[property.tags.name], context))
        try await writeAttributes(properties, changed: nil, arn: created.arn, elbv2: elbv2)
        return ResourceSnapshot(id: created.arn, properties: normalized(properties), attributes: Self.attributes(created))
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, declared: Set(recorded.properties.keys), elbv2: try context.elbv2)
    }

    /// One call: `DescribeLoadBalancerAttributes` says whether the load balancer exists and
    /// whether deletion protection is on now, which the plan compares with the stack's setting
    /// (a delete turns it off only when the stack says so, and the plan shows that it will).
    func readForDestroy(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        let elbv2 = try context.elbv2
        guard let attributes = try await nilWhenMissing(.loadBalancerNotFound, call: { try await elbv2.loadBalancerAttributes(recorded.id) })
        else { return nil }
        var current = recorded
        if recorded.properties[property.deletionProtection.name] != nil {
            current.properties[property.deletionProtection] = attributes[Self.deletionProtectionKey] == "true"
        }
        return current
    }

    /// The load balancer, and the attributes and tags `declared` needs, all read at once by its ARN.
    private func read(_ arn: String, declared: Set<String>, elbv2: AWS.ELBV2) async throws -> ResourceSnapshot? {
        guard let (balancer, details) = try await ConcurrentReads.alongside({ try await elbv2.loadBalancer(arn: arn) }, {
            try await details(arn, declared: declared, elbv2: elbv2)
        }) else { return nil }
        return snapshot(balancer, declared: declared, details: details)
    }

    /// What `DescribeLoadBalancerAttributes` and `DescribeTags` answered; nil where not declared.
    private struct Details: Sendable {
        var attributes: [String: String]?
        var tags: [String: String]?
    }

    /// Reads the attributes (deletion protection, idle timeout) and the tags, each only when
    /// declared, at once.
    private func details(_ arn: String, declared: Set<String>, elbv2: AWS.ELBV2) async throws -> Details {
        let readsAttributes = declared.contains(property.deletionProtection) || declared.contains(property.idleTimeout)
        async let attributes = readsAttributes ? elbv2.loadBalancerAttributes(arn) : nil
        async let tags = declared.contains(property.tags) ? elbv2.tags(arn) : nil
        return try await Details(attributes: attributes, tags: tags)
    }

    private func snapshot(_ balancer: AWS.ELBV2.LoadBalancer, declared: Set<String>, details: Details) -> ResourceSnapshot {
        var actual: [String: Value] = [:]
        actual[property.loadBalancerName] = balancer.name
        actual[property.isInternal] = balancer.scheme == "internal"
        actual[property.subnets] = balancer.subnets.sorted()
        actual[property.securityGroups] = balancer.securityGroups.sorted()
        if let attributes = details.attributes {
            actual[property.deletionProtection] = attributes[Self.deletionProtectionKey] == "true"
            actual[property.idleTimeout] = attributes[Self.idleTimeoutKey].flatMap { Int($0) }
        }
        if let tags = details.tags { actual[property.tags.name] = TagRules.visible(tags) }
        return ResourceSnapshot(id: balancer.arn, properties: actual.filter { declared.contains($0.key) }, attributes: Self.attributes(balancer))
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let elbv2 = try context.elbv2
        let arn = current.id
        if changed.contains(property.subnets) { try await elbv2.setSubnets(arn, ELBv2Rules.list(desired[property.subnets.name])) }
        if changed.contains(property.securityGroups) {
            try await elbv2.setSecurityGroups(arn, ELBv2Rules.list(desired[property.securityGroups.name]))
        }
        try await writeAttributes(desired, changed: changed, arn: arn, elbv2: elbv2)
        try await ELBv2Rules.retag(elbv2, arn, from: current, to: desired, changed: changed, tags: property.tags)
        // Subnets can change the DNS name's zone set, not the name; read the attributes back anyway.
        let attributes = try await elbv2.loadBalancer(arn: arn).map(Self.attributes) ?? current.attributes
        return ResourceSnapshot(id: arn, properties: normalized(desired), attributes: attributes)
    }

    /// Writes deletion protection and the idle timeout in one `ModifyLoadBalancerAttributes`:
    /// on create only those that differ from AWS's defaults, on update only the changed ones.
    private func writeAttributes(_ properties: [String: Value], changed: Set<String>?, arn: String, elbv2: AWS.ELBV2) async throws {
        var attributes: [String: String] = [:]
        let protection = properties[property.deletionProtection] ?? false
        let timeout = properties[property.idleTimeout] ?? 60
        if changed?.contains(property.deletionProtection) ?? protection { attributes[Self.deletionProtectionKey] = String(protection) }
        if changed?.contains(property.idleTimeout) ?? (timeout != 60) { attributes[Self.idleTimeoutKey] = String(timeout) }
        if !attributes.isEmpty { try await elbv2.modifyLoadBalancerAttributes(arn, attributes) }
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let elbv2 = try context.elbv2
        guard try await elbv2.loadBalancer(arn: current.id) != nil else { return }
        if try await elbv2.loadBalancerAttributes(current.id)[Self.deletionProtectionKey] == "true" {
            // AWS refuses DeleteLoadBalancer (OperationNotPermitted) while protection is on. The
            // stack turned it off since the last apply: a destroy applies that first (the snapshot
            // carries the stack's setting, ``PropertySchema/appliesAtDeletion``).
            guard current.properties[property.deletionProtection] == false else {
                throw AWSClientError(.invalidConfiguration,
                                     "load balancer \(current.id) has deletion protection on (AWS refuses to delete it: OperationNotPermitted); "
                                         + "set \(property.deletionProtection.name): false on \(context.address) and destroy again")
            }
            context.report("turning deletion protection off, as the stack declares")
            try await elbv2.modifyLoadBalancerAttributes(current.id, [Self.deletionProtectionKey: "false"])
        }
        // DeleteLoadBalancer deletes its listeners too, and succeeds for a load balancer already gone.
        try await elbv2.deleteLoadBalancer(current.id)
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, declared: ELBv2.LoadBalancer.Properties.names, elbv2: try context.elbv2)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        // By name, but only the load balancer this create tagged: a same-named one without the
        // intent was someone else's before the create was tried.
        let elbv2 = try context.elbv2
        guard let name = properties[property.loadBalancerName], let balancer = try await elbv2.loadBalancer(named: name) else { return nil }
        let tags = try await elbv2.tags(balancer.arn)
        guard ELBv2Rules.isTagged(tags, with: context) else { return nil }
        let declared = Set(properties.keys)
        var details = try await details(balancer.arn, declared: declared.subtracting([property.tags.name]), elbv2: elbv2)
        if declared.contains(property.tags) { details.tags = tags }
        return snapshot(balancer, declared: declared, details: details)
    }

    // MARK: - Helpers

    private func normalized(_ properties: [String: Value]) -> [String: Value] {
        properties.reduce(into: [:]) { $0[$1.key] = normalize($1.key, $1.value) }
    }

    static func attributes(_ balancer: AWS.ELBV2.LoadBalancer) -> [String: Value] {
        let suffix = balancer.arn.range(of: ":loadbalancer/").map { String(balancer.arn[$0.upperBound...]) } ?? ""
        return ["arn": .string(balancer.arn), "arnSuffix": .string(suffix), "dnsName": .string(balancer.dnsName),
                "zoneID": .string(balancer.canonicalHostedZoneID), "vpcID": .string(balancer.vpcID)]
    }

    /// The number of items of a list, also when they hold references.
    static func count(_ expression: Engine.Expression) -> Int? {
        if case .list(let items) = expression { return items.count }
        return expression.literal?.listValue?.count
    }

    /// The items of a list known before apply (references left out).
    static func literalItems(_ expression: Engine.Expression) -> [String] {
        if case .list(let items) = expression { return items.compactMap { $0.literal?.stringValue } }
        return ELBv2Rules.list(expression.literal)
    }
}

extension LoadBalancerType: AccessDeclaring {
    /// Elastic Load Balancing actions per the Service Authorization Reference (Elastic Load
    /// Balancing V2): `Describe*` takes no resource; a create with tags needs `AddTags`; the
    /// first load balancer or target group of an account makes Elastic Load Balancing's
    /// service-linked role (Elastic Load Balancing User Guide, "Service-linked role").
    static let access: ResourceAccess = {
        let balancer = ARNPattern.arn("arn:{partition}:elasticloadbalancing:{region}:{account}:loadbalancer/app/{loadBalancerName}/*")
        let noResource = { (action: String) in ARNPattern.anyResource(reason: "elasticloadbalancing:\(action) takes no resource") }
        return ResourceAccess([
            IAMCall(.elbv2, "CreateLoadBalancer", in: [.create], needs: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:AddTags"],
                    on: [balancer], alsoNeeds: [ELBv2Rules.serviceLinkedRole]),
            IAMCall(.elbv2, "DescribeLoadBalancers", in: .readingBack.union([.delete]), on: [noResource("DescribeLoadBalancers")]),
            IAMCall(.elbv2, "DescribeLoadBalancerAttributes", in: .readingBack.union([.delete]), on: [noResource("DescribeLoadBalancerAttributes")]),
            IAMCall(.elbv2, "DescribeTags", in: .readingBack, on: [noResource("DescribeTags")]),
            IAMCall(.elbv2, "ModifyLoadBalancerAttributes", in: [.create, .update, .delete], on: [balancer]),
            IAMCall(.elbv2, "SetSubnets", in: [.update], on: [balancer]),
            IAMCall(.elbv2, "SetSecurityGroups", in: [.update], on: [balancer]),
            IAMCall(.elbv2, "AddTags", in: [.update], on: [balancer]),
            IAMCall(.elbv2, "RemoveTags", in: [.update], on: [balancer]),
            IAMCall(.elbv2, "DeleteLoadBalancer", in: [.delete], on: [balancer]),
        ])
    }()
}
