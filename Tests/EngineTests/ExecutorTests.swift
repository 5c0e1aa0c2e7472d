import Engine
import Synchronization
import XCTest

final class ExecutorTests: XCTestCase {
    private let harness = Harness()

    private func chain() -> StackDefinition {
        harness.stack([
            harness.thing("a", ["name": "alpha"]),
            harness.thing("b", ["name": "beta", "target": .ref("a", "arn")]),
            harness.thing("c", ["name": "gamma", "target": .ref("b", "arn")]),
        ], outputs: [OutputDeclaration(name: "c_arn", value: .ref("c", "arn")),
                     OutputDeclaration(name: "label", value: .concat(["b is ", .ref("b", "name")]))])
    }

    // MARK: - Order

    func testCreatesRunInDependencyOrderWithReferencesResolvedFromLiveState() async throws {
        let applied = try await harness.apply(chain())
        XCTAssertTrue(applied.summary.succeeded, "\(applied.summary.failures)")
        XCTAssertEqual(applied.summary.completed, 3)
        let mutations = await harness.cloud.mutations
        XCTAssertEqual(mutations, ["create a", "create b", "create c"])
        let state = await harness.state()
        XCTAssertEqual(state.resource(.thing("b"))?.snapshot.properties["target"], "arn:memory:memory.thing:alpha")
        XCTAssertEqual(state.resource(.thing("c"))?.dependencies, [.thing("b")])
        XCTAssertEqual(state.intents, [])
    }

    func testSecondApplyOfTheSameStackChangesNothing() async throws {
        try await harness.apply(chain())
        let plan = try await harness.plan(chain())
        XCTAssertFalse(plan.hasChanges, "\(plan.actionable.map(\.address))")
    }

    func testDestroyDeletesInReverseDependencyOrderAndClearsOutputs() async throws {
        try await harness.apply(chain())
        let applied = try await harness.apply(chain(), PlanOptions(destroy: true))
        XCTAssertTrue(applied.summary.succeeded)
        let deletes = await harness.cloud.calls("delete").map(\.address.name)
        XCTAssertEqual(deletes, ["c", "b", "a"])
        let state = await harness.state()
        XCTAssertEqual(state.resources, [])
        XCTAssertEqual(state.outputs, [:])
        let objects = await harness.cloud.objects
        XCTAssertTrue(objects.isEmpty)
    }

    func testUndeclaredResourceIsDeletedAfterItsDependentMovesOff() async throws {
        let first = harness.stack([harness.thing("a", ["name": "alpha"]), harness.thing("b", ["name": "beta", "target": .ref("a", "arn")])])
        try await harness.apply(first)
        let applied = try await harness.apply(harness.stack([harness.thing("b", ["name": "beta", "target": "none"])]))
        XCTAssertTrue(applied.summary.succeeded)
        let mutations = await harness.cloud.mutations
        XCTAssertEqual(mutations.suffix(2), ["update b(beta)", "delete a(alpha)"])
    }

    func testASnapshotIsTakenAfterTheDeletionOfADependencyTheStackDropped() async throws {
        // `live` captures `m1` and `m2` as an API Gateway deployment captures methods; `stage`
        // serves `live`. Dropping `m2` replaces `live`: the new snapshot must not hold `m2`.
        let harness = Harness(type: { MemoryResourceType(cloud: $0, capturesDependencies: true) })
        let before = harness.stack([harness.thing("m1", ["name": "one"]), harness.thing("m2", ["name": "two"]),
                                    harness.thing("live", ["name": .concat(["live:", .ref("m1", "name"), .ref("m2", "name")])]),
                                    harness.thing("stage", ["name": "prod", "target": .ref("live", "arn")])])
        try await harness.apply(before)
        let after = harness.stack([harness.thing("m1", ["name": "one"]),
                                   harness.thing("live", ["name": .concat(["live:", .ref("m1", "name")])]),
                                   harness.thing("stage", ["name": "prod", "target": .ref("live", "arn")])])
        let applied = try await harness.apply(after)
        XCTAssertEqual(applied.plan.change(.thing("live"))?.replaceOrder, .createBeforeDestroy)
        XCTAssertTrue(applied.summary.succeeded, "\(applied.summary.failures)")
        let mutations = Array(await harness.cloud.mutations.suffix(4))
        XCTAssertEqual(mutations, ["delete m2(two)", "create live", "update stage(prod)", "delete live(live:onetwo)"])
        let next = try await harness.plan(after)
        XCTAssertFalse(next.hasChanges)
    }

