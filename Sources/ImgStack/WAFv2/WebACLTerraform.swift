import Engine

/// How a web ACL lands in the Terraform AWS provider's `aws_wafv2_web_acl` (provider docs,
/// "Argument Reference": `default_action`, `rule`, `visibility_config`). An action is a block
/// named by it (`action { block {} }`, `override_action { none {} }`); a managed rule group's
/// overrides are `rule_action_override { name, action_to_use }` blocks, each rule's name kept
/// as AWS spells it (`SizeRestrictions_BODY`).
enum WebACLTerraform {
    /// `default_action { allow {} }` or `default_action { block {} }`.
    static let defaultAction: TerraformAttribute = TerraformAttribute("default_action", .converted { action($0) })

    /// One `rule` block per rule, each with the web ACL's metric flags in its `visibility_config`
    /// (imgstack applies them to every rule).
    static let rules: TerraformAttribute = TerraformAttribute("rule", .assembled { values in
        guard let rules = values[WAFv2.WebACL.property.rules.name]?.listValue else { return .unknown }
        return .list(rules.map { rule($0, values: values) })
    })

    /// The web ACL's `visibility_config { metric_name, cloudwatch_metrics_enabled, sampled_requests_enabled }`.
    static let visibility: TerraformAttribute = TerraformAttribute("visibility_config", .assembled { values in
        visibilityConfig(metricName: values[WAFv2.WebACL.property.metricName.name] ?? .null, values: values)
    })

    /// Why the metric flags have no attribute of their own.
    static let inVisibilityConfig: String = "written in visibility_config, the web ACL's and each rule's"

    private static func rule(_ rule: Value, values: [String: Value]) -> Value {
        var block: [String: Value] = [
            "name": rule["name"], "priority": rule["priority"],
            "visibility_config": visibilityConfig(metricName: rule["metricName"], values: values),
        ]
        if let group = rule["managedRuleGroup"].mapValue {
            let overrides = (group["overrides"]?.mapValue ?? [:]).sorted { $0.key < $1.key }.map { name, action in
                Value.map(["name": .string(name), "action_to_use": Self.action(action)])
            }
            block["statement"] = .list([.map(["managed_rule_group_statement": .list([.map([
                "name": group["name"] ?? .null, "vendor_name": group["vendor"] ?? .null, "rule_action_override": .list(overrides),
            ])])])])
            block["override_action"] = action(rule["overrideAction"])
        } else if rule["rateBased"].mapValue != nil {
            let rate = rule["rateBased"]
            block["statement"] = .list([.map(["rate_based_statement": .list([.map([
                "limit": rate["limit"], "aggregate_key_type": rate["aggregateKeyType"], "evaluation_window_sec": rate["evaluationWindowSec"],
            ])])])])
            block["action"] = action(rule["action"])
        }
        return .map(block)
    }

    private static func visibilityConfig(metricName: Value, values: [String: Value]) -> Value {
        .list([.map([
            "metric_name": metricName,
            "cloudwatch_metrics_enabled": values[WAFv2.WebACL.property.cloudWatchMetrics.name] ?? .null,
            "sampled_requests_enabled": values[WAFv2.WebACL.property.sampledRequests.name] ?? .null,
        ])])
    }

    /// `[{ <action in lower case> = [{}] }]`: `ALLOW` → `allow {}`, `NONE` → `none {}`.
    private static func action(_ name: Value) -> Value {
        guard let name = name.stringValue else { return name == .unknown ? .unknown : .list([]) }
        return .list([.map([name.lowercased(): .list([.map([:])])])])
    }
}
