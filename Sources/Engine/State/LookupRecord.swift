/// What a lookup read, as state records it (Terraform keeps data sources in state with mode
/// `data`): shown by `imgstack state show` and used by `output`, never refreshed or deleted.
public struct LookupRecord: Sendable, Codable, Equatable {
    /// `lookup.<kind>.<name>`.
    public var address: Address
    /// The region it was read in.
    public var region: String
    /// The arguments it was read with.
    public var arguments: [String: Value]
    /// What the read answered, keyed by attribute name.
    public var attributes: [String: Value]

    /// Creates a record.
    public init(address: Address, region: String, arguments: [String: Value], attributes: [String: Value]) {
        self.address = address
        self.region = region
        self.arguments = arguments
        self.attributes = attributes
    }
}

extension StateFile {
    /// The record of the lookup at `address`, nil when none was read.
    public func lookup(_ address: Address) -> LookupRecord? {
        lookups?.first { $0.address == address }
    }

    /// Records `record`, replacing an older read of the same lookup; kept sorted by address.
    public mutating func upsertLookup(_ record: LookupRecord) {
        var all = (lookups ?? []).filter { $0.address != record.address }
        all.append(record)
        lookups = all.sorted { $0.address < $1.address }
    }
}
