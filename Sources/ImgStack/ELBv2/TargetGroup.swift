import AWS
import Engine
import Foundation

extension ELBv2 {
    /// The targets an application load balancer's listener forwards to, with their health check
    /// (`aws_lb_target_group`).
    ///
    /// ```swift
    /// let app = stack.add(ELBv2.TargetGroup("app", targetGroupName: "upload-app", port: 8080, vpcID: vpc.id,
    ///                                       healthCheckPath: "/health", matcher: "200-299"))
    /// ```
    ///
    /// The health check uses the traffic port and protocol. Terraform nests its settings in a
    /// `health_check` block; here they are flat properties (`health_check_path`, …).
    public struct TargetGroup: Resource {
        public static let terraformType = "aws_lb_target_group"

        public var name: String
        /// The name: 1–32 letters, digits and hyphens, not beginning or ending with a hyphen; unique
        /// per account and region. Changing it replaces the target group.
        public var targetGroupName: Text
        /// `HTTP` (the default) or `HTTPS`: how the load balancer talks to the targets. Changing it
        /// replaces the target group.
        public var protocolName: String
        /// The port targets receive traffic on, 1–65535. Changing it replaces the target group.
        public var port: Int
        /// The VPC of the targets. Changing it replaces the target group.
        public var vpcID: Text
        /// `instance` (the default: targets are EC2 instance ids, as an auto-scaling group
        /// registers them) or `ip`. Changing it replaces the target group.
        public var targetType: String
        /// The path the health check requests, starting with `/`; `/` by default.
        public var healthCheckPath: String
        /// Seconds between health checks, 5–300; 30 by default.
        public var healthCheckInterval: Int
        /// Seconds without an answer that fail a check, 2–120 and less than the interval; 5 by default.
        public var healthCheckTimeout: Int
        /// Consecutive successes that make a target healthy, 2–10; 5 by default.
        public var healthyThreshold: Int
        /// Consecutive failures that make a target unhealthy, 2–10; 2 by default.
        public var unhealthyThreshold: Int
        /// HTTP codes from 200 to 499 that count as healthy: `200` (the default), a list `200,202`
        /// or a range `200-299`.
        public var matcher: String
        /// Tags (at most 49: imgstack keeps one for itself).
        public var tags: [String: Text]
        public var dependsOn: [Address] = []

        /// Declares a target group.
        public init(_ name: String, targetGroupName: Text, protocolName: String = "HTTP", port: Int, vpcID: Text,
                    targetType: String = "instance", healthCheckPath: String = "/", healthCheckInterval: Int = 30,
                    healthCheckTimeout: Int = 5, healthyThreshold: Int = 5, unhealthyThreshold: Int = 2, matcher: String = "200",
                    tags: [String: Text] = [:]) {
            self.name = name
            self.targetGroupName = targetGroupName
            self.protocolName = protocolName
            self.port = port
            self.vpcID = vpcID
            self.targetType = targetType
            self.healthCheckPath = healthCheckPath
            self.healthCheckInterval = healthCheckInterval
            self.healthCheckTimeout = healthCheckTimeout
            self.healthyThreshold = healthyThreshold
            self.unhealthyThreshold = unhealthyThreshold
            self.matcher = matcher
            self.tags = tags
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.targetGroupName, targetGroupName)
            list.set(property.protocolName, protocolName)
            list.set(property.port, port)
            list.set(property.vpcID, vpcID)
            list.set(property.targetType, targetType)
            list.set(property.healthCheckPath, healthCheckPath)
            list.set(property.healthCheckInterval, healthCheckInterval)
            list.set(property.healthCheckTimeout, healthCheckTimeout)
            list.set(property.healthyThreshold, healthyThreshold)
            list.set(property.unhealthyThreshold, unhealthyThreshold)
            list.set(property.matcher, matcher)
            list.set(property.tags, tags)
            return list.values
        }

        /// The target group ARN.
        public var arn: Text { attribute("arn") }
        /// The ARN's last part, `targetgroup/<name>/<id>`: the `TargetGroup` dimension of its CloudWatch metrics.
        public var arnSuffix: Text { attribute("arnSuffix") }

        public static func makeType() -> any ResourceType { TargetGroupType() }
    }
}

extension ELBv2.TargetGroup {
    /// A target group's properties, each declared once.
    struct Properties: PropertySet {
        let targetGroupName = Property<String>("targetGroupName", terraform: "name", forcesReplacement: true)
        let protocolName = Property<String>("protocol", forcesReplacement: true, default: "HTTP")
        let port = Property<Int>("port", forcesReplacement: true)
        let vpcID = Property<String>("vpcID", terraform: "vpc_id", forcesReplacement: true)
        let targetType = Property<String>("targetType", forcesReplacement: true, default: "instance")
        let healthCheckPath = Property<String>("healthCheckPath", terraform: TargetGroupTerraform.healthCheck, default: "/")
        let healthCheckInterval = Property<Int>("healthCheckInterval", terraform: .none("written in health_check"), default: 30)
        let healthCheckTimeout = Property<Int>("healthCheckTimeout", terraform: .none("written in health_check"), default: 5)
        let healthyThreshold = Property<Int>("healthyThreshold", terraform: .none("written in health_check"), default: 5)
        let unhealthyThreshold = Property<Int>("unhealthyThreshold", terraform: .none("written in health_check"), default: 2)
        let matcher = Property<String>("matcher", terraform: .none("written in health_check"), default: "200")
        let tags = Property<[String: String]>("tags", default: [:])
    }

