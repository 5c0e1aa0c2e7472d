import Engine

/// How a target-tracking policy lands in the Terraform AWS provider's `aws_autoscaling_policy`
/// (provider docs, "target_tracking_configuration"): `policy_type = "TargetTrackingScaling"` and one
/// `target_tracking_configuration { predefined_metric_specification { … }, target_value,
/// disable_scale_in }` block.
enum ScalingPolicyTerraform {
    private static var property: AutoScaling.ScalingPolicy.Properties { AutoScaling.ScalingPolicy.property }

    /// The provider's constant for the only kind of policy imgstack writes.
    static let constants: [String: Value] = ["policy_type": "TargetTrackingScaling"]

    /// `target_tracking_configuration { predefined_metric_specification { predefined_metric_type, resource_label }, … }`;
    /// `resource_label` only where the metric takes one.
    static let targetTracking: TerraformAttribute = TerraformAttribute("target_tracking_configuration", .assembled { values in
        var metric: [String: Value] = ["predefined_metric_type": values[property.metric.name] ?? .null]
        if let label = values[property.resourceLabel.name], label != .null, label != "" { metric["resource_label"] = label }
        return .list([.map(["predefined_metric_specification": .list([.map(metric)]),
                            "target_value": values[property.targetValue.name] ?? .null,
                            "disable_scale_in": values[property.disableScaleIn.name] ?? false])])
    })
}
