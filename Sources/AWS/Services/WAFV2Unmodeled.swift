import Foundation

/// The settings of a web ACL that imgstack's form cannot express, found in `GetWebACL`'s answer
/// (members from botocore's `wafv2` model: `WebACL`, `Rule`, `Statement`, `RuleAction`).
///
/// `UpdateWebACL` replaces the whole web ACL, so anything listed here is removed by imgstack's
/// next update; the resource type shows it as drift so that is never a surprise.
extension WAFV2 {
    /// A JSON value as WAF sent it, for finding the members a typed model does not read.
    indirect enum JSONValue: Decodable, Sendable, Equatable {
        case object([String: JSONValue])
        case array([JSONValue])
        case string(String)
        case number(Double)
        case bool(Bool)
        case null

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let bool = try? container.decode(Bool.self) { self = .bool(bool) }
            else if let number = try? container.decode(Double.self) { self = .number(number) }
            else if let string = try? container.decode(String.self) { self = .string(string) }
            else if let array = try? container.decode([JSONValue].self) { self = .array(array) }
            else { self = .object(try container.decode([String: JSONValue].self)) }
        }

        subscript(_ key: String) -> JSONValue? {
            guard case .object(let members) = self else { return nil }
            return members[key]
        }

        /// Whether the member says anything: not null, false, an empty string, list or object.
        var isSet: Bool {
            switch self {
            case .null: false
            case .bool(let flag): flag
            case .string(let text): !text.isEmpty
            case .array(let items): !items.isEmpty
            case .object(let members): !members.isEmpty
            case .number: true
            }
        }
    }

    /// Finds the unmodelled settings of one web ACL.
    enum Unmodeled {
        /// Read-only members of `WebACL` that no `UpdateWebACL` sets.
        private static let readOnly: Set<String> = ["Capacity", "LabelNamespace", "ManagedByFirewallManager", "RetrofittedByFirewallManager",
                                                    "PreProcessFirewallManagerRuleGroups", "PostProcessFirewallManagerRuleGroups"]

        /// The web ACL's own unmodelled settings (`CustomResponseBodies`, `CaptchaConfig`,
        /// `TokenDomains`, `DefaultAction/Block/CustomResponse`, …) and each rule's, by rule name.
        static func settings(of acl: JSONValue) -> (webACL: [String], rules: [String: [String]]) {
            let own = members(of: acl, beyond: ["Name", "Id", "ARN", "DefaultAction", "Description", "Rules", "VisibilityConfig"], ignoring: readOnly)
                + action(acl["DefaultAction"], at: "DefaultAction", names: ["Allow", "Block"])
            var rules: [String: [String]] = [:]
            if case .array(let items)? = acl["Rules"] {
                for rule in items {
                    guard case .string(let name)? = rule["Name"] else { continue }
                    rules[name] = settings(ofRule: rule, webACLVisibility: acl["VisibilityConfig"])
                }
            }
            return (own, rules)
        }

        /// A rule's unmodelled settings: labels, CAPTCHA and challenge settings, custom
        /// responses, a scope-down statement, a pinned rule group version, another kind of
        /// statement, visibility flags other than the web ACL's (imgstack writes the web ACL's
        /// to every rule).
        static func settings(ofRule rule: JSONValue, webACLVisibility: JSONValue?) -> [String] {
            var paths = members(of: rule, beyond: ["Name", "Priority", "Statement", "Action", "OverrideAction", "VisibilityConfig"])
            paths += action(rule["Action"], at: "Action", names: ["Allow", "Block", "Count"])
            paths += action(rule["OverrideAction"], at: "OverrideAction", names: ["None", "Count"])
            if let statement = rule["Statement"] {
                paths += members(of: statement, beyond: ["ManagedRuleGroupStatement", "RateBasedStatement"], at: "Statement/")
                if let group = statement["ManagedRuleGroupStatement"] {
                    let path = "Statement/ManagedRuleGroupStatement/"
                    paths += members(of: group, beyond: ["VendorName", "Name", "RuleActionOverrides"], at: path)
                    if case .array(let overrides)? = group["RuleActionOverrides"] {
                        for override in overrides {
                            guard case .string(let name)? = override["Name"] else { continue }
                            paths += action(override["ActionToUse"], at: "\(path)RuleActionOverrides/\(name)", names: ["Allow", "Block", "Count"])
                        }
                    }
                }
                if let rate = statement["RateBasedStatement"] {
                    paths += members(of: rate, beyond: ["Limit", "AggregateKeyType", "EvaluationWindowSec"], at: "Statement/RateBasedStatement/")
                }
            }
            for flag in ["SampledRequestsEnabled", "CloudWatchMetricsEnabled"]
            where rule["VisibilityConfig"]?[flag] != webACLVisibility?[flag] {
                paths.append("VisibilityConfig/\(flag)")
            }
            return paths
        }

        /// The set members of a JSON object other than `known` and `ignoring`, as `path` + name.
        private static func members(of value: JSONValue, beyond known: Set<String>, ignoring: Set<String> = [], at path: String = "") -> [String] {
            guard case .object(let members) = value else { return [] }
            return members.filter { !known.contains($0.key) && !ignoring.contains($0.key) && $0.value.isSet }.map { path + $0.key }.sorted()
        }

        /// What an action (`{"Block": {}}`) holds beyond one of `names` with no settings: another
        /// action (`Captcha`, `Challenge`) or settings of its own (`Block/CustomResponse`,
        /// `Allow/CustomRequestHandling`).
        private static func action(_ value: JSONValue?, at path: String, names: Set<String>) -> [String] {
            guard case .object(let members)? = value else { return [] }
            return members.keys.sorted().flatMap { key -> [String] in
                guard names.contains(key), let settings = members[key] else { return ["\(path)/\(key)"] }
                return self.members(of: settings, beyond: [], at: "\(path)/\(key)/")
            }
        }
    }
}
