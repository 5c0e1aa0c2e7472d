import Foundation

/// The Amazon EC2 Auto Scaling calls imgstack makes (query protocol, `AWSService.autoScaling`):
/// groups launched from a launch template, their tags and target groups, and target-tracking
/// scaling policies. Member names follow botocore's `autoscaling/2011-01-01/service-2.json`.
public struct AutoScaling: Sendable {
    /// A group's settings as `CreateAutoScalingGroup` takes them and `DescribeAutoScalingGroups` answers them.
    public struct GroupSettings: Sendable, Equatable {
        /// The launch template's id (`lt-…`).
        public var launchTemplateID: String
        /// The template version: a number, `$Latest` or `$Default`.
        public var launchTemplateVersion: String
        /// The fewest instances, 0 or more.
        public var minSize: Int
        /// The most instances.
        public var maxSize: Int
        /// The instances wanted now; nil lets AWS use `minSize`.
        public var desiredCapacity: Int?
        /// Subnet ids the instances go in (`VPCZoneIdentifier`, comma-separated on the wire).
        public var subnetIDs: [String]
        /// Target groups whose targets the instances become.
        public var targetGroupARNs: [String]
        /// `EC2` or `ELB` (also `VPC_LATTICE`, `EBS`): which health checks replace an instance.
        public var healthCheckType: String
        /// Seconds after launch before health checks count.
        public var healthCheckGracePeriod: Int

        /// Creates settings.
        public init(launchTemplateID: String, launchTemplateVersion: String, minSize: Int, maxSize: Int, desiredCapacity: Int?,
                    subnetIDs: [String], targetGroupARNs: [String], healthCheckType: String, healthCheckGracePeriod: Int) {
            self.launchTemplateID = launchTemplateID
            self.launchTemplateVersion = launchTemplateVersion
            self.minSize = minSize
            self.maxSize = maxSize
            self.desiredCapacity = desiredCapacity
            self.subnetIDs = subnetIDs
            self.targetGroupARNs = targetGroupARNs
            self.healthCheckType = healthCheckType
            self.healthCheckGracePeriod = healthCheckGracePeriod
        }
    }

    /// A tag of a group, and whether instances it launches get it too.
    public struct GroupTag: Sendable, Equatable {
        /// The value.
        public var value: String
        /// Copied onto instances the group launches.
        public var propagateAtLaunch: Bool

        /// Creates a tag.
        public init(value: String, propagateAtLaunch: Bool) {
            self.value = value
            self.propagateAtLaunch = propagateAtLaunch
        }
    }

    /// A group as `DescribeAutoScalingGroups` answers it.
    public struct Group: Sendable, Equatable {
        /// Its name.
        public var name: String
        /// Its ARN.
        public var arn: String?
        /// Its settings.
        public var settings: GroupSettings
        /// Its tags by key.
        public var tags: [String: GroupTag]
        /// `Delete in progress` while it is being deleted, else nil.
        public var status: String?
        /// How many instances it has now.
        public var instanceCount: Int
    }

    /// A target-tracking policy on a predefined metric.
    public struct TargetTrackingPolicy: Sendable, Equatable {
        /// The policy's name, unique in its group.
        public var name: String
        /// The group.
        public var groupName: String
        /// `ASGAverageCPUUtilization`, `ASGAverageNetworkIn`, `ASGAverageNetworkOut` or `ALBRequestCountPerTarget`.
        public var metric: String
        /// The metric's target, e.g. 30 (percent CPU).
        public var targetValue: Double
        /// For `ALBRequestCountPerTarget`: `app/<lb>/<id>/targetgroup/<tg>/<id>`.
        public var resourceLabel: String?
        /// True: the policy only scales out.
        public var disableScaleIn: Bool
        /// Its ARN, when answered.
        public var arn: String?

        /// Creates a policy.
        public init(name: String, groupName: String, metric: String, targetValue: Double, resourceLabel: String? = nil,
                    disableScaleIn: Bool = false, arn: String? = nil) {
            self.name = name
            self.groupName = groupName
            self.metric = metric
            self.targetValue = targetValue
            self.resourceLabel = resourceLabel
            self.disableScaleIn = disableScaleIn
            self.arn = arn
        }
    }

    let client: AWSClient
    /// The region every call goes to; nil for the client's configured region.
    public let region: String?

    /// Creates the Auto Scaling calls of `client` in `region`.
    public init(client: AWSClient, region: String? = nil) {
        self.client = client
        self.region = region
    }

    // MARK: - Groups

