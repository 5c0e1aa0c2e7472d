/// A resource's independent writes sent at once: calls that need no other's answer and that
/// AWS accepts together on one resource (a role's inline policies, a key's description,
/// rotation and tags). A type that writes this way says in its own docs why AWS allows it; the
/// writes that S3, Lambda and others refuse together stay one after another.
enum ConcurrentWrites {
    /// Runs every write at once and waits for them all.
    /// - Parameter writes: the writes; none needs another's answer.
    /// - Throws: the first error a write threw, once the others have finished (they are not
    ///   cancelled: what they wrote is written, and the next refresh reads it).
    static func all(_ writes: [@Sendable () async throws -> Void]) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for write in writes { group.addTask(operation: write) }
            try await group.waitForAll()
        }
    }
}
