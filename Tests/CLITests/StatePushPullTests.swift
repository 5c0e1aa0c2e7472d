import Foundation
import TestSupport
import XCTest

/// `state pull` and `state push`: a push of another lineage or a lower serial is refused unless
/// `--force`, and nothing is overwritten when it is refused.
final class StatePushPullTests: XCTestCase {
    func testPushRefusesAnotherLineageAndALowerSerialUnlessForced() async throws {
        let emulator = try Emulator.shared()
        let cli = try CLI.withEmulator(emulator)
        let prefix = "push-\(UUID().uuidString.prefix(6).lowercased())"
        let stack = ["--stack", "quickstart", "--var", "prefix=\(prefix)"]
        let applied = try await cli.run(["apply", "--auto-approve"] + stack)
        XCTAssertEqual(applied.status, 0, applied.standardError)

        let pulled = try await cli.run(["state", "pull"] + stack)
        XCTAssertEqual(pulled.status, 0, pulled.standardError)
        let current = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(pulled.standardOutput.utf8)) as? [String: Any])
        let serial = try XCTUnwrap(current["serial"] as? Int)

        func variant(_ changes: [String: Any]) throws -> String {
            var copy = current
            for (key, value) in changes { copy[key] = value }
            let path = cli.path("variant-\(UUID().uuidString).json")
            try JSONSerialization.data(withJSONObject: copy).write(to: URL(fileURLWithPath: path))
            return path
        }
        let before = FileManager.default.contents(atPath: cli.path(".imgstack/quickstart.state.json"))

        let otherLineage = try await cli.run(["state", "push", try variant(["lineage": "another-lineage"])] + stack)
        XCTAssertEqual(otherLineage.status, 1)
        XCTAssertTrue(otherLineage.standardError.contains("lineage"), otherLineage.standardError)
        let older = try await cli.run(["state", "push", try variant(["serial": serial - 1])] + stack)
        XCTAssertEqual(older.status, 1)
        XCTAssertTrue(older.standardError.contains("lower than the state's"), older.standardError)
        XCTAssertEqual(FileManager.default.contents(atPath: cli.path(".imgstack/quickstart.state.json")), before, "refused pushes change nothing")

        let forced = try await cli.run(["state", "push", "--force", try variant(["serial": serial - 1])] + stack)
        XCTAssertEqual(forced.status, 0, forced.standardError)
        let repushed = try await cli.run(["state", "push", "--force", try variant([:])] + stack)
        XCTAssertEqual(repushed.status, 0, repushed.standardError)

        let destroyed = try await cli.run(["destroy", "--auto-approve"] + stack)
        XCTAssertEqual(destroyed.status, 0, destroyed.standardError)
    }
}
