/// One run of a stack against its state, the way every caller runs it: lock → read state once →
/// settle unfinished creates → refresh → plan → review → apply → outputs → unlock.
///
/// This is the engine's single pipeline, after Terraform's local backend operation
/// (`backend_apply.go`) and Pulumi's `deploy.Deployment`: `plan`, `apply` and `destroy`, the test
/// harnesses and the benchmarks all build a `Deployment` and call ``run()``; none repeats the
/// sequence. A plan-only run (``Options/planOnly``) is the same object stopping after the plan,
/// as Pulumi's preview is its deployment with `DryRun`.
///
/// ```swift
/// let deployment = Deployment(stack: definition, variables: variables, backend: backend, client: aws,
///                             options: .init(operation: .apply, refresh: true))
/// let result = try await deployment.run()
/// ```
public struct Deployment: Sendable {
    /// What a run does.
    public struct Options: Sendable {
        /// The operation, which names the lock and decides whether state may be written.
        public var operation: Operation
        /// Read every recorded resource from the cloud before planning (`--refresh`). Lookups
        /// are read either way, as Terraform reads data sources with `-refresh=false`.
        public var refresh: Bool
        /// Limit the plan to these resources and what they depend on (`--target`).
        public var targets: [Address]
        /// Replace these resources even if nothing changed (`--replace`).
        public var replacements: [Address]
        /// How many operations run at once, and how many calls a refresh has in flight (`--parallelism`).
        public var parallelism: Int
        /// Seconds to wait for another run's lock (`--lock-timeout`).
        public var lockTimeout: Double
        /// A plan saved by an earlier run, applied exactly instead of planning anew; refused
        /// when the state moved on since (``SavedPlanError``).
        public var savedPlan: SavedPlan?
        /// Seconds within which a create request this run or a crashed one sent can still take
        /// effect: how long an unfinished create, or one whose answer was lost, is looked for
        /// before it is taken as never made (``IntentRecovery/landingTime(requestTimeout:)``).
        public var landingTime: Double

        /// Creates options.
        public init(operation: Operation, refresh: Bool = true, targets: [Address] = [], replacements: [Address] = [],
                    parallelism: Int = 10, lockTimeout: Double = 0, savedPlan: SavedPlan? = nil,
                    landingTime: Double = IntentRecovery.landingTime(requestTimeout: 10)) {
            self.operation = operation
            self.refresh = refresh
            self.targets = targets
            self.replacements = replacements
            self.parallelism = max(1, parallelism)
            self.lockTimeout = lockTimeout
            self.savedPlan = savedPlan
            self.landingTime = landingTime
        }

        /// True when the run only plans: state is not written and nothing is applied.
        public var planOnly: Bool { operation == .plan || operation == .destroyPlan }

        /// True when the plan destroys.
        public var destroy: Bool { operation == .destroy || operation == .destroyPlan }
    }

    /// The operation a run carries out.
    public enum Operation: String, Sendable {
        /// Plan only (`imgstack plan`).
        case plan
        /// Plan only, to destroy (`imgstack plan --destroy`).
        case destroyPlan = "plan-destroy"
        /// Plan and apply (`imgstack apply`).
        case apply
        /// Plan a destroy and apply it (`imgstack destroy`).
        case destroy

        /// The name the lock is taken under.
        var lockName: String { self == .destroyPlan ? "plan" : rawValue }
    }

    /// A plan saved by `plan --out`, and where it was read from (for messages).
    public struct SavedPlan: Sendable {
        /// The plan.
        public var plan: Plan
        /// Its file path.
        public var origin: String

        /// Creates a saved plan.
        public init(_ plan: Plan, origin: String) {
            self.plan = plan
            self.origin = origin
        }
    }

    /// What a run did.
    public struct Result: Sendable {
        /// The plan made (or the saved plan applied).
        public var plan: Plan
        /// How applying it ended; nil when nothing was applied (plan only, no changes, or the
        /// review said no).
        public var summary: ExecutionSummary?
        /// The state after the run.
        public var state: StateFile
        /// Set when the run did its work but could not give its state lock back: the lock stays
        /// until `imgstack force-unlock` removes it.
        public var lockLeft: LockLeftError?
    }

