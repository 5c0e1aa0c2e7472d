import Engine
import Foundation
import XCTest

/// The one pipeline: lock → read state once → settle intents → refresh → plan → review → apply →
/// unlock, whatever the caller.
final class DeploymentTests: XCTestCase {
    private let harness = Harness()

    private func deployment(_ stack: StackDefinition, _ operation: Deployment.Operation, targets: [Address] = [],
                            saved: Deployment.SavedPlan? = nil, events: @escaping @Sendable (DeploymentEvent) -> Void = { _ in },
                            review: (@Sendable (Plan) async throws -> Bool)? = nil) -> Deployment {
        Deployment(stack: stack, backend: harness.backend, client: nil,
                   options: Deployment.Options(operation: operation, targets: targets, savedPlan: saved), events: events, review: review)
    }

    func testApplyReadsTheStateOnceUnderTheLockAndReleasesIt() async throws {
        let stack = harness.stack([harness.thing("a", ["name": "alpha"]), harness.thing("b", ["name": "beta"])])
        let result = try await deployment(stack, .apply).run()
        XCTAssertEqual(result.summary?.succeeded, true)
        XCTAssertEqual(result.state.resources.count, 2)
        let reads = await harness.backend.reads
        XCTAssertEqual(reads, 1, "the state is read once per run")
        let locks = await harness.backend.locks
        XCTAssertEqual(locks, ["apply"])
        let locked = await harness.backend.isLocked
        XCTAssertFalse(locked, "the lock is released")

        _ = try await deployment(stack, .plan).run()
        let readsAfterPlan = await harness.backend.reads
        XCTAssertEqual(readsAfterPlan, 2)
    }

    func testTheLockIsReleasedWhenTheRunFails() async throws {
        let stack = harness.stack([harness.thing("a", ["name": "alpha"])])
        await XCTAssertThrowsErrorAsync(try await deployment(stack, .apply, targets: [.thing("nope")]).run()) { error in
            XCTAssertEqual("\(error)", "--target memory.thing.nope: the stack declares no such resource and state has none")
        }
        let locked = await harness.backend.isLocked
        XCTAssertFalse(locked)
        let calls = await harness.cloud.calls
        XCTAssertTrue(calls.isEmpty, "a bad address is refused before any call")
    }

    func testUnfinishedCreatesAreSettledBeforeRefreshAndOnlyApplyWritesThem() async throws {
        var prior = state([])
        prior.intents = [CreateIntent(id: "i-1", address: .thing("a"), region: "eu-west-1", properties: ["name": "alpha"],
                                      dependencies: [], startedAt: "2024-05-01T10:00:00Z")]
        try await harness.backend.write(prior)
        await harness.cloud.insert(type: "memory.thing", snapshot: ResourceSnapshot(id: "alpha", properties: ["name": "alpha"]),
                                   intentID: "i-1")
        let stack = harness.stack([harness.thing("a", ["name": "alpha"])])
        let recovered = LockedList<IntentRecovery.Outcome>()

        let plan = try await deployment(stack, .plan, events: { if case .recovered(let outcome) = $0 { recovered.add(outcome) } }).run()
        XCTAssertEqual(plan.plan.change(.thing("a"))?.action, .noop, "the adopted resource is planned as recorded")
        let afterPlan = await harness.state()
        XCTAssertEqual(afterPlan.intents.count, 1, "a plan settles intents in a copy and writes nothing")

        let applied = try await deployment(stack, .apply, events: { if case .recovered(let outcome) = $0 { recovered.add(outcome) } }).run()
        XCTAssertNil(applied.summary, "nothing left to do")
        let afterApply = await harness.state()
        XCTAssertEqual(afterApply.intents, [])
        XCTAssertEqual(afterApply.resource(.thing("a"))?.snapshot.id, "alpha")
        XCTAssertEqual(recovered.items.count, 2)
        let creates = await harness.cloud.calls("create")
        XCTAssertEqual(creates.count, 0, "no second copy is created")
    }

    func testAReviewThatSaysNoAppliesNothing() async throws {
        let stack = harness.stack([harness.thing("a", ["name": "alpha"])])
        let result = try await deployment(stack, .apply, review: { plan in
            XCTAssertEqual(plan.counts.add, 1)
            return false
        }).run()
        XCTAssertNil(result.summary)
        let mutations = await harness.cloud.mutations
        XCTAssertEqual(mutations, [])
    }

    func testASavedPlanIsRefusedOnceTheStateMovedOn() async throws {
        _ = try await deployment(harness.stack([harness.thing("a", ["name": "alpha"])]), .apply).run()
        let withB = harness.stack([harness.thing("a", ["name": "alpha"]), harness.thing("b", ["name": "beta"])])
        let saved = try await deployment(withB, .plan).run().plan
        _ = try await deployment(harness.stack([harness.thing("a", ["name": "alpha"]), harness.thing("c", ["name": "gamma"])]), .apply).run()
        await XCTAssertThrowsErrorAsync(try await deployment(withB, .apply, saved: .init(saved, origin: "my.plan")).run()) { error in
            XCTAssertTrue("\(error)".hasPrefix("my.plan is stale: the state changed since the plan was made"), "\(error)")
        }
        let creates = await harness.cloud.calls("create")
        XCTAssertEqual(creates.map(\.address), [.thing("a"), .thing("c")], "the stale plan applied nothing")
    }

