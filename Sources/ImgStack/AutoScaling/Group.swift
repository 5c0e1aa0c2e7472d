import AWS
import Engine
import Foundation

extension AutoScaling {
    /// An Auto Scaling group launched from a launch template (`aws_autoscaling_group`).
    ///
    /// `desiredCapacity` is left to AWS and the group's scaling policies unless the stack sets it:
    /// a target-tracking policy changes it all day, and a declared value would fight it.
    /// Changing the launch template version applies to instances launched afterwards (no
    /// instance refresh).
    ///
    /// Destroying the group deletes it with `ForceDelete`, which terminates its instances in the
    /// same call, and then waits until AWS has removed the group (up to 10 minutes, reported), so
    /// the launch template, security groups and subnets it used can go next. Scaling to zero
    /// first and waiting would terminate the same instances more slowly, in two steps.
    ///
    /// ```swift
    /// let group = stack.add(AutoScaling.Group("app", name: "file-upload-app", launchTemplateID: template.id,
    ///                                         launchTemplateVersion: template.latestVersion, minSize: 1, maxSize: 4,
    ///                                         subnetIDs: subnets.ids, targetGroupARNs: [targets.arn], healthCheckType: .elb,
    ///                                         tags: ["Name": "file-upload-app"]))
    /// ```
    public struct Group: Resource {
        public static let terraformType = "aws_autoscaling_group"

        /// Which health checks make the group replace an instance.
        public enum HealthCheckType: String, Sendable {
            /// EC2 status checks only.
            case ec2 = "EC2"
            /// Also the load balancer target group's health checks.
            case elb = "ELB"
        }

        /// A tag of the group, copied onto the instances it launches unless `propagateAtLaunch` is false.
        public struct Tag: ExpressionConvertible, ExpressibleByStringLiteral, ExpressibleByStringInterpolation, Sendable {
            /// The value (up to 256 characters).
            public var value: Text
            /// Copied onto launched instances.
            public var propagateAtLaunch: Bool

            /// Creates a tag.
            public init(_ value: Text, propagateAtLaunch: Bool = true) {
                self.value = value
                self.propagateAtLaunch = propagateAtLaunch
            }

            /// A propagated tag from a literal.
            public init(stringLiteral value: String) {
                self.init(Text(value))
            }

            /// A propagated tag from an interpolation.
            public init(stringInterpolation: Text.Interpolation) {
                self.init(Text(stringInterpolation: stringInterpolation))
            }

            public var expression: Engine.Expression {
                let entries: [String: Engine.Expression] = ["value": value.expression, "propagateAtLaunch": .value(.bool(propagateAtLaunch))]
                return Engine.Expression.map(entries).literal.map(Engine.Expression.value) ?? .map(entries)
            }
        }

        /// The resource's name in the stack.
        public var name: String
        /// The group's name: 1–255 characters, unique in the region. Changing it replaces the group.
        public var groupName: Text
        /// The launch template's id (`lt-…`).
        public var launchTemplateID: Text
        /// The version to launch: a number (e.g. `template.latestVersion`, so a new version rolls
        /// out to new instances), `$Latest` or `$Default`.
        public var launchTemplateVersion: Text
        /// The fewest instances (0 or more).
        public var minSize: Int
        /// The most instances (at least `minSize`).
        public var maxSize: Int
        /// The instances wanted now (between min and max); nil leaves it to AWS and the policies.
        public var desiredCapacity: Int?
        /// The subnets instances go in (`VPCZoneIdentifier`), at least one: listed one by one, or
        /// the whole list a subnets lookup found (`subnets.ids`).
        public var subnetIDs: TextList
        /// Target groups the instances register with.
        public var targetGroupARNs: [Text]
        /// Which health checks replace an instance.
        public var healthCheckType: HealthCheckType
        /// Seconds after launch before health checks count (0 or more; default 300).
        public var healthCheckGracePeriod: Int
        /// Tags: at most 50; keys 1–128 characters.
        public var tags: [String: Tag]
        /// Dependencies beside those that references imply.
        public var dependsOn: [Address] = []