    // MARK: - Parallelism and failures

    func testParallelismBoundIsRespected() async throws {
        await harness.cloud.setLatency(.milliseconds(60))
        let stack = harness.stack((1...6).map { harness.thing("r\($0)", ["name": .value(.string("r\($0)"))]) })
        let applied = try await harness.apply(stack, parallelism: 2)
        XCTAssertEqual(applied.summary.completed, 6)
        let peak = await harness.cloud.maxConcurrent
        XCTAssertEqual(peak, 2)
    }

    func testParallelismOfOneRunsOneAtATime() async throws {
        await harness.cloud.setLatency(.milliseconds(20))
        let stack = harness.stack((1...4).map { harness.thing("r\($0)", ["name": .value(.string("r\($0)"))]) })
        try await harness.apply(stack, parallelism: 1)
        let peak = await harness.cloud.maxConcurrent
        XCTAssertEqual(peak, 1)
    }

    func testFailureSkipsDependentsButNotIndependentBranches() async throws {
        await harness.cloud.fail("create", .thing("a"), with: .error("boom"))
        let stack = harness.stack([
            harness.thing("a", ["name": "alpha"]),
            harness.thing("b", ["name": "beta", "target": .ref("a", "arn")]),
            harness.thing("c", ["name": "gamma", "target": .ref("b", "arn")]),
            harness.thing("x", ["name": "other"]),
        ], outputs: [OutputDeclaration(name: "x", value: .ref("x", "arn"))])
        let applied = try await harness.apply(stack)
        let summary = applied.summary
        XCTAssertFalse(summary.succeeded)
        XCTAssertEqual(summary.completed, 1)
        XCTAssertEqual(summary.failures.map(\.description), ["memory.thing.a: create failed: InjectedFailure: boom"])
        XCTAssertEqual(summary.failures.first?.operation, .create)
        XCTAssertEqual(summary.skipped.map(\.address), [.thing("b"), .thing("c")])
        XCTAssertEqual(summary.skipped.map(\.cause), [.thing("a"), .thing("a")])
        XCTAssertEqual(summary.notStarted.count, 0)
        let state = await harness.state()
        XCTAssertEqual(state.resources.map(\.address), [.thing("x")])
        XCTAssertEqual(state.outputs, [:], "outputs are not committed by a failed apply")
    }

    func testACreateWhoseAnswerWasLostIsFoundAndRecordedInTheSameRun() async throws {
        // The create took effect but its answer never came: the run looks for what it made (by
        // its intent) instead of failing or creating again, and records it.
        await harness.cloud.fail("create", .thing("a"), with: .answerLost)
        let applied = try await harness.apply(harness.stack([harness.thing("a", ["name": "alpha"])]))
        XCTAssertEqual(applied.summary.failures.count, 0, "\(applied.summary.failures)")
        let state = await harness.state()
        XCTAssertEqual(state.intents, [])
        XCTAssertEqual(state.resource(.thing("a"))?.snapshot.id, "alpha")
        let creates = await harness.cloud.calls("create").count
        XCTAssertEqual(creates, 1, "not created a second time")
    }

    func testACreateTheCloudRefusedLeavesNoIntentForALaterRunToSettleByName() async throws {
        // Every call answered with a refusal (a name taken by a resource of someone else's):
        // nothing was made, and a later run must not adopt the other resource by its name.
        await harness.cloud.fail("create", .thing("a"), with: .refused("EntityAlreadyExists"))
        let applied = try await harness.apply(harness.stack([harness.thing("a", ["name": "alpha"])]))
        XCTAssertEqual(applied.summary.failures.count, 1)
        let state = await harness.state()
        XCTAssertEqual(state.intents, [])
        XCTAssertEqual(state.resources, [])
    }

    func testARefusedCreateOfAReplacementPutsTheOldObjectBack() async throws {
        try await harness.apply(harness.stack([harness.thing("a", ["name": "alpha"])]))
        await harness.cloud.fail("create", .thing("a"), with: .refused("LimitExceeded"))
        // A new name forces a replacement, made create-first as the names differ.
        let replaced = try await harness.apply(harness.stack([harness.thing("a", ["name": "beta"])]))
        XCTAssertEqual(replaced.summary.failures.count, 1)
        let state = await harness.state()
        XCTAssertEqual(state.intents, [])
        XCTAssertEqual(state.deposed, [], "the old object is current again, not left to be deleted")
        XCTAssertEqual(state.resource(.thing("a"))?.snapshot.id, "alpha")
    }

