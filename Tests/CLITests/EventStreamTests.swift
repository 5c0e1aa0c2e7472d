import Foundation
import TestSupport
import XCTest

/// `--events=json` on plan, apply and destroy: Terraform's machine-readable UI, one JSON object a
/// line on standard output (developer.hashicorp.com/terraform/internals/machine-readable-ui).
final class EventStreamTests: XCTestCase {
    /// Every line of standard output as a message with the keys every message has.
    private func messages(_ output: String, file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        let lines = output.split(separator: "\n").map(String.init)
        XCTAssertFalse(lines.isEmpty, "no messages", file: file, line: line)
        return try lines.map { text in
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text, file: file, line: line)
            for key in ["@level", "@message", "@module", "@timestamp", "type"] {
                XCTAssertNotNil(object[key] as? String, "\(key) missing in \(text)", file: file, line: line)
            }
            return object
        }
    }

    private func addresses(_ messages: [[String: Any]], type: String, key: String) -> [String] {
        messages.filter { $0["type"] as? String == type }
            .compactMap { (($0[key] as? [String: Any])?["resource"] as? [String: Any])?["addr"] as? String }.sorted()
    }

    func testAPlanIsAVersionItsChangesAndItsSummary() async throws {
        let result = try await CLI().run(["plan", "--stack", "quickstart", "--events=json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let stream = try messages(result.standardOutput)
        XCTAssertEqual(stream.first?["type"] as? String, "version")
        XCTAssertEqual(stream.first?["ui"] as? String, "1.0")
        let planned = addresses(stream, type: "planned_change", key: "change")
        XCTAssertEqual(planned.count, 7, "\(planned)")
        XCTAssertTrue(planned.contains("aws_s3_bucket.data"), "\(planned)")
        let summary = try XCTUnwrap(stream.first { $0["type"] as? String == "change_summary" }?["changes"] as? [String: Any])
        XCTAssertEqual(summary["operation"] as? String, "plan")
        XCTAssertEqual(summary["add"] as? Int, 7)
    }

    func testAnApplyReportsEachResourceAndTheSummaryAndDestroyTheSame() async throws {
        let emulator = try Emulator.shared()
        let cli = try CLI.withEmulator(emulator)
        let stack = ["--stack", "quickstart", "--var", "prefix=ev-\(UUID().uuidString.prefix(8).lowercased())"]
        let applied = try await cli.run(["apply", "--auto-approve", "--events=json"] + stack)
        XCTAssertEqual(applied.status, 0, applied.standardError + applied.standardOutput)
        let stream = try messages(applied.standardOutput)
        let planned = addresses(stream, type: "planned_change", key: "change")
        XCTAssertEqual(planned.count, 7)
        XCTAssertEqual(addresses(stream, type: "apply_start", key: "hook"), planned)
        XCTAssertEqual(addresses(stream, type: "apply_complete", key: "hook"), planned)
        let summary = try XCTUnwrap(stream.first {
            $0["type"] as? String == "change_summary" && ($0["changes"] as? [String: Any])?["operation"] as? String == "apply"
        })
        XCTAssertEqual(summary["@message"] as? String, "Apply complete! Resources: 7 added, 0 changed, 0 destroyed.")
        XCTAssertEqual(stream.last?["type"] as? String, "outputs")

        let destroyed = try await cli.run(["destroy", "--auto-approve", "--events=json"] + stack)
        XCTAssertEqual(destroyed.status, 0, destroyed.standardError + destroyed.standardOutput)
        let teardown = try messages(destroyed.standardOutput)
        XCTAssertEqual(addresses(teardown, type: "refresh_complete", key: "hook").count, 7)
        XCTAssertEqual(addresses(teardown, type: "apply_complete", key: "hook"), planned)
        XCTAssertEqual((teardown.last?["changes"] as? [String: Any])?["operation"] as? String, "destroy")
    }

    func testAnInvalidStackIsADiagnosticNamingTheResourceAndProperty() async throws {
        let result = try await CLI().run(["plan", "--stack", "quickstart", "--events=json", "--var", "prefix=Not_A_Bucket"])
        XCTAssertEqual(result.status, 1)
        let stream = try messages(result.standardOutput)
        XCTAssertEqual(stream.first?["type"] as? String, "version")
        let diagnostic = try XCTUnwrap(stream.last)
        XCTAssertEqual(diagnostic["type"] as? String, "diagnostic")
        XCTAssertEqual(diagnostic["@level"] as? String, "error")
        let summary = (diagnostic["diagnostic"] as? [String: Any])?["summary"] as? String ?? ""
        XCTAssertTrue(summary.contains("s3.bucket.data") && summary.contains("bucket"), summary)
        XCTAssertFalse(stream.contains { $0["type"] as? String == "planned_change" })
    }

    func testTheStreamIsNotThePlanDocument() async throws {
        let cli = try CLI()
        for arguments in [["plan", "--json", "--events=json"], ["apply", "--auto-approve", "--json", "--events=json"], ["apply", "--events=json"]] {
            let result = try await cli.run(arguments + ["--stack", "quickstart"])
            XCTAssertEqual(result.status, 1, "\(arguments)")
            XCTAssertTrue(result.standardError.contains("--events=json"), "\(arguments): \(result.standardError)")
        }
    }
}
