/// Settles creates that a crashed apply left unfinished: each recorded intent is looked up in
/// AWS, and the resource adopted into state if it exists or the intent dropped if it does not.
public struct IntentRecovery: Sendable {
    /// Resource types by type name.
    public let types: [String: any ResourceType]
    /// The provider's client, handed to every lookup (``OperationContext/client``).
    public let client: (any Sendable)?

    /// Creates a recovery for these types.
    public init(types: [String: any ResourceType], client: (any Sendable)? = nil) {
        self.types = types
        self.client = client
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

    /// Settles every intent in the store's state, committing after each.
    /// - Throws: a lookup's error (the intent stays recorded for the next run).
    public func recover(_ store: StateStore) async throws -> [Outcome] {
        var outcomes: [Outcome] = []
        for intent in await store.state.intents {
            guard let type = types[intent.address.type] else { throw UnknownTypeError(type: intent.address.type) }
            let context = OperationContext(address: intent.address, region: intent.region, intentID: intent.id, client: client)
            // An object recorded for deletion is an old one, not what the interrupted create made
            // (a Lambda@Edge function waiting for its replicas has the new one's name): never adopt it.
            let state = await store.state
            let pending = Set(([state.resource(intent.address)].compactMap { $0 } + state.deposed.filter { $0.address == intent.address })
                .filter(\.deletionPending).map(\.snapshot.id))
            let found = try await type.findCreated(from: intent.properties, context: context).flatMap { pending.contains($0.id) ? nil : $0 }
            try await store.commit { state in
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
            outcomes.append(Outcome(address: intent.address, adoptedID: found?.id))
        }
        return outcomes
    }
}