    // MARK: - State commits and intents

    func testStateIsCommittedAfterEveryOperationWithTheSerialCountingUp() async throws {
        try await harness.apply(chain())
        let writes = await harness.backend.writes
        // Each create writes its intent, then its result; the outputs are one more write.
        XCTAssertEqual(writes.count, 7)
        XCTAssertEqual(writes.map(\.serial), Array(1...7))
        XCTAssertEqual(writes.map(\.resources.count), [0, 1, 1, 2, 2, 3, 3])
        XCTAssertEqual(writes.map(\.intents.count), [1, 0, 1, 0, 1, 0, 0])
        XCTAssertEqual(writes.last?.outputs["label"], OutputRecord(value: "b is beta", sensitive: false))
        XCTAssertEqual(writes.last?.outputs["c_arn"], OutputRecord(value: "arn:memory:memory.thing:gamma", sensitive: false))
    }

    func testIntentIsWrittenBeforeCreateAndRemovedAfter() async throws {
        let backend = harness.backend
        let seen = Recorder<[CreateIntent]>()
        await harness.cloud.onCall("create") { call, context in
            let intents = await backend.stored?.intents ?? []
            await seen.add(intents.filter { $0.id == context.intentID && $0.address == call.address })
        }
        try await harness.apply(harness.stack([harness.thing("a", ["name": "alpha", "label": "x"])]))
        let matching = await seen.items
        XCTAssertEqual(matching.count, 1)
        XCTAssertEqual(matching.first?.first?.properties, ["name": "alpha", "label": "x", "size": 1])
        let intents = await harness.state().intents
        XCTAssertEqual(intents, [])
    }

    // MARK: - Replacements

    func testCreateBeforeDestroyKeepsTheOldObjectDeposedUntilDeleted() async throws {
        try await harness.apply(harness.stack([harness.thing("a", ["name": "alpha"]),
                                               harness.thing("b", ["name": "beta", "target": .ref("a", "name")])]))
        let backend = harness.backend
        let seen = Recorder<String>()
        await harness.cloud.onCall("delete") { call, _ in
            let state = await backend.stored
            await seen.add("deposed=\(state?.deposed.map(\.snapshot.id) ?? []) current=\(state?.resource(call.address)?.snapshot.id ?? "-")")
        }
        let applied = try await harness.apply(harness.stack([harness.thing("a", ["name": "alpha2"]),
                                                             harness.thing("b", ["name": "beta", "target": .ref("a", "name")])]))
        XCTAssertEqual(applied.plan.change(.thing("a"))?.replaceOrder, .createBeforeDestroy)
        XCTAssertTrue(applied.summary.succeeded, "\(applied.summary.failures)")
        let mutations = await harness.cloud.mutations
        XCTAssertEqual(mutations.suffix(3), ["create a", "update b(beta)", "delete a(alpha)"])
        let seenAtDelete = await seen.items
        XCTAssertEqual(seenAtDelete, ["deposed=[\"alpha\"] current=alpha2"])
        let state = await harness.state()
        XCTAssertEqual(state.deposed, [])
        XCTAssertEqual(state.resource(.thing("b"))?.snapshot.properties["target"], "alpha2")
    }

    func testDeleteBeforeCreateDeletesTheOldObjectFirst() async throws {
        try await harness.apply(harness.stack([harness.thing("a", ["name": "alpha", "zone": "z1"]),
                                               harness.thing("b", ["name": "beta", "target": .ref("a", "arn")])]))
        let applied = try await harness.apply(harness.stack([harness.thing("a", ["name": "alpha", "zone": "z2"]),
                                                             harness.thing("b", ["name": "beta", "target": .ref("a", "arn")])]))
        XCTAssertEqual(applied.plan.change(.thing("a"))?.replaceOrder, .deleteBeforeCreate)
        XCTAssertTrue(applied.summary.succeeded, "\(applied.summary.failures)")
        let mutations = await harness.cloud.mutations
        XCTAssertEqual(mutations.suffix(3), ["delete a(alpha)", "create a", "update b(beta)"])
        let zone = await harness.state().resource(.thing("a"))?.snapshot.properties["zone"]
        XCTAssertEqual(zone, "z2")
    }