    /// The stack as declared, evaluated with `variables` (its stack references resolved once
    /// the run has read them).
    public private(set) var stack: StackDefinition
    /// The variables the stack was evaluated with (recorded in a saved plan).
    public let variables: [String: Value]
    /// Where the state lives.
    public let backend: any StateBackend
    /// The provider's client, handed to every operation (``OperationContext/client``).
    public let client: (any Sendable)?
    /// What the run does.
    public let options: Options
    /// Told what happens, in order (the CLI prints it; tests collect it).
    public let events: @Sendable (DeploymentEvent) -> Void
    /// Shown the plan before anything is applied; answers whether to go on (Terraform's
    /// "Do you want to perform these actions?"). Not asked in plan-only runs or when nothing
    /// changes.
    public let review: @Sendable (Plan) async throws -> Bool
    /// Set by an interrupt: no new operation starts.
    public let cancellation: CancellationFlag
    /// Who the client's credentials belong to. Asked only by a run that calls the provider
    /// anyway (a refresh of recorded resources, settling intents, applying), so a plan of an
    /// empty state needs no credentials; the answer is compared with the state's ``StateFile/account``
    /// and recorded by the apply.
    public let account: (@Sendable () async throws -> StateAccount)?
    /// Opens the state of a stack this one refers to (``StackReferenceDeclaration``), read-only.
    public let stackReferenceBackend: (@Sendable (StackReferenceDeclaration) throws -> any StateBackend)?

    /// Creates a run.
    /// - Parameters:
    ///   - stackReferenceBackend: opens another stack's state for its outputs; needed only by
    ///     stacks that declare stack references.
    ///   - review: nil approves every plan (`--auto-approve`).
    ///   - account: who the credentials belong to; nil records and checks no account.
    public init(stack: StackDefinition, variables: [String: Value] = [:], backend: any StateBackend, client: (any Sendable)?,
                options: Options, cancellation: CancellationFlag = CancellationFlag(),
                account: (@Sendable () async throws -> StateAccount)? = nil,
                stackReferenceBackend: (@Sendable (StackReferenceDeclaration) throws -> any StateBackend)? = nil,
                events: @escaping @Sendable (DeploymentEvent) -> Void = { _ in },
                review: (@Sendable (Plan) async throws -> Bool)? = nil) {
        self.stack = stack
        self.variables = variables
        self.backend = backend
        self.client = client
        self.options = options
        self.cancellation = cancellation
        self.account = account
        self.stackReferenceBackend = stackReferenceBackend
        self.events = events
        self.review = review ?? { _ in true }
    }

    /// Runs the pipeline under the state lock, releasing it however the run ends.
    /// - Throws: `StateError` (lock held, unreadable state, another stack's state),
    ///   ``AccountMismatchError`` (state applied to another account), ``UnknownAddressError`` for a target
    ///   or replacement neither the stack nor the state knows, ``SavedPlanError``, a refresh's
    ///   `Refresher.Failure`, ``LookupError`` for a lookup that finds nothing, more than one
    ///   match or cannot be read, `StackValidationError` for a value a lookup read that breaks
    ///   a rule, a planning error. An operation that fails does not throw: it is in
    ///   the result's summary, with state recording what was done.
    public func run() async throws -> Result {
        // Other stacks' outputs are read first: a missing one stops the run before any lock or write.
        var resolved = self
        let reads: [StackReferenceRead]
        (resolved.stack, reads) = try await resolvingStackReferences()
        resolved.stack = resolved.stack.propagatingSensitivity()
        events(.resolved(resolved.stack))
        return try await resolved.runLocked(reads: reads)
    }

    private func runLocked(reads: [StackReferenceRead]) async throws -> Result {
        let events = self.events
        let waiting = LockWaitReporter { events(.waitingForLock($0)) }
        let lock = LockInfo(operation: options.operation.lockName)
        try await backend.lock(lock, timeout: options.lockTimeout, waiting: { waiting.attemptFound($0) })
        let backend = self.backend
        events(.locked(release: { try? await backend.unlock() }))
        do {
            var result = try await locked(reads: reads)
            do {
                try await backend.unlock()
                events(.unlocked)
            } catch {
                // What the run did stands (state is saved after every operation): it is reported,
                // with the lock that is left, rather than hidden behind this error.
                result.lockLeft = LockLeftError(lockID: lock.id, origin: backend.location, cause: "\(error)")
            }
            return result
        } catch {
            try? await backend.unlock()
            events(.unlocked)
            throw error
        }
    }

