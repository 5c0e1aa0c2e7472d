import AWS
import Engine
import Foundation
import ImgStack
import TestSupport
import XCTest

/// State in S3 through the `imgstack` binary against the emulator behind the verifying proxy:
/// one writer at a time, a killed holder's lock reported and force-unlocked, and migration
/// from local to S3 and back.
final class RemoteStateCLITests: XCTestCase {
    private var emulator: Emulator!
    private var aws: AWSClient!
    private var cli: CLI!
    private var stateBucket = ""
    private var prefix = ""

    override func setUp() async throws {
        emulator = try Emulator.shared()
        cli = try CLI.withEmulator(emulator)
        aws = QuickstartProbe(emulator: emulator, prefix: "unused").aws
        let id = UUID().uuidString.prefix(8).lowercased()
        stateBucket = "imgstack-tfstate-\(id)"
        prefix = "remote-\(id)"
        try await aws.s3(region: "us-east-1").createBucket(stateBucket)
    }

    override func tearDown() async throws {
        try await emulator?.clearFaults()
    }

    private var backendURL: String { "s3://\(stateBucket)/stacks/" }
    private var stateKey: String { "stacks/quickstart.state.json" }
    private var stack: [String] { ["--stack", "quickstart", "--var", "prefix=\(prefix)"] }

    /// The lock id a "locked" message names in its `imgstack force-unlock ID` advice.
    private func lockID(in message: String) -> String? {
        guard let range = message.range(of: "imgstack force-unlock ") else { return nil }
        return String(message[range.upperBound...].prefix { $0 != "`" && !$0.isWhitespace })
    }

    func testASavedPlanOfAStackWithoutSecretsNeedsNoKey() async throws {
        // As Examples/ci/imgstack.yml runs it: S3 state, no kms_key, no IMGSTACK_STATE_KEY.
        let saved = try await cli.run(["plan", "--backend", backendURL, "--out", "ci.plan"] + stack)
        XCTAssertEqual(saved.status, 0, saved.standardError)
        let applied = try await cli.run(["apply", "ci.plan", "--backend", backendURL, "--stack", "quickstart"])
        XCTAssertEqual(applied.status, 0, applied.standardError)
        let destroyed = try await cli.run(["destroy", "--auto-approve", "--backend", backendURL] + stack)
        XCTAssertEqual(destroyed.status, 0, destroyed.standardError)
    }

