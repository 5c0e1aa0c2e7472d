import AWS
import Engine
import Foundation
import ImgStack
import Synchronization
import TestSupport
import XCTest

/// Runs stacks through the engine against the emulator behind the verifying proxy, the way
/// the CLI does (evaluate, refresh, plan, execute), with state kept in memory.
final class StackHarness: @unchecked Sendable {
    let emulator: Emulator
    let aws: AWSClient
    let region: String
    let backend: InMemoryStateBackend
    /// Opens the state of a stack the stacks under test refer to; nil when none do.
    var stackReferenceBackend: (@Sendable (StackReferenceDeclaration) throws -> any StateBackend)?

    /// Connects to the shared emulator (skipping the test locally when moto is missing; failing in CI).
    init(region: String = "us-east-1", state: StateFile? = nil) throws {
        emulator = try Emulator.shared()
        self.region = region
        backend = InMemoryStateBackend(state)
        let phases = RunPhases()
        self.phases = phases
        let log = CallLog()
        callLog = log
        aws = StackHarness.client(emulator: emulator, region: region, phases: phases, log: log)
    }

    /// Every call the harness's client makes while ``CallLog/collecting`` is on.
    let callLog: CallLog

    /// The phases the harness's current run is in: `[.read]` while a plan refreshes,
    /// `[.read, .settle]` when it settles a crashed apply's creates first, nil when not known
    /// (an apply mixes them).
    private let phases: RunPhases

    /// A client that signs with the emulator's test key and talks to the verifying proxy, and
    /// fails the running test when a resource type calls an operation its `AccessDeclaring`
    /// declaration does not list, or, during a plan, one it declares only for other phases:
    /// every integration test that runs a type through the harness checks the declaration
    /// `imgstack policy` is generated from.
    static func client(emulator: Emulator, region: String, phases: RunPhases = RunPhases(), log: CallLog? = nil) -> AWSClient {
        emulator.client(region: region).recording { record in
            if let problem = ResourceCatalog.undeclaredCall(record, during: phases.current) { XCTFail(problem) }
            log?.add(record)
        }
    }

    /// The recorded state.
    var state: StateFile {
        get async throws { try await backend.read() ?? StateFile(stack: "test") }
    }

    /// Evaluates `stack` with `variables`.
    func evaluate(_ stack: Stack, variables: [String: Engine.Value] = [:]) throws -> Stack.Evaluation {
        try stack.evaluate(variables: variables, region: region)
    }

    /// Refreshes state and plans (the engine's deployment, plan only).
    func plan(_ stack: Stack, variables: [String: Engine.Value] = [:], options: PlanOptions = PlanOptions()) async throws -> Plan {
        try await deploy(stack, variables: variables, options: options, planOnly: true).plan
    }

    /// Plans and applies through the engine's deployment, as the CLI does; fails the test when
    /// any operation fails.
    @discardableResult
    func apply(_ stack: Stack, variables: [String: Engine.Value] = [:], options: PlanOptions = PlanOptions(),
               file: StaticString = #filePath, line: UInt = #line) async throws -> Plan {
        let result = try await deploy(stack, variables: variables, options: options)
        let summary = result.summary ?? .nothingToDo
        XCTAssertTrue(summary.failures.isEmpty, "apply failed: \(summary.failures)", file: file, line: line)
        XCTAssertTrue(summary.succeeded, "apply did not finish: skipped \(summary.skipped.map(\.address))", file: file, line: line)
        return result.plan
    }

    /// Plans and applies `stack` through the engine's deployment with a client sending through
    /// `transport` (a ``WatchingTransport`` that holds or orders calls, in front of the
    /// emulator); fails the test when the apply does not succeed.
    @discardableResult
    func apply(_ stack: Stack, through transport: any HTTPTransport, file: StaticString = #filePath, line: UInt = #line) async throws -> Plan {
        let evaluation = try evaluate(stack)
        let result = try await Deployment(stack: evaluation.definition, variables: evaluation.variables, backend: backend,
                                          client: emulator.client(region: region, transport: transport),
                                          options: Deployment.Options(operation: .apply)).run()
        XCTAssertEqual(result.summary?.succeeded, true, "apply failed: \(result.summary?.failures ?? [])", file: file, line: line)
        return result.plan
    }

    /// Plans a destroy and carries it out.
    @discardableResult
    func destroy(_ stack: Stack, variables: [String: Engine.Value] = [:], file: StaticString = #filePath, line: UInt = #line) async throws -> Plan {
        try await apply(stack, variables: variables, options: PlanOptions(destroy: true), file: file, line: line)
    }