    private func locked(reads: [StackReferenceRead]) async throws -> Result {
        let stored = try await backend.read()
        // Refused before any call: a plan against another stack's state deletes all of it.
        try stored?.checkBelongs(to: stack.name, origin: backend.location)
        if let saved = options.savedPlan {
            for planned in saved.plan.stackReferences ?? [] {
                if let now = reads.first(where: { $0.name == planned.name }), now.serial != planned.serial {
                    throw SavedPlanError.stackReferenceMoved(origin: saved.origin, reference: planned.name, stack: planned.stack,
                                                             planned: planned.serial, current: now.serial)
                }
            }
            return try await applySaved(saved, stored: stored)
        }
        let recorded = stored ?? StateFile(stack: stack.name)
        try checkAddresses(in: recorded)
        // Only a run that calls the provider anyway asks whose credentials it has: to settle
        // intents, to refresh, or to read lookups (with nothing recorded to compare, those ask
        // nothing).
        var current: StateAccount?
        let readsLookups = !stack.lookups.isEmpty && !options.destroy && recorded.account != nil
        if !recorded.intents.isEmpty || (options.refresh && !recorded.resources.isEmpty) || readsLookups {
            current = try await checkedAccount(of: recorded)
        }
        // A plan-only run settles intents in a copy: it must not write state.
        let store = StateStore(state: recorded, backend: options.planOnly ? InMemoryStateBackend(recorded) : backend)
        try await recoverIntents(store)
        let (prior, drift) = try await refreshed(await store.state)
        // Lookups are read on every plan, refreshing or not, and checked before any write.
        let looked = try await readLookups(prior: prior)
        try checkLookedUpValues(looked)
        var plan = try Planner(stack: stack, options: PlanOptions(targets: options.targets, forceReplace: options.replacements,
                                                                  destroy: options.destroy), lookups: looked)
            .plan(prior: prior, drift: drift, variables: variables)
        if !reads.isEmpty { plan.stackReferences = reads }
        // An apply asks whose the credentials are before the plan is shown for approval: a
        // refusal must not follow a "yes".
        if !options.planOnly, plan.hasChanges, current == nil { current = try await checkedAccount(of: recorded) }
        guard !options.planOnly, plan.hasChanges, try await review(plan) else {
            // An apply with nothing to change still records what the lookups read now.
            if !options.planOnly, !plan.hasChanges, await store.state.lookups != plan.lookupRecords {
                try await store.commit { [lookups = plan.lookupRecords] in $0.lookups = lookups }
            }
            return Result(plan: plan, summary: nil, state: options.planOnly ? recorded : await store.state)
        }
        // The executor starts from what the plan was made from: the refreshed state, with the
        // account it is applied to and what the lookups read (those read during apply are read
        // by the executor).
        var base = plan.prior
        base.lookups = plan.lookupRecords
        if let current { base.account = current }
        await store.rebase(on: base)
        return await execute(plan, store: store)
    }

    /// The account of this run's credentials, nil without ``account``.
    /// - Throws: ``AccountMismatchError`` when `state` was applied to another account.
    private func checkedAccount(of state: StateFile) async throws -> StateAccount? {
        guard let account else { return nil }
        let current = try await account()
        try state.checkAccount(current, origin: backend.location)
        return current
    }

