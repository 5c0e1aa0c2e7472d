import Foundation
import Synchronization

/// A flag set by Ctrl-C: no new operation starts once it is set; running ones finish.
public final class CancellationFlag: Sendable {
    private let state = Mutex(false)

    /// Creates an unset flag.
    public init() {}

    /// Sets the flag.
    public func cancel() { state.withLock { $0 = true } }

    /// True once `cancel()` was called.
    public var isCancelled: Bool { state.withLock { $0 } }
}

/// How an apply ended.
public struct ExecutionSummary: Sendable {
    /// One failed operation.
    public struct Failure: Sendable, CustomStringConvertible {
        /// The resource.
        public var address: Address
        /// The operation that failed.
        public var operation: OperationKind
        /// The error as thrown: an AWS error keeps its service, operation, code and request id
        /// (see ``ProviderAPIError``).
        public var error: any Error

        /// The provider API's answer, when the operation failed on one.
        public var apiError: (any ProviderAPIError)? { error as? any ProviderAPIError }

        public var description: String { "\(address): \(operation.noun) failed: \(error)" }
    }

    /// Operations that completed.
    public var completed: Int
    /// Operations that failed.
    public var failures: [Failure]
    /// Operations not run because something they depend on failed, with the cause.
    public var skipped: [(address: Address, operation: OperationKind, cause: Address)]
    /// Operations not started because the run was interrupted.
    public var notStarted: [(address: Address, operation: OperationKind)]
    /// Resources whose deletion AWS has not finished yet.
    public var deletionPending: [Address]
    /// True when Ctrl-C stopped the run early.
    public var interrupted: Bool

    /// The summary of a run with nothing to do.
    public static let nothingToDo = ExecutionSummary(completed: 0, failures: [], skipped: [], notStarted: [], deletionPending: [],
                                                     interrupted: false)

    /// True when everything planned was done.
    public var succeeded: Bool { failures.isEmpty && skipped.isEmpty && notStarted.isEmpty && !interrupted }
}

/// Applies a plan: walks the operations in dependency order, up to `parallelism` at once,
/// committing state after every operation.
public struct Executor: Sendable {
    /// The stack as declared (its expressions are resolved against live state at each step).
    public let stack: StackDefinition
    /// The plan to carry out.
    public let plan: Plan
    /// How many operations run at once.
    public let parallelism: Int
    /// Receives progress events.
    public let events: @Sendable (ExecutionEvent) -> Void
    /// How often a still-running line is reported.
    public let heartbeat: Double
    /// Seconds within which a create's unanswered request takes effect or never will: how long
    /// a create whose answer was lost is looked for (``IntentRecovery/landingTime``).
    public let landingTime: Double
    /// The provider's client, handed to every operation (``OperationContext/client``).
    public let client: (any Sendable)?

    /// Creates an executor.
    public init(stack: StackDefinition, plan: Plan, client: (any Sendable)? = nil, parallelism: Int = 10, heartbeat: Double = 10,
                landingTime: Double = IntentRecovery.landingTime(requestTimeout: 10), events: @escaping @Sendable (ExecutionEvent) -> Void = { _ in }) {
        self.stack = stack
        self.plan = plan
        self.client = client
        self.parallelism = max(1, parallelism)
        self.heartbeat = heartbeat
        self.landingTime = landingTime
        self.events = events
    }

    /// Runs the plan against `store`.
    /// - Parameter cancellation: once set, no new operation starts.
    /// - Returns: what was done, what failed, what was skipped.
    public func run(_ store: StateStore, cancellation: CancellationFlag = CancellationFlag()) async -> ExecutionSummary {
        let capturing = Set(stack.resources.filter { $0.type.schema.capturesDependencies }.map(\.address))
        let graph = OperationGraph(plan: plan, prior: await store.state, capturing: capturing)
        var waitingOn = graph.dependencies
        var ready = graph.nodes.filter { waitingOn[$0]?.isEmpty ?? true }.sorted { $0.description < $1.description }
        var done = Set<OperationNode>()
        var summary = ExecutionSummary(completed: 0, failures: [], skipped: [], notStarted: [], deletionPending: [], interrupted: false)
        var blocked = Set<OperationNode>()

        await withTaskGroup(of: (OperationNode, OperationOutcome).self) { group in
            var running = 0
            func launch() {
                while running < parallelism, !ready.isEmpty, !cancellation.isCancelled {
                    let node = ready.removeFirst()
                    running += 1
                    group.addTask { (node, await self.perform(node, store: store)) }
                }
            }
            launch()
            while let (node, outcome) = await group.next() {
                running -= 1
                done.insert(node)
                switch outcome {
                case .completed:
                    summary.completed += 1
                case .pending:
                    summary.completed += 1
                    summary.deletionPending.append(node.address)
                case .failed(let error):
                    summary.failures.append(.init(address: node.address, operation: node.kind, error: error))
                    for dependent in graph.transitiveDependents(of: node) where blocked.insert(dependent).inserted {
                        summary.skipped.append((dependent.address, dependent.kind, node.address))
                    }
                }
                for dependent in graph.dependents(of: node) {
                    waitingOn[dependent]?.remove(node)
                    if waitingOn[dependent]?.isEmpty ?? false, !blocked.contains(dependent), !done.contains(dependent) {
                        ready.append(dependent)
                    }
                }
                launch()
            }
        }
        summary.interrupted = cancellation.isCancelled
        for node in graph.nodes where !done.contains(node) && !blocked.contains(node) {
            summary.notStarted.append((node.address, node.kind))
        }
        if summary.failures.isEmpty, !summary.interrupted {
            await commitOutputs(store)
        }
        return summary
    }

