/// A resource's independent reads made at once, so a refresh waits one round trip for them all
/// instead of one per read (a KMS key's policy, rotation and tags; a role's inline policies).
/// The calls are the same as when made one after another; only their order changes.
enum ConcurrentReads {
    /// Runs `read` for every key at once.
    /// - Returns: each key's answer.
    /// - Throws: the first error a read throws; the reads still running are cancelled.
    static func map<Key: Hashable & Sendable, Answer: Sendable>(
        _ keys: some Sequence<Key>, _ read: @escaping @Sendable (Key) async throws -> Answer
    ) async throws -> [Key: Answer] {
        try await withThrowingTaskGroup(of: (Key, Answer).self) { reads in
            for key in keys {
                reads.addTask { (key, try await read(key)) }
            }
            var answers: [Key: Answer] = [:]
            for try await (key, answer) in reads { answers[key] = answer }
            return answers
        }
    }
}
