import Engine
import Foundation

/// What WAF refuses in a web ACL, checked before any call (botocore's `wafv2` shapes:
/// `EntityName`, `MetricName`, `EntityDescription`, `RateLimit`; `CreateWebACL`'s scope rule).
struct WebACLValidation {
    let address: Address
    let properties: [String: Engine.Expression]
    private var property: WAFv2.WebACL.Properties { WAFv2.WebACL.property }

    static let namePattern = #"^[\w\-]{1,128}$"#
    static let metricNamePattern = #"^[\w#:\.\-/]{1,255}$"#
    static let descriptionPattern = #"^[\w+=:#@/\-,\.][\w+=:#@/\-,\.\s]+[\w+=:#@/\-,\.]$"#
    static let evaluationWindows = [60, 120, 300, 600]

    func issues() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func add(_ property: some PropertyDeclaration, _ message: String) { issues.append(ValidationIssue(address, property, message)) }
        if let name = properties.literal(property.webACLName), !Self.matches(name, Self.namePattern) {
            add(property.webACLName, "\"\(name)\" must be 1 to 128 letters, digits, '_' and '-'")
        }
        if let region = properties.literal(property.region), region != "us-east-1" {
            add(property.region, "a CLOUDFRONT web ACL must be created in us-east-1, not \(region); leave the region out")
        }
        if let description = properties.literal(property.description), !description.isEmpty,
           description.count > 256 || !Self.matches(description, Self.descriptionPattern) {
            add(property.description, "must be up to 256 letters, digits, spaces and +=:#@/-,. (not starting or ending with a space)")
        }
        if let metric = properties.literal(property.metricName), !Self.matches(metric, Self.metricNamePattern) {
            add(property.metricName, "\"\(metric)\" must be 1 to 255 letters, digits and _#:.-/")
        }
        for problem in TagRules.problems(properties[property.tags]?.literal, limit: 49) { add(property.tags, problem) }
        for problem in ruleProblems(properties[property.rules]?.literal?.listValue ?? []) { add(property.rules, problem) }
        return issues
    }

    private func ruleProblems(_ rules: [Value]) -> [String] {
        var problems: [String] = []
        var names: Set<String> = []
        var priorities: Set<Int> = []
        for rule in rules {
            let name = rule["name"].stringValue ?? ""
            if !Self.matches(name, Self.namePattern) { problems.append("rule name \"\(name)\" must be 1 to 128 letters, digits, '_' and '-'") }
            if !names.insert(name).inserted { problems.append("rule name \"\(name)\" is used twice; names are unique in a web ACL") }
            let priority = rule["priority"].intValue ?? -1
            if priority < 0 { problems.append("rule \(name): priority must be 0 or more, not \(priority)") }
            if !priorities.insert(priority).inserted { problems.append("rule \(name): priority \(priority) is used twice; priorities are unique in a web ACL") }
            let metric = rule["metricName"].stringValue ?? ""
            if !Self.matches(metric, Self.metricNamePattern) { problems.append("rule \(name): metric name \"\(metric)\" must be 1 to 255 letters, digits and _#:.-/") }
            if let limit = rule["rateBased"]["limit"].intValue, !(10...2_000_000_000).contains(limit) {
                problems.append("rule \(name): the rate limit must be 10 to 2,000,000,000 requests, not \(limit)")
            }
            if let window = rule["rateBased"]["evaluationWindowSec"].intValue, !Self.evaluationWindows.contains(window) {
                problems.append("rule \(name): the evaluation window must be 60, 120, 300 or 600 seconds, not \(window)")
            }
            if let group = rule["managedRuleGroup"].mapValue, (group["name"]?.stringValue ?? "").isEmpty {
                problems.append("rule \(name): the managed rule group needs a name")
            }
            if let overrides = rule["managedRuleGroup"]["overrides"].mapValue, overrides.count > 100 {
                problems.append("rule \(name): at most 100 rule action overrides, not \(overrides.count)")
            }
        }
        return problems
    }

    private static func matches(_ text: String, _ pattern: String) -> Bool {
        text.range(of: pattern, options: .regularExpression) != nil
    }
}
