import Foundation
import TestSupport
import XCTest

/// Ctrl-C once during an apply: no new operation starts, the running one finishes and is
/// recorded, and the exit status is non-zero; the next apply finishes the job.
final class InterruptTests: XCTestCase {
    override func tearDown() async throws {
        try await Emulator.shared().clearFaults()
    }

    func testFirstInterruptLetsRunningOperationsFinishAndSavesState() async throws {
        let emulator = try Emulator.shared()
        let cli = try CLI.withEmulator(emulator)
        let prefix = "int-\(UUID().uuidString.prefix(8).lowercased())"
        let stack = ["--stack", "quickstart", "--var", "prefix=\(prefix)"]
        // Hold the key's creation so the interrupt lands while it is in flight.
        try await emulator.inject(Fault(operation: "kms:CreateKey", kind: .delay, count: 1, delayMs: 1500))

        let interrupted = try await cli.run(["apply", "--auto-approve", "--parallelism", "1"] + stack,
                                            interruption: .afterOutputContains("kms.key.data: Creating...", seconds: 0.5), signal: SIGINT)
        XCTAssertEqual(interrupted.status, 1, interrupted.standardOutput + interrupted.standardError)
        XCTAssertTrue(interrupted.standardError.contains("Interrupt received"), interrupted.standardError)
        XCTAssertTrue(interrupted.standardOutput.contains("kms.key.data: Created in"), "the running create finishes: " + interrupted.standardOutput)
        XCTAssertFalse(interrupted.standardOutput.contains("kms.alias.data: Creating..."), "nothing new starts: " + interrupted.standardOutput)

        let list = try await cli.run(["state", "list"] + stack)
        XCTAssertTrue(list.standardOutput.contains("kms.key.data"), "the finished create is recorded: " + list.standardOutput)

        let resumed = try await cli.run(["apply", "--auto-approve"] + stack)
        XCTAssertEqual(resumed.status, 0, resumed.standardError)
        XCTAssertFalse(resumed.standardOutput.contains("kms.key.data: Creating..."), resumed.standardOutput)
        let destroyed = try await cli.run(["destroy", "--auto-approve"] + stack)
        XCTAssertEqual(destroyed.status, 0, destroyed.standardError)
    }
}
