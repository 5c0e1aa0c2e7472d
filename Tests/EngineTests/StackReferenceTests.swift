import Engine
import Foundation
import XCTest

/// Stacks that read another stack's outputs from its state (Terraform's `terraform_remote_state`).
final class StackReferenceTests: XCTestCase {
    private let harness = Harness()
    private let network = MemoryStateBackend()

    private let reference = StackReferenceDeclaration(name: "net", stack: "network")
    private var vpc: Expression { .reference(Reference(address: reference.address, attribute: "vpc_id")) }

    private func networkState(_ outputs: [String: OutputRecord], stack: String = "network", serial: Int = 4) async throws {
        var state = StateFile(stack: stack, lineage: "network-lineage")
        state.outputs = outputs
        state.serial = serial
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

    func testASecretCarriesThroughResourcesThatUseItToTheirIdsAndOutputs() async throws {
        try await networkState(["vpc_id": OutputRecord(value: "secret-vpc", sensitive: true)])
        // `a` is named by the secret (its id and arn hold it); `b` refers to `a`'s arn; an output to `a`'s id.
        var definition = harness.stack([harness.thing("a", ["name": vpc]), harness.thing("b", ["name": "beta", "label": .ref("a", "arn")])],
                                       outputs: [OutputDeclaration(name: "a_id", value: .reference(Reference(address: .thing("a"), attribute: "id")))])
        definition.stackReferences = [reference]
        let progress = LockedList<String>()
        let network = self.network
        let result = try await Deployment(stack: definition, backend: harness.backend, client: nil, options: .init(operation: .apply),
                                          stackReferenceBackend: { _ in network },
                                          events: { if case .operation(let event) = $0 { progress.add("\(event)") } }).run()
        XCTAssertEqual(result.summary?.succeeded, true)
        XCTAssertEqual(result.plan.change(.thing("b"))?.sensitiveNames.contains("label"), true)
        XCTAssertEqual(result.plan.change(.thing("a"))?.sensitiveNames.contains("id"), true)
        XCTAssertEqual(result.plan.outputs.first { $0.name == "a_id" }?.sensitive, true)
        XCTAssertEqual(result.state.outputs["a_id"]?.sensitive, true)
        for text in [HumanPlanRenderer(style: .plain).render(result.plan), JSONPlanRenderer().render(result.plan),
                     MarkdownPlanRenderer().render(result.plan), progress.items.joined(separator: "\n")] {
            XCTAssertFalse(text.contains("secret-vpc"), text)
        }
    }

    func testAValueFromAnotherStackIsValidatedOnceReadWithoutQuotingASecret() async throws {
        let strict = Harness { MemoryResourceType(cloud: $0, validate: { properties, address in
            guard let label = properties["label"]?.literal?.stringValue, label.contains(" ") else { return [] }
            return [ValidationIssue(subject: address.description, property: "label", message: "\"\(label)\" may not contain spaces")]
        }) }
        try await networkState(["vpc_id": OutputRecord(value: "bad secret", sensitive: true)])
        var definition = strict.stack([strict.thing("a", ["name": "alpha", "label": vpc])])
        definition.stackReferences = [reference]
        let network = self.network
        do {
            _ = try await Deployment(stack: definition, backend: strict.backend, client: nil, options: .init(operation: .apply),
                                     stackReferenceBackend: { _ in network }).run()
            XCTFail("the value breaks the type's rule")
        } catch let error as StackValidationError {
            XCTAssertEqual(error.issues.map(\.description), ["memory.thing.a: property label: \"(sensitive value)\" may not contain spaces"])
        }
        let calls = await strict.cloud.calls
        XCTAssertEqual(calls.count, 0)
    }

    func testASavedPlanIsRefusedOnceTheOtherStackMovedOn() async throws {
        try await networkState(["vpc_id": OutputRecord(value: "vpc-1", sensitive: false)])
        let saved = try await run(stack(vpc)).plan
        try await networkState(["vpc_id": OutputRecord(value: "vpc-2", sensitive: false)], serial: 5)
        let network = self.network
        do {
            _ = try await Deployment(stack: stack(vpc), backend: harness.backend, client: nil,
                                     options: .init(operation: .apply, savedPlan: .init(saved, origin: "net.plan")),
                                     stackReferenceBackend: { _ in network }).run()
            XCTFail("the other stack moved on")
        } catch let error as SavedPlanError {
            XCTAssertEqual(error.description, "net.plan was made with the outputs of stack network (stack_reference.net) at serial 4; "
                           + "that stack's state is now at serial 5; run `imgstack plan` again")
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
