import Engine

extension ResourceType {
    /// The `readForDestroy` of a type whose delete needs nothing that can change outside
    /// imgstack: `existence` alone is read, and the resource is handed on as state recorded it.
    /// - Parameter existence: the type's existence read; nil when the resource is gone.
    /// - Returns: `recorded`, or nil when `existence` answered nil.
    /// - Throws: `existence`'s error.
    func recordedIfExists<Found>(_ recorded: ResourceSnapshot, _ existence: () async throws -> Found?) async rethrows -> ResourceSnapshot? {
        try await existence() == nil ? nil : recorded
    }
}