        /// Declares a group.
        public init(_ name: String, name groupName: Text, launchTemplateID: Text, launchTemplateVersion: Text = "$Default", minSize: Int,
                    maxSize: Int, desiredCapacity: Int? = nil, subnetIDs: TextList, targetGroupARNs: [Text] = [],
                    healthCheckType: HealthCheckType = .ec2, healthCheckGracePeriod: Int = 300, tags: [String: Tag] = [:]) {
            self.name = name
            self.groupName = groupName
            self.launchTemplateID = launchTemplateID
            self.launchTemplateVersion = launchTemplateVersion
            self.minSize = minSize
            self.maxSize = maxSize
            self.desiredCapacity = desiredCapacity
            self.subnetIDs = subnetIDs
            self.targetGroupARNs = targetGroupARNs
            self.healthCheckType = healthCheckType
            self.healthCheckGracePeriod = healthCheckGracePeriod
            self.tags = tags
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.groupName, groupName)
            list.set(property.launchTemplateID, launchTemplateID)
            list.set(property.launchTemplateVersion, launchTemplateVersion)
            list.set(property.minSize, minSize)
            list.set(property.maxSize, maxSize)
            list.set(property.desiredCapacity, desiredCapacity)
            list.set(property.subnetIDs, subnetIDs)
            list.set(property.targetGroupARNs, targetGroupARNs)
            list.set(property.healthCheckType, healthCheckType.rawValue)
            list.set(property.healthCheckGracePeriod, healthCheckGracePeriod)
            list.set(property.tags, tags)
            return list.values
        }

        /// The group's name, as a reference (for its scaling policies).
        public var autoScalingGroupName: Text { attribute(Self.property.groupName.name) }
        /// The group's ARN.
        public var arn: Text { attribute("arn") }

        public static func makeType() -> any ResourceType { GroupType() }
    }
}

extension AutoScaling.Group {
    /// A group's properties, each declared once.
    struct Properties: PropertySet {
        let groupName = Property<String>("name", forcesReplacement: true)
        let launchTemplateID = Property<String>("launchTemplateID", terraform: GroupTerraform.launchTemplate)
        let launchTemplateVersion = Property<String>("launchTemplateVersion", terraform: .none("written in launch_template with the id"), default: "$Default")
        let minSize = Property<Int>("minSize", terraform: "min_size")
        let maxSize = Property<Int>("maxSize", terraform: "max_size")
        let desiredCapacity = Property<Int>("desiredCapacity", terraform: "desired_capacity")
        let subnetIDs = Property<[String]>("subnetIDs", terraform: "vpc_zone_identifier")
        let targetGroupARNs = Property<[String]>("targetGroupARNs", terraform: "target_group_arns", default: [])
        let healthCheckType = Property<String>("healthCheckType", terraform: "health_check_type", default: "EC2")
        let healthCheckGracePeriod = Property<Int>("healthCheckGracePeriod", terraform: "health_check_grace_period", default: 300)
        /// Key → `{"value": …, "propagateAtLaunch": …}`.
        let tags = Property<[String: Value]>("tags", terraform: GroupTerraform.tags, default: [:])
    }

    static let property = Properties()
}

/// Creates, updates and deletes Auto Scaling groups. The id is the group's name.
struct GroupType: ResourceType {
    static let schema = ResourceSchema(AutoScaling.Group.self, AutoScaling.Group.Properties.self, attributes: [AttributeSchema("arn")],
                                       uniqueName: [AutoScaling.Group.property.groupName])

    var schema: ResourceSchema { Self.schema }
    private var property: AutoScaling.Group.Properties { AutoScaling.Group.property }
    /// How long a destroy waits for AWS to remove the group after `ForceDelete`, and how often it looks.
    var deletionTimeout: TimeInterval = 600
    var pollInterval: TimeInterval = 5

