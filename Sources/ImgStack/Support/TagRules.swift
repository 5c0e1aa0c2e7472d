import Engine

/// Tag rules shared by every resource type that takes tags, and the tag prefix imgstack keeps for itself.
enum TagRules {
    /// The prefix of tags imgstack keeps for itself (the intent tag), hidden from stacks.
    static let reservedPrefix = "imgstack:"
    /// The tag a create puts on what it makes: the intent's id, so a crashed run's resource is
    /// told from another of the same name.
    static let intentKey = reservedPrefix + "intent"

    /// Problems with a declared tag map.
    static func problems(_ value: Value?, limit: Int) -> [String] {
        guard case .map(let tags)? = value else { return [] }
        var problems: [String] = []
        if tags.count > limit { problems.append("AWS takes at most \(limit) tags here; there are \(tags.count)") }
        for (key, tagValue) in tags.sorted(by: { $0.key < $1.key }) {
            if key.isEmpty || key.count > 128 { problems.append("tag key \"\(key)\" must be 1 to 128 characters") }
            if key.lowercased().hasPrefix("aws:") { problems.append("tag key \"\(key)\": the aws: prefix is reserved by AWS") }
            if key.hasPrefix(reservedPrefix) { problems.append("tag key \"\(key)\": the \(reservedPrefix) prefix is reserved by imgstack") }
            if case .string(let text) = tagValue, text.count > 256 { problems.append("tag \"\(key)\": values are at most 256 characters") }
        }
        return problems
    }

    /// `tags` with imgstack's intent tag added for a create (hidden from stacks by ``visible(_:)``),
    /// so a crashed run's create is told from a same-named resource of someone else's. Types that
    /// add it take at most one tag fewer than AWS allows (``problems(_:limit:)``).
    static func withIntent(_ tags: [String: String]?, _ context: OperationContext) -> [String: String] {
        var tags = tags ?? [:]
        if let intent = context.intentID { tags[intentKey] = intent }
        return tags
    }

    /// True when a resource's tags carry the intent of `context`'s create: the resource a crashed
    /// run made, not another of the same name. False without an intent.
    static func carryIntent(_ tags: [String: String], of context: OperationContext) -> Bool {
        context.intentID.map { tags[intentKey] == $0 } ?? false
    }

    /// The text a create of a type that takes no tags but has a free-text member (a CloudFront
    /// response headers policy's `Comment`) puts there until the create is confirmed:
    /// `imgstack:intent=<intent id>`, 52 characters for imgstack's UUID ids, within every such
    /// member's limit.
    static func intentNote(_ intent: String) -> String {
        intentKey + "=" + intent
    }

    /// `tags` without imgstack's own, so they never show as drift.
    static func visible(_ tags: [String: String]) -> Value {
        .map(tags.filter { !$0.key.hasPrefix(reservedPrefix) }.mapValues(Value.string))
    }
}
