/// Finding, adding and removing records. ``StateFile/resources`` is kept sorted by address, so
/// a record is found by halving the list: planning, refreshing or applying a large stack looks
/// records up once per resource, and a search or sort of the whole list each time would make
/// that quadratic.
extension StateFile {
    /// The record at `address`.
    public func resource(_ address: Address) -> ResourceRecord? {
        guard order.isKnownSorted else { return resources.first { $0.address == address } }
        return sortedIndex(of: address).map { resources[$0] }
    }

    /// Inserts or replaces the record with the same address, keeping the list sorted.
    public mutating func upsert(_ record: ResourceRecord) {
        guard checkSorted() else {
            resources.removeAll { $0.address == record.address }
            resources.append(record)
            resources.sort { $0.address < $1.address }
            return
        }
        let end = endOfAddress(record.address)
        if end > 0, resources[end - 1].address == record.address {
            resources[end - 1] = record
        } else {
            resources.insert(record, at: end)
        }
        order.isKnownSorted = true
    }

    /// Removes the record at `address`.
    /// - Returns: the removed record.
    @discardableResult
    public mutating func remove(_ address: Address) -> ResourceRecord? {
        let sorted = checkSorted()
        guard let index = sorted ? sortedIndex(of: address) : resources.firstIndex(where: { $0.address == address }) else { return nil }
        let removed = resources.remove(at: index)
        order.isKnownSorted = sorted
        return removed
    }

    /// True when ``resources`` is sorted by address with no address twice (a list edited out of
    /// order by hand is not); checked once after each change made from outside.
    private mutating func checkSorted() -> Bool {
        if !order.isKnownSorted { order = ResourceOrder(resources) }
        return order.isKnownSorted
    }

    /// In a sorted list: the index after every record whose address sorts before or with `address`.
    private func endOfAddress(_ address: Address) -> Int {
        var low = 0
        var high = resources.count
        while low < high {
            let middle = (low + high) / 2
            if address < resources[middle].address { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// In a sorted list: the index of the record at `address`.
    private func sortedIndex(of address: Address) -> Int? {
        let end = endOfAddress(address)
        return end > 0 && resources[end - 1].address == address ? end - 1 : nil
    }
}

/// What is known of the order of a state's resources: a note kept beside them, not part of the
/// state, so two states are equal whatever their notes say.
struct ResourceOrder: Sendable, Equatable {
    /// The resources were sorted by address, no address twice, when last looked at or changed
    /// by ``StateFile`` itself.
    var isKnownSorted = false

    /// Nothing known.
    init() {}

    /// Looks at `resources`.
    init(_ resources: [ResourceRecord]) {
        isKnownSorted = zip(resources, resources.dropFirst()).allSatisfy { $0.address < $1.address }
    }

    static func == (_: ResourceOrder, _: ResourceOrder) -> Bool { true }
}
