import Foundation
import TestSupport
import XCTest

final class ProcessRunnerTests: XCTestCase {
    private let shell = URL(fileURLWithPath: "/bin/sh")

    func testCapturesOutputStandardInputAndExitStatus() async throws {
        let result = try await ProcessRunner(
            executable: shell, arguments: ["-c", "cat; echo problem >&2; exit 3"],
            standardInput: Data("from stdin\n".utf8)
        ).run()

        XCTAssertEqual(result.status, 3)
        XCTAssertFalse(result.wasSignalled)
        XCTAssertFalse(result.wasInterrupted)
        XCTAssertEqual(result.standardOutput, "from stdin\n")
        XCTAssertEqual(result.standardError, "problem\n")
    }

    func testKillsWithTheSignalWhenTheLineAppears() async throws {
        let started = Date()
        let result = try await ProcessRunner(
            executable: shell, arguments: ["-c", "echo applying; echo created bucket; exec sleep 30"]
        ).run(interruption: .whenOutputContains("created bucket"), signal: SIGKILL)

        XCTAssertTrue(result.wasInterrupted)
        XCTAssertTrue(result.wasSignalled)
        XCTAssertEqual(result.status, SIGKILL)
        XCTAssertEqual(result.standardOutput, "applying\ncreated bucket\n")
        XCTAssertLessThan(Date().timeIntervalSince(started), 20)
    }

    func testKillsAfterTheDelay() async throws {
        let result = try await ProcessRunner(
            executable: shell, arguments: ["-c", "exec sleep 30"]
        ).run(interruption: .after(seconds: 0.5), signal: SIGKILL)

        XCTAssertTrue(result.wasInterrupted)
        XCTAssertTrue(result.wasSignalled)
        XCTAssertEqual(result.status, SIGKILL)
    }

    func testPassesTheGivenEnvironmentOnly() async throws {
        let result = try await ProcessRunner(
            executable: shell, arguments: ["-c", "echo \"$IMGSTACK_PROBE-${HOME:-unset}\""],
            environment: ["IMGSTACK_PROBE": "seen"]
        ).run()

        XCTAssertEqual(result.standardOutput, "seen-unset\n")
    }

    func testTemporaryDirectoryIsRemovedOnDeinit() throws {
        var directory: TemporaryDirectory? = try TemporaryDirectory()
        let url = try XCTUnwrap(directory?.url)
        try Data("x".utf8).write(to: url.appendingPathComponent("file"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: url.path))

        directory = nil

        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
    }
}
