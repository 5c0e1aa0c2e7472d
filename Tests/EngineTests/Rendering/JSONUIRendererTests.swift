@testable import Engine
import Foundation
import XCTest

/// `--events=json`'s messages, in Terraform's machine-readable UI format
/// (developer.hashicorp.com/terraform/internals/machine-readable-ui).
final class JSONUIRendererTests: XCTestCase {
    private let renderer = JSONUIRenderer(schemas: [], now: { Date(timeIntervalSince1970: 1_700_000_000.25) })

    private func parsed(_ line: String) throws -> [String: Any] {
        XCTAssertFalse(line.contains("\n"), "one message a line")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], line)
        for key in ["@level", "@message", "@module", "@timestamp", "type"] { XCTAssertNotNil(object[key] as? String, "\(key) in \(line)") }
        XCTAssertEqual(object["@timestamp"] as? String, "2023-11-14T22:13:20.250Z")
        return object
    }

    func testAPlanIsItsDriftItsChangesItsSummaryAndItsOutputs() throws {
        let messages = try renderer.planned(SamplePlan.everyAction()).map(parsed)
        XCTAssertEqual(messages.map { $0["type"] as? String }, ["resource_drift", "resource_drift"] + Array(repeating: "planned_change", count: 5)
            + ["change_summary", "outputs"])
        let changes = messages.compactMap { $0["change"] as? [String: Any] }
        let replaced = try XCTUnwrap(changes.first { ($0["resource"] as? [String: Any])?["addr"] as? String == "aws_s3_bucket.logs" })
        XCTAssertEqual(replaced["action"] as? String, "replace")
        XCTAssertEqual(replaced["reason"] as? String, "cannot_update")
        let resource = try XCTUnwrap(replaced["resource"] as? [String: Any])
        XCTAssertEqual(resource["resource_type"] as? String, "aws_s3_bucket")
        XCTAssertEqual(resource["resource_name"] as? String, "logs")
        XCTAssertEqual(resource["imgstack_address"] as? String, "s3.bucket.logs")
        XCTAssertEqual(resource["module"] as? String, "")
        XCTAssertTrue(resource["resource_key"] is NSNull)
        let summary = try XCTUnwrap(messages[7]["changes"] as? [String: Any])
        XCTAssertEqual(summary["operation"] as? String, "plan")
        XCTAssertEqual([summary["add"], summary["change"], summary["remove"]].map { $0 as? Int }, [2, 2, 2])
        XCTAssertEqual(messages[7]["@message"] as? String, "Plan: 2 to add, 2 to change, 2 to destroy.")
        let outputs = try XCTUnwrap(messages[8]["outputs"] as? [String: [String: Any]])
        XCTAssertEqual(outputs["client_secret"]?["action"] as? String, "update")
        XCTAssertEqual(outputs["region"]?["action"] as? String, "noop")
    }

    func testAnOperationStartsProgressesAndCompletesOrErrsWithADiagnostic() throws {
        let address = Address(type: "s3.bucket", name: "site")
        let event = { (kind: ExecutionEvent.Kind) in ExecutionEvent(address: address, operation: .create, deposed: false, kind: kind) }
        let started = try renderer.operation(event(.started)).map(parsed)
        XCTAssertEqual(started.map { $0["type"] as? String }, ["apply_start"])
        XCTAssertEqual(started[0]["@message"] as? String, "s3_bucket.site: Creating...")
        let complete = try renderer.operation(event(.finished(elapsed: 2.6, id: "site-bucket"))).map(parsed)
        let hook = try XCTUnwrap(complete[0]["hook"] as? [String: Any])
        XCTAssertEqual(complete[0]["type"] as? String, "apply_complete")
        XCTAssertEqual(hook["id_key"] as? String, "id")
        XCTAssertEqual(hook["id_value"] as? String, "site-bucket")
        XCTAssertEqual(hook["elapsed_seconds"] as? Int, 2)
        XCTAssertEqual(hook["action"] as? String, "create")
        let progress = try renderer.operation(event(.stillRunning(elapsed: 10))).map(parsed)
        XCTAssertEqual(progress[0]["type"] as? String, "apply_progress")
        let failed = try renderer.operation(event(.failed(elapsed: 1, error: "CreateBucket: BucketAlreadyExists"))).map(parsed)
        XCTAssertEqual(failed.map { $0["type"] as? String }, ["apply_errored", "diagnostic"])
        XCTAssertEqual(failed[1]["@level"] as? String, "error")
        let diagnostic = try XCTUnwrap(failed[1]["diagnostic"] as? [String: Any])
        XCTAssertEqual(diagnostic["severity"] as? String, "error")
        XCTAssertEqual(diagnostic["imgstack_address"] as? String, "s3.bucket.site")
        XCTAssertTrue((diagnostic["summary"] as? String ?? "").contains("BucketAlreadyExists"))
    }

    func testSensitiveOutputsAreWrittenWithoutTheirValue() throws {
        let plan = SamplePlan.everyAction()
        var state = StateFile(stack: "quickstart", lineage: "x")
        state.outputs = ["client_secret": OutputRecord(value: .string(SamplePlan.secret), sensitive: true),
                         "region": OutputRecord(value: "eu-west-1", sensitive: false)]
        let lines = renderer.applied(plan, .nothingToDo, state: state) + renderer.planned(plan)
        for line in lines { XCTAssertFalse(line.contains(SamplePlan.secret), "a secret in \(line)") }
        let outputs = try XCTUnwrap(try parsed(lines[1])["outputs"] as? [String: [String: Any]])
        XCTAssertNil(outputs["client_secret"]?["value"])
        XCTAssertEqual(outputs["client_secret"]?["sensitive"] as? Bool, true)
        XCTAssertEqual(outputs["region"]?["value"] as? String, "eu-west-1")
        XCTAssertEqual(outputs["region"]?["type"] as? String, "string")
        let summary = try parsed(lines[0])
        XCTAssertEqual(summary["@message"] as? String, "Apply complete! Resources: 2 added, 2 changed, 2 destroyed.")
    }
}
