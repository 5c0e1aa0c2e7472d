import Foundation

/// Reads every recorded resource from AWS (all of it, or what deleting needs: ``Scope``), a
/// bounded number of calls at once, and reports drift.
public struct Refresher: Sendable {
    /// Resource types by type name.
    public let types: [String: any ResourceType]
    /// How many calls the reads have in flight at once (`--parallelism`), whichever resources
    /// they are for: a resource's independent reads and other resources' reads share the slots
    /// (``CallSlots``). Reads of up to ``resourcesPerSlot`` times as many resources are under
    /// way, so a read waiting for one answer before its next call leaves its slot to another.
    public let parallelism: Int
    /// Resources under way per call slot.
    public static let resourcesPerSlot = 4
    /// What each resource's read covers.
    public let scope: Scope
    /// The provider's client, handed to every read (``OperationContext/client``).
    public let client: (any Sendable)?
    /// Told as each read starts and as it succeeds (Terraform's `refresh_start` and
    /// `refresh_complete`); a failed read is in the thrown ``Failure``. A read starts when its
    /// resource is taken up, which may be before its first call has a slot.
    public let progress: @Sendable (RefreshProgress) -> Void

    /// Creates a refresher.
    public init(types: [String: any ResourceType], client: (any Sendable)? = nil, parallelism: Int = 10, scope: Scope = .full,
                progress: @escaping @Sendable (RefreshProgress) -> Void = { _ in }) {
        self.types = types
        self.client = client
        self.parallelism = max(1, parallelism)
        self.scope = scope
        self.progress = progress
    }

    /// What a refresh reads of each recorded resource.
    public enum Scope: Sendable {
        /// Every recorded property (``ResourceType/read(_:context:)``): a plan or an apply.
        case full
        /// What deleting needs (``ResourceType/readForDestroy(_:context:)``): a destroy. Its
        /// drift is only the resources deleted outside imgstack; what else was read (an ELB's
        /// deletion protection) is in the state the plan is made from, not reported as drift.
        case destroy
    }

    /// The outcome of refreshing a state.
    public struct Result: Sendable {
        /// The state with every resource as AWS has it now (in a ``Scope/destroy`` refresh, as
        /// recorded, with what deleting needs read); vanished resources removed.
        public var state: StateFile
        /// What changed outside imgstack.
        public var drift: [Drift]
    }

    /// A read that failed; the refresh as a whole fails with every such error listed.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// Each failing resource with its error as thrown (an AWS error keeps its code and
        /// request id: ``ProviderAPIError``).
        public var failures: [(address: Address, error: any Error)]
        public var description: String {
            // One cause for every resource (no credentials, endpoint down) is said once.
            if failures.count > 1, let first = failures.first, failures.allSatisfy({ "\($0.error)" == "\(first.error)" }) {
                return "refresh failed for all \(failures.count) resources: \(first.error)"
            }
            return "refresh failed:\n" + failures.map { "  - \($0.address): read: \($0.error)" }.joined(separator: "\n")
        }
    }

    /// Refreshes `state`.
    /// - Throws: `Failure` when any read fails (the state is not changed by a failed refresh).
    public func refresh(_ state: StateFile) async throws -> Result {
        let records = state.resources
        let slots = CallSlots(limit: parallelism)
        var results: [Address: Swift.Result<ResourceSnapshot?, any Error>] = [:]
        try await withThrowingTaskGroup(of: (Address, Swift.Result<ResourceSnapshot?, any Error>).self) { group in
            var next = 0
            func startNext() {
                guard next < records.count else { return }
                let record = records[next]
                next += 1
                group.addTask { (record.address, await self.read(record, slots: slots)) }
            }
            let window = parallelism >= records.count ? records.count : min(records.count, parallelism * Self.resourcesPerSlot)
            for _ in 0..<window { startNext() }
            while let (address, result) = try await group.next() {
                results[address] = result
                startNext()
            }
        }
        var refreshed = state
        var drift: [Drift] = []
        var failures: [(Address, any Error)] = []
        for record in records {
            switch results[record.address] {
            case .success(let snapshot?):
                var updated = record
                updated.snapshot = snapshot
                refreshed.upsert(updated)
                if scope == .full, let found = propertyDrift(record, snapshot) { drift.append(found) }
            case .success(nil):
                refreshed.remove(record.address)
                if !record.deletionPending { drift.append(Drift(address: record.address, deleted: true)) }
            case .failure(let error):
                failures.append((record.address, error))
            case nil:
                failures.append((record.address, ExecutionError.notRead(record.address)))
            }
        }
        guard failures.isEmpty else { throw Failure(failures: failures) }
        return Result(state: refreshed, drift: drift)
    }

    private func read(_ record: ResourceRecord, slots: CallSlots) async -> Swift.Result<ResourceSnapshot?, any Error> {
        guard let type = types[record.type] else {
            return .failure(UnknownTypeError(type: record.type))
        }
        do {
            let context = OperationContext(address: record.address, region: record.region, client: client, callSlots: slots)
            progress(.started(record.address, id: record.snapshot.id))
            let snapshot = switch scope {
            case .full: try await type.read(record.snapshot, context: context)
            case .destroy: try await type.readForDestroy(record.snapshot, context: context)
            }
            progress(.finished(record.address, id: record.snapshot.id, found: snapshot != nil))
            return .success(snapshot)
        } catch {
            return .failure(error)
        }
    }

    private func propertyDrift(_ record: ResourceRecord, _ snapshot: ResourceSnapshot) -> Drift? {
        guard let type = types[record.type] else { return nil }
        var changes: [PropertyDrift] = []
        for (name, recorded) in record.snapshot.properties.sorted(by: { $0.key < $1.key }) {
            let actual = snapshot.properties[name] ?? .null
            if !type.equivalent(name, type.normalize(name, recorded), type.normalize(name, actual)) {
                changes.append(PropertyDrift(name: name, recorded: recorded, actual: actual))
            }
        }
        guard !changes.isEmpty else { return nil }
        return Drift(address: record.address, deleted: false, changes: changes,
                     sensitiveNames: type.schema.properties.filter(\.sensitive).map(\.name))
    }
}

/// One recorded resource's read during a refresh.
public enum RefreshProgress: Sendable {
    /// The read of the resource with this id began.
    case started(Address, id: String)
    /// The read succeeded; `found` is false when the resource is gone.
    case finished(Address, id: String, found: Bool)
}

/// State holds a resource of a type this build does not know.
public struct UnknownTypeError: Error, Sendable, CustomStringConvertible {
    /// The type name from state.
    public var type: String
    public var description: String { "unknown resource type \(type) in state" }
}
