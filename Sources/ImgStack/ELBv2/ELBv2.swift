import AWS
import Engine

/// Elastic Load Balancing v2 resources: application load balancers, their target groups and
/// listeners.
public enum ELBv2 {}

extension OperationContext {
    /// Elastic Load Balancing v2 calls in this operation's region.
    var elbv2: AWS.ELBV2 {
        get throws { try aws.elbv2(region: region) }
    }
}

/// Rules the three Elastic Load Balancing v2 types share.
enum ELBv2Rules {
    /// Elastic Load Balancing's service-linked role, made on the account's first load balancer
    /// or target group.
    static let serviceLinkedRole = IAMGrant.serviceLinkedRole("elasticloadbalancing.amazonaws.com", "AWSServiceRoleForElasticLoadBalancing")

    /// Load balancer and target group names: 1–32 letters, digits and hyphens, not beginning or
    /// ending with a hyphen (`CreateLoadBalancer` and `CreateTargetGroup`, `Name`).
    static func nameProblem(_ name: String) -> String? {
        guard (1...32).contains(name.count) else { return "must be 1 to 32 characters, not \(name.count)" }
        let allowed = name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
        guard allowed else { return "\"\(name)\" may contain only letters, digits and hyphens" }
        return name.hasPrefix("-") || name.hasSuffix("-") ? "\"\(name)\" must not begin or end with a hyphen" : nil
    }

    /// Ports, 1–65535.
    static func portProblem(_ port: Int) -> String? {
        (1...65535).contains(port) ? nil : "must be 1 to 65535, not \(port)"
    }

    /// Tag problems; a load balancer, target group or listener takes 50 tags, one of them imgstack's intent tag.
    static func tagIssues(_ properties: [String: Engine.Expression], _ tags: Property<[String: String]>, address: Address) -> [ValidationIssue] {
        TagRules.problems(properties[tags]?.literal, limit: 49).map { ValidationIssue(address, tags, $0) }
    }

    /// The declared tags plus the intent tag of `context`'s create, so a crashed run's resource
    /// is told from a same-named one of someone else's.
    static func taggedWithIntent(_ tags: Value?, _ context: OperationContext) -> [String: String] {
        var tags = strings(tags)
        if let intent = context.intentID { tags[TagRules.intentKey] = intent }
        return tags
    }

    /// True when `tags` carry the intent of `context`'s create.
    static func isTagged(_ tags: [String: String], with context: OperationContext) -> Bool {
        context.intentID.map { tags[TagRules.intentKey] == $0 } ?? false
    }

    /// Writes a tag change (`RemoveTags`, then `AddTags`) when `changed` names the tags property.
    static func retag(_ elbv2: AWS.ELBV2, _ arn: String, from current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                      tags: Property<[String: String]>) async throws {
        guard changed.contains(tags) else { return }
        try await elbv2.replaceTags(arn, had: strings(current.properties[tags.name]), wanted: strings(desired[tags.name]))
    }

    /// A map of strings.
    static func strings(_ value: Value?) -> [String: String] {
        (value?.mapValue ?? [:]).compactMapValues(\.stringValue)
    }

    /// A list of strings.
    static func list(_ value: Value?) -> [String] {
        (value?.listValue ?? []).compactMap(\.stringValue)
    }

    /// A list as a set: sorted, so AWS's order and the stack's compare equal.
    static func sorted(_ value: Value) -> Value {
        guard case .list(let items) = value else { return value }
        return .list(items.sorted { $0.canonicalJSON < $1.canonicalJSON })
    }

    /// Why `id` is not an ARN of this kind of Elastic Load Balancing resource (`loadbalancer/app/`,
    /// `targetgroup/`, `listener/app/`), for `imgstack import`.
    static func importIDProblem(_ id: String, kind: String) -> String? {
        let name = "[A-Za-z0-9-]{1,32}"
        let resource = kind + name + "/[0-9a-f]{16}" + (kind.hasPrefix("listener/") ? "/[0-9a-f]{16}" : "")
        return ImportIDForm.problem(id, matching: ImportIDForm.arn("elasticloadbalancing", resource: resource),
                                    expected: "an Elastic Load Balancing ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:\(kind)…) is expected")
    }
}
