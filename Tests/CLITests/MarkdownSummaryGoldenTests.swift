import Foundation
import TestSupport
import XCTest

/// The Markdown plan of the quickstart stack, as a pull-request comment or CI step summary
/// shows it, pinned to a golden file. Re-record after an intended change with
/// `IMGSTACK_RECORD_GOLDEN=1 swift test --filter MarkdownSummaryGoldenTests`.
final class MarkdownSummaryGoldenTests: XCTestCase {
    func testQuickstartMarkdownPlanMatchesGoldenFile() async throws {
        let result = try await CLI().run(["plan", "--stack", "quickstart", "--markdown", "--region", "eu-west-1"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let golden = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent("quickstart-plan.md")
        try assertGolden(result.standardOutput, golden)
    }
}
