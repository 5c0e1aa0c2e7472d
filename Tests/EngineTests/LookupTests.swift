import Engine
import Foundation
import XCTest

/// Lookups (Terraform's data sources): read on every plan, fed into references, recorded in
/// state, never created, changed or deleted.
final class LookupTests: XCTestCase {
    private let harness = Harness()
    private let images = MemoryLookupType()

    private func stack(_ resources: [ResourceDeclaration], lookups: [LookupDeclaration], outputs: [OutputDeclaration] = []) -> StackDefinition {
        StackDefinition(name: "test", region: "eu-west-1", resources: resources, outputs: outputs,
                        knownTypes: [harness.type.schema.typeName: harness.type], lookups: lookups)
    }

    private func latest(_ name: Expression = "al2023") -> LookupDeclaration {
        LookupDeclaration(address: .image("latest"), type: images, arguments: ["name": name])
    }

    @discardableResult
    private func run(_ stack: StackDefinition, _ operation: Deployment.Operation, refresh: Bool = true) async throws -> Deployment.Result {
        try await Deployment(stack: stack, backend: harness.backend, client: nil,
                             options: Deployment.Options(operation: operation, refresh: refresh, landingTime: 0.2)).run()
    }

    func testALookupFeedsTheResourceThatRefersToIt() async throws {
        images.add(name: "al2023", id: "ami-1")
        let stack = stack([harness.thing("server", ["name": "server", "label": .image("latest", "id")])], lookups: [latest()],
                          outputs: [OutputDeclaration(name: "image", value: .image("latest", "id"))])

        let plan = try await run(stack, .plan).plan
        XCTAssertEqual(plan.change(.thing("server"))?.action, .create)
        XCTAssertEqual(plan.change(.thing("server"))?.after?["label"], "ami-1", "the lookup is read before planning")
        XCTAssertEqual(plan.lookups, [PlannedLookup(address: .image("latest"), terraformType: "memory_image", region: "eu-west-1",
                                                    arguments: ["name": "al2023"], before: nil,
                                                    after: ["id": "ami-1", "name": "al2023"], feedsChange: true)])
        XCTAssertFalse(plan.changes.contains { $0.address.isLookup }, "a lookup is never created")

        let applied = try await run(stack, .apply)
        XCTAssertEqual(applied.summary?.succeeded, true)
        XCTAssertEqual(applied.state.resources.first?.snapshot.properties["label"], "ami-1")
        XCTAssertEqual(applied.state.lookups, [LookupRecord(address: .image("latest"), region: "eu-west-1", arguments: ["name": "al2023"],
                                                            attributes: ["id": "ami-1", "name": "al2023"])],
                       "state records what the lookup read, for output and state show")
        XCTAssertEqual(applied.state.outputs["image"]?.value, "ami-1")

        let again = try await run(stack, .plan).plan
        XCTAssertFalse(again.hasChanges)
        XCTAssertEqual(again.lookups?.first?.feedsChange, false)
        XCTAssertFalse(HumanPlanRenderer().render(again).contains("lookup."), "an unchanged lookup is not shown")
    }

    func testALookupThatReadsAnotherValueUpdatesTheResourceItFeedsNamingTheLookup() async throws {
        images.add(name: "al2023", id: "ami-1")
        let stack = stack([harness.thing("server", ["name": "server", "label": .image("latest", "id")])], lookups: [latest()])
        try await run(stack, .apply)
        images.removeAll()
        images.add(name: "al2023", id: "ami-2")

        let plan = try await run(stack, .plan).plan
        let change = try XCTUnwrap(plan.change(.thing("server")))
        XCTAssertEqual(change.action, .update)
        XCTAssertEqual(change.changedProperties, ["label"])
        XCTAssertEqual(change.after?["label"], "ami-2")
        XCTAssertEqual(change.reason, "lookup.memory.image.latest changed: id")
        let text = HumanPlanRenderer().render(plan)
        XCTAssertTrue(text.contains("# lookup.memory.image.latest reads other values than at the last apply"), text)
        XCTAssertTrue(text.contains("~ id = \"ami-1\" -> \"ami-2\""), text)

        let applied = try await run(stack, .apply)
        XCTAssertEqual(applied.state.lookup(.image("latest"))?.attributes["id"], "ami-2")
    }

    func testLookupsAreReadAlsoWithoutRefresh() async throws {
        images.add(name: "al2023", id: "ami-1")
        let stack = stack([harness.thing("server", ["name": "server", "label": .image("latest", "id")])], lookups: [latest()])
        try await run(stack, .apply)
        images.removeAll()
        images.add(name: "al2023", id: "ami-2")

        let plan = try await run(stack, .plan, refresh: false).plan
        XCTAssertEqual(plan.change(.thing("server"))?.after?["label"], "ami-2", "--refresh=false skips resources, not lookups")
    }

