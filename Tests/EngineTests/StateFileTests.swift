import Engine
import XCTest

final class StateFileTests: XCTestCase {
    private func fixture(_ name: String) throws -> Data {
        let url = try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    func testFixtureDecodesAndEncodesToTheSameBytes() throws {
        let bytes = try fixture("state-v1")
        let state = try StateFile.decode(bytes, origin: "state-v1.json")
        XCTAssertEqual(state.serial, 42)
        XCTAssertEqual(state.resources.map(\.address), [.thing("edge"), .thing("images")])
        XCTAssertTrue(state.resources[0].deletionPending)
        XCTAssertEqual(state.intents.first?.dependencies, [.thing("images")])
        XCTAssertEqual(state.deposed.first?.snapshot.id, "images-old")
        let images = try XCTUnwrap(state.resource(.thing("images")))
        XCTAssertEqual(images.snapshot.properties["size"], .int(0), "0 stays a number, not false")
        XCTAssertEqual(images.snapshot.properties["enabled"], .bool(true))
        XCTAssertEqual(images.snapshot.properties["flags"], [false, 0, 1, 2.5, "text"])
        XCTAssertEqual(images.snapshot.properties["empty"], .null)
        XCTAssertEqual(String(decoding: try state.encoded(), as: UTF8.self), String(decoding: bytes, as: UTF8.self))
    }

    func testRoundTripIsByteStableWithSortedKeys() throws {
        var state = StateFile(stack: "s", lineage: "l")
        state.upsert(record("b", ["zeta": 1, "alpha": ["y": 2, "x": [1, "two", nil]], "path": "a/b"]))
        state.upsert(record("a", ["name": "a"], dependencies: [.thing("b")]))
        state.outputs = ["z": OutputRecord(value: 1, sensitive: false), "a": OutputRecord(value: "x", sensitive: true)]
        let first = try state.encoded()
        let decoded = try StateFile.decode(first, origin: "memory")
        XCTAssertEqual(decoded, state)
        XCTAssertEqual(try decoded.encoded(), first)
        let text = String(decoding: first, as: UTF8.self)
        XCTAssertTrue(text.contains("\"path\" : \"a/b\""), "slashes are not escaped")
        XCTAssertTrue(text.hasSuffix("}\n"))
        let alpha = try XCTUnwrap(text.range(of: "\"alpha\"")), zeta = try XCTUnwrap(text.range(of: "\"zeta\""))
        XCTAssertLessThan(alpha.lowerBound, zeta.lowerBound, "keys are sorted")
    }

    func testUpsertKeepsResourcesSortedAndReplacesTheSameAddress() {
        var state = StateFile(stack: "s")
        state.upsert(record("c"))
        state.upsert(record("a"))
        state.upsert(record("c", id: "c2"))
        XCTAssertEqual(state.resources.map(\.snapshot.id), ["a", "c2"])
        XCTAssertEqual(state.remove(.thing("a"))?.snapshot.id, "a")
        XCTAssertNil(state.remove(.thing("a")))
    }

    func testCorruptJSONIsRefused() {
        XCTAssertThrowsError(try StateFile.decode(Data("not json".utf8), origin: "s.json")) { error in
            XCTAssertEqual(error as? StateError, .corrupt(origin: "s.json", detail: "not valid JSON (truncated or damaged)"))
        }
    }

    func testTruncatedFileIsRefused() throws {
        let bytes = try fixture("state-v1")
        XCTAssertThrowsError(try StateFile.decode(bytes.prefix(bytes.count / 2), origin: "s.json")) { error in
            guard case .corrupt(let origin, _)? = error as? StateError else { return XCTFail("\(error)") }
            XCTAssertEqual(origin, "s.json")
        }
    }

    func testNewerFormatIsRefused() {
        let text = #"{"format_version": 2, "lineage": "l", "serial": 1, "stack": "s", "resources": [], "something_new": {}}"#
        XCTAssertThrowsError(try StateFile.decode(Data(text.utf8), origin: "s.json")) { error in
            XCTAssertEqual(error as? StateError, .newerFormat(origin: "s.json", version: 2, supported: 1))
            XCTAssertTrue("\(error)".contains("Upgrade imgstack; the file was left untouched"))
        }
    }

    func testMissingFormatVersionIsRefused() {
        let text = #"{"lineage": "l", "serial": 1, "stack": "s", "resources": []}"#
        XCTAssertThrowsError(try StateFile.decode(Data(text.utf8), origin: "s.json")) { error in
            XCTAssertEqual(error as? StateError, .corrupt(origin: "s.json", detail: "no format_version"))
        }
    }

    func testMissingRequiredMemberIsCorrupt() {
        let text = #"{"format_version": 1, "lineage": "l", "stack": "s", "resources": []}"#
        XCTAssertThrowsError(try StateFile.decode(Data(text.utf8), origin: "s.json")) { error in
            guard case .corrupt? = error as? StateError else { return XCTFail("\(error)") }
        }
    }

    private func corruption(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
        do {
            _ = try StateFile.decode(Data(text.utf8), origin: "s.json")
            XCTFail("decoded", file: file, line: line)
        } catch StateError.corrupt(_, let detail) {
            return detail
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
        return nil
    }

    func testAJSONArrayIsNamedAsSuchNotAsInvalidJSON() {
        XCTAssertEqual(corruption(#"[{"format_version": 1}]"#), "the file is a JSON array, not an object with format_version, stack and resources")
    }

    func testAMissingOrWrongMemberNamesItsPlaceAndTheResource() {
        let bucket = #"{"address": "s3.bucket.data", "region": "us-east-1", "properties": {}, "attributes": {}}"#
        XCTAssertEqual(corruption(#"{"format_version": 1, "lineage": "l", "serial": 1, "stack": "s", "resources": [\#(bucket)]}"#),
                       #"resources[0] (s3.bucket.data) has no "id""#)
        XCTAssertEqual(corruption(#"{"format_version": 1, "lineage": "l", "stack": "s", "resources": []}"#), #"the file has no "serial""#)
        XCTAssertEqual(corruption(#"{"format_version": 1, "lineage": "l", "serial": "3", "stack": "s", "resources": []}"#),
                       "serial is not a number")
        let good = #"{"address": "s3.bucket.data", "region": "us-east-1", "id": "d", "properties": {}, "attributes": {}}"#
        let wrongRegion = #"{"address": "s3.bucket.logs", "region": 5, "id": "x", "properties": {}, "attributes": {}}"#
        XCTAssertEqual(corruption(#"{"format_version": 1, "lineage": "l", "serial": 1, "stack": "s", "resources": [\#(good), \#(wrongRegion)]}"#),
                       "resources[1] (s3.bucket.logs).region is not a string")
    }

    /// A well-formed file a hand edit or a bad merge left inconsistent is refused before any
    /// call: two records of one address (a destroy acted on one and lost the other), an empty id
    /// (refreshed as deleted, then created again), a `type` that is not the address's, a negative serial.
    func testAnInconsistentStateIsRefusedNamingThePlace() {
        func state(_ records: String..., serial: Int = 1) -> String {
            #"{"format_version": 1, "lineage": "l", "serial": \#(serial), "stack": "s", "resources": [\#(records.joined(separator: ","))]}"#
        }
        let hello = #"{"address": "s3.object.hello", "region": "us-east-1", "id": "b/hello.txt", "properties": {}, "attributes": {}}"#
        let other = #"{"address": "s3.object.hello", "region": "us-east-1", "id": "rev-img-b/index.html", "properties": {}, "attributes": {}}"#
        XCTAssertEqual(corruption(state(hello, other)),
                       "resources[1] (s3.object.hello) records an address already recorded at resources[0]; one address is one resource")
        let empty = #"{"address": "iam.policy.read", "region": "us-east-1", "id": " ", "properties": {}, "attributes": {}}"#
        XCTAssertEqual(corruption(state(empty)), "resources[0] (iam.policy.read).id: is empty; a recorded resource has the id AWS gave it")
        let mistyped = #"{"address": "iam.policy.read", "type": "s3.bucket", "region": "us-east-1", "id": "arn", "properties": {}, "attributes": {}}"#
        XCTAssertEqual(corruption(state(mistyped)), #"resources[0] (iam.policy.read).type: is "s3.bucket", but the address is of type iam.policy"#)
        XCTAssertEqual(corruption(state(serial: -5)), "serial is -5; it counts writes from 0")
        let typed = #"{"address": "iam.policy.read", "type": "iam.policy", "region": "us-east-1", "id": "arn", "properties": {}, "attributes": {}}"#
        XCTAssertNoThrow(try StateFile.decode(Data(state(typed, hello).utf8), origin: "s.json"))
    }

    func testOptionalSectionsDefaultToEmpty() throws {
        let text = #"{"format_version": 1, "lineage": "l", "serial": 3, "stack": "s", "resources": []}"#
        let state = try StateFile.decode(Data(text.utf8), origin: "s.json")
        XCTAssertEqual(state.serial, 3)
        XCTAssertTrue(state.isEmpty)
    }

    func testValueCanonicalJSONSortsKeysAndEscapes() {
        let value: Value = ["b": [1, 2.5, true, nil], "a": "q\"\\\n\u{1}/"]
        XCTAssertEqual(value.canonicalJSON, #"{"a":"q\"\\\n\u0001/","b":[1,2.5,true,null]}"#)
    }

    func testValueUnknownSurvivesAPlanFileButIsNotAMap() throws {
        let data = try JSONEncoder().encode(Value.map(["x": .unknown]))
        XCTAssertEqual(try JSONDecoder().decode(Value.self, from: data), .map(["x": .unknown]))
        XCTAssertTrue(Value.map(["x": [.unknown]]).containsUnknown)
    }
}