    /// Creates a group (`CreateAutoScalingGroup`).
    /// - Parameters:
    ///   - name: up to 255 characters, unique in the region.
    ///   - settings: what it launches and where.
    ///   - tags: its tags (each with `PropagateAtLaunch`).
    /// - Throws: `AWSError` (`AlreadyExists`, `ValidationError`), `AWSClientError`.
    public func createGroup(_ name: String, settings: GroupSettings, tags: [String: GroupTag]) async throws {
        var parameters: QueryParameters = ["AutoScalingGroupName": name]
        Self.add(settings, to: &parameters)
        if !settings.targetGroupARNs.isEmpty { parameters.addList("TargetGroupARNs", settings.targetGroupARNs) }
        if !tags.isEmpty { parameters.addList("Tags", structures: Self.tagStructures(name, tags)) }
        _ = try await call("CreateAutoScalingGroup", parameters)
    }

    /// Changes a group's settings in place (`UpdateAutoScalingGroup`); target groups and tags
    /// have calls of their own.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func updateGroup(_ name: String, settings: GroupSettings) async throws {
        var parameters: QueryParameters = ["AutoScalingGroupName": name]
        Self.add(settings, to: &parameters)
        _ = try await call("UpdateAutoScalingGroup", parameters)
    }

    /// One group by name; nil when there is none.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func group(_ name: String) async throws -> Group? {
        var parameters = QueryParameters()
        parameters.addList("AutoScalingGroupNames", [name])
        let result = try await call("DescribeAutoScalingGroups", parameters)
        return result.list("AutoScalingGroups").map(Self.group).first { $0.name == name }
    }

    /// Deletes a group (`DeleteAutoScalingGroup`).
    /// - Parameter forceDelete: also terminate its instances, without waiting for them to go first.
    /// - Throws: `AWSError` (`ValidationError` "AutoScalingGroup name not found"; `ResourceInUse`
    ///   while it has instances and `forceDelete` is false), `AWSClientError`.
    public func deleteGroup(_ name: String, forceDelete: Bool) async throws {
        _ = try await call("DeleteAutoScalingGroup", ["AutoScalingGroupName": name, "ForceDelete": String(forceDelete)])
    }

    /// Adds target groups (`AttachLoadBalancerTargetGroups`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func attachTargetGroups(_ name: String, arns: [String]) async throws {
        guard !arns.isEmpty else { return }
        var parameters: QueryParameters = ["AutoScalingGroupName": name]
        parameters.addList("TargetGroupARNs", arns)
        _ = try await call("AttachLoadBalancerTargetGroups", parameters)
    }

    /// Removes target groups (`DetachLoadBalancerTargetGroups`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func detachTargetGroups(_ name: String, arns: [String]) async throws {
        guard !arns.isEmpty else { return }
        var parameters: QueryParameters = ["AutoScalingGroupName": name]
        parameters.addList("TargetGroupARNs", arns)
        _ = try await call("DetachLoadBalancerTargetGroups", parameters)
    }

    /// Adds or overwrites tags of a group (`CreateOrUpdateTags`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func putTags(_ name: String, tags: [String: GroupTag]) async throws {
        guard !tags.isEmpty else { return }
        var parameters = QueryParameters()
        parameters.addList("Tags", structures: Self.tagStructures(name, tags))
        _ = try await call("CreateOrUpdateTags", parameters)
    }

    /// Removes tags of a group by key (`DeleteTags`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func deleteTags(_ name: String, keys: [String]) async throws {
        guard !keys.isEmpty else { return }
        var parameters = QueryParameters()
        parameters.addList("Tags", structures: keys.sorted().map { ["ResourceId": name, "ResourceType": "auto-scaling-group", "Key": $0] })
        _ = try await call("DeleteTags", parameters)
    }

    // MARK: - Scaling policies

    /// Creates or replaces a target-tracking policy (`PutScalingPolicy` with `PolicyType` `TargetTrackingScaling`).
    /// - Returns: the policy's ARN.
    /// - Throws: `AWSError` (`ValidationError` for an unknown group), `AWSClientError`.
    public func putTargetTrackingPolicy(_ policy: TargetTrackingPolicy) async throws -> String? {
        var parameters: QueryParameters = ["AutoScalingGroupName": policy.groupName, "PolicyName": policy.name,
                                           "PolicyType": "TargetTrackingScaling"]
        let prefix = "TargetTrackingConfiguration"
        parameters["\(prefix).PredefinedMetricSpecification.PredefinedMetricType"] = policy.metric
        parameters["\(prefix).PredefinedMetricSpecification.ResourceLabel"] = policy.resourceLabel
        parameters["\(prefix).TargetValue"] = Self.number(policy.targetValue)
        parameters["\(prefix).DisableScaleIn"] = String(policy.disableScaleIn)
        return try await call("PutScalingPolicy", parameters).string("PolicyARN")
    }

    /// One target-tracking policy of a group; nil when the policy or the group is gone.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func targetTrackingPolicy(_ name: String, groupName: String) async throws -> TargetTrackingPolicy? {
        var parameters: QueryParameters = ["AutoScalingGroupName": groupName]
        parameters.addList("PolicyNames", [name])
        let policies: [XMLNode]
        do {
            policies = try await call("DescribePolicies", parameters).list("ScalingPolicies")
        } catch let error as AWSError where error.code == .validationError && error.message.localizedCaseInsensitiveContains("not found") {
            return nil
        }
        guard let node = policies.first(where: { $0.string("PolicyName") == name }) else { return nil }
        let tracking = node["TargetTrackingConfiguration"]
        return TargetTrackingPolicy(name: name, groupName: node.string("AutoScalingGroupName") ?? groupName,
                                    metric: tracking?.string("PredefinedMetricSpecification/PredefinedMetricType") ?? "",
                                    targetValue: Double(tracking?.string("TargetValue") ?? "") ?? 0,
                                    resourceLabel: tracking?.string("PredefinedMetricSpecification/ResourceLabel"),
                                    disableScaleIn: tracking?.string("DisableScaleIn") == "true", arn: node.string("PolicyARN"))
    }

    /// Deletes a policy (`DeletePolicy`).
    /// - Throws: `AWSError` (`ValidationError` when the group is gone), `AWSClientError`.
    public func deletePolicy(_ name: String, groupName: String) async throws {
        _ = try await call("DeletePolicy", ["AutoScalingGroupName": groupName, "PolicyName": name])
    }

    // MARK: - Encoding and decoding

    func call(_ operation: String, _ parameters: QueryParameters) async throws -> XMLNode {
        try await client.query(.autoScaling, operation, parameters, region: region)
    }

    static func add(_ settings: GroupSettings, to parameters: inout QueryParameters) {
        parameters["LaunchTemplate.LaunchTemplateId"] = settings.launchTemplateID
        parameters["LaunchTemplate.Version"] = settings.launchTemplateVersion
        parameters["MinSize"] = String(settings.minSize)
        parameters["MaxSize"] = String(settings.maxSize)
        parameters["DesiredCapacity"] = settings.desiredCapacity.map(String.init)
        parameters["VPCZoneIdentifier"] = settings.subnetIDs.joined(separator: ",")
        parameters["HealthCheckType"] = settings.healthCheckType
        parameters["HealthCheckGracePeriod"] = String(settings.healthCheckGracePeriod)
    }

    static func tagStructures(_ group: String, _ tags: [String: GroupTag]) -> [[String: String]] {
        tags.sorted { $0.key < $1.key }.map {
            ["ResourceId": group, "ResourceType": "auto-scaling-group", "Key": $0.key, "Value": $0.value.value,
             "PropagateAtLaunch": String($0.value.propagateAtLaunch)]
        }
    }

    /// A number as AWS's `Double` members take it: `30` rather than `30.0`.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    static func group(_ node: XMLNode) -> Group {
        let subnets = (node.string("VPCZoneIdentifier") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let settings = GroupSettings(
            launchTemplateID: node.string("LaunchTemplate/LaunchTemplateId") ?? "", launchTemplateVersion: node.string("LaunchTemplate/Version") ?? "",
            minSize: Int(node.string("MinSize") ?? "") ?? 0, maxSize: Int(node.string("MaxSize") ?? "") ?? 0,
            desiredCapacity: node.string("DesiredCapacity").flatMap { Int($0) }, subnetIDs: subnets.filter { !$0.isEmpty },
            targetGroupARNs: node.list("TargetGroupARNs").map(\.text), healthCheckType: node.string("HealthCheckType") ?? "EC2",
            healthCheckGracePeriod: Int(node.string("HealthCheckGracePeriod") ?? "") ?? 0)
        let tags = Dictionary(node.list("Tags").map {
            ($0.string("Key") ?? "", GroupTag(value: $0.string("Value") ?? "", propagateAtLaunch: $0.string("PropagateAtLaunch") == "true"))
        }, uniquingKeysWith: { _, last in last })
        return Group(name: node.string("AutoScalingGroupName") ?? "", arn: node.string("AutoScalingGroupARN"), settings: settings, tags: tags,
                     status: node.string("Status"), instanceCount: node.list("Instances").count)
    }
}

extension AWSClient {
    /// The typed Auto Scaling calls of this client, in its configured region.
    public var autoScaling: AutoScaling { AutoScaling(client: self) }

    /// The typed Auto Scaling calls of this client in `region`.
    public func autoScaling(region: String) -> AutoScaling { AutoScaling(client: self, region: region) }
}

extension AWSErrorCode {
    /// Auto Scaling (query protocol): a bad request, also "AutoScalingGroup name not found".
    public static let validationError: Self = "ValidationError"
    /// Auto Scaling: a group of that name exists (`CreateAutoScalingGroup`).
    public static let alreadyExists: Self = "AlreadyExists"
    /// Auto Scaling: the group still has instances or scaling activities (`DeleteAutoScalingGroup`).
    public static let resourceInUse: Self = "ResourceInUse"
}
