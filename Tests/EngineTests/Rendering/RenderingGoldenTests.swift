import Engine
import Foundation
import TestSupport
import XCTest

/// Pins the human, JSON and Markdown renderings of a plan that has every kind of change.
/// Re-record after an intended change with:
/// `IMGSTACK_RECORD_GOLDEN=1 swift test --filter RenderingGoldenTests`.
final class RenderingGoldenTests: XCTestCase {
    func testHumanRenderingMatchesGoldenFile() throws {
        try assertGolden(HumanPlanRenderer(style: .plain).render(SamplePlan.everyAction()), fixture("plan-human.txt"))
    }

    func testJSONRenderingMatchesGoldenFile() throws {
        try assertGolden(JSONPlanRenderer().render(SamplePlan.everyAction()) + "\n", fixture("plan.json"))
    }

    func testJSONWrittenInPiecesIsTheSameDocumentHandedOnAsItIsMade() throws {
        // The CLI streams JSON plans (a plan of 100,000 resources is never held whole): the
        // pieces, joined, are the document, and none grows far past the piece size.
        let plan = SamplePlan.everyAction()
        var pieces: [[UInt8]] = []
        let pieceBytes = 256
        JSONPlanRenderer().render(plan, pieceBytes: pieceBytes, to: { pieces.append($0) })
        XCTAssertEqual(String(decoding: pieces.joined(), as: UTF8.self), JSONPlanRenderer().render(plan))
        XCTAssertGreaterThan(pieces.count, 10)
        // A piece ends after the member or element that filled it; no single one here is long.
        XCTAssertLessThan(pieces.map(\.count).max() ?? 0, pieceBytes * 8, "\(pieces.map(\.count))")
    }

    func testMarkdownRenderingMatchesGoldenFile() throws {
        try assertGolden(MarkdownPlanRenderer().render(SamplePlan.everyAction()), fixture("plan.md"))
    }

    func testNoChangesRendering() throws {
        try assertGolden(HumanPlanRenderer(style: .plain).render(SamplePlan.empty()), fixture("plan-no-changes.txt"))
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
        let replaced = try XCTUnwrap(changes.first { $0["address"] as? String == "aws_s3_bucket.logs" })
        XCTAssertEqual(replaced["type"] as? String, "aws_s3_bucket")
        let change = try XCTUnwrap(replaced["change"] as? [String: Any])
        XCTAssertEqual(change["actions"] as? [String], ["delete", "create"])
        XCTAssertEqual(change["replace_paths"] as? [[String]], [["bucket"]])
        XCTAssertEqual((change["after_unknown"] as? [String: Any])?["arn"] as? Bool, true)
    }

    // MARK: - Golden files

    /// A golden file in the source tree (re-recording writes there, not to the bundle's copy).
    private func fixture(_ name: String) -> URL {
        URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name)
    }
}
