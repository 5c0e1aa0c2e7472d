import Engine
import XCTest

final class IntentRecoveryTests: XCTestCase {
    private let harness = Harness()

    private func intent(_ id: String, _ name: String, properties: [String: Value]) -> CreateIntent {
        CreateIntent(id: id, address: .thing(name), region: "eu-west-1", properties: properties,
                     dependencies: [.thing("base")], startedAt: "2024-05-01T10:00:00Z")
    }

    func testResourceFoundForAnIntentIsAdopted() async throws {
        var prior = state([])
        prior.intents = [intent("i-1", "a", properties: ["name": "alpha"])]
        let snapshot = ResourceSnapshot(id: "alpha", properties: ["name": "alpha"], attributes: ["arn": "arn:x"])
        await harness.cloud.insert(type: "memory.thing", snapshot: snapshot, intentID: "i-1")
        let store = StateStore(state: prior, backend: harness.backend)
        let outcomes = try await IntentRecovery(types: ["memory.thing": harness.type]).recover(store)
        XCTAssertEqual(outcomes.map(\.adoptedID), ["alpha"])
        XCTAssertTrue(outcomes.first?.description.contains("adopted it into state") ?? false)
        let state = await harness.state()
        XCTAssertEqual(state.intents, [])
        XCTAssertEqual(state.resource(.thing("a")), ResourceRecord(address: .thing("a"), region: "eu-west-1", snapshot: snapshot,
                                                                   dependencies: [.thing("base")]))
        XCTAssertEqual(state.serial, 8)
    }

    func testIntentWithNothingCreatedIsDropped() async throws {
        var prior = state([])
        prior.intents = [intent("i-2", "a", properties: ["name": "alpha"])]
        await harness.cloud.insert(type: "memory.thing", snapshot: ResourceSnapshot(id: "other", properties: [:]), intentID: "i-other")
        let store = StateStore(state: prior, backend: harness.backend)
        let outcomes = try await IntentRecovery(types: ["memory.thing": harness.type]).recover(store)
        XCTAssertEqual(outcomes.count, 1)
        XCTAssertNil(outcomes.first?.adoptedID)
        let state = await harness.state()
        XCTAssertEqual(state.intents, [])
        XCTAssertEqual(state.resources, [])
    }

    func testAdoptionOverAnotherRecordedObjectKeepsTheOldOneDeposed() async throws {
        var prior = state([record("a", id: "old", ["name": "old"])])
        prior.intents = [intent("i-3", "a", properties: ["name": "new"])]
        await harness.cloud.insert(type: "memory.thing", snapshot: ResourceSnapshot(id: "new", properties: ["name": "new"]), intentID: "i-3")
        let store = StateStore(state: prior, backend: harness.backend)
        _ = try await IntentRecovery(types: ["memory.thing": harness.type]).recover(store)
        let state = await harness.state()
        XCTAssertEqual(state.resource(.thing("a"))?.snapshot.id, "new")
        XCTAssertEqual(state.deposed.map(\.snapshot.id), ["old"])
    }

    /// What a lookup finds under the new object's name may be the old object still being deleted
    /// (a Lambda@Edge function waiting for its replicas): it is never adopted.
    func testAnObjectRecordedForDeletionIsNeverAdopted() async throws {
        let pendingCurrent = record("a", id: "alpha", ["name": "alpha"], deletionPending: true)
        var pendingDeposed = state([])
        pendingDeposed.deposed = [record("a", id: "alpha", ["name": "alpha"], deletionPending: true)]
        for (name, prior) in [("pending at the address", state([pendingCurrent])), ("pending as a deposed object", pendingDeposed)] {
            let harness = Harness()
            var start = prior
            start.intents = [intent("i-6", "a", properties: ["name": "alpha"])]
            await harness.cloud.insert(type: "memory.thing", snapshot: ResourceSnapshot(id: "alpha", properties: ["name": "alpha"]), intentID: "i-6")
            let store = StateStore(state: start, backend: harness.backend)
            let outcomes = try await IntentRecovery(types: ["memory.thing": harness.type]).recover(store)
            XCTAssertEqual(outcomes.map(\.adoptedID), [nil], name)
            let state = await store.state
            XCTAssertEqual(state.intents, [], name)
            XCTAssertEqual(state.resource(.thing("a"))?.deletionPending ?? state.deposed.first?.deletionPending, true, name)
        }
    }