    private enum OperationOutcome: Sendable {
        case completed
        case pending
        case failed(any Error)
    }

    // MARK: - One operation

    private func perform(_ node: OperationNode, store: StateStore) async -> OperationOutcome {
        let started = Date()
        let deposed = node.deposedID != nil
        // A create announces itself once its intent is recorded, so "Creating..." on screen
        // means a crash from here on is recoverable.
        if node.kind != .create { events(ExecutionEvent(address: node.address, operation: node.kind, deposed: deposed, kind: .started)) }
        let ticker = Task {
            while true {
                try await Task.sleep(nanoseconds: UInt64(heartbeat * 1_000_000_000))
                events(ExecutionEvent(address: node.address, operation: node.kind, deposed: deposed,
                                      kind: .stillRunning(elapsed: Date().timeIntervalSince(started))))
            }
        }
        defer { ticker.cancel() }
        do {
            let id = try await execute(node, store: store)
            // An id made of a secret (a name from another stack's sensitive output) is not shown.
            let shown = stack.resource(node.address)?.sensitiveProperties.contains("id") == true ? nil : id
            events(ExecutionEvent(address: node.address, operation: node.kind, deposed: deposed,
                                  kind: .finished(elapsed: Date().timeIntervalSince(started), id: shown)))
            return .completed
        } catch let pending as DeletionPendingError {
            try? await store.commit { state in
                // The old object of a create-before-destroy replacement is the one pending, not
                // the new object now at the address.
                if let deposedID = node.deposedID {
                    if let index = state.deposed.firstIndex(where: { $0.address == node.address && $0.snapshot.id == deposedID }) {
                        state.deposed[index].deletionPending = true
                    }
                } else if var record = state.resource(node.address) {
                    record.deletionPending = true
                    state.upsert(record)
                }
            }
            events(ExecutionEvent(address: node.address, operation: node.kind, deposed: deposed, kind: .note(pending.message)))
            return .pending
        } catch {
            events(ExecutionEvent(address: node.address, operation: node.kind, deposed: deposed,
                                  kind: .failed(elapsed: Date().timeIntervalSince(started), error: "\(error)")))
            return .failed(error)
        }
    }

    /// Carries out one operation and commits its result. Returns the resource id.
    private func execute(_ node: OperationNode, store: StateStore) async throws -> String? {
        switch node.kind {
        case .create: return try await create(node.address, store: store)
        case .update: return try await update(node.address, store: store)
        case .delete: return try await delete(node, store: store)
        }
    }

