import Engine
import Foundation
import XCTest

/// Stacks that read another stack's outputs from its state (Terraform's `terraform_remote_state`).
final class StackReferenceTests: XCTestCase {
    private let harness = Harness()
    private let network = MemoryStateBackend()

    private let reference = StackReferenceDeclaration(name: "net", stack: "network")
    private var vpc: Expression { .reference(Reference(address: reference.address, attribute: "vpc_id")) }

    private func networkState(_ outputs: [String: OutputRecord], stack: String = "network") async throws {
        var state = StateFile(stack: stack, lineage: "network-lineage")
        state.outputs = outputs
        state.serial = 4
        try await network.write(state)
    }

    private func stack(_ label: Expression, outputs: [OutputDeclaration] = []) -> StackDefinition {
        var definition = harness.stack([harness.thing("a", ["name": "alpha", "label": label])], outputs: outputs)
        definition.stackReferences = [reference]
        return definition
    }

    private func run(_ stack: StackDefinition, _ operation: Deployment.Operation = .plan) async throws -> Deployment.Result {
        let network = self.network
        return try await Deployment(stack: stack, backend: harness.backend, client: nil, options: .init(operation: operation),
                                    stackReferenceBackend: { _ in network }).run()
    }

    func testAnOutputOfTheOtherStackFeedsAPropertyAndThePlanSaysWhatWasRead() async throws {
        try await networkState(["vpc_id": OutputRecord(value: "vpc-123", sensitive: false)])
        let result = try await run(stack(.concat(["in ", vpc])), .apply)
        XCTAssertEqual(result.plan.change(.thing("a"))?.after?["label"], "in vpc-123")
        XCTAssertEqual(result.plan.stackReferences, [StackReferenceRead(name: "net", stack: "network", location: "memory://state", serial: 4)])
        XCTAssertTrue(HumanPlanRenderer(style: .plain).render(result.plan)
            .contains("Read stack_reference.net: outputs of stack network at serial 4 (memory://state)"))
        XCTAssertEqual(result.state.resource(.thing("a"))?.snapshot.properties["label"], "in vpc-123")
        let written = await network.writes.count
        XCTAssertEqual(written, 1, "the other stack's state is only read")
    }

    func testAChangedOutputChangesThePlan() async throws {
        try await networkState(["vpc_id": OutputRecord(value: "vpc-123", sensitive: false)])
        _ = try await run(stack(vpc), .apply)
        let unchanged = try await run(stack(vpc))
        XCTAssertEqual(unchanged.plan.change(.thing("a"))?.action, .noop)
        try await networkState(["vpc_id": OutputRecord(value: "vpc-456", sensitive: false)])
        let changed = try await run(stack(vpc))
        XCTAssertEqual(changed.plan.change(.thing("a"))?.action, .update)
        XCTAssertEqual(changed.plan.change(.thing("a"))?.after?["label"], "vpc-456")
    }

    func testASensitiveOutputStaysSensitive() async throws {
        try await networkState(["vpc_id": OutputRecord(value: "secret-vpc", sensitive: true)])
        let result = try await run(stack(vpc, outputs: [OutputDeclaration(name: "vpc", value: vpc)]))
        XCTAssertEqual(result.plan.change(.thing("a"))?.sensitiveNames.contains("label"), true)
        XCTAssertEqual(result.plan.outputs.first { $0.name == "vpc" }?.sensitive, true)
        for text in [HumanPlanRenderer(style: .plain).render(result.plan), JSONPlanRenderer().render(result.plan),
                     MarkdownPlanRenderer().render(result.plan)] {
            XCTAssertFalse(text.contains("secret-vpc"), text)
        }
    }

    func testAMissingOutputIsNamedBeforeAnyCall() async throws {
        try await networkState(["subnet_ids": OutputRecord(value: ["s-1"], sensitive: false)])
        do {
            _ = try await run(stack(vpc), .apply)
            XCTFail("a missing output must stop the run")
        } catch let error as StackReferenceError {
            XCTAssertEqual(error.description, "stack_reference.net: stack network has no output \"vpc_id\"; it has: subnet_ids")
        }
        let calls = await harness.cloud.calls
        XCTAssertEqual(calls.count, 0)
        let locks = await harness.backend.locks
        XCTAssertEqual(locks, [], "refused before this stack's lock is taken")
    }

    func testAStackWithNoStateOrAnotherStacksStateIsRefused() async throws {
        do {
            _ = try await run(stack(vpc))
            XCTFail("no state")
        } catch let error as StackReferenceError {
            XCTAssertEqual(error.description, "stack_reference.net: stack network has no state at memory://state; apply it first")
        }
        try await networkState(["vpc_id": OutputRecord(value: "vpc-1", sensitive: false)], stack: "database")
        do {
            _ = try await run(stack(vpc))
            XCTFail("another stack's state")
        } catch let error as StackReferenceError {
            XCTAssertEqual(error.description, "stack_reference.net: the state at memory://state is stack database's, not network's")
        }
    }

    func testAReferenceToAnUndeclaredStackReferenceFailsValidation() {
        var definition = harness.stack([harness.thing("a", ["name": "alpha", "label": vpc])])
        XCTAssertEqual(StackValidator.validate(definition).map(\.message),
                       ["refers to stack_reference.net.vpc_id, but the stack declares no stack_reference.net"])
        definition.stackReferences = [reference]
        XCTAssertEqual(StackValidator.validate(definition), [])
        XCTAssertEqual(definition.resources[0].dependencies, [], "another stack is not a dependency in this stack's graph")
    }
}
