import Engine

/// How a listener's action lands in the provider's `aws_lb_listener` (provider docs,
/// "default_action"): one `default_action { type = "forward", target_group_arn }` block.
enum ListenerTerraform {
    /// `default_action { type = "forward", target_group_arn }`.
    static let defaultAction: TerraformAttribute = .block("default_action", constants: ["type": "forward"]) {
        ["target_group_arn": ELBv2.Listener.property.targetGroupARN]
    }
}