    func testAStateKeyTooShortIsRefusedBeforeAnyCall() async throws {
        try await emulator.resetCalls()
        let result = try await cli.run(["apply", "--auto-approve", "--backend", backendURL] + stack,
                                       environment: ["IMGSTACK_STATE_KEY": "short"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("IMGSTACK_STATE_KEY is too short"), result.standardError)
        let calls = try await emulator.calls()
        XCTAssertEqual(calls.values.reduce(0, +), 0, "\(calls)")
    }

    func testTwoAppliesAtOnceRunOneAtATime() async throws {
        let cli: CLI = self.cli, arguments = ["apply", "--auto-approve", "--backend", backendURL] + stack
        async let first = cli.run(arguments)
        async let second = cli.run(arguments)
        let results = try await [first, second]
        let winners = results.filter { $0.status == 0 }
        let losers = results.filter { $0.status != 0 }
        XCTAssertEqual(winners.count, 1, results.map { $0.standardOutput + $0.standardError }.joined(separator: "\n----\n"))
        XCTAssertEqual(losers.count, 1)
        XCTAssertTrue(winners.first?.standardOutput.contains("Apply complete! Resources: 7 added") ?? false)
        let refusal = losers.first?.standardError ?? ""
        XCTAssertEqual(losers.first?.status, 1)
        XCTAssertTrue(refusal.contains("state s3://\(stateBucket)/\(stateKey) is locked by lock "), refusal)
        XCTAssertTrue(refusal.contains("(apply by "), refusal)
        XCTAssertTrue(refusal.contains(" ago)"), refusal)
        XCTAssertTrue(winners.first?.standardError.contains("Warning: versioning is off on state bucket \(stateBucket)") ?? false,
                      winners.first?.standardError ?? "")

        // The lock was released: the state is in S3 and the next run plans nothing.
        let lock = try await aws.s3.storedObject(stateBucket, key: stateKey + ".lock")
        XCTAssertNil(lock)
        let plan = try await cli.run(["plan", "--detailed-exitcode", "--backend", backendURL] + stack)
        XCTAssertEqual(plan.status, 0, plan.standardOutput + plan.standardError)
        XCTAssertTrue(plan.standardOutput.contains("No changes."), plan.standardOutput)
    }

    func testTheAccountAndVersioningChecksGoOutBesideTheLockAndUnlockIsOneCall() async throws {
        let applied = try await cli.run(["apply", "--auto-approve", "--backend", backendURL] + stack)
        XCTAssertEqual(applied.status, 0, applied.standardError)
        // Each held long enough that calls made one after another could not overlap.
        let held = ["s3:PutObject", "s3:GetBucketVersioning", "sts:GetCallerIdentity"]
        for operation in held { try await emulator.inject(Fault(operation: operation, kind: .delay, delayMs: 800)) }
        try await emulator.resetCalls()
        let plan = try await cli.run(["plan", "--detailed-exitcode", "--backend", backendURL] + stack)
        XCTAssertEqual(plan.status, 0, plan.standardOutput + plan.standardError)
        XCTAssertTrue(plan.standardError.contains("Warning: versioning is off on state bucket \(stateBucket)"), plan.standardError)

        let log = try await emulator.callLog()
        var first: [String: Emulator.LoggedCall] = [:]
        for call in log where first[call.operation] == nil { first[call.operation] = call }
        for one in held {
            for other in held where other != one {
                let (a, b) = (try XCTUnwrap(first[one], "\(log)"), try XCTUnwrap(first[other], "\(log)"))
                XCTAssertLessThan(a.arrived, b.answered, "\(one) went out while \(other) was in flight")
            }
        }
        let calls = try await emulator.calls()
        XCTAssertEqual(calls["s3:GetObject"], 1, "the state only: the lock is released without reading it first; \(calls)")
        XCTAssertEqual(calls["s3:DeleteObject"], 1, "\(calls)")
        XCTAssertEqual(calls["s3:PutObject"], 1, "the lock: a plan writes no state; \(calls)")
    }

    func testTheAccountCheckSentBesideTheLockFailsOnlyARunThatNeedsIt() async throws {
        // A plan of an empty state compares no account: its GetCallerIdentity's refusal is not its failure.
        try await emulator.inject(Fault(operation: "sts:GetCallerIdentity", kind: .status, status: 403))
        let empty = try await cli.run(["plan", "--backend", backendURL] + stack)
        XCTAssertEqual(empty.status, 0, empty.standardError)
        try await emulator.clearFaults()
        let applied = try await cli.run(["apply", "--auto-approve", "--backend", backendURL] + stack)
        XCTAssertEqual(applied.status, 0, applied.standardError)

        // A refresh needs it: the refusal is the run's error, before any read, and the lock is released.
        try await emulator.inject(Fault(operation: "sts:GetCallerIdentity", kind: .status, status: 403))
        try await emulator.resetCalls()
        let refused = try await cli.run(["plan", "--backend", backendURL] + stack)
        XCTAssertEqual(refused.status, 1, refused.standardOutput)
        XCTAssertTrue(refused.standardError.contains("AccessDenied"), refused.standardError)
        let calls = try await emulator.calls()
        XCTAssertEqual(Set(calls.keys), ["sts:GetCallerIdentity", "s3:PutObject", "s3:GetBucketVersioning", "s3:GetObject", "s3:DeleteObject"],
                       "the lock, the versioning check, the state and the release; no read of the stack's resources: \(calls)")
        let lock = try await aws.s3.storedObject(stateBucket, key: stateKey + ".lock")
        XCTAssertNil(lock)
    }

    func testALockThatCannotBeReleasedIsReportedAfterWhatTheRunDid() async throws {
        try await emulator.inject(Fault(operation: "s3:DeleteObject", kind: .status, status: 403))
        let applied = try await cli.run(["apply", "--auto-approve", "--backend", backendURL] + stack)
        XCTAssertEqual(applied.status, 1, applied.standardOutput)
        XCTAssertTrue(applied.standardOutput.contains("Apply complete! Resources: 7 added"), "what the run did is still said: \(applied.standardOutput)")
        XCTAssertTrue(applied.standardError.contains("the run finished, but its lock "), applied.standardError)
        let id = try XCTUnwrap(lockID(in: applied.standardError), applied.standardError)
        let lock = try await aws.s3.storedObject(stateBucket, key: stateKey + ".lock")
        XCTAssertEqual(try lock.map { try LockInfo.decode($0.body).id }, id, "the message names the lock that is left")

        let unlocked = try await cli.run(["force-unlock", id, "--backend", backendURL] + stack)
        XCTAssertEqual(unlocked.status, 0, unlocked.standardError)
        let plan = try await cli.run(["plan", "--detailed-exitcode", "--backend", backendURL] + stack)
        XCTAssertEqual(plan.status, 0, "the apply's state was saved: \(plan.standardOutput) \(plan.standardError)")
    }

    func testRunWithLockTimeoutWaitsForTheHolderAndThenSucceeds() async throws {
        let holder = S3StateBackend(bucket: stateBucket, key: stateKey, client: aws)
        let held = LockInfo(operation: "apply")
        try await holder.lock(held, timeout: 0)

        let refused = try await cli.run(["plan", "--backend", backendURL] + stack)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.standardError.contains("is locked by lock \(held.id) (apply by "), refused.standardError)

        let release = Task {
            try await Task.sleep(nanoseconds: 2_000_000_000)
            try await holder.unlock()
        }
        let started = Date()
        let waited = try await cli.run(["plan", "--lock-timeout", "2m", "--backend", backendURL] + stack)
        try await release.value
        XCTAssertEqual(waited.status, 0, waited.standardError)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 1.5, "the plan ran only after the holder let go")
        XCTAssertTrue(waited.standardOutput.contains("Plan: 7 to add"), waited.standardOutput)
    }

    func testAStateOfAnotherStackInS3IsRefusedAndLeftUntouched() async throws {
        let other = S3StateBackend(bucket: stateBucket, key: stateKey, client: aws)
        var state = StateFile(stack: "image-server")
        state.serial = 4
        try await other.write(state)
        for command in [["apply", "--auto-approve"], ["state", "list"], ["output"]] {
            let result = try await cli.run(command + ["--backend", backendURL] + stack)
            XCTAssertEqual(result.status, 1, result.standardError)
            XCTAssertTrue(result.standardError.contains("state s3://\(stateBucket)/\(stateKey) is the state of stack image-server, not quickstart"),
                          result.standardError)
        }
        let stored = try await S3StateBackend(bucket: stateBucket, key: stateKey, client: aws).read()
        XCTAssertEqual(stored, state)
        let objects = try await aws.s3(region: "us-east-1").listObjects(stateBucket, prefix: "")
        XCTAssertEqual(objects.count, 1, "only the state object; the lock was released")
    }

    func testLockOfAKilledRunIsReportedWithItsAgeAndForceUnlockClearsIt() async throws {
        let killed = try await cli.run(["apply", "--auto-approve", "--backend", backendURL] + stack,
                                       interruption: .whenOutputContains("s3.bucket.data: Creating..."), signal: SIGKILL)
        XCTAssertTrue(killed.wasInterrupted, killed.standardOutput + killed.standardError)

        let blocked = try await cli.run(["plan", "--backend", backendURL] + stack)
        XCTAssertEqual(blocked.status, 1)
        XCTAssertTrue(blocked.standardError.contains("(apply by "), blocked.standardError)
        XCTAssertNotNil(blocked.standardError.range(of: #"since [0-9T:Z-]+, [0-9]+s ago\)"#, options: .regularExpression),
                        blocked.standardError)
        let id = try XCTUnwrap(lockID(in: blocked.standardError), blocked.standardError)

        let wrong = try await cli.run(["force-unlock", "not-\(id)", "--backend", backendURL] + stack)
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.standardError.contains("no lock not-\(id) on state s3://\(stateBucket)/\(stateKey)"), wrong.standardError)
        let stillLocked = try await aws.s3.storedObject(stateBucket, key: stateKey + ".lock")
        XCTAssertNotNil(stillLocked)

        let unlocked = try await cli.run(["force-unlock", id, "--backend", backendURL] + stack)
        XCTAssertEqual(unlocked.status, 0, unlocked.standardError)
        XCTAssertTrue(unlocked.standardOutput.contains("Lock \(id) removed from s3://\(stateBucket)/\(stateKey)."), unlocked.standardOutput)

        // The next apply takes the lock and finishes what the killed one started.
        let resumed = try await cli.run(["apply", "--auto-approve", "--backend", backendURL] + stack)
        XCTAssertEqual(resumed.status, 0, resumed.standardOutput + resumed.standardError)
        let plan = try await cli.run(["plan", "--detailed-exitcode", "--backend", backendURL] + stack)
        XCTAssertEqual(plan.status, 0, plan.standardOutput + plan.standardError)
    }

    func testCtrlCDuringAnApplyReleasesTheS3Lock() async throws {
        // Hold the key's creation so the interrupt lands while it is in flight.
        try await emulator.inject(Fault(operation: "kms:CreateKey", kind: .delay, count: 1, delayMs: 1500))
        let interrupted = try await cli.run(["apply", "--auto-approve", "--parallelism", "1", "--backend", backendURL] + stack,
                                            interruption: .afterOutputContains("kms.key.data: Creating...", seconds: 0.5), signal: SIGINT)
        XCTAssertEqual(interrupted.status, 1, interrupted.standardOutput + interrupted.standardError)
        XCTAssertTrue(interrupted.standardError.contains("Interrupt received"), interrupted.standardError)
        let lock = try await aws.s3.storedObject(stateBucket, key: stateKey + ".lock")
        XCTAssertNil(lock, "the interrupted apply released its lock")
        let state = try await aws.s3.storedObject(stateBucket, key: stateKey)
        XCTAssertTrue(String(decoding: state?.body ?? Data(), as: UTF8.self).contains("kms.key.data"), "the finished create was saved to S3")
    }

    func testCtrlCDuringRefreshReleasesTheS3LockAndEndsTheRun() async throws {
        let applied = try await cli.run(["apply", "--auto-approve", "--backend", backendURL] + stack)
        XCTAssertEqual(applied.status, 0, applied.standardError)
        // Hold a refresh read so the interrupt lands while the plan holds the lock.
        try await emulator.inject(Fault(operation: "kms:DescribeKey", kind: .delay, count: 1, delayMs: 3000))
        let interrupted = try await cli.run(["plan", "--backend", backendURL] + stack,
                                            interruption: .afterOutputContains("Refreshing", seconds: 0.5), signal: SIGINT)
        XCTAssertEqual(interrupted.status, 130, interrupted.standardOutput + interrupted.standardError)
        XCTAssertTrue(interrupted.standardError.contains("Interrupted"), interrupted.standardError)
        let lock = try await aws.s3.storedObject(stateBucket, key: stateKey + ".lock")
        XCTAssertNil(lock, "the interrupted plan released its lock")
        let destroyed = try await cli.run(["destroy", "--auto-approve", "--backend", backendURL] + stack)
        XCTAssertEqual(destroyed.status, 0, destroyed.standardError)
    }

    func testStateMovesFromLocalToS3AndBackUnchanged() async throws {
        let applied = try await cli.run(["apply", "--auto-approve"] + stack)
        XCTAssertEqual(applied.status, 0, applied.standardError)
        let localPath = cli.path(".imgstack/quickstart.state.json")
        let original = try Data(contentsOf: URL(fileURLWithPath: localPath))
        let destination = "s3://\(stateBucket)/\(stateKey)"

        let toS3 = try await cli.run(["state", "migrate", "--to", destination] + stack)
        XCTAssertEqual(toS3.status, 0, toS3.standardError)
        XCTAssertTrue(toS3.standardOutput.contains("to \(destination); it reads back equal."), toS3.standardOutput)
        XCTAssertTrue(toS3.standardOutput.contains("run with --backend \(destination)"), toS3.standardOutput)
        let remote = try await aws.s3.storedObject(stateBucket, key: stateKey)
        XCTAssertEqual(remote?.body, original)
        let lock = try await aws.s3.storedObject(stateBucket, key: stateKey + ".lock")
        XCTAssertNil(lock, "the destination's lock is released")

        // IMGSTACK_BACKEND selects the S3 state: nothing to do.
        let plan = try await cli.run(["plan", "--detailed-exitcode"] + stack, environment: ["IMGSTACK_BACKEND": destination])
        XCTAssertEqual(plan.status, 0, plan.standardOutput + plan.standardError)

        // Back to local: a local state of another lineage is refused and left alone.
        var other = StateFile(stack: "quickstart", lineage: "someone-else")
        other.outputs["bucket"] = OutputRecord(value: .string("someone-elses-bucket"), sensitive: false)
        let foreign = try other.encoded()
        try foreign.write(to: URL(fileURLWithPath: localPath))
        let refused = try await cli.run(["state", "migrate", "--to", "local", "--backend", destination] + stack)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.standardError.contains("already holds state of another lineage"), refused.standardError)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: localPath)), foreign)

        try FileManager.default.removeItem(atPath: localPath)
        let back = try await cli.run(["state", "migrate", "--to", "local", "--backend", destination] + stack)
        XCTAssertEqual(back.status, 0, back.standardError)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: localPath)), original)
        let localPlan = try await cli.run(["plan", "--detailed-exitcode"] + stack)
        XCTAssertEqual(localPlan.status, 0, localPlan.standardOutput + localPlan.standardError)
    }
}