    func testCreateBeforeDestroyWhoseDependentIsReplacedDeleteFirstFinishes() async throws {
        let before = harness.stack([harness.thing("a", ["name": "alpha"]), harness.thing("b", ["name": "beta", "zone": .ref("a", "arn")])])
        try await harness.apply(before)
        let after = harness.stack([harness.thing("a", ["name": "alpha2"]), harness.thing("b", ["name": "beta", "zone": .ref("a", "arn")])])
        let applied = try await harness.apply(after)
        XCTAssertEqual(applied.plan.change(.thing("a"))?.replaceOrder, .createBeforeDestroy)
        XCTAssertEqual(applied.plan.change(.thing("b"))?.replaceOrder, .deleteBeforeCreate)
        XCTAssertTrue(applied.summary.succeeded, "\(applied.summary.failures)")
        let mutations = await harness.cloud.mutations
        let last = Array(mutations.suffix(4))
        XCTAssertEqual(Set(last), ["create a", "delete b(beta)", "create b", "delete a(alpha)"])
        XCTAssertEqual(last.last, "delete a(alpha)", "the old object goes after its dependent moved off")
        XCTAssertEqual(last[2], "create b", "b is created after a's replacement exists and the old b is gone")
        let state = await harness.state()
        XCTAssertEqual(state.resource(.thing("b"))?.snapshot.properties["zone"], "arn:memory:memory.thing:alpha2")
        XCTAssertEqual(state.deposed, [])
        let next = try await harness.plan(after)
        XCTAssertFalse(next.hasChanges)
    }

    func testDeleteBeforeCreateWhoseDependentIsReplacedCreateFirstFinishes() async throws {
        let before = harness.stack([harness.thing("a", ["name": "alpha", "zone": "z1"]),
                                    harness.thing("b", ["name": "beta", "zone": .ref("a", "arn")])])
        try await harness.apply(before)
        let after = harness.stack([harness.thing("a", ["name": "alpha", "zone": "z2"]),
                                   harness.thing("b", ["name": "beta2", "zone": .ref("a", "arn")])])
        let applied = try await harness.apply(after)
        XCTAssertEqual(applied.plan.change(.thing("a"))?.replaceOrder, .deleteBeforeCreate)
        XCTAssertEqual(applied.plan.change(.thing("b"))?.replaceOrder, .createBeforeDestroy)
        XCTAssertTrue(applied.summary.succeeded, "\(applied.summary.failures)")
        let state = await harness.state()
        XCTAssertEqual(state.resources.map(\.snapshot.id), ["alpha", "beta2"])
        XCTAssertEqual(state.deposed, [])
        let objects = await harness.cloud.objects.keys.sorted()
        XCTAssertEqual(objects, ["alpha", "beta2"])
    }

    func testCreateBeforeDestroyDependentThatSortsFirstIsDeletedBeforeItsDeleteFirstDependency() async throws {
        // `a` refers to `b`; `b` is replaced delete-first (same name), `a` create-first (new name).
        // The two orders conflict, and `a`'s address comes first: its old object must go before
        // `b` does, not be left behind as a deposed record once the new `a` exists.
        let before = harness.stack([harness.thing("a", ["name": "alpha", "zone": .ref("b", "arn")]),
                                    harness.thing("b", ["name": "beta", "zone": "z1"])])
        try await harness.apply(before)
        let after = harness.stack([harness.thing("a", ["name": "alpha2", "zone": .ref("b", "arn")]),
                                   harness.thing("b", ["name": "beta", "zone": "z2"])])
        let applied = try await harness.apply(after)
        XCTAssertEqual(applied.plan.change(.thing("a"))?.replaceOrder, .createBeforeDestroy)
        XCTAssertEqual(applied.plan.change(.thing("b"))?.replaceOrder, .deleteBeforeCreate)
        XCTAssertTrue(applied.summary.succeeded, "\(applied.summary.failures)")
        let mutations = Array(await harness.cloud.mutations.suffix(4))
        XCTAssertEqual(mutations, ["delete a(alpha)", "delete b(beta)", "create b", "create a"])
        let state = await harness.state()
        XCTAssertEqual(state.deposed, [], "nothing left for a later run")
        XCTAssertEqual(state.resources.map(\.snapshot.id), ["alpha2", "beta"])
        let objects = await harness.cloud.objects.keys.sorted()
        XCTAssertEqual(objects, ["alpha2", "beta"])
        let next = try await harness.plan(after)
        XCTAssertFalse(next.hasChanges)
    }

