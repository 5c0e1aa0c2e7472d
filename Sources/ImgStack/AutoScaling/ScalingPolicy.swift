import AWS
import Engine
import Foundation

extension AutoScaling {
    /// A target-tracking scaling policy of an Auto Scaling group (`aws_autoscaling_policy`):
    /// AWS adds and removes instances to keep a metric near a target, through alarms it manages
    /// itself. Its id is `<group>/<policy>`, also the import id (as Terraform's).
    ///
    /// ```swift
    /// stack.add(AutoScaling.ScalingPolicy("cpu", name: "cpu-30", autoScalingGroupName: group.autoScalingGroupName,
    ///                                     metric: .averageCPUUtilization, targetValue: 30))
    /// ```
    public struct ScalingPolicy: Resource {
        public static let terraformType = "aws_autoscaling_policy"

        /// The predefined metrics a target-tracking policy follows (`PredefinedMetricType`).
        public enum Metric: String, Sendable {
            /// Average CPU of the group's instances, in percent.
            case averageCPUUtilization = "ASGAverageCPUUtilization"
            /// Average bytes received per instance.
            case averageNetworkIn = "ASGAverageNetworkIn"
            /// Average bytes sent per instance.
            case averageNetworkOut = "ASGAverageNetworkOut"
            /// Requests per target of one target group (needs `resourceLabel`).
            case albRequestCountPerTarget = "ALBRequestCountPerTarget"
        }

        /// The resource's name in the stack.
        public var name: String
        /// The policy's name: 1–255 characters, unique in its group. Changing it replaces the policy.
        public var policyName: Text
        /// The group's name, e.g. `group.autoScalingGroupName`. Changing it replaces the policy.
        public var autoScalingGroupName: Text
        /// The metric.
        public var metric: Metric
        /// The value to keep the metric at (CPU: percent, above 0).
        public var targetValue: Double
        /// `app/<lb>/<id>/targetgroup/<tg>/<id>` for `.albRequestCountPerTarget`; nil otherwise.
        public var resourceLabel: Text?
        /// True: the policy only adds instances.
        public var disableScaleIn: Bool
        /// Dependencies beside those that references imply.
        public var dependsOn: [Address] = []

        /// Declares a target-tracking policy.
        public init(_ name: String, name policyName: Text, autoScalingGroupName: Text, metric: Metric = .averageCPUUtilization,
                    targetValue: Double, resourceLabel: Text? = nil, disableScaleIn: Bool = false) {
            self.name = name
            self.policyName = policyName
            self.autoScalingGroupName = autoScalingGroupName
            self.metric = metric
            self.targetValue = targetValue
            self.resourceLabel = resourceLabel
            self.disableScaleIn = disableScaleIn
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.policyName, policyName)
            list.set(property.autoScalingGroupName, autoScalingGroupName)
            list.set(property.metric, metric.rawValue)
            list.set(property.targetValue, expression: .value(.double(targetValue)))
            list.set(property.resourceLabel, resourceLabel)
            list.set(property.disableScaleIn, disableScaleIn)
            return list.values
        }

        /// The policy's ARN.
        public var arn: Text { attribute("arn") }

        public static func makeType() -> any ResourceType { ScalingPolicyType() }
    }
}

extension AutoScaling.ScalingPolicy {
    /// A policy's properties, each declared once.
    struct Properties: PropertySet {
        let policyName = Property<String>("name", forcesReplacement: true)
        let autoScalingGroupName = Property<String>("autoScalingGroupName", terraform: "autoscaling_group_name", forcesReplacement: true)
        let metric = Property<String>("predefinedMetricType", terraform: ScalingPolicyTerraform.targetTracking)
        let targetValue = Property<Double>("targetValue", terraform: .none("written in target_tracking_configuration"))
        let resourceLabel = Property<String>("resourceLabel", terraform: .none("written in target_tracking_configuration"))
        let disableScaleIn = Property<Bool>("disableScaleIn", terraform: .none("written in target_tracking_configuration"), default: false)
    }

    static let property = Properties()
}

/// Puts, reads and deletes target-tracking policies. The id is `<group>/<policy>`.
struct ScalingPolicyType: ResourceType {
    static let schema = ResourceSchema(AutoScaling.ScalingPolicy.self, AutoScaling.ScalingPolicy.Properties.self,
                                       attributes: [AttributeSchema("arn")],
                                       uniqueName: [AutoScaling.ScalingPolicy.property.autoScalingGroupName, AutoScaling.ScalingPolicy.property.policyName],
                                       terraformConstants: ScalingPolicyTerraform.constants)