    /// Runs `stack` through the engine's deployment against the emulator; an operation's failure
    /// is in the result's summary, not thrown.
    func deploy(_ stack: Stack, variables: [String: Engine.Value] = [:], options: PlanOptions = PlanOptions(),
                planOnly: Bool = false) async throws -> Deployment.Result {
        let evaluation = try evaluate(stack, variables: variables)
        let operation: Deployment.Operation = planOnly ? (options.destroy ? .destroyPlan : .plan) : (options.destroy ? .destroy : .apply)
        // A plan only reads, and settles a crashed apply's creates (findCreated).
        let settles = !((try await backend.read())?.intents.isEmpty ?? true)
        phases.current = planOnly ? (settles ? [.read, .settle] : [.read]) : nil
        defer { phases.current = nil }
        return try await Deployment(stack: evaluation.definition, variables: evaluation.variables, backend: backend, client: aws,
                                    options: Deployment.Options(operation: operation, targets: options.targets,
                                                                replacements: options.forceReplace),
                                    stackReferenceBackend: stackReferenceBackend)
            .run()
    }

    /// The recorded snapshot at `address`.
    func snapshot(_ address: String) async throws -> ResourceSnapshot? {
        guard let parsed = Address(parsing: address) else { return nil }
        return try await state.resource(parsed)?.snapshot
    }

    /// The action the plan takes for `address`.
    static func action(_ plan: Plan, _ address: String) -> ChangeAction? {
        plan.changes.first { $0.address.description == address && $0.deposedID == nil }?.action
    }
}

extension StackHarness {
    /// Plans `stack` after a change made outside imgstack that its form cannot express, and
    /// checks the plan updates exactly `property` of `address` with drift naming each of
    /// `named`; then applies and checks the next plan is empty (the configuration written back).
    func assertUnmanagedDriftIsShownAndRepaired(_ stack: Stack, _ address: String, property: String, named: [String], _ name: String,
                                                 file: StaticString = #filePath, line: UInt = #line) async throws {
        let plan = try await self.plan(stack)
        let change = plan.changes.first { $0.address.description == address }
        XCTAssertEqual(change?.action, .update, "\(name)\n\(HumanPlanRenderer().render(plan))", file: file, line: line)
        XCTAssertEqual(change?.changedProperties, [property], name, file: file, line: line)
        let drift = plan.drift.first { $0.address.description == address }
        let actual = drift.map { "\($0.changes.map(\.actual))" } ?? ""
        for element in named {
            XCTAssertTrue(actual.contains(element), "\(name): the drift does not name \(element): \(actual)", file: file, line: line)
        }
        try await apply(stack, file: file, line: line)
        let repaired = try await self.plan(stack)
        XCTAssertFalse(repaired.hasChanges, "\(name)\n\(HumanPlanRenderer().render(repaired))", file: file, line: line)
    }
}

extension StackHarness {
    /// Plans a destroy of what `stack` deployed and checks that its refresh reads only what
    /// deleting needs (issue #13): one call for each recorded resource, whichever type
    /// (``ResourceType/readForDestroy(_:context:)``), and a plan that destroys them all.
    func assertDestroyReadsOnlyWhatDeletingNeeds(_ stack: Stack, variables: [String: Engine.Value] = [:],
                                                 file: StaticString = #filePath, line: UInt = #line) async throws {
        let recorded = try await state.resources.map(\.address.description)
        let (destroyPlan, calls) = try await callLog.collect {
            try await self.plan(stack, variables: variables, options: PlanOptions(destroy: true))
        }
        let deleted = destroyPlan.changes.filter { $0.action == .delete }.map(\.address.description)
        XCTAssertEqual(Set(deleted), Set(recorded), HumanPlanRenderer().render(destroyPlan), file: file, line: line)
        var byResource: [String: [String]] = [:]
        for call in calls {
            if let resource = call.resource { byResource[resource, default: []].append(call.operation) }
        }
        for address in recorded where byResource[address]?.count != 1 {
            XCTFail("\(address): a destroy's refresh made \(byResource[address] ?? []), not one read", file: file, line: line)
        }
    }
}

/// The calls a harness's client makes, collected around one piece of work.
final class CallLog: Sendable {
    private let records = Mutex<[AWSClient.CallRecord]?>(nil)

    /// Records `record` while collecting.
    func add(_ record: AWSClient.CallRecord) {
        records.withLock { $0?.append(record) }
    }

    /// Runs `work`, collecting every call made meanwhile.
    /// - Returns: what `work` answered, and the calls.
    func collect<Answer>(_ work: () async throws -> Answer) async rethrows -> (result: Answer, calls: [AWSClient.CallRecord]) {
        records.withLock { $0 = [] }
        defer { records.withLock { $0 = nil } }
        let answer = try await work()
        return (answer, records.withLock { $0 ?? [] })
    }
}

/// The phases a harness's run is in, read by its client's recorder on every call.
final class RunPhases: Sendable {
    private let value = Mutex<Set<AccessPhase>?>(nil)

    var current: Set<AccessPhase>? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
