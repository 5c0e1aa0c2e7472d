import Foundation
import TestSupport
import XCTest

/// The image server's JavaScript has tests of its own, run by node's test runner: the edge
/// function's token checks (`edge-auth/test/`) and the site's signing and parsing modules
/// (`site-test/`). Running them here keeps one test command for the whole project. Without
/// node they are skipped locally and fail in CI.
final class ImageServerJavaScriptTests: XCTestCase {
    func testEdgeFunctionTokenChecks() async throws {
        try await runNodeTests(in: "edge-auth/test")
    }

    func testSiteModules() async throws {
        try await runNodeTests(in: "site-test")
    }

    private func runNodeTests(in directory: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        guard let node = ProcessRunner.which("node") else {
            let isCI = ProcessInfo.processInfo.environment["CI"].map { !["", "0", "false"].contains($0.lowercased()) } ?? false
            if isCI {
                XCTFail("CI is set but node is not on PATH (install Debian's nodejs)", file: file, line: line)
                return
            }
            throw XCTSkip("node is not on PATH")
        }
        let tests = ImageServerTestFiles.root.appendingPathComponent(directory)
        let files = try FileManager.default.contentsOfDirectory(atPath: tests.path).filter { $0.hasSuffix(".test.js") || $0.hasSuffix(".test.mjs") }
        XCTAssertFalse(files.isEmpty, "\(directory) holds no *.test.js files", file: file, line: line)
        let result = try await ProcessRunner(executable: node, arguments: ["--test", "--test-reporter=tap"] + files.sorted().map { tests.appendingPathComponent($0).path },
                                             currentDirectory: ImageServerTestFiles.root).run(timeout: 300)
        let output = result.standardOutput + result.standardError
        XCTAssertEqual(result.status, 0, output, file: file, line: line)
        let passed = output.split(separator: "\n").first { $0.hasPrefix("# pass ") }.flatMap { Int($0.dropFirst("# pass ".count)) }
        XCTAssertGreaterThan(passed ?? 0, 0, "node ran no test: \(output)", file: file, line: line)
        XCTAssertTrue(output.contains("\n# fail 0"), output, file: file, line: line)
    }
}
