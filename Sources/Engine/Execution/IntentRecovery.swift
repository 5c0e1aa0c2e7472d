import Foundation

/// Settles creates that a crashed apply left unfinished: each recorded intent is looked up in
/// AWS, and the resource adopted into state if it exists or the intent dropped once it is
/// certain that it never will.
///
/// A lookup that finds nothing is not proof on its own: the crashed run may have sent the
/// create just before it died, and AWS may process it a moment later (or list it a moment
/// later: list calls are eventually consistent). A request already sent can land until it
/// would have timed out, so an intent is only dropped once `landingTime` has passed since this
/// recovery started (the crashed run can send nothing more: this run holds the lock) — looking
/// again every `pollInterval` meanwhile. An intent older than ``settledAge`` is settled by one
/// lookup: no request of its run can still be pending.
public struct IntentRecovery: Sendable {
    /// Resource types by type name.
    public let types: [String: any ResourceType]
    /// The provider's client, handed to every lookup (``OperationContext/client``).
    public let client: (any Sendable)?
    /// Seconds within which a request the crashed run sent can still take effect: the
    /// provider's request timeout (`--request-timeout`) plus ``processingAllowance``.
    public var landingTime: TimeInterval
    /// Seconds between lookups while an intent may still land.
    public var pollInterval: TimeInterval
    /// Told once per intent that is waited for: its address and the seconds it may wait.
    public var waiting: @Sendable (Address, TimeInterval) -> Void

    /// Seconds after which an intent's run cannot have a create still pending, whenever it
    /// died: longer than any create keeps sending its creating call (retries and waits for
    /// AWS's eventual consistency included).
    public static let settledAge: TimeInterval = 600

    /// Seconds AWS may still act on a request it received after the client stopped waiting for
    /// the answer: a control plane finishes what it accepted, and takes seconds to, not minutes.
    public static let processingAllowance: TimeInterval = 20

    /// The landing time of a provider whose requests time out after `requestTimeout` seconds.
    public static func landingTime(requestTimeout: TimeInterval) -> TimeInterval {
        requestTimeout + processingAllowance
    }

    /// Creates a recovery for these types.
    /// - Parameters:
    ///   - landingTime: seconds (default: imgstack's default request timeout of 10 s plus
    ///     ``processingAllowance``).
    ///   - pollInterval: seconds (default 1).
    ///   - waiting: told when an intent is waited for.
    public init(types: [String: any ResourceType], client: (any Sendable)? = nil, landingTime: TimeInterval = 30,
                pollInterval: TimeInterval = 1, waiting: @escaping @Sendable (Address, TimeInterval) -> Void = { _, _ in }) {
        self.types = types
        self.client = client
        self.landingTime = landingTime
        self.pollInterval = pollInterval
        self.waiting = waiting
    }

    /// What happened to one intent.
    public struct Outcome: Sendable, CustomStringConvertible {
        /// The resource address.
        public var address: Address
        /// The id of the adopted resource, nil when the intent was dropped.
        public var adoptedID: String?

        public var description: String {
            if let adoptedID {
                return "\(address): found the resource an interrupted apply created (id=\(adoptedID)); adopted it into state"
            }
            return "\(address): an interrupted apply did not create it; dropped the record of the attempt"
        }
    }

    /// Settles every intent in the store's state, all at once, committing after each.
    /// - Returns: the outcomes in the order the intents were recorded.
    /// - Throws: a lookup's error (that intent stays recorded for the next run; the others
    ///   settled meanwhile stay settled).
    public func recover(_ store: StateStore) async throws -> [Outcome] {
        let intents = await store.state.intents
        let started = Date()
        return try await withThrowingTaskGroup(of: (Int, Outcome).self) { group in
            for (index, intent) in intents.enumerated() {
                group.addTask { (index, try await settle(intent, store: store, recoveryStarted: started)) }
            }
            var outcomes: [(Int, Outcome)] = []
            for try await outcome in group { outcomes.append(outcome) }
            return outcomes.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// When a negative lookup for `intent` becomes final.
    func certainAfter(_ intent: CreateIntent, recoveryStarted: Date) -> Date {
        let settled = ISO8601DateFormatter().date(from: intent.startedAt).map { $0.addingTimeInterval(Self.settledAge) }
        return min(settled ?? .distantFuture, recoveryStarted.addingTimeInterval(landingTime))
    }

    /// Settles one intent: looks for what its create made until a negative lookup is final,
    /// then records it or drops the intent (the executor uses it for a create whose answer
    /// was lost, ``CallLedger/outcomeUnknown``).
    func settle(_ intent: CreateIntent, store: StateStore, recoveryStarted: Date) async throws -> Outcome {
        guard let type = types[intent.address.type] else { throw UnknownTypeError(type: intent.address.type) }
        let context = OperationContext(address: intent.address, region: intent.region, intentID: intent.id, client: client)
        // An object recorded for deletion is an old one, not what the interrupted create made
        // (a Lambda@Edge function waiting for its replicas has the new one's name): never adopt it.
        let state = await store.state
        let pending = Set(([state.resource(intent.address)].compactMap { $0 } + state.deposed.filter { $0.address == intent.address })
            .filter(\.deletionPending).map(\.snapshot.id))
        let lookUp = { try await type.findCreated(from: intent.properties, context: context).flatMap { pending.contains($0.id) ? nil : $0 } }
        let certain = certainAfter(intent, recoveryStarted: recoveryStarted)
        var found = try await lookUp()
        if found == nil, certain > Date() {
            waiting(intent.address, certain.timeIntervalSinceNow)
            while found == nil, certain > Date() {
                try await Task.sleep(nanoseconds: UInt64(max(0, min(pollInterval, certain.timeIntervalSinceNow)) * 1_000_000_000))
                found = try await lookUp()
            }
        }
        try await store.commit { [found] state in
            state.intents.removeAll { $0.id == intent.id }
            if let found {
                if let existing = state.resource(intent.address), existing.snapshot.id != found.id {
                    // The address already holds another object (a create-before-destroy
                    // replacement was under way): keep the old one as deposed.
                    state.deposed.append(existing)
                }
                state.upsert(ResourceRecord(address: intent.address, region: intent.region, snapshot: found,
                                            dependencies: intent.dependencies))
            }
        }
        return Outcome(address: intent.address, adoptedID: found?.id)
    }
}
