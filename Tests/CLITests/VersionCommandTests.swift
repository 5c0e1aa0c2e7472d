import Foundation
import TestSupport
import XCTest

final class VersionCommandTests: XCTestCase {
    /// `imgstack --version` names the version and the commit of the sources it was built from —
    /// this checkout's HEAD, as the test was built from it.
    func testVersionPrintsTheCommitTheBinaryWasBuiltFrom() async throws {
        let result = try await CLI().run(["--version"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let line = result.standardOutput.trimmingCharacters(in: .newlines)
        let pattern = #"^imgstack [0-9]+\.[0-9]+\.[0-9]+ \(commit ([0-9a-f]{40}|unknown)(, with uncommitted changes)?\)$"#
        XCTAssertNotNil(line.range(of: pattern, options: .regularExpression), line)

        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let head = try await ProcessRunner(executable: URL(fileURLWithPath: "/usr/bin/env"), arguments: ["git", "-C", repository.path, "rev-parse", "HEAD"])
            .run(timeout: 30)
        guard head.status == 0 else { throw XCTSkip("the sources are not a git checkout: \(head.standardError)") }
        XCTAssertTrue(line.hasPrefix("imgstack ") && line.contains("(commit \(head.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))"),
                      "\(line) does not name HEAD \(head.standardOutput)")
    }
}
