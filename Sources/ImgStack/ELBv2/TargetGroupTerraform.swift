import Engine

/// How a target group's health check lands in the Terraform AWS provider's `aws_lb_target_group`
/// (provider docs, "health_check"): one `health_check { path, interval, timeout,
/// healthy_threshold, unhealthy_threshold, matcher }` block.
enum TargetGroupTerraform {
    private static var property: ELBv2.TargetGroup.Properties { ELBv2.TargetGroup.property }

    /// `health_check { … }`, the same settings the target group is created with.
    static let healthCheck: TerraformAttribute = .block("health_check") {
        ["path": property.healthCheckPath, "matcher": property.matcher, "interval": property.healthCheckInterval,
         "timeout": property.healthCheckTimeout, "healthy_threshold": property.healthyThreshold,
         "unhealthy_threshold": property.unhealthyThreshold]
    }
}