    // MARK: - Validation

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let name = properties.literal(property.groupName), !(1...255).contains(name.count) {
            issues.append(ValidationIssue(address, property.groupName, "must be 1 to 255 characters, not \(name.count)"))
        }
        if let template = properties.literal(property.launchTemplateID), !template.hasPrefix("lt-") {
            issues.append(ValidationIssue(address, property.launchTemplateID, "\"\(template)\" is not a launch template id (lt-…)"))
        }
        if let version = properties.literal(property.launchTemplateVersion), !(["$Latest", "$Default"].contains(version) || Int(version).map { $0 >= 1 } == true) {
            issues.append(ValidationIssue(address, property.launchTemplateVersion, "\"\(version)\" is not a version: a number, $Latest or $Default"))
        }
        let minimum = properties.literal(property.minSize)
        let maximum = properties.literal(property.maxSize)
        if let minimum, minimum < 0 { issues.append(ValidationIssue(address, property.minSize, "must be 0 or more, not \(minimum)")) }
        if let minimum, let maximum, maximum < minimum {
            issues.append(ValidationIssue(address, property.maxSize, "\(maximum) is below minSize \(minimum)"))
        }
        if let desired = properties.literal(property.desiredCapacity), let minimum, let maximum, !(minimum...max(minimum, maximum)).contains(desired) {
            issues.append(ValidationIssue(address, property.desiredCapacity, "\(desired) is outside minSize…maxSize (\(minimum)…\(maximum))"))
        }
        if case .list(let subnets)? = properties[property.subnetIDs]?.literal {
            if subnets.isEmpty { issues.append(ValidationIssue(address, property.subnetIDs, "needs at least one subnet")) }
            for subnet in subnets.compactMap(\.stringValue) where !subnet.hasPrefix("subnet-") {
                issues.append(ValidationIssue(address, property.subnetIDs, "\"\(subnet)\" is not a subnet id (subnet-…)"))
            }
        }
        if case .list(let arns)? = properties[property.targetGroupARNs]?.literal {
            for arn in arns.compactMap(\.stringValue) where !(arn.hasPrefix("arn:") && arn.contains(":targetgroup/")) {
                issues.append(ValidationIssue(address, property.targetGroupARNs, "\"\(arn)\" is not a target group ARN"))
            }
        }
        if let grace = properties.literal(property.healthCheckGracePeriod), grace < 0 {
            issues.append(ValidationIssue(address, property.healthCheckGracePeriod, "must be 0 or more seconds, not \(grace)"))
        }
        if let tags = properties[property.tags]?.literal {
            let plain = tags.mapValue.map { Value.map($0.mapValues { $0["value"] }) }
            for problem in TagRules.problems(plain, limit: 49) { issues.append(ValidationIssue(address, property.tags, problem)) }
        }
        return issues
    }

    /// Subnets and target groups compare as sets: AWS keeps no order for them.
    func normalize(_ name: String, _ value: Value) -> Value {
        guard [property.subnetIDs.name, property.targetGroupARNs.name].contains(name), case .list(let items) = value, !value.containsUnknown else {
            return value
        }
        return .list(items.sorted { ($0.stringValue ?? "") < ($1.stringValue ?? "") })
    }

    // MARK: - Create, read

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let autoScaling = try context.autoScaling
        let name = properties[property.groupName] ?? ""
        var tags = Self.tags(properties[property.tags] ?? [:])
        if let intent = context.intentID { tags[TagRules.intentKey] = AWS.AutoScaling.GroupTag(value: intent, propagateAtLaunch: false) }
        try await autoScaling.createGroup(name, settings: settings(properties), tags: tags)
        return try await read(name, autoScaling: autoScaling) ?? ResourceSnapshot(id: name, properties: properties)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, autoScaling: try context.autoScaling)
    }

    /// The group as AWS describes it; nil when it is gone or being deleted.
    private func read(_ name: String, autoScaling: AWS.AutoScaling) async throws -> ResourceSnapshot? {
        guard let group = try await autoScaling.group(name), group.status == nil else { return nil }
        let settings = group.settings
        var properties: [String: Value] = [:]
        properties[property.groupName] = group.name
        properties[property.launchTemplateID] = settings.launchTemplateID
        properties[property.launchTemplateVersion] = settings.launchTemplateVersion
        properties[property.minSize] = settings.minSize
        properties[property.maxSize] = settings.maxSize
        properties[property.desiredCapacity] = settings.desiredCapacity
        properties[property.subnetIDs] = settings.subnetIDs
        properties[property.targetGroupARNs] = settings.targetGroupARNs
        properties[property.healthCheckType] = settings.healthCheckType
        properties[property.healthCheckGracePeriod] = settings.healthCheckGracePeriod
        properties[property.tags] = group.tags.filter { !$0.key.hasPrefix(TagRules.reservedPrefix) }.mapValues {
            Value.map(["value": .string($0.value), "propagateAtLaunch": .bool($0.propagateAtLaunch)])
        }
        return ResourceSnapshot(id: group.name, properties: properties, attributes: ["arn": group.arn.map(Value.string) ?? .null])
    }

    private func settings(_ properties: [String: Value]) -> AWS.AutoScaling.GroupSettings {
        AWS.AutoScaling.GroupSettings(
            launchTemplateID: properties[property.launchTemplateID] ?? "", launchTemplateVersion: properties.value(property.launchTemplateVersion) ?? "$Default",
            minSize: properties[property.minSize] ?? 0, maxSize: properties[property.maxSize] ?? 0, desiredCapacity: properties[property.desiredCapacity],
            subnetIDs: properties[property.subnetIDs] ?? [], targetGroupARNs: properties.value(property.targetGroupARNs) ?? [],
            healthCheckType: properties.value(property.healthCheckType) ?? "EC2",
            healthCheckGracePeriod: properties.value(property.healthCheckGracePeriod) ?? 300)
    }

    /// The declared tags as AWS takes them.
    private static func tags(_ declared: [String: Value]) -> [String: AWS.AutoScaling.GroupTag] {
        declared.mapValues { AWS.AutoScaling.GroupTag(value: $0["value"].stringValue ?? "", propagateAtLaunch: $0["propagateAtLaunch"].boolValue ?? true) }
    }

    // MARK: - Update

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let autoScaling = try context.autoScaling
        let name = current.id
        let inPlace = [property.launchTemplateID.name, property.launchTemplateVersion.name, property.minSize.name, property.maxSize.name,
                       property.desiredCapacity.name, property.subnetIDs.name, property.healthCheckType.name, property.healthCheckGracePeriod.name]
        if !changed.isDisjoint(with: inPlace) {
            try await autoScaling.updateGroup(name, settings: settings(desired))
        }
        if changed.contains(property.targetGroupARNs) {
            let wanted = Set(desired.value(property.targetGroupARNs) ?? [])
            let had = Set(current.properties[property.targetGroupARNs] ?? [])
            try await autoScaling.attachTargetGroups(name, arns: wanted.subtracting(had).sorted())
            try await autoScaling.detachTargetGroups(name, arns: had.subtracting(wanted).sorted())
        }
        if changed.contains(property.tags) {
            let wanted = Self.tags(desired[property.tags] ?? [:])
            let removed = Set((current.properties[property.tags] ?? [:]).keys).subtracting(wanted.keys)
            try await autoScaling.deleteTags(name, keys: removed.sorted())
            try await autoScaling.putTags(name, tags: wanted)
        }
        return try await read(name, autoScaling: autoScaling) ?? current
    }

    // MARK: - Delete, import, recovery

    /// Deletes the group with `ForceDelete` (its instances are terminated in the same call) and
    /// waits until AWS has removed it; already gone is success.
    /// - Throws: `GroupDeletionTimeoutError` when it is still there after ``deletionTimeout``.
    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let autoScaling = try context.autoScaling
        do {
            try await autoScaling.deleteGroup(current.id, forceDelete: true)
        } catch let error as AWSError where error.code == .validationError && error.message.localizedCaseInsensitiveContains("not found") {
            return
        }
        let deadline = Date().addingTimeInterval(deletionTimeout)
        var reported = false
        while let group = try await autoScaling.group(current.id) {
            guard Date() < deadline else {
                throw GroupDeletionTimeoutError(address: context.address, name: current.id, status: group.status, instances: group.instanceCount)
            }
            if !reported {
                context.report("waiting for AWS to terminate the group's instances and remove it (up to \(Int(deletionTimeout)) s)")
                reported = true
            }
            try await Task.sleep(nanoseconds: UInt64(pollInterval * 1_000_000_000))
        }
    }

    /// A group is imported by its name (`XmlStringMaxLen255`; a control character names no group).
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: ImportIDForm.printable(maximum: 255),
                             expected: "an Auto Scaling group is imported by its name (1 to 255 characters, no control characters)")
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, autoScaling: try context.autoScaling)
    }

    /// Names are unique in the region: the group by that name carrying this intent's tag is the
    /// one the crashed apply made.
    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let name = properties[property.groupName], let intent = context.intentID else { return nil }
        let autoScaling = try context.autoScaling
        guard let group = try await autoScaling.group(name), group.tags[TagRules.intentKey]?.value == intent else { return nil }
        return try await read(name, autoScaling: autoScaling)
    }
}

