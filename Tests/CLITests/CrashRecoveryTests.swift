import AWS
import Foundation
import TestSupport
import XCTest

/// `kill -9` of an apply at several moments: the next apply finishes the job with no duplicate
/// and no orphan, checked through the AWS API.
final class CrashRecoveryTests: XCTestCase {
    override func tearDown() async throws {
        try await Emulator.shared().clearFaults()
    }

    /// The create request is held in the proxy, the process is killed while it waits, and the
    /// proxy then delivers it: AWS creates a key imgstack never heard back about.
    func testKillDuringKeyCreationAdoptsTheKeyInsteadOfCreatingASecond() async throws {
        try await killAndRecover(when: "kms.key.data: Creating...", delaying: "kms:CreateKey")
    }

    /// As a CI retry does: the re-run starts the moment the killed run is gone, while the held
    /// create is still on its way. Its first lookup finds nothing; it must look again until the
    /// request can no longer land, not create a second key.
    func testARerunStartedAtOnceWaitsForTheHeldCreateInsteadOfMakingASecondKey() async throws {
        try await killAndRecover(when: "kms.key.data: Creating...", delaying: "kms:CreateKey", rerunAtOnce: true)
    }

    /// The answer to CreateKey is lost (held past the request timeout) while the request itself
    /// reaches AWS: the call is not sent again blindly (a second key); the run looks for the key
    /// by its intent tag once the request could have landed, records it and goes on.
    func testALostAnswerToACreateIsNotRetriedBlindlyButLookedFor() async throws {
        let emulator = try Emulator.shared()
        let cli = try CLI.withEmulator(emulator)
        let prefix = "lost-\(UUID().uuidString.prefix(8).lowercased())"
        let probe = QuickstartProbe(emulator: emulator, prefix: prefix)
        let stack = ["--stack", "quickstart", "--var", "prefix=\(prefix)"]
        try await emulator.inject(Fault(operation: "kms:CreateKey", kind: .delay, count: 1, delayMs: 2500))

        let applied = try await cli.run(["apply", "--auto-approve", "--request-timeout", "1s"] + stack)
        XCTAssertEqual(applied.status, 0, applied.standardOutput + applied.standardError)
        XCTAssertTrue(applied.standardOutput.contains("no answer from the create") || applied.standardError.contains("no answer from the create"),
                      applied.standardOutput)
        let keys = try await probe.liveKeys()
        XCTAssertEqual(keys.count, 1, "exactly one key, no second one from a blind retry")
        let plan = try await cli.run(["plan", "--detailed-exitcode"] + stack)
        XCTAssertEqual(plan.status, 0, plan.standardOutput)

        let destroyed = try await cli.run(["destroy", "--auto-approve"] + stack)
        XCTAssertEqual(destroyed.status, 0, destroyed.standardError)
    }

    /// A role of the stack's name exists already, someone else's; the apply is killed while its
    /// CreateRole (which AWS will refuse) is held. The re-run must not take the foreign role for
    /// what the interrupted create made: it is not tagged with the intent.
    func testAKilledCreateNeverAdoptsASameNamedRoleOfSomeoneElse() async throws {
        let emulator = try Emulator.shared()
        let cli = try CLI.withEmulator(emulator)
        let prefix = "foreign-\(UUID().uuidString.prefix(8).lowercased())"
        let probe = QuickstartProbe(emulator: emulator, prefix: prefix)
        let stack = ["--stack", "quickstart", "--var", "prefix=\(prefix)"]
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
        _ = try await probe.aws.iam.createRole(name: "\(prefix)-reader", path: "/", assumeRolePolicy: trust, description: "FOREIGN",
                                               maxSessionDuration: 3600, tags: ["owner": "someone-else"])
        try await emulator.inject(Fault(operation: "iam:CreateRole", kind: .delay, count: 1, delayMs: 1500))
        let killed = try await cli.run(["apply", "--auto-approve"] + stack,
                                       interruption: .afterOutputContains("iam.role.reader: Creating...", seconds: 0.5))
        XCTAssertTrue(killed.wasInterrupted, killed.standardOutput)
        try await emulator.clearFaults()

        // A short request timeout keeps the wait for the held create (timeout + 20 s) short.
        let rerun = try await cli.run(["apply", "--auto-approve", "--request-timeout", "1s"] + stack)
        XCTAssertFalse(rerun.standardError.contains("iam.role.reader: found the resource"), rerun.standardError)
        XCTAssertEqual(rerun.status, 1, "the foreign role still blocks the create: " + rerun.standardOutput)
        _ = try await cli.run(["destroy", "--auto-approve"] + stack)
        let foreign = try await probe.aws.iam.role("\(prefix)-reader")
        XCTAssertEqual(foreign?.description, "FOREIGN", "the foreign role is neither changed nor deleted")
        try await probe.aws.iam.deleteRole("\(prefix)-reader")
    }