    private func create(_ address: Address, store: StateStore) async throws -> String? {
        guard let declaration = stack.resource(address) else { throw ExecutionError.notDeclared(address) }
        let properties = try await resolvedProperties(declaration, store: store)
        let current = await store.record(address)
        try Executor.checkNameIsFree(declaration, properties, current: current)
        let region = declaration.region ?? stack.region
        let intent = CreateIntent(id: UUID().uuidString.lowercased(), address: address, region: region, properties: properties,
                                  dependencies: declaration.dependencies, startedAt: ISO8601DateFormatter().string(from: Date()))
        try await store.commit { state in
            // A create-before-destroy replacement: the old object stays tracked as deposed until
            // its deletion, so a crash in between cannot lose it.
            if let old = state.remove(address) { state.deposed.append(old) }
            state.intents.append(intent)
        }
        events(ExecutionEvent(address: address, operation: .create, deposed: false, kind: .started))
        let context = OperationContext(address: address, region: region, intentID: intent.id, client: client,
                                       report: note(address, .create), calls: CallLedger(creating: true))
        let created: ResourceSnapshot
        do {
            created = try await declaration.type.create(properties, context: context)
        } catch {
            if context.calls.madeNothing {
                try? await Executor.forget(intent, restoring: current, in: store)
            } else if context.calls.outcomeUnknown {
                // The creating call's answer was lost, and it was not sent again: look for what
                // it made (by its intent tag or name) until its request can no longer land.
                context.report("no answer from the create; looking for what it made before doing anything else")
                let recovery = IntentRecovery(types: [declaration.type.schema.typeName: declaration.type], client: client,
                                              landingTime: landingTime)
                if let outcome = try? await recovery.settle(intent, store: store, recoveryStarted: Date()), let id = outcome.adoptedID {
                    context.report("found it (id=\(id)) and recorded it; finishing what the create had left to do")
                    return try await finishAdopted(address, declaration, properties, store: store) ?? id
                }
            }
            throw error
        }
        let snapshot = Executor.recordable(created, declaration)
        try await store.commit { state in
            state.intents.removeAll { $0.id == intent.id }
            state.upsert(ResourceRecord(address: address, region: region, snapshot: snapshot, dependencies: declaration.dependencies))
        }
        return snapshot.id
    }

    /// Brings a resource adopted mid-create (its create's answer was lost after the first call)
    /// to the declared properties the create had not set yet, in place; a difference that only a
    /// replacement can make is left to the next plan.
    private func finishAdopted(_ address: Address, _ declaration: ResourceDeclaration, _ properties: [String: Value],
                               store: StateStore) async throws -> String? {
        guard let record = await store.record(address) else { return nil }
        let type = declaration.type
        let changed = Set(properties.keys.filter { type.normalize($0, properties[$0] ?? .null) != type.normalize($0, record.snapshot.properties[$0] ?? .null) })
        guard !changed.isEmpty, !changed.contains(where: { type.schema.property($0)?.forcesReplacement == true }) else { return nil }
        let context = OperationContext(address: address, region: record.region, client: client, report: note(address, .create))
        let snapshot = Executor.recordable(try await type.update(record.snapshot, to: properties, changed: changed, context: context), declaration)
        try await store.commit { state in
            state.upsert(ResourceRecord(address: address, region: record.region, snapshot: snapshot, dependencies: declaration.dependencies))
        }
        return snapshot.id
    }

    private func update(_ address: Address, store: StateStore) async throws -> String? {
        guard let declaration = stack.resource(address) else { throw ExecutionError.notDeclared(address) }
        guard let record = await store.record(address) else { throw ExecutionError.notRecorded(address) }
        let properties = try await resolvedProperties(declaration, store: store)
        let type = declaration.type
        var changed = Set(plan.changes.first { $0.address == address && $0.deposedID == nil }?.changedProperties ?? [])
        for (name, value) in properties where type.normalize(name, value) != type.normalize(name, record.snapshot.properties[name] ?? .null) {
            changed.insert(name)
        }
        let context = OperationContext(address: address, region: record.region, client: client, report: note(address, .update))
        let snapshot = Executor.recordable(try await type.update(record.snapshot, to: properties, changed: changed, context: context),
                                           declaration)
        try await store.commit { state in
            state.upsert(ResourceRecord(address: address, region: record.region, snapshot: snapshot, dependencies: declaration.dependencies))
        }
        return snapshot.id
    }

    private func delete(_ node: OperationNode, store: StateStore) async throws -> String? {
        let state = await store.state
        var record: ResourceRecord?
        var stillCurrent = false
        if let deposedID = node.deposedID {
            record = state.deposed.first { $0.address == node.address && $0.snapshot.id == deposedID }
            // The old half of a create-before-destroy replacement whose order had to give way (a
            // dependency replaced delete-first): its create has not run, so the old object is still
            // the current record. It goes now, and the create makes the new one afresh.
            if record == nil, let current = state.resource(node.address), current.snapshot.id == deposedID {
                record = current
                stillCurrent = true
            }
        } else {
            record = state.resource(node.address)
        }
        guard let record else { return nil }
        guard let type = stack.knownTypes[record.type] else { throw UnknownTypeError(type: record.type) }
        let context = OperationContext(address: node.address, region: record.region, client: client,
                                       report: note(node.address, .delete))
        // Deleted with the stack's settings of deletion (a bucket's forceDestroy), as the plan said.
        let snapshot = node.deposedID == nil ? stack.deletionSnapshot(of: record) : record.snapshot
        try await type.delete(snapshot, context: context)
        if let message = type.deletionNote(snapshot.properties) {
            events(ExecutionEvent(address: node.address, operation: .delete, deposed: node.deposedID != nil, kind: .note(message)))
        }
        try await store.commit { state in
            if node.deposedID != nil, !stillCurrent {
                state.deposed.removeAll { $0.address == record.address && $0.snapshot.id == record.snapshot.id }
            } else {
                state.remove(node.address)
            }
        }
        return record.snapshot.id
    }

