/// A lookup as a plan reads it: what it read now, what state recorded at the last apply, and
/// whether it feeds a change (the plan shows a lookup only then).
public struct PlannedLookup: Sendable, Codable, Equatable {
    /// `lookup.<kind>.<name>`.
    public var address: Address
    /// The Terraform AWS provider's data source (`aws_kms_key`).
    public var terraformType: String
    /// The region it is read in.
    public var region: String
    /// The arguments it was read with; nil when it is read during apply.
    public var arguments: [String: Value]?
    /// What the last apply recorded; nil when it recorded none.
    public var before: [String: Value]?
    /// What it read for this plan; nil when it is read during apply (its arguments wait for a
    /// resource that is created or changed first).
    public var after: [String: Value]?
    /// True when a resource change or an output change of the plan uses one of its values.
    public var feedsChange: Bool

    /// Creates a planned lookup.
    public init(address: Address, terraformType: String, region: String, arguments: [String: Value]?,
                before: [String: Value]?, after: [String: Value]?, feedsChange: Bool) {
        self.address = address
        self.terraformType = terraformType
        self.region = region
        self.arguments = arguments
        self.before = before
        self.after = after
        self.feedsChange = feedsChange
    }

    /// True when it is read during apply, not before.
    public var readDuringApply: Bool { after == nil }

    /// What it read as a state record; nil when it is read during apply.
    public var record: LookupRecord? {
        guard let after, let arguments else { return nil }
        return LookupRecord(address: address, region: region, arguments: arguments, attributes: after)
    }
}

extension Plan {
    /// What the plan's lookups read, as state records it, sorted by address (those read during
    /// apply are left out); nil when the stack has no lookups.
    public var lookupRecords: [LookupRecord]? {
        lookups.map { $0.compactMap(\.record) }
    }
}
