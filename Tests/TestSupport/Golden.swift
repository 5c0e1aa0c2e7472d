import Foundation
import XCTest

/// The environment variable that turns golden-file assertions into re-recordings.
public let recordGoldenVariable = "IMGSTACK_RECORD_GOLDEN"

/// Asserts that `actual` is exactly the text of the golden file at `fixture`, or re-records
/// the file when `IMGSTACK_RECORD_GOLDEN=1` is set.
///
/// Pass the fixture's path in the source tree (built from `#filePath`), not the copy in the
/// test bundle: a re-recording must change the file that is committed, and both must be the
/// same file so that what is checked is what is committed.
///
/// Re-record after an intended change with
/// `IMGSTACK_RECORD_GOLDEN=1 swift test --filter <TestClass>`, then review the diff.
/// - Parameters:
///   - actual: The text the code under test produced.
///   - fixture: The golden file.
///   - file: The file to report a difference in.
///   - line: The line to report a difference at.
/// - Throws: The file system's error when the golden file cannot be read, or written while
///   re-recording.
public func assertGolden(_ actual: String, _ fixture: URL, file: StaticString = #filePath, line: UInt = #line) throws {
    if ProcessInfo.processInfo.environment[recordGoldenVariable] == "1" {
        try actual.write(to: fixture, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: fixture, encoding: .utf8)
    guard actual != expected else { return }
    XCTAssertEqual(actual, expected, """
        differs from \(fixture.lastPathComponent) \(firstDifference(actual, expected)); \
        re-record with \(recordGoldenVariable)=1 if the change is intended
        """, file: file, line: line)
}

/// Names the first line where two texts differ, to point the reader at it in a long rendering.
private func firstDifference(_ actual: String, _ expected: String) -> String {
    let actualLines = actual.components(separatedBy: "\n"), expectedLines = expected.components(separatedBy: "\n")
    for index in 0..<max(actualLines.count, expectedLines.count) {
        let got = index < actualLines.count ? actualLines[index] : "<end of text>"
        let wanted = index < expectedLines.count ? expectedLines[index] : "<end of file>"
        if got != wanted { return "at line \(index + 1): got \(got.debugDescription), expected \(wanted.debugDescription)" }
    }
    return ""
}
