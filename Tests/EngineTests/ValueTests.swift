import Engine
import Foundation
import XCTest

final class ValueTests: XCTestCase {
    func testIntegralDoubleEqualsTheIntegerJSONMakesOfIt() throws {
        let decoded = try JSONDecoder().decode(Value.self, from: JSONEncoder().encode(Value.double(80.0)))
        XCTAssertEqual(decoded, .double(80.0))
        XCTAssertEqual(Set<Value>([.int(80), .double(80.0)]).count, 1, "equal values hash alike")
        XCTAssertNotEqual(Value.int(80), .double(80.5))
        XCTAssertNotEqual(Value.int(1), .bool(true))
        XCTAssertNotEqual(Value.string("1"), .int(1))
    }

    func testIntegralDoubleIsNoopAfterStateRoundTripAndShowsNoDrift() async throws {
        let harness = Harness()
        let stack = harness.stack([harness.thing("a", ["name": "alpha", "size": .value(.double(80.0))])])
        try await harness.apply(stack)
        // The next run reads state from the file, where 80.0 was written as 80.
        let reloaded = try StateFile.decode(try await harness.state().encoded(), origin: "state")
        try await harness.backend.write(reloaded)
        let plan = try await harness.plan(stack)
        XCTAssertEqual(plan.drift, [])
        XCTAssertEqual(plan.action("a"), .noop)
    }

    func testJSONTextParsesEveryKind() throws {
        let value = try Value(jsonText: #"{"a": [1, 2.5, "x", true, null], "b": {"c": -3}}"#)
        XCTAssertEqual(value, ["a": [1, 2.5, "x", true, nil], "b": ["c": -3]])
        XCTAssertEqual(value["b"]["c"].intValue, -3)
        XCTAssertEqual(value["missing"], .null)
        XCTAssertThrowsError(try Value(jsonText: "{"))
    }
}