    var schema: ResourceSchema { Self.schema }
    private var property: AutoScaling.ScalingPolicy.Properties { AutoScaling.ScalingPolicy.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let name = properties.literal(property.policyName), !(1...255).contains(name.count) {
            issues.append(ValidationIssue(address, property.policyName, "must be 1 to 255 characters, not \(name.count)"))
        }
        let metric = properties.literal(property.metric)
        if let target = properties.literal(property.targetValue) {
            if target <= 0 { issues.append(ValidationIssue(address, property.targetValue, "must be above 0, not \(target)")) }
            if metric == AutoScaling.ScalingPolicy.Metric.averageCPUUtilization.rawValue, target > 100 {
                issues.append(ValidationIssue(address, property.targetValue, "CPU utilization is a percentage: \(target) is above 100"))
            }
        }
        let label = properties[property.resourceLabel]
        if metric == AutoScaling.ScalingPolicy.Metric.albRequestCountPerTarget.rawValue, label == nil {
            issues.append(ValidationIssue(address, property.resourceLabel, "ALBRequestCountPerTarget needs the target group's resource label"))
        } else if metric != AutoScaling.ScalingPolicy.Metric.albRequestCountPerTarget.rawValue, label != nil {
            issues.append(ValidationIssue(address, property.resourceLabel, "only ALBRequestCountPerTarget takes a resource label"))
        }
        return issues
    }

    /// A policy is imported as `<group>/<policy>`.
    func validateImportID(_ id: String) -> String? {
        // Both names are free-form (`XmlStringMaxLen255`); the group's ends at the first '/'.
        ImportIDForm.problem(id, matching: #"[^\p{Cc}/]{1,255}/[^\p{Cc}]{1,255}"#,
                             expected: "a scaling policy is imported as <auto scaling group>/<policy name>")
    }

    private static func split(_ id: String) -> (group: String, policy: String)? {
        guard let slash = id.firstIndex(of: "/"), slash != id.startIndex, id.index(after: slash) != id.endIndex else { return nil }
        return (String(id[..<slash]), String(id[id.index(after: slash)...]))
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let autoScaling = try context.autoScaling
        let policy = policy(properties)
        _ = try await autoScaling.putTargetTrackingPolicy(policy)
        let id = "\(policy.groupName)/\(policy.name)"
        return try await read(id, autoScaling: autoScaling) ?? ResourceSnapshot(id: id, properties: properties)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, autoScaling: try context.autoScaling)
    }

    private func read(_ id: String, autoScaling: AWS.AutoScaling) async throws -> ResourceSnapshot? {
        guard let (group, name) = Self.split(id), let policy = try await autoScaling.targetTrackingPolicy(name, groupName: group) else { return nil }
        var properties: [String: Value] = [:]
        properties[property.policyName] = policy.name
        properties[property.autoScalingGroupName] = policy.groupName
        properties[property.metric] = policy.metric
        properties[property.targetValue] = policy.targetValue
        properties[property.resourceLabel] = policy.resourceLabel
        properties[property.disableScaleIn] = policy.disableScaleIn
        return ResourceSnapshot(id: id, properties: properties, attributes: ["arn": policy.arn.map(Value.string) ?? .null])
    }

    private func policy(_ properties: [String: Value]) -> AWS.AutoScaling.TargetTrackingPolicy {
        AWS.AutoScaling.TargetTrackingPolicy(name: properties[property.policyName] ?? "", groupName: properties[property.autoScalingGroupName] ?? "",
                                             metric: properties[property.metric] ?? "", targetValue: properties[property.targetValue] ?? 0,
                                             resourceLabel: properties[property.resourceLabel],
                                             disableScaleIn: properties.value(property.disableScaleIn) ?? false)
    }

    /// `PutScalingPolicy` replaces the whole policy: one call for any change.
    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let autoScaling = try context.autoScaling
        _ = try await autoScaling.putTargetTrackingPolicy(policy(desired))
        return try await read(current.id, autoScaling: autoScaling) ?? current
    }

    /// Deletes the policy; a policy or group already gone is success.
    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        guard let (group, name) = Self.split(current.id) else { return }
        let autoScaling = try context.autoScaling
        do {
            try await autoScaling.deletePolicy(name, groupName: group)
        } catch let error as AWSError where error.code == .validationError && error.message.localizedCaseInsensitiveContains("not found") {
            return
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, autoScaling: try context.autoScaling)
    }

    /// A policy's name is unique in its group, and putting it again is harmless: the one there is the one made.
    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let group = properties[property.autoScalingGroupName], let name = properties[property.policyName] else { return nil }
        return try await read("\(group)/\(name)", autoScaling: try context.autoScaling)
    }
}

extension ScalingPolicyType: AccessDeclaring {
    /// Auto Scaling actions per the Service Authorization Reference (Amazon EC2 Auto Scaling):
    /// a policy is written on its group; `DescribePolicies` takes no resource.
    static let access: ResourceAccess = {
        let group = ARNPattern.arn("arn:{partition}:autoscaling:{region}:{account}:autoScalingGroup:*:autoScalingGroupName/{autoScalingGroupName}")
        return ResourceAccess([
            IAMCall(.autoScaling, "PutScalingPolicy", in: .writing, on: [group]),
            IAMCall(.autoScaling, "DescribePolicies", in: .readingBack,
                    on: [.anyResource(reason: "autoscaling:DescribePolicies takes no resource")]),
            IAMCall(.autoScaling, "DeletePolicy", in: [.delete], on: [group]),
        ])
    }()
}
