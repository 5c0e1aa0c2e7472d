import Engine
import Foundation
import XCTest

/// Pins the human, JSON and Markdown renderings of a plan that has every kind of change.
/// Re-record after an intended change with:
/// `IMGSTACK_RECORD_GOLDEN=1 swift test --filter RenderingGoldenTests`.
final class RenderingGoldenTests: XCTestCase {
    func testHumanRenderingMatchesGoldenFile() throws {
        try assertGolden(HumanPlanRenderer(style: .plain).render(SamplePlan.everyAction()), "plan-human.txt")
    }

    func testJSONRenderingMatchesGoldenFile() throws {
        try assertGolden(JSONPlanRenderer().render(SamplePlan.everyAction()) + "\n", "plan.json")
    }

    func testMarkdownRenderingMatchesGoldenFile() throws {
        try assertGolden(MarkdownPlanRenderer().render(SamplePlan.everyAction()), "plan.md")
    }

    func testNoChangesRendering() throws {
        try assertGolden(HumanPlanRenderer(style: .plain).render(SamplePlan.empty()), "plan-no-changes.txt")
    }

    func testColouredRenderingUsesANSIOnlyWhenAsked() {
        let plan = SamplePlan.everyAction()
        XCTAssertFalse(HumanPlanRenderer(style: .plain).render(plan).contains("\u{1B}["))
        XCTAssertTrue(HumanPlanRenderer(style: TerminalStyle(colored: true)).render(plan).contains("\u{1B}[32m+"))
    }

    func testSensitiveValuesAppearInNoRendering() {
        let plan = SamplePlan.everyAction()
        for text in [HumanPlanRenderer().render(plan), JSONPlanRenderer().render(plan), MarkdownPlanRenderer().render(plan)] {
            XCTAssertFalse(text.contains(SamplePlan.secret), "a sensitive value leaked into a rendering")
        }
    }

    func testJSONCarriesTerraformFieldNames() throws {
        let text = JSONPlanRenderer().render(SamplePlan.everyAction())
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertNotNil(document["format_version"])
        let changes = try XCTUnwrap(document["resource_changes"] as? [[String: Any]])
        let replaced = try XCTUnwrap(changes.first { $0["address"] as? String == "s3.bucket.logs" })
        XCTAssertEqual(replaced["type"] as? String, "aws_s3_bucket")
        let change = try XCTUnwrap(replaced["change"] as? [String: Any])
        XCTAssertEqual(change["actions"] as? [String], ["delete", "create"])
        XCTAssertEqual(change["replace_paths"] as? [[String]], [["bucket"]])
        XCTAssertEqual((change["after_unknown"] as? [String: Any])?["arn"] as? Bool, true)
    }

    // MARK: - Golden files

    private func assertGolden(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let fixtures = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
        let path = fixtures.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["IMGSTACK_RECORD_GOLDEN"] == "1" {
            try actual.write(to: path, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: path, encoding: .utf8)
        XCTAssertEqual(actual, expected, "rendering differs from \(name); re-record with IMGSTACK_RECORD_GOLDEN=1 if intended", file: file, line: line)
    }
}