    func testAStateOfAnotherAccountIsRefusedBeforeItsLookupsAreReadEvenWithoutRefresh() async throws {
        images.add(name: "al2023", id: "ami-1")
        let stack = stack([harness.thing("server", ["name": "server", "label": .image("latest", "id")])], lookups: [latest()])
        try await run(stack, .apply)
        let stored = await harness.backend.stored
        var applied = try XCTUnwrap(stored)
        applied.account = StateAccount(id: "111122223333", partition: "aws")
        try await harness.backend.write(applied)
        let readsBefore = images.reads
        let other = StateAccount(id: "444455556666", partition: "aws")
        for operation in [Deployment.Operation.plan, .apply] {
            let deployment = Deployment(stack: stack, backend: harness.backend, client: nil,
                                        options: Deployment.Options(operation: operation, refresh: false), account: { other })
            await XCTAssertThrowsErrorAsync(try await deployment.run()) { error in
                XCTAssertTrue(error is AccountMismatchError, "\(error)")
            }
        }
        XCTAssertEqual(images.reads, readsBefore, "no lookup is read in another account")
    }

    func testALookupThatFindsNothingStopsTheRunBeforeAnyWrite() async throws {
        let stack = stack([harness.thing("server", ["name": "server", "label": .image("latest", "id")])], lookups: [latest()])
        await XCTAssertThrowsErrorAsync(try await run(stack, .apply)) { error in
            XCTAssertEqual("\(error)", "lookup.memory.image.latest: found nothing: no image is named al2023")
        }
        let calls = await harness.cloud.calls
        XCTAssertTrue(calls.isEmpty, "nothing is created")
        let stored = await harness.backend.stored
        XCTAssertNil(stored, "state is not written")
    }

    func testALookupThatFindsMoreThanOneMatchStopsTheRunBeforeAnyWrite() async throws {
        images.add(name: "al2023", id: "ami-1")
        images.add(name: "al2023", id: "ami-2")
        let stack = stack([harness.thing("server", ["name": "server", "label": .image("latest", "id")])], lookups: [latest()])
        await XCTAssertThrowsErrorAsync(try await run(stack, .apply)) { error in
            XCTAssertEqual("\(error)", "lookup.memory.image.latest: found 2 where one is expected: images named al2023 (ami-1, ami-2)")
        }
        let calls = await harness.cloud.calls
        XCTAssertTrue(calls.isEmpty)
    }

    func testALookupWaitingForANewResourceIsReadDuringApply() async throws {
        images.add(name: "base", id: "ami-9")
        // The lookup selects by the name of a resource created in the same apply.
        let stack = stack([harness.thing("base", ["name": "base"]),
                           harness.thing("server", ["name": "server", "label": .image("latest", "id")])],
                          lookups: [latest(.ref("base", "name"))])

        let plan = try await run(stack, .plan).plan
        XCTAssertEqual(plan.change(.thing("server"))?.after?["label"], .unknown, "known after apply")
        XCTAssertEqual(plan.lookups?.first?.readDuringApply, true)
        XCTAssertTrue(HumanPlanRenderer().render(plan).contains("# lookup.memory.image.latest will be read during apply"))
        XCTAssertEqual(images.reads, 0, "nothing can be read before the resource exists")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(JSONPlanRenderer().render(plan).utf8)) as? [String: Any])
        let read = (json["resource_changes"] as? [[String: Any]])?.first { $0["imgstack_address"] as? String == "lookup.memory.image.latest" }
        XCTAssertEqual(read?["mode"] as? String, "data", "listed as Terraform lists a deferred data source")
        XCTAssertEqual(read?["address"] as? String, "data.\(read?["type"] as? String ?? "?").latest", "a Terraform data source address")
        XCTAssertEqual((read?["change"] as? [String: Any])?["actions"] as? [String], ["read"])
        XCTAssertEqual(read?["action_reason"] as? String, "read_because_dependency_pending")

        let applied = try await run(stack, .apply)
        XCTAssertEqual(applied.summary?.succeeded, true, "\(applied.summary?.failures ?? [])")
        XCTAssertEqual(applied.state.resource(.thing("server"))?.snapshot.properties["label"], "ami-9")
        XCTAssertEqual(applied.state.lookup(.image("latest"))?.arguments, ["name": "base"])

        let again = try await run(stack, .plan).plan
        XCTAssertFalse(again.hasChanges, "once the resource exists the lookup is read at plan time")
    }

    func testALookupIsRemovedFromStateByDestroy() async throws {
        images.add(name: "al2023", id: "ami-1")
        let stack = stack([harness.thing("server", ["name": "server", "label": .image("latest", "id")])], lookups: [latest()])
        try await run(stack, .apply)
        let destroyed = try await run(stack, .destroy)
        XCTAssertNil(destroyed.state.lookups)
        XCTAssertTrue(destroyed.state.resources.isEmpty)
    }

    func testValidationNamesAnUnknownLookupAttributeAndArgument() {
        let bad = LookupDeclaration(address: .image("latest"), type: images, arguments: ["owner": "amazon"])
        let issues = StackValidator.validate(stack([harness.thing("server", ["name": "server", "label": .image("latest", "arn")])],
                                                   lookups: [bad]))
        XCTAssertEqual(issues.map(\.description), [
            "lookup.memory.image.latest: property owner: lookup memory.image has no argument \"owner\"; it has: name",
            "memory.thing.server: property label: refers to lookup.memory.image.latest.arn, but lookup memory.image has no attribute \"arn\"; it has: id, name",
        ])
    }

    func testAResourceFeedingALookupThatFeedsItIsACycle() {
        let stack = stack([harness.thing("server", ["name": .image("latest", "id")])], lookups: [latest(.ref("server", "arn"))])
        XCTAssertTrue(StackValidator.validate(stack).contains { $0.message.contains("cycle") },
                      "\(StackValidator.validate(stack))")
    }
}
