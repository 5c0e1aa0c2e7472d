/// A resource's independent reads made at once, so a refresh waits one round trip for them all
/// instead of one per read (a KMS key's policy, rotation and tags; a role's inline policies).
/// When the resource is there, the calls are the ones made one after another; only their order
/// changes. When it is gone, the reads sent with its existence read are answered "not found"
/// too, and their answers dropped.
enum ConcurrentReads {
    /// Runs `existence` and `rest` at once, where `rest` needs only what is known before either
    /// answers (the recorded id or ARN), not `existence`'s answer: a KMS key's description and its
    /// rotation and tags, a topic's attributes and its tags. When `existence` finds nothing
    /// the resource is gone, and whatever `rest` answered or threw (most likely the same "not
    /// found") is dropped.
    /// - Returns: both answers, or nil when `existence` answered nil.
    /// - Throws: `existence`'s error; or, when the resource was found, `rest`'s.
    static func alongside<Found: Sendable, Rest: Sendable>(
        _ existence: @Sendable () async throws -> Found?, _ rest: @escaping @Sendable () async throws -> Rest
    ) async throws -> (Found, Rest)? {
        async let restAnswer = rest()
        guard let found = try await existence() else { return nil }
        return (found, try await restAnswer)
    }

    /// Reads a resource and, when `readsTags`, its tags, which are read by its ARN: by the
    /// `recordedARN` alongside the resource when state has one, else after it, by the ARN the
    /// resource gives; also after it when the resource answers with another ARN, or when the
    /// read by the recorded ARN failed (a same-named resource of another account).
    /// - Parameters:
    ///   - existence: reads the resource; nil when it is gone.
    ///   - arn: the ARN in the resource's answer; nil when it has none (no tags are read).
    ///   - tags: reads the tags of the resource with this ARN.
    /// - Returns: the resource and its tags (nil when not read), or nil when it is gone.
    /// - Throws: the reads' errors, as ``alongside(_:_:)``.
    static func withTags<Found: Sendable, Tags: Sendable>(
        _ existence: @Sendable () async throws -> Found?, arn: (Found) -> String?, recordedARN: String?, readsTags: Bool,
        tags: @escaping @Sendable (String) async throws -> Tags
    ) async throws -> (Found, Tags?)? {
        let early = readsTags ? recordedARN.flatMap { $0.isEmpty ? nil : $0 } : nil
        guard let (found, earlyTags) = try await alongside(existence, { () async -> Result<Tags, any Error>? in
            guard let early else { return nil }
            do { return .success(try await tags(early)) } catch { return .failure(error) }
        }) else { return nil }
        guard readsTags, let arn = arn(found) else { return (found, nil) }
        if early == arn, case .success(let read)? = earlyTags { return (found, read) }
        return (found, try await tags(arn))
    }

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