    static let property = Properties()
}

/// Creates, reads, updates and deletes target groups. The id is the target group ARN.
struct TargetGroupType: ResourceType {
    static let schema = ResourceSchema(ELBv2.TargetGroup.self, ELBv2.TargetGroup.Properties.self,
                                       attributes: [AttributeSchema("arn"), AttributeSchema("arnSuffix")],
                                       uniqueName: [ELBv2.TargetGroup.property.targetGroupName])

    var schema: ResourceSchema { Self.schema }
    private var property: ELBv2.TargetGroup.Properties { ELBv2.TargetGroup.property }

    static let protocols = ["HTTP", "HTTPS"]
    static let targetTypes = ["instance", "ip"]

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func check<T>(_ declared: Property<T>, _ rule: (T) -> String?) {
            if let value = properties.literal(declared), let problem = rule(value) { issues.append(ValidationIssue(address, declared, problem)) }
        }
        check(property.targetGroupName, ELBv2Rules.nameProblem)
        check(property.protocolName) { Self.protocols.contains($0) ? nil : "must be HTTP or HTTPS for an application load balancer, not \"\($0)\"" }
        check(property.port, ELBv2Rules.portProblem)
        check(property.targetType) { Self.targetTypes.contains($0) ? nil : "must be instance or ip, not \"\($0)\"" }
        check(property.healthCheckPath) { path in
            path.hasPrefix("/") && path.count <= 1024 ? nil : "must start with / and be at most 1024 characters"
        }
        check(property.healthCheckInterval) { (5...300).contains($0) ? nil : "must be 5 to 300 seconds, not \($0)" }
        check(property.healthCheckTimeout) { (2...120).contains($0) ? nil : "must be 2 to 120 seconds, not \($0)" }
        if let timeout = properties.literal(property.healthCheckTimeout), let interval = properties.literal(property.healthCheckInterval),
           (2...120).contains(timeout), timeout >= interval {
            // CreateTargetGroup: the timeout must be smaller than the interval (InvalidConfigurationRequest).
            issues.append(ValidationIssue(address, property.healthCheckTimeout,
                                          "must be less than healthCheckInterval (\(interval) seconds), not \(timeout)"))
        }
        for threshold in [property.healthyThreshold, property.unhealthyThreshold] {
            check(threshold) { (2...10).contains($0) ? nil : "must be 2 to 10, not \($0)" }
        }
        check(property.matcher, Self.matcherProblem)
        return issues + ELBv2Rules.tagIssues(properties, property.tags, address: address)
    }

    func validateImportID(_ id: String) -> String? {
        ELBv2Rules.importIDProblem(id, kind: "targetgroup/")
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let created = try await context.elbv2.createTargetGroup(Self.group(properties),
                                                                tags: ELBv2Rules.taggedWithIntent(properties[property.tags.name], context))
        return ResourceSnapshot(id: created.arn, properties: properties, attributes: Self.attributes(created.arn))
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, declared: Set(recorded.properties.keys), elbv2: try context.elbv2)
    }

    /// The target group and, when declared, its tags, read at once by its ARN.
    private func read(_ arn: String, declared: Set<String>, elbv2: AWS.ELBV2) async throws -> ResourceSnapshot? {
        guard let (group, tags) = try await ConcurrentReads.withTags(
            { try await elbv2.targetGroup(arn: arn) }, arn: \.arn, recordedARN: arn, readsTags: declared.contains(property.tags),
            tags: { try await elbv2.tags($0) }) else { return nil }
        return snapshot(group, declared: declared, tags: tags)
    }

    func readForDestroy(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await recordedIfExists(recorded) { try await context.elbv2.targetGroup(arn: recorded.id) }
    }

    private func snapshot(_ group: AWS.ELBV2.TargetGroup, declared: Set<String>, tags: [String: String]?) -> ResourceSnapshot {
        var actual: [String: Value] = [:]
        actual[property.targetGroupName] = group.name
        actual[property.protocolName] = group.protocolName
        actual[property.port] = group.port
        actual[property.vpcID] = group.vpcID
        actual[property.targetType] = group.targetType
        actual[property.healthCheckPath] = group.healthCheck.path
        actual[property.healthCheckInterval] = group.healthCheck.intervalSeconds
        actual[property.healthCheckTimeout] = group.healthCheck.timeoutSeconds
        actual[property.healthyThreshold] = group.healthCheck.healthyThreshold
        actual[property.unhealthyThreshold] = group.healthCheck.unhealthyThreshold
        actual[property.matcher] = group.healthCheck.matcher
        if let tags { actual[property.tags.name] = TagRules.visible(tags) }
        return ResourceSnapshot(id: group.arn, properties: actual.filter { declared.contains($0.key) }, attributes: Self.attributes(group.arn))
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let elbv2 = try context.elbv2
        // ModifyTargetGroup sets the whole health check at once.
        if !changed.subtracting([property.tags.name]).isEmpty {
            try await elbv2.modifyTargetGroup(current.id, healthCheck: Self.group(desired).healthCheck)
        }
        try await ELBv2Rules.retag(elbv2, current.id, from: current, to: desired, changed: changed, tags: property.tags)
        return ResourceSnapshot(id: current.id, properties: desired, attributes: current.attributes)
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let elbv2 = try context.elbv2
        _ = try await nilWhenMissing(.targetGroupNotFound) { try await elbv2.deleteTargetGroup(current.id) }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, declared: ELBv2.TargetGroup.Properties.names, elbv2: try context.elbv2)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        // By name, but only the group this create tagged: a same-named one without the intent is someone else's.
        let elbv2 = try context.elbv2
        guard let name = properties[property.targetGroupName], let group = try await elbv2.targetGroup(named: name) else { return nil }
        let tags = try await elbv2.tags(group.arn)
        guard ELBv2Rules.isTagged(tags, with: context) else { return nil }
        return snapshot(group, declared: Set(properties.keys), tags: properties[property.tags.name] == nil ? nil : tags)
    }

    // MARK: - Helpers

    static func group(_ properties: [String: Value]) -> AWS.ELBV2.TargetGroup {
        let property = ELBv2.TargetGroup.property
        let healthCheck = AWS.ELBV2.HealthCheck(
            path: properties[property.healthCheckPath] ?? "/", intervalSeconds: properties[property.healthCheckInterval] ?? 30,
            timeoutSeconds: properties[property.healthCheckTimeout] ?? 5, healthyThreshold: properties[property.healthyThreshold] ?? 5,
            unhealthyThreshold: properties[property.unhealthyThreshold] ?? 2, matcher: properties[property.matcher] ?? "200")
        return AWS.ELBV2.TargetGroup(arn: "", name: properties[property.targetGroupName] ?? "", protocolName: properties[property.protocolName] ?? "HTTP",
                                     port: properties[property.port] ?? 80, vpcID: properties[property.vpcID] ?? "",
                                     targetType: properties[property.targetType] ?? "instance", healthCheck: healthCheck)
    }

    static func attributes(_ arn: String) -> [String: Value] {
        let suffix = arn.range(of: ":targetgroup/").map { "targetgroup/" + String(arn[$0.upperBound...]) } ?? ""
        return ["arn": .string(arn), "arnSuffix": .string(suffix)]
    }

    /// HTTP matcher codes: one code, a comma-separated list or a `low-high` range, each from
    /// 200 to 499 (`Matcher.HttpCode` in the Elastic Load Balancing API reference).
    static func matcherProblem(_ matcher: String) -> String? {
        func isCode(_ text: Substring) -> Bool { Int(text).map { (200...499).contains($0) } ?? false }
        let range = matcher.split(separator: "-", omittingEmptySubsequences: false)
        let valid = range.count == 2
            ? isCode(range[0]) && isCode(range[1]) && (Int(range[0]) ?? 0) < (Int(range[1]) ?? 0)
            : matcher.split(separator: ",", omittingEmptySubsequences: false).allSatisfy(isCode)
        return valid ? nil : "must be HTTP codes from 200 to 499: one (200), a list (200,202) or a range (200-299), not \"\(matcher)\""
    }
}

