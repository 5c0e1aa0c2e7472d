import Engine
import XCTest

final class StackValidatorTests: XCTestCase {
    private let harness = Harness()

    func testValidStackHasNoIssues() {
        let stack = harness.stack([harness.thing("a", ["name": "alpha"]),
                                   harness.thing("b", ["target": .ref("a", "arn"), "label": .ref("a", "id")], dependsOn: [.thing("a")])],
                                  outputs: [OutputDeclaration(name: "arn", value: .ref("b", "arn"))])
        XCTAssertEqual(StackValidator.validate(stack), [])
    }

    func testDuplicateAddressIsReportedWithItsCount() {
        let stack = harness.stack([harness.thing("a"), harness.thing("a"), harness.thing("a")])
        XCTAssertEqual(StackValidator.validate(stack),
                       [ValidationIssue(subject: "memory.thing.a", message: "declared 3 times; addresses must be unique")])
    }

    func testUnknownPropertyNamesResourceAndProperty() {
        let issues = StackValidator.validate(harness.stack([harness.thing("a", ["colour": "red"])]))
        XCTAssertEqual(issues, [ValidationIssue(subject: "memory.thing.a", property: "colour", message: "memory.thing has no property \"colour\"")])
        XCTAssertEqual(issues.first?.description, "memory.thing.a: property colour: memory.thing has no property \"colour\"")
    }

    func testReferenceToUndeclaredResourceIsReported() {
        let issues = StackValidator.validate(harness.stack([harness.thing("a", ["target": .ref("missing", "arn")])]))
        XCTAssertEqual(issues, [ValidationIssue(subject: "memory.thing.a", property: "target",
                                                message: "refers to memory.thing.missing.arn, but the stack declares no memory.thing.missing")])
    }

    func testReferenceToUnknownAttributeIsReported() {
        let issues = StackValidator.validate(harness.stack([harness.thing("a"), harness.thing("b", ["target": .concat(["x", .ref("a", "colour")])])]))
        XCTAssertEqual(issues, [ValidationIssue(subject: "memory.thing.b", property: "target",
                                                message: "refers to memory.thing.a.colour, but memory.thing has no attribute \"colour\"")])
    }

    func testOutputReferenceIsChecked() {
        let issues = StackValidator.validate(harness.stack([harness.thing("a")], outputs: [OutputDeclaration(name: "o", value: .ref("nope", "id"))]))
        XCTAssertEqual(issues.map(\.subject), ["output.o"])
        XCTAssertNil(issues.first?.property)
    }

    func testDependsOnUndeclaredResourceIsReported() {
        let issues = StackValidator.validate(harness.stack([harness.thing("a", dependsOn: [.thing("ghost")])]))
        XCTAssertEqual(issues, [ValidationIssue(subject: "memory.thing.a", property: "dependsOn",
                                                message: "depends on memory.thing.ghost, which the stack does not declare")])
    }

    func testInvalidResourceNameIsReported() {
        let issues = StackValidator.validate(harness.stack([harness.thing("9lives")]))
        XCTAssertEqual(issues.map(\.subject), ["memory.thing.9lives"])
        XCTAssertTrue(issues.first?.message.hasPrefix("invalid resource name \"9lives\"") ?? false, "\(issues)")
    }

    func testCycleIsNamedInOrder() {
        let stack = harness.stack([
            harness.thing("a", ["target": .ref("b", "arn")]),
            harness.thing("b", ["target": .ref("c", "arn")]),
            harness.thing("c", dependsOn: [.thing("a")]),
            harness.thing("d", ["target": .ref("a", "arn")]),
        ])
        XCTAssertEqual(StackValidator.validate(stack), [ValidationIssue(
            subject: "memory.thing.a",
            message: "dependency cycle: memory.thing.a -> memory.thing.b -> memory.thing.c -> memory.thing.a")])
    }

    func testTypesOwnIssuesAreSurfaced() {
        let harness = Harness { MemoryResourceType(cloud: $0, validate: { properties, address in
            guard let name = properties["name"]?.literal?.stringValue, name.count > 5 else { return [] }
            return [ValidationIssue(subject: address.description, property: "name", message: "at most 5 characters")]
        }) }
        let issues = StackValidator.validate(harness.stack([harness.thing("ok", ["name": "short"]), harness.thing("bad", ["name": "toolong"])]))
        XCTAssertEqual(issues, [ValidationIssue(subject: "memory.thing.bad", property: "name", message: "at most 5 characters")])
    }

    func testIssuesAreSortedAndCountedInTheError() {
        let issues = StackValidator.validate(harness.stack([harness.thing("b", ["x": 1]), harness.thing("a", ["y": 2])]))
        XCTAssertEqual(issues.map(\.subject), ["memory.thing.a", "memory.thing.b"])
        XCTAssertEqual(StackValidationError(issues: issues).description, """
            the stack is not valid (2 problems); nothing was changed:
              - memory.thing.a: property y: memory.thing has no property "y"
              - memory.thing.b: property x: memory.thing has no property "x"
            """)
    }
}