    private func applySaved(_ saved: SavedPlan, stored: StateFile?) async throws -> Result {
        try SavedPlanError.check(saved, against: stored)
        // A saved plan is applied with what its lookups read when it was made, as Terraform does.
        let read = Dictionary((saved.plan.lookupRecords ?? []).map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        let replayed = try Planner(stack: stack, options: PlanOptions(targets: saved.plan.targets, forceReplace: saved.plan.forceReplace,
                                                                      destroy: saved.plan.isDestroy), lookups: read)
            .plan(prior: saved.plan.prior, drift: saved.plan.drift, variables: saved.plan.variables)
        guard replayed.changes == saved.plan.changes, replayed.outputs == saved.plan.outputs else {
            throw SavedPlanError.codeChanged(origin: saved.origin)
        }
        guard saved.plan.hasChanges else { return Result(plan: saved.plan, summary: nil, state: saved.plan.prior) }
        var base = saved.plan.prior
        base.lookups = saved.plan.lookupRecords
        if let current = try await checkedAccount(of: stored ?? base) { base.account = current }
        return await execute(saved.plan, store: StateStore(state: base, backend: backend))
    }

    private func execute(_ plan: Plan, store: StateStore) async -> Result {
        events(.applying(cancellation))
        let summary = await Executor(stack: stack, plan: plan, client: client, parallelism: options.parallelism,
                                     landingTime: options.landingTime, events: { events(.operation($0)) })
            .run(store, cancellation: cancellation)
        events(.applied)
        return Result(plan: plan, summary: summary, state: await store.state)
    }

    /// Settles creates a crashed apply left unfinished (adopting what they created).
    private func recoverIntents(_ store: StateStore) async throws {
        guard !(await store.state.intents.isEmpty) else { return }
        let recovery = IntentRecovery(types: stack.knownTypes, client: client,
                                      landingTime: options.landingTime,
                                      waiting: { [events = self.events] in events(.waitingForInterruptedCreate($0, seconds: $1)) })
        for outcome in try await recovery.recover(store) {
            events(.recovered(outcome))
        }
    }

    /// The recorded state as the cloud has it now, and what drifted.
    private func refreshed(_ state: StateFile) async throws -> (StateFile, [Drift]) {
        guard options.refresh, !state.resources.isEmpty else { return (state, []) }
        events(.refreshing(count: state.resources.count))
        let result = try await Refresher(types: stack.knownTypes, client: client, parallelism: options.parallelism,
                                        scope: options.destroy ? .destroy : .full, progress: { [events = self.events] in events(.refresh($0)) }).refresh(state)
        return (result.state, result.drift)
    }

    private func checkAddresses(in state: StateFile) throws {
        for (addresses, role) in [(options.targets, UnknownAddressError.Role.target), (options.replacements, .replacement)] {
            for address in addresses where stack.resource(address) == nil && state.resource(address) == nil {
                throw UnknownAddressError(address: address, role: role)
            }
        }
    }
}

/// What a ``Deployment`` reports as it runs.
public enum DeploymentEvent: Sendable {
    /// The stack with other stacks' outputs read and secrets traced through every reference,
    /// before the lock: what the run plans (a state backend that seals secrets learns here
    /// which values are secret).
    case resolved(StackDefinition)
    /// Another run holds the state lock and this one waits (`--lock-timeout`): who holds it,
    /// once, then a line every 10 seconds.
    case waitingForLock(LockWaitReporter.Report)
    /// The state lock is held; `release` gives it back (for an interrupt that ends the process).
    case locked(release: @Sendable () async -> Void)
    /// The lock was released.
    case unlocked
    /// An unfinished create of a crashed run was not found yet, and its request may still land:
    /// it is looked for again for up to this many seconds before it is taken as never made.
    case waitingForInterruptedCreate(Address, seconds: Double)
    /// An unfinished create of a crashed run was settled.
    case recovered(IntentRecovery.Outcome)
    /// Refresh begins, reading this many resources.
    case refreshing(count: Int)
    /// One resource's read during the refresh.
    case refresh(RefreshProgress)
    /// Applying begins; setting the flag stops new operations from starting.
    case applying(CancellationFlag)
    /// One operation's progress.
    case operation(ExecutionEvent)
    /// Applying ended (the summary is in the result).
    case applied
}

/// A `--target` or `--replace` address that neither the stack nor the state knows.
public struct UnknownAddressError: Error, Sendable, CustomStringConvertible {
    /// Which option named it.
    public enum Role: Sendable {
        /// A target.
        case target
        /// A replacement.
        case replacement
    }

    /// The address.
    public var address: Address
    /// Which option named it.
    public var role: Role

    public var description: String {
        "\(role == .target ? "--target" : "--replace") \(address): the stack declares no such resource and state has none"
    }
}