    func testAStateOfAnotherStackIsRefusedBeforeAnyCallAndLeftUntouched() async throws {
        var other = state([record("a", ["name": "alpha"]), record("b", ["name": "beta"])])
        other.stack = "image-server"
        try await harness.backend.write(other)
        let stack = harness.stack([harness.thing("c", ["name": "gamma"])])
        for operation in [Deployment.Operation.plan, .apply, .destroy] {
            await XCTAssertThrowsErrorAsync(try await deployment(stack, operation).run()) { error in
                XCTAssertEqual(error as? StateError, .otherStack(origin: "memory://state", recorded: "image-server", expected: "test"))
                XCTAssertTrue("\(error)".contains("is the state of stack image-server, not test"), "\(error)")
            }
        }
        let calls = await harness.cloud.calls
        XCTAssertTrue(calls.isEmpty, "refused before any call: \(calls)")
        let stored = await harness.backend.stored
        XCTAssertEqual(stored, other, "the other stack's state is left as it was")
        let locked = await harness.backend.isLocked
        XCTAssertFalse(locked)
    }

    private func accountRun(_ stack: StackDefinition, _ operation: Deployment.Operation, account: StateAccount, asked: LockedList<Void>,
                            refresh: Bool = true) -> Deployment {
        Deployment(stack: stack, backend: harness.backend, client: nil, options: Deployment.Options(operation: operation, refresh: refresh),
                   account: { asked.add(()); return account })
    }

    func testAPlanOfAnEmptyStateNeverAsksForTheAccountAndAnApplyRecordsIt() async throws {
        let stack = harness.stack([harness.thing("a", ["name": "alpha"])])
        let asked = LockedList<Void>()
        let mine = StateAccount(id: "111122223333", partition: "aws")
        _ = try await accountRun(stack, .plan, account: mine, asked: asked).run()
        XCTAssertEqual(asked.items.count, 0, "a plan of an empty state needs no credentials")
        _ = try await accountRun(stack, .apply, account: mine, asked: asked).run()
        XCTAssertEqual(asked.items.count, 1)
        let applied = await harness.state()
        XCTAssertEqual(applied.account, mine)
        _ = try await accountRun(stack, .plan, account: mine, asked: asked, refresh: false).run()
        XCTAssertEqual(asked.items.count, 1, "a plan from state alone calls nothing, so it does not ask")
    }

    func testCredentialsOfAnotherAccountAreRefusedBeforeAnyCallNamingBothAccounts() async throws {
        var applied = state([record("a", ["name": "alpha"])])
        applied.account = StateAccount(id: "111122223333", partition: "aws")
        try await harness.backend.write(applied)
        let other = StateAccount(id: "444455556666", partition: "aws")
        let stack = harness.stack([harness.thing("a", ["name": "alpha"]), harness.thing("b", ["name": "beta"])])
        for operation in [Deployment.Operation.plan, .apply, .destroy] {
            await XCTAssertThrowsErrorAsync(try await accountRun(stack, operation, account: other, asked: LockedList<Void>()).run()) { error in
                XCTAssertEqual(error as? AccountMismatchError,
                               AccountMismatchError(origin: "memory://state", recorded: applied.account!, current: other))
                XCTAssertTrue("\(error)".contains("applied to account 111122223333 (aws), but the credentials are for account 444455556666 (aws)"),
                              "\(error)")
            }
        }
        // With --refresh=false the apply asks only once it is about to change something: still before any change.
        await XCTAssertThrowsErrorAsync(try await accountRun(stack, .apply, account: other, asked: LockedList<Void>(), refresh: false).run())
        let calls = await harness.cloud.calls
        XCTAssertTrue(calls.isEmpty, "\(calls)")
        let stored = await harness.backend.stored
        XCTAssertEqual(stored, applied)
    }

    func testAnApplyOfAnotherAccountsStateIsRefusedBeforeItsPlanIsReviewed() async throws {
        // A state that records an account and no resource (as after a destroy): nothing to
        // refresh, so the account is first needed to apply.
        var emptied = state([])
        emptied.account = StateAccount(id: "111122223333", partition: "aws")
        try await harness.backend.write(emptied)
        let reviewed = LockedList<Void>()
        let run = Deployment(stack: harness.stack([harness.thing("a", ["name": "alpha"])]), backend: harness.backend, client: nil,
                             options: Deployment.Options(operation: .apply),
                             account: { StateAccount(id: "444455556666", partition: "aws") },
                             review: { _ in reviewed.add(()); return true })
        await XCTAssertThrowsErrorAsync(try await run.run()) { error in
            XCTAssertTrue(error is AccountMismatchError, "\(error)")
        }
        XCTAssertEqual(reviewed.items.count, 0, "refused before the plan is shown for approval")
        let calls = await harness.cloud.calls
        XCTAssertTrue(calls.isEmpty, "\(calls)")
    }

    func testDestroyRemovesEverythingRecorded() async throws {
        let stack = harness.stack([harness.thing("a", ["name": "alpha"]), harness.thing("b", ["name": "beta", "target": .ref("a", "arn")])])
        _ = try await deployment(stack, .apply).run()
        let destroyed = try await deployment(stack, .destroy).run()
        XCTAssertEqual(destroyed.summary?.succeeded, true)
        XCTAssertEqual(destroyed.state.resources, [])
        let locks = await harness.backend.locks
        XCTAssertEqual(locks, ["apply", "destroy"])
    }
}


/// `XCTAssertThrowsError` for async expressions.
func XCTAssertThrowsErrorAsync<T>(_ expression: @autoclosure () async throws -> T, file: StaticString = #filePath, line: UInt = #line,
                                  _ handler: (any Error) -> Void = { _ in }) async {
    do {
        _ = try await expression()
        XCTFail("expected an error", file: file, line: line)
    } catch {
        handler(error)
    }
}