/// A group still present after the destroy's wait.
struct GroupDeletionTimeoutError: Error, CustomStringConvertible {
    var address: Address
    var name: String
    var status: String?
    var instances: Int
    var description: String {
        "\(address): Auto Scaling group \(name) is still there (\(status ?? "no status"), \(instances) instances) after the wait; "
            + "the next destroy looks again"
    }
}

extension GroupType: AccessDeclaring {
    /// Auto Scaling actions per the Service Authorization Reference (Amazon EC2 Auto Scaling):
    /// `Describe*` takes no resource; a group launching from a template needs
    /// `ec2:RunInstances` on it ("Control Amazon EC2 launch template usage in Auto Scaling groups")
    /// and on the resources `ec2:RunInstances` requires (image, instance, network interface,
    /// security group, subnet, volume), which only exist once the group launches; and, when the
    /// template names an instance profile, `iam:PassRole` on its role, which the group hands to
    /// its instances. The account's first group makes Auto Scaling's service-linked role.
    static let access: ResourceAccess = {
        let group = ARNPattern.arn("arn:{partition}:autoscaling:{region}:{account}:autoScalingGroup:*:autoScalingGroupName/{name}")
        let launched = ["instance/*", "network-interface/*", "security-group/*", "subnet/*", "volume/*"].map {
            ARNPattern.arn("arn:{partition}:ec2:{region}:{account}:\($0)")
        }
        let launchTemplate = IAMGrant(["ec2:RunInstances"], on: [.arn("arn:{partition}:ec2:{region}:{account}:launch-template/{launchTemplateID}"),
                                                                 .arn("arn:{partition}:ec2:{region}::image/*")] + launched)
        // The template names its profile by ARN or by name; the profile names its role.
        let passRole = IAMGrant(["iam:PassRole"], on: ["instanceProfileARN", "instanceProfileName"].map { profile in
            let role = "launchTemplateID->\(profile)->role"
            return .arn("arn:{partition}:iam::{account}:role/{\(role)->path}{\(role)->name}")
        })
        return ResourceAccess([
            IAMCall(.autoScaling, "CreateAutoScalingGroup", in: [.create], needs: ["autoscaling:CreateAutoScalingGroup", "autoscaling:CreateOrUpdateTags"],
                    on: [group], alsoNeeds: [launchTemplate, passRole, .serviceLinkedRole("autoscaling.amazonaws.com", "AWSServiceRoleForAutoScaling")]),
            IAMCall(.autoScaling, "DescribeAutoScalingGroups", in: .readingBack.union([.delete]),
                    on: [.anyResource(reason: "autoscaling:DescribeAutoScalingGroups takes no resource")]),
            IAMCall(.autoScaling, "UpdateAutoScalingGroup", in: [.update], on: [group], alsoNeeds: [launchTemplate, passRole]),
            IAMCall(.autoScaling, "AttachLoadBalancerTargetGroups", in: [.update], on: [group]),
            IAMCall(.autoScaling, "DetachLoadBalancerTargetGroups", in: [.update], on: [group]),
            IAMCall(.autoScaling, "CreateOrUpdateTags", in: [.update], on: [group]),
            IAMCall(.autoScaling, "DeleteTags", in: [.update], on: [group]),
            IAMCall(.autoScaling, "DeleteAutoScalingGroup", in: [.delete], on: [group]),
        ])
    }()
}
