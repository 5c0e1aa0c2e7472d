import Engine
import XCTest

/// A local property (where this machine keeps the files a resource is made from) does not make
/// a change on its own: a checkout in another directory plans nothing.
final class LocalPropertyTests: XCTestCase {
    func testMovingTheLocalDirectoryAlonePlansNothing() async throws {
        let harness = Harness()
        try await harness.apply(harness.stack([harness.thing("a", ["name": "a", "workdir": "/home/ci/run-1"])]))
        let moved = try await harness.plan(harness.stack([harness.thing("a", ["name": "a", "workdir": "/home/ci/run-2"])]))
        XCTAssertFalse(moved.hasChanges)
    }

    func testALocalPropertyTravelsWithARealChange() async throws {
        let harness = Harness()
        try await harness.apply(harness.stack([harness.thing("a", ["name": "a", "workdir": "/old"])]))
        let stack = harness.stack([harness.thing("a", ["name": "a", "size": 3, "workdir": "/new"])])
        let plan = try await harness.plan(stack)
        XCTAssertEqual(plan.changes.first?.changedProperties, ["size"])
        try await harness.apply(stack)
        let recorded = await harness.state().resource(.thing("a"))?.snapshot.properties
        XCTAssertEqual(recorded?["workdir"], "/new", "the update records the directory it was made from")
    }
}
