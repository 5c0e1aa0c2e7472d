import Engine
import XCTest

/// Properties a stack leaves at their default are not recorded, so refresh reads only what the
/// stack declares; the planner takes them at their default.
final class UndeclaredDefaultsTests: XCTestCase {
    func testUndeclaredDefaultIsNotRecordedAndThePlanStaysEmpty() async throws {
        let harness = Harness()
        let stack = harness.stack([harness.thing("a", ["name": "a"])])
        try await harness.apply(stack)
        let recorded = await harness.state().resource(.thing("a"))?.snapshot.properties
        XCTAssertEqual(recorded?["name"], "a")
        XCTAssertNil(recorded?["size"], "size was left at its default and is not recorded")
        let again = try await harness.plan(stack)
        XCTAssertFalse(again.hasChanges)
    }

    func testDeclaringThenRemovingAPropertyGoesBackToTheDefault() async throws {
        let harness = Harness()
        try await harness.apply(harness.stack([harness.thing("a", ["name": "a", "size": 5])]))
        let back = try await harness.plan(harness.stack([harness.thing("a", ["name": "a"])]))
        let change = try XCTUnwrap(back.changes.first)
        XCTAssertEqual(change.action, .update)
        XCTAssertEqual(change.changedProperties, ["size"])
        XCTAssertEqual(change.after?["size"], 1)
    }
}