    func testACreateFirstReplacementWhoseNameTurnsOutTheSameStopsBeforeAnyCall() async throws {
        // `b`'s name is `a`'s arn. `a` is replaced keeping its name, so `b`'s new name is unknown
        // when planned (create first) and resolves to the old one at apply.
        let before = harness.stack([harness.thing("a", ["name": "alpha", "zone": "z1"]), harness.thing("b", ["name": .ref("a", "arn")])])
        try await harness.apply(before)
        let after = harness.stack([harness.thing("a", ["name": "alpha", "zone": "z2"]), harness.thing("b", ["name": .ref("a", "arn")])])
        let applied = try await harness.apply(after)
        XCTAssertEqual(applied.plan.change(.thing("b"))?.replaceOrder, .createBeforeDestroy)
        let failure = try XCTUnwrap(applied.summary.failures.first)
        XCTAssertEqual(failure.address, .thing("b"))
        guard case ExecutionError.replacementKeepsName(_, let names)? = failure.error as? ExecutionError else {
            return XCTFail("\(failure.error)")
        }
        XCTAssertEqual(names, ["name"])
        let creates = await harness.cloud.calls("create").filter { $0.address == .thing("b") }
        XCTAssertEqual(creates.count, 1, "only the first apply created b")
        let state = await harness.state()
        XCTAssertEqual(state.resource(.thing("b"))?.snapshot.id, "arn:memory:memory.thing:alpha", "the old b is still tracked")
        XCTAssertEqual(state.deposed, [])
        let rerun = try await harness.apply(after)
        XCTAssertTrue(rerun.summary.succeeded, "\(rerun.summary.failures)")
        XCTAssertEqual(rerun.plan.change(.thing("b"))?.action, .noop, "known now: nothing to replace")
    }

    func testUpdateChangesOnlyTheChangedPropertiesAndRecordsTheResult() async throws {
        try await harness.apply(harness.stack([harness.thing("a", ["name": "alpha", "label": "one"])]))
        let applied = try await harness.apply(harness.stack([harness.thing("a", ["name": "alpha", "label": "two"])]))
        XCTAssertEqual(applied.plan.action("a"), .update)
        let record = await harness.state().resource(.thing("a"))
        XCTAssertEqual(record?.snapshot.properties["label"], "two")
        XCTAssertEqual(record?.snapshot.attributes["version"], 2)
    }

    // MARK: - Cancellation and pending deletions

    func testCancellationStartsNothingNewLetsInFlightFinishAndReportsInterrupted() async throws {
        await harness.cloud.setLatency(.milliseconds(100))
        let flag = CancellationFlag()
        // Cancelled once the second create is under way: both launched operations are in flight.
        await harness.cloud.onCall("create") { call, _ in
            if call.address == .thing("r2") { flag.cancel() }
        }
        let stack = harness.stack((1...5).map { harness.thing("r\($0)", ["name": .value(.string("r\($0)"))]) },
                                  outputs: [OutputDeclaration(name: "o", value: .ref("r1", "arn"))])
        let applied = try await harness.apply(stack, parallelism: 2, cancellation: flag)
        let summary = applied.summary
        XCTAssertTrue(summary.interrupted)
        XCTAssertFalse(summary.succeeded)
        XCTAssertEqual(summary.completed, 2)
        XCTAssertEqual(summary.notStarted.map(\.address), [.thing("r3"), .thing("r4"), .thing("r5")])
        let creates = await harness.cloud.calls("create").count
        XCTAssertEqual(creates, 2)
        let state = await harness.state()
        XCTAssertEqual(state.resources.map(\.address), [.thing("r1"), .thing("r2")], "in-flight creates were recorded")
        XCTAssertEqual(state.intents, [])
        XCTAssertEqual(state.outputs, [:])
    }

    func testDeletionPendingErrorMarksTheRecordPending() async throws {
        try await harness.apply(harness.stack([harness.thing("a", ["name": "alpha"])]))
        await harness.cloud.fail("delete", .thing("a"), with: .deletionPending("replicas are still being removed"))
        let notes = LockedList<String>()
        let applied = try await harness.apply(harness.stack([]), events: { event in
            if case .note(let text) = event.kind { notes.add(text) }
        })
        XCTAssertEqual(notes.items, ["replicas are still being removed"])
        XCTAssertEqual(applied.summary.deletionPending, [.thing("a")])
        XCTAssertEqual(applied.summary.failures.count, 0)
        let record = await harness.state().resource(.thing("a"))
        XCTAssertEqual(record?.deletionPending, true)
        let next = try await harness.plan(harness.stack([]))
        XCTAssertEqual(next.change(.thing("a"))?.reason, "deletion pending since an earlier run")
    }

