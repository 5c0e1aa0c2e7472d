import Foundation

extension ELBV2 {
    /// How a target group checks its targets' health (the `HealthCheck…` and `Matcher` members of
    /// `CreateTargetGroup`, `ModifyTargetGroup` and `TargetGroup`).
    public struct HealthCheck: Sendable, Equatable {
        /// The path requested, e.g. `/health` (HTTP and HTTPS).
        public var path: String
        /// Seconds between checks, 5–300.
        public var intervalSeconds: Int
        /// Seconds without an answer that fail a check, 2–120 and less than the interval.
        public var timeoutSeconds: Int
        /// Consecutive successes that make an unhealthy target healthy, 2–10.
        public var healthyThreshold: Int
        /// Consecutive failures that make a healthy target unhealthy, 2–10.
        public var unhealthyThreshold: Int
        /// The HTTP codes that count as healthy: `200`, `200,202` or `200-299`.
        public var matcher: String

        /// Creates health check settings.
        public init(path: String, intervalSeconds: Int, timeoutSeconds: Int, healthyThreshold: Int, unhealthyThreshold: Int, matcher: String) {
            self.path = path
            self.intervalSeconds = intervalSeconds
            self.timeoutSeconds = timeoutSeconds
            self.healthyThreshold = healthyThreshold
            self.unhealthyThreshold = unhealthyThreshold
            self.matcher = matcher
        }

        func add(to parameters: inout QueryParameters) {
            parameters["HealthCheckPath"] = path
            parameters["HealthCheckIntervalSeconds"] = String(intervalSeconds)
            parameters["HealthCheckTimeoutSeconds"] = String(timeoutSeconds)
            parameters["HealthyThresholdCount"] = String(healthyThreshold)
            parameters["UnhealthyThresholdCount"] = String(unhealthyThreshold)
            parameters["Matcher.HttpCode"] = matcher
        }
    }

    /// A target group as `DescribeTargetGroups` returns it.
    public struct TargetGroup: Sendable, Equatable {
        /// The target group ARN, `arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>`.
        public var arn: String
        /// The name, unique per account and region.
        public var name: String
        /// `HTTP` or `HTTPS` for an application load balancer's targets.
        public var protocolName: String
        /// The port targets receive traffic on.
        public var port: Int
        /// The VPC of the targets.
        public var vpcID: String
        /// `instance`, `ip`, `lambda` or `alb`.
        public var targetType: String
        /// The health check.
        public var healthCheck: HealthCheck

        /// Creates a target group description.
        public init(arn: String, name: String, protocolName: String, port: Int, vpcID: String, targetType: String, healthCheck: HealthCheck) {
            self.arn = arn
            self.name = name
            self.protocolName = protocolName
            self.port = port
            self.vpcID = vpcID
            self.targetType = targetType
            self.healthCheck = healthCheck
        }
    }

    /// Creates a target group (`CreateTargetGroup`); the health check uses the traffic port and protocol.
    /// - Parameters:
    ///   - group: the settings; its `arn` is ignored.
    ///   - tags: tags set at creation.
    /// - Returns: the new target group.
    /// - Throws: `AWSError` (`DuplicateTargetGroupName`, `InvalidConfigurationRequest`), `AWSClientError`.
    public func createTargetGroup(_ group: TargetGroup, tags: [String: String]) async throws -> TargetGroup {
        var parameters: QueryParameters = ["Name": group.name, "Protocol": group.protocolName, "Port": String(group.port),
                                           "VpcId": group.vpcID, "TargetType": group.targetType]
        group.healthCheck.add(to: &parameters)
        if !tags.isEmpty { parameters.addList("Tags", structures: Self.tagStructures(tags)) }
        let result = try await call("CreateTargetGroup", parameters)
        guard let created = result.list("TargetGroups").first.map(Self.decodeTargetGroup) else {
            throw AWSClientError(.invalidResponse, "CreateTargetGroup answered no target group for \(group.name)")
        }
        return created
    }

    /// Reads one target group by ARN (`DescribeTargetGroups` with `TargetGroupArns`).
    /// - Returns: the target group, nil when there is none.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func targetGroup(arn: String) async throws -> TargetGroup? {
        var parameters = QueryParameters()
        parameters.addList("TargetGroupArns", [arn])
        return try await describeTargetGroups(parameters)
    }

    /// Reads one target group by name (`DescribeTargetGroups` with `Names`).
    /// - Returns: the target group, nil when there is none.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func targetGroup(named name: String) async throws -> TargetGroup? {
        var parameters = QueryParameters()
        parameters.addList("Names", [name])
        return try await describeTargetGroups(parameters)
    }

    private func describeTargetGroups(_ parameters: QueryParameters) async throws -> TargetGroup? {
        try await nilWhenMissing(.targetGroupNotFound) {
            try await call("DescribeTargetGroups", parameters).list("TargetGroups").first.map(Self.decodeTargetGroup)
        } ?? nil
    }

    /// Changes the health check (`ModifyTargetGroup`); protocol, port, VPC and target type cannot change.
    /// - Throws: `AWSError` (`TargetGroupNotFound`, `InvalidConfigurationRequest`), `AWSClientError`.
    public func modifyTargetGroup(_ arn: String, healthCheck: HealthCheck) async throws {
        var parameters: QueryParameters = ["TargetGroupArn": arn]
        healthCheck.add(to: &parameters)
        _ = try await call("ModifyTargetGroup", parameters)
    }

    /// Deletes a target group (`DeleteTargetGroup`).
    /// - Throws: `AWSError` (`ResourceInUse` while a listener or rule forwards to it), `AWSClientError`.
    public func deleteTargetGroup(_ arn: String) async throws {
        _ = try await call("DeleteTargetGroup", ["TargetGroupArn": arn])
    }

    static func decodeTargetGroup(_ node: XMLNode) -> TargetGroup {
        let healthCheck = HealthCheck(path: node.string("HealthCheckPath") ?? "", intervalSeconds: int(node, "HealthCheckIntervalSeconds") ?? 0,
                                      timeoutSeconds: int(node, "HealthCheckTimeoutSeconds") ?? 0,
                                      healthyThreshold: int(node, "HealthyThresholdCount") ?? 0,
                                      unhealthyThreshold: int(node, "UnhealthyThresholdCount") ?? 0,
                                      matcher: node.string("Matcher/HttpCode") ?? "")
        return TargetGroup(arn: node.string("TargetGroupArn") ?? "", name: node.string("TargetGroupName") ?? "",
                           protocolName: node.string("Protocol") ?? "", port: int(node, "Port") ?? 0, vpcID: node.string("VpcId") ?? "",
                           targetType: node.string("TargetType") ?? "", healthCheck: healthCheck)
    }
}