    func testKillDuringBucketCreation() async throws {
        try await killAndRecover(when: "s3.bucket.data: Creating...", delaying: "s3:CreateBucket")
    }

    func testKillDuringPolicyAttachment() async throws {
        try await killAndRecover(when: "iam.role_policy_attachment.read: Creating...", delaying: "iam:AttachRolePolicy")
    }

    func testKillRightAfterAResourceWasRecorded() async throws {
        try await killAndRecover(when: "iam.role.reader: Created", delaying: nil)
    }

    private func killAndRecover(when trigger: String, delaying operation: String?, rerunAtOnce: Bool = false,
                                file: StaticString = #filePath, line: UInt = #line) async throws {
        let emulator = try Emulator.shared()
        let cli = try CLI.withEmulator(emulator)
        let prefix = "crash-\(UUID().uuidString.prefix(8).lowercased())"
        let probe = QuickstartProbe(emulator: emulator, prefix: prefix)
        let stack = ["--stack", "quickstart", "--var", "prefix=\(prefix)"]
        if let operation {
            try await emulator.inject(Fault(operation: operation, kind: .delay, count: 1, delayMs: rerunAtOnce ? 3000 : 1500))
        }

        // With a held request, kill half-way through the hold: the request has left imgstack.
        let moment: ProcessRunner.Interruption = operation == nil ? .whenOutputContains(trigger) : .afterOutputContains(trigger, seconds: 0.7)
        let killed = try await cli.run(["apply", "--auto-approve"] + stack, interruption: moment)
        XCTAssertTrue(killed.wasInterrupted, "the apply finished before \"\(trigger)\": \(killed.standardOutput)", file: file, line: line)
        if !rerunAtOnce {
            // Let a held request reach the emulator, as it would reach AWS after the client died.
            try await Task.sleep(nanoseconds: 2_000_000_000)
        }
        try await emulator.clearFaults()

        let resumed = try await cli.run(["apply", "--auto-approve"] + stack)
        XCTAssertEqual(resumed.status, 0, resumed.standardOutput + resumed.standardError, file: file, line: line)
        if rerunAtOnce {
            XCTAssertTrue(resumed.standardError.contains("Recovering: kms.key.data"),
                          "the re-run says it waits for the held create: " + resumed.standardError, file: file, line: line)
        }
        if operation != nil {
            XCTAssertTrue(resumed.standardError.contains("adopted it into state"),
                          "the interrupted create is found and adopted: " + resumed.standardError, file: file, line: line)
        }

        let keys = try await probe.liveKeys()
        XCTAssertEqual(keys.count, 1, "exactly one key, no duplicate", file: file, line: line)
        let bucketExists = try await probe.bucketExists()
        XCTAssertTrue(bucketExists, file: file, line: line)
        let attached = try await probe.attachedPolicies()
        XCTAssertEqual(attached, ["arn:aws:iam::123456789012:policy/\(prefix)-read"], file: file, line: line)
        let plan = try await cli.run(["plan", "--detailed-exitcode"] + stack)
        XCTAssertEqual(plan.status, 0, "after recovery the plan is empty: " + plan.standardOutput, file: file, line: line)

        let destroyed = try await cli.run(["destroy", "--auto-approve"] + stack)
        XCTAssertEqual(destroyed.status, 0, destroyed.standardError, file: file, line: line)
        let orphanKeys = try await probe.liveKeys()
        XCTAssertTrue(orphanKeys.isEmpty, "no orphan key is left after destroy", file: file, line: line)
        let orphanBucket = try await probe.bucketExists()
        XCTAssertFalse(orphanBucket, "no orphan bucket is left after destroy", file: file, line: line)
    }
}