    func testLookupFailureKeepsTheIntent() async throws {
        var prior = state([])
        prior.intents = [intent("i-4", "a", properties: ["name": "alpha"])]
        await harness.cloud.fail("findCreated", .thing("a"))
        let store = StateStore(state: prior, backend: harness.backend)
        do {
            _ = try await IntentRecovery(types: ["memory.thing": harness.type]).recover(store)
            XCTFail("recovery succeeded although the lookup failed")
        } catch let error as MemoryCloudError {
            XCTAssertEqual(error, .injected("injected failure"))
        }
        let intents = await store.state.intents
        XCTAssertEqual(intents.map(\.id), ["i-4"])
    }

    // MARK: - A create whose request may still land

    private func recentIntent(_ id: String, _ name: String) -> CreateIntent {
        CreateIntent(id: id, address: .thing(name), region: "eu-west-1", properties: ["name": .string(name)], dependencies: [],
                     startedAt: ISO8601DateFormatter().string(from: Date()))
    }

    func testARecentIntentNotFoundAtFirstIsLookedForAgainAndAdoptedWhenItsRequestLands() async throws {
        // The crashed run's create request was sent just before the kill and lands after the
        // first lookup: dropping the intent then would create a second copy.
        var prior = state([])
        prior.intents = [recentIntent("i-6", "late")]
        let store = StateStore(state: prior, backend: harness.backend)
        let cloud = harness.cloud
        let waited = LockedList<Address>()
        let lands = Task {
            try await Task.sleep(nanoseconds: 300_000_000)
            await cloud.insert(type: "memory.thing", snapshot: ResourceSnapshot(id: "late", properties: ["name": "late"]), intentID: "i-6")
        }
        let recovery = IntentRecovery(types: ["memory.thing": harness.type], landingTime: 5, pollInterval: 0.05,
                                      waiting: { address, _ in waited.add(address) })
        let outcomes = try await recovery.recover(store)
        try await lands.value
        XCTAssertEqual(outcomes.map(\.adoptedID), ["late"])
        XCTAssertEqual(waited.items, [.thing("late")])
        let lookups = await cloud.calls("findCreated").count
        XCTAssertGreaterThan(lookups, 1, "looked again after the first lookup found nothing")
        let recorded = await harness.state().resource(.thing("late"))?.snapshot.id
        XCTAssertEqual(recorded, "late")
    }

    func testARecentIntentNeverFoundIsDroppedOnlyOnceItsRequestCannotLand() async throws {
        var prior = state([])
        prior.intents = [recentIntent("i-7", "never")]
        let store = StateStore(state: prior, backend: harness.backend)
        let started = Date()
        let outcomes = try await IntentRecovery(types: ["memory.thing": harness.type], landingTime: 0.4, pollInterval: 0.05).recover(store)
        XCTAssertEqual(outcomes.map(\.adoptedID), [nil])
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.4, "not dropped while the request could still land")
        let lookups = await harness.cloud.calls("findCreated").count
        XCTAssertGreaterThan(lookups, 1)
        let intents = await harness.state().intents
        XCTAssertEqual(intents, [])
    }

    func testAnOldIntentIsSettledByOneLookup() async throws {
        // Started long before this run: nothing of the crashed run can still be on its way.
        var prior = state([])
        prior.intents = [intent("i-8", "old", properties: ["name": "old"])]
        let store = StateStore(state: prior, backend: harness.backend)
        let waited = LockedList<Address>()
        let outcomes = try await IntentRecovery(types: ["memory.thing": harness.type], landingTime: 60,
                                                waiting: { address, _ in waited.add(address) }).recover(store)
        XCTAssertEqual(outcomes.map(\.adoptedID), [nil])
        XCTAssertEqual(waited.items, [])
        let lookups = await harness.cloud.calls("findCreated").count
        XCTAssertEqual(lookups, 1)
    }

    func testCrashAfterCreateIsAdoptedAndTheNextPlanIsEmpty() async throws {
        // A create that ran in the cloud but whose result was never recorded, as after kill -9.
        let stack = harness.stack([harness.thing("a", ["name": "alpha"])])
        var prior = state([])
        prior.intents = [intent("i-5", "a", properties: ["name": "alpha", "size": 1])]
        prior.intents[0].dependencies = []
        try await harness.backend.write(prior)
        let context = OperationContext(address: .thing("a"), region: "eu-west-1", intentID: "i-5")
        _ = try await harness.type.create(["name": "alpha", "size": 1], context: context)
        let store = StateStore(state: await harness.state(), backend: harness.backend)
        _ = try await IntentRecovery(types: stack.knownTypes).recover(store)
        let plan = try await harness.plan(stack)
        XCTAssertFalse(plan.hasChanges, "\(plan.actionable.map(\.action))")
    }
}