    /// The issue's example: destroy while replicas remain, then apply again. The object is
    /// taken back — updated in place, no longer pending — never created beside itself.
    func testAPendingDeletionDeclaredAgainIsTakenBackAndUpdatedInPlace() async throws {
        try await harness.apply(harness.stack([harness.thing("a", ["name": "alpha"])]))
        await harness.cloud.fail("delete", .thing("a"), with: .deletionPending("replicas are still being removed"))
        _ = try await harness.apply(harness.stack([]), PlanOptions(destroy: true))
        let pending = await harness.state().resource(.thing("a"))
        XCTAssertEqual(pending?.deletionPending, true)

        let again = harness.stack([harness.thing("a", ["name": "alpha", "label": "back"])])
        let applied = try await harness.apply(again)
        let change = try XCTUnwrap(applied.plan.change(.thing("a")))
        XCTAssertEqual(change.action, .update)
        XCTAssertTrue(change.reason?.contains("taken back") == true, change.reason ?? "")
        XCTAssertEqual(applied.summary.failures.count, 0)
        let creates = await harness.cloud.calls("create").count
        XCTAssertEqual(creates, 1, "only the first apply created it")
        let record = await harness.state().resource(.thing("a"))
        XCTAssertEqual(record?.deletionPending, false)
        XCTAssertEqual(record?.snapshot.id, "alpha")
        XCTAssertEqual(record?.snapshot.properties["label"], "back")
        let next = try await harness.plan(again)
        XCTAssertEqual(next.action("a"), .noop)
    }

    func testDeletionPendingOfADeposedObjectLeavesTheNewRecordAlone() async throws {
        try await harness.apply(harness.stack([harness.thing("a", ["name": "alpha"])]))
        await harness.cloud.fail("delete", .thing("a"), with: .deletionPending("replicas are still being removed"))
        let applied = try await harness.apply(harness.stack([harness.thing("a", ["name": "alpha2"])]))
        XCTAssertEqual(applied.summary.deletionPending, [.thing("a")])
        let state = await harness.state()
        XCTAssertEqual(state.resource(.thing("a"))?.snapshot.id, "alpha2")
        XCTAssertEqual(state.resource(.thing("a"))?.deletionPending, false, "the new object is not being deleted")
        XCTAssertEqual(state.deposed.map(\.snapshot.id), ["alpha"])
        XCTAssertEqual(state.deposed.first?.deletionPending, true)
        let next = try await harness.plan(harness.stack([harness.thing("a", ["name": "alpha2"])]))
        XCTAssertEqual(next.action("a"), .noop)
    }

    func testHeartbeatAndStartFinishEventsAreReported() async throws {
        await harness.cloud.setLatency(.milliseconds(120))
        let kinds = LockedList<String>()
        let stack = harness.stack([harness.thing("a", ["name": "alpha"])])
        let plan = try await harness.plan(stack)
        let store = StateStore(state: await harness.state(), backend: harness.backend)
        let events: @Sendable (ExecutionEvent) -> Void = { event in
            let text: String
            switch event.kind {
            case .started: text = "started"
            case .stillRunning: text = "still"
            case .finished(_, let id): text = "finished \(id ?? "-")"
            case .failed: text = "failed"
            case .note: text = "note"
            }
            kinds.add(text)
        }
        _ = await Executor(stack: stack, plan: plan, heartbeat: 0.05, events: events).run(store)
        let seen = kinds.items
        XCTAssertEqual(seen.first, "started")
        XCTAssertEqual(seen.last, "finished alpha")
        XCTAssertTrue(seen.contains("still"), "\(seen)")
    }
}

/// Collects values from synchronous callbacks on any thread.
final class LockedList<Item: Sendable>: Sendable {
    private let storage = Mutex<[Item]>([])
    func add(_ item: Item) { storage.withLock { $0.append(item) } }
    var items: [Item] { storage.withLock { $0 } }
}

/// Collects values from concurrent async callbacks.
actor Recorder<Item: Sendable> {
    private(set) var items: [Item] = []
    func add(_ item: Item) { items.append(item) }
}
