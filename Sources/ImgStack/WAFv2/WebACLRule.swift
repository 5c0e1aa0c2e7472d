import AWS
import Engine

extension WAFv2 {
    /// What a rule does with a request it matches, or a managed group's rule with one it
    /// overrides.
    public enum RuleAction: String, Sendable {
        /// Let it through.
        case allow = "ALLOW"
        /// Refuse it (403).
        case block = "BLOCK"
        /// Count it and go on to the next rule.
        case count = "COUNT"
    }

    /// One rule of a web ACL: an AWS managed rule group or a rate limit per client IP.
    public struct Rule: Sendable {
        /// The rule's state form (one map), as `rules` records it.
        let value: Value

        /// An AWS managed rule group (`ManagedRuleGroupStatement`), e.g.
        /// `AWSManagedRulesCommonRuleSet` or `AWSManagedRulesKnownBadInputsRuleSet`.
        /// - Parameters:
        ///   - group: the group's name.
        ///   - vendor: `AWS` for AWS's groups.
        ///   - name: the rule's name in the web ACL (1–128 letters, digits, `_`, `-`); the group's by default.
        ///   - priority: evaluation order, lowest first; unique in the web ACL.
        ///   - overrides: the group's rules whose action is replaced (`["SizeRestrictions_BODY": .count]`
        ///     lets large uploads through while still counting them).
        ///   - countOnly: count what the whole group matches instead of acting (`OverrideAction` `Count`).
        ///   - metricName: its CloudWatch metric; the rule's name by default.
        public static func managedRuleGroup(_ group: String, vendor: String = "AWS", name: String? = nil, priority: Int,
                                            overrides: [String: RuleAction] = [:], countOnly: Bool = false, metricName: String? = nil) -> Rule {
            let ruleName = name ?? group
            return Rule(value: .map([
                "name": .string(ruleName), "priority": .int(priority),
                "managedRuleGroup": .map(["vendor": .string(vendor), "name": .string(group),
                                          "overrides": .map(overrides.mapValues { .string($0.rawValue) })]),
                "overrideAction": .string(countOnly ? "COUNT" : "NONE"),
                "metricName": .string(metricName ?? ruleName),
            ]))
        }

        /// At most `limit` requests per `evaluationWindowSec` from one IP (`RateBasedStatement`,
        /// aggregate key `IP`); more get `action`.
        /// - Parameters:
        ///   - limit: 10–2,000,000,000 requests.
        ///   - evaluationWindowSec: 60, 120, 300 (WAF's default) or 600.
        public static func rateLimit(name: String, priority: Int, limit: Int, evaluationWindowSec: Int = 300, action: RuleAction = .block,
                                     metricName: String? = nil) -> Rule {
            Rule(value: .map([
                "name": .string(name), "priority": .int(priority),
                "rateBased": .map(["limit": .int(limit), "aggregateKeyType": "IP", "evaluationWindowSec": .int(evaluationWindowSec)]),
                "action": .string(action.rawValue),
                "metricName": .string(metricName ?? name),
            ]))
        }
    }
}

/// Between a rule's state form and WAF's `Rule`.
enum WebACLRules {
    /// WAF's rule for a state-form rule; the web ACL's metric flags apply to every rule.
    static func awsRule(_ rule: Value, sampled: Bool, metrics: Bool) -> AWS.WAFV2.Rule {
        let statement: AWS.WAFV2.Statement
        if let group = rule["managedRuleGroup"].mapValue {
            let overrides = (group["overrides"]?.mapValue ?? [:]).sorted { $0.key < $1.key }.map {
                AWS.WAFV2.RuleActionOverride(name: $0.key, actionToUse: AWS.WAFV2.Action($0.value.stringValue ?? "COUNT"))
            }
            statement = AWS.WAFV2.Statement(managedRuleGroupStatement: .init(vendorName: group["vendor"]?.stringValue ?? "AWS",
                                                                             name: group["name"]?.stringValue ?? "",
                                                                             ruleActionOverrides: overrides.isEmpty ? nil : overrides))
        } else {
            let rate = rule["rateBased"]
            statement = AWS.WAFV2.Statement(rateBasedStatement: .init(limit: rate["limit"].intValue ?? 0, aggregateKeyType: rate["aggregateKeyType"].stringValue ?? "IP",
                                                                      evaluationWindowSec: rate["evaluationWindowSec"].intValue))
        }
        return AWS.WAFV2.Rule(name: rule["name"].stringValue ?? "", priority: rule["priority"].intValue ?? 0, statement: statement,
                              action: rule["action"].stringValue.map(AWS.WAFV2.Action.init),
                              overrideAction: rule["overrideAction"].stringValue.map(AWS.WAFV2.Action.init),
                              visibilityConfig: .init(sampledRequestsEnabled: sampled, cloudWatchMetricsEnabled: metrics,
                                                      metricName: rule["metricName"].stringValue ?? ""))
    }

    /// The key under which a read rule lists what WAF holds for it that the stack's form cannot
    /// express (``AWS/WAFV2/Rule/unmodeled``). A stack never sets it, so such settings show as
    /// drift, and the next update, which writes the web ACL whole, removes them.
    static let unmanaged = "unmanagedByImgstack"

    /// The state form of a rule WAF answers with; a rule imgstack cannot write (another
    /// statement) keeps only its name and priority and names its statement under
    /// ``unmanaged``, so it shows as a difference.
    static func value(_ rule: AWS.WAFV2.Rule) -> Value {
        var entry: [String: Value] = ["name": .string(rule.name), "priority": .int(rule.priority), "metricName": .string(rule.visibilityConfig.metricName)]
        if !rule.unmodeled.isEmpty { entry[unmanaged] = .list(rule.unmodeled.map(Value.string)) }
        if let group = rule.statement.managedRuleGroupStatement {
            let overrides = Dictionary((group.ruleActionOverrides ?? []).map { ($0.name, Value.string($0.actionToUse.name ?? "?")) },
                                       uniquingKeysWith: { _, last in last })
            entry["managedRuleGroup"] = .map(["vendor": .string(group.vendorName), "name": .string(group.name), "overrides": .map(overrides)])
            entry["overrideAction"] = .string(rule.overrideAction?.name ?? "NONE")
        } else if let rate = rule.statement.rateBasedStatement {
            entry["rateBased"] = .map(["limit": .int(rate.limit), "aggregateKeyType": .string(rate.aggregateKeyType),
                                       "evaluationWindowSec": .int(rate.evaluationWindowSec ?? 300)])
            entry["action"] = .string(rule.action?.name ?? "?")
        }
        return .map(entry)
    }
}