    private func note(_ address: Address, _ kind: OperationKind) -> @Sendable (String) -> Void {
        let events = self.events
        return { message in events(ExecutionEvent(address: address, operation: kind, deposed: false, kind: .note(message))) }
    }

    /// Every declared property (and default) resolved against live state.
    /// - Throws: `ExecutionError.unresolved` when a referenced value is still unknown.
    private func resolvedProperties(_ declaration: ResourceDeclaration, store: StateStore) async throws -> [String: Value] {
        try await readLookups(referencedBy: Array(declaration.properties.values), store: store)
        let state = await store.state
        var unresolved: [Reference] = []
        var properties: [String: Value] = [:]
        for property in declaration.type.schema.properties {
            if let expression = declaration.properties[property.name] {
                properties[property.name] = expression.resolve { reference in
                    let value = Executor.liveValue(reference, in: state, types: stack.knownTypes)
                    if value == .unknown { unresolved.append(reference) }
                    return value
                }
            } else if let fallback = property.defaultValue {
                properties[property.name] = fallback
            }
        }
        guard unresolved.isEmpty else { throw ExecutionError.unresolved(declaration.address, unresolved) }
        return properties
    }

    /// The snapshot as state records it: properties the stack left at their default are
    /// dropped, so refresh reads only what the stack declares (one call per declared group)
    /// and the planner takes the absent ones at their default.
    static func recordable(_ snapshot: ResourceSnapshot, _ declaration: ResourceDeclaration) -> ResourceSnapshot {
        var recorded = snapshot
        recorded.properties = snapshot.properties.filter { name, _ in
            declaration.properties[name] != nil || declaration.type.schema.property(name)?.defaultValue == nil
        }
        return recorded
    }

    static func liveValue(_ reference: Reference, in state: StateFile, types: [String: any ResourceType]) -> Value {
        if reference.address.isLookup { return state.lookup(reference.address)?.attributes[reference.attribute] ?? .unknown }
        guard let record = state.resource(reference.address) else { return .unknown }
        if reference.attribute == "id" { return .string(record.snapshot.id) }
        return record.snapshot.properties[reference.attribute] ?? record.snapshot.attributes[reference.attribute]
            ?? types[record.type]?.schema.property(reference.attribute)?.defaultValue ?? .unknown
    }

    private func commitOutputs(_ store: StateStore) async {
        if !plan.isDestroy {
            // An output may be the only user of a lookup read during apply; one that cannot be
            // read leaves the output unknown (null) rather than failing what was applied.
            try? await readLookups(referencedBy: stack.outputs.map(\.value), store: store)
        }
        let state = await store.state
        var outputs: [String: OutputRecord] = [:]
        if !plan.isDestroy {
            for output in stack.outputs {
                let value = output.value.resolve { Executor.liveValue($0, in: state, types: stack.knownTypes) }
                outputs[output.name] = OutputRecord(value: value == .unknown ? .null : value, sensitive: output.sensitive)
            }
        }
        guard outputs != state.outputs else { return }
        try? await store.commit { $0.outputs = outputs }
    }
}

/// An operation that could not run for a reason of imgstack's own.
public enum ExecutionError: Error, Sendable, CustomStringConvertible {
    /// The plan names a resource the stack does not declare.
    case notDeclared(Address)
    /// An update of a resource that is not in state.
    case notRecorded(Address)
    /// A value the resource needs is still unknown.
    case unresolved(Address, [Reference])
    /// A refresh ended without reading the resource.
    case notRead(Address)
    /// A create-before-destroy replacement would take the unique name of the object it replaces.
    case replacementKeepsName(Address, [String])

    public var description: String {
        switch self {
        case .notDeclared(let address): return "\(address) is not declared by the stack"
        case .notRecorded(let address): return "\(address) is not in state"
        case .notRead: return "not read"
        case .replacementKeepsName(let address, let names):
            return "\(address): the replacement keeps \(names.joined(separator: ", ")) of the object it replaces (unknown when planned); "
                + "nothing was created or deleted. Run the command again: the plan, made with the value known, will not replace it or will delete it first"
        case .unresolved(let address, let references):
            return "\(address): values not known: " + references.map(\.description).joined(separator: ", ")
        }
    }
}