extension TargetGroupType: AccessDeclaring {
    /// Elastic Load Balancing actions per the Service Authorization Reference (Elastic Load
    /// Balancing V2): `Describe*` takes no resource; a create with tags needs `AddTags`; the
    /// first target group of an account may make Elastic Load Balancing's service-linked role.
    static let access: ResourceAccess = {
        let group = ARNPattern.arn("arn:{partition}:elasticloadbalancing:{region}:{account}:targetgroup/{targetGroupName}/*")
        let noResource = { (action: String) in ARNPattern.anyResource(reason: "elasticloadbalancing:\(action) takes no resource") }
        return ResourceAccess([
            IAMCall(.elbv2, "CreateTargetGroup", in: [.create], needs: ["elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:AddTags"],
                    on: [group], alsoNeeds: [ELBv2Rules.serviceLinkedRole]),
            IAMCall(.elbv2, "DescribeTargetGroups", in: .readingBack, on: [noResource("DescribeTargetGroups")]),
            IAMCall(.elbv2, "DescribeTags", in: .readingBack, on: [noResource("DescribeTags")]),
            IAMCall(.elbv2, "ModifyTargetGroup", in: [.update], on: [group]),
            IAMCall(.elbv2, "AddTags", in: [.update], on: [group]),
            IAMCall(.elbv2, "RemoveTags", in: [.update], on: [group]),
            IAMCall(.elbv2, "DeleteTargetGroup", in: [.delete], on: [group]),
        ])
    }()
}
