import AWS
import Engine
import Foundation
import ImgStack
import ImgStackCLI
import Stacks
import TestSupport

/// Seed 004's no-op `imgstack plan` as its command line runs it, behind the proxy answering every
/// call 40 ms after it arrived: `ImgStackCLI.run` in this process (argument parsing, the stack's
/// evaluation, the lock, the state, the account check, the refresh, the plan printed), so
/// everything but the process's start-up (measured on its own, README "start-up"). With the state
/// in a local file and in S3 (`--backend s3://…`), each with the emulator's access keys and with
/// role credentials (web identity): what each makes before its reads is what differs. Each plan
/// is timed from outside the call (median of `IMGSTACK_BENCHMARK_REFRESH_RUNS`, default 3), its
/// calls counted by the proxy; the floor is the issue's, the reads × 40 ms ÷ 10.
enum CLIPlanBenchmark {
    static let latencyMilliseconds = 40

    static func run() async throws {
        let emulator = try Emulator.shared().withLatency(milliseconds: latencyMilliseconds)
        let client = emulator.client()
        _ = try await client.sts.getCallerIdentity()  // moto makes its STS backend on the first call
        let suffix = UUID().uuidString.prefix(6).lowercased()
        try await StackRun.warmUp(microserviceStorage, variables: ["service": .string("warm-\(suffix)"), "allowed_cidr": "203.0.113.10/32"],
                                  region: "us-east-1", emulator: emulator)
        let runs = Measure.count("IMGSTACK_BENCHMARK_REFRESH_RUNS", default: 3)
        let directory = try TemporaryDirectory(prefix: "imgstack-cli-plan")
        let bucket = "imgstack-cli-floor-\(suffix)"
        try await client.s3.createBucket(bucket)
        let token = directory.appending("oidc-token")
        try "benchmark.oidc.token".write(to: token, atomically: true, encoding: .utf8)

        let keys = emulator.environment(region: "us-east-1")
        var role = keys
        role["AWS_ACCESS_KEY_ID"] = nil
        role["AWS_SECRET_ACCESS_KEY"] = nil
        role["AWS_WEB_IDENTITY_TOKEN_FILE"] = token.path
        role["AWS_ROLE_ARN"] = StackRun.webIdentityRoleARN
        role["AWS_ROLE_SESSION_NAME"] = "cli-plan"

        var reads: Int?
        for (name, backend) in [("local state", ["--state-dir", directory.appending("state").path]),
                                ("S3 state", ["--backend", "s3://\(bucket)/floor/"])] {
            let stack = ["--stack", microserviceStorage.name, "--var", "service=cli-\(suffix)-\(name.prefix(2).lowercased())",
                         "--var", "allowed_cidr=203.0.113.10/32"] + backend
            try await InProcessCLI.run(["apply", "--auto-approve"] + stack, environment: keys)
            var alone: [Double] = []
            for _ in 0..<runs {
                alone.append(try await Measure.seconds {
                    try await InProcessCLI.run(["plan", "--refresh=false"] + stack, environment: keys)
                })
            }
            Measure.report("imgstack plan --refresh=false: seed 004, \(name)", Measure.median(alone) * 1000, "ms",
                           "median of \(runs): the command without its refresh")
            for (credentials, environment) in [("role credentials", role), ("access keys", keys)] {
                var times: [Double] = []
                var calls: [String: Int] = [:]
                for _ in 0..<runs {
                    try await emulator.resetCalls()
                    let start = monotonicSeconds()
                    try await InProcessCLI.run(["plan", "--detailed-exitcode"] + stack, environment: environment)
                    let end = monotonicSeconds()
                    times.append(end - start)
                    calls = try await emulator.calls()
                    try await printTimeline("imgstack plan: seed 004, \(name), \(credentials)", emulator: emulator, start: start, end: end)
                }
                // The first plan's (local state) calls to anything but STS are the refresh's reads.
                let refreshReads = reads ?? calls.filter { !$0.key.hasPrefix("sts:") }.values.reduce(0, +)
                reads = refreshReads
                let floor = Double(refreshReads) * Double(latencyMilliseconds) / 1000 / 10
                let median = Measure.median(times)
                Measure.report("imgstack plan: seed 004, \(name), \(credentials)", median * 1000, "ms",
                               "median of \(runs), \(calls.values.reduce(0, +)) calls: " + calls.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
                Measure.report("imgstack plan: seed 004, \(name), \(credentials) / floor", median / floor, "x",
                               "floor: \(refreshReads) reads × \(latencyMilliseconds) ms ÷ 10")
            }
            try await InProcessCLI.run(["destroy", "--auto-approve"] + stack, environment: keys)
        }
    }
}

extension CLIPlanBenchmark {
    /// Now on the clock the verifying proxy dates calls with on Linux (`CLOCK_MONOTONIC`, as
    /// Python's `time.monotonic` there), in seconds.
    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// Prints, when `IMGSTACK_BENCHMARK_CALLS=1`, every call of the run from `start` to `end`
    /// (monotonic seconds) as the proxy saw it: when it arrived and was answered, in milliseconds
    /// after `start`, in the order they arrived.
    static func printTimeline(_ title: String, emulator: Emulator, start: Double, end: Double) async throws {
        guard Measure.printsCalls else { return }
        func milliseconds(_ time: Double) -> Double { (time - start) * 1000 }
        Measure.printCalls("\(title), as the proxy saw them", end: milliseconds(end), try await emulator.callLog().map { call in
            (milliseconds(call.arrived), milliseconds(call.answered), call.operation)
        })
    }
}

/// `imgstack` run in this process, as `imgstack ARGUMENTS` with `environment` (every other AWS
/// setting of this process removed): its standard output thrown away, its standard error kept
/// for the failure message. The environment is set with `setenv` between runs, while no other
/// thread of the benchmark reads it (glibc's `setenv` is not safe beside a concurrent `getenv`).
enum InProcessCLI {
    /// Runs one command.
    /// - Throws: `AWSClientError` when it exits other than 0, with what it wrote to standard error.
    static func run(_ arguments: [String], environment: [String: String]) async throws {
        for (name, _) in ProcessInfo.processInfo.environment where name.hasPrefix("AWS_") { unsetenv(name) }
        for (name, value) in environment { setenv(name, value, 1) }
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("imgstack-cli-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: errors.path, contents: nil), let log = FileHandle(forWritingAtPath: errors.path) else {
            throw AWSClientError(.invalidResponse, "cannot write \(errors.path)")
        }
        defer { try? FileManager.default.removeItem(at: errors) }
        fflush(nil)  // every C stream, standard output among them
        let (output, error) = (dup(1), dup(2))
        let discard = open("/dev/null", O_WRONLY)
        dup2(discard, 1)
        dup2(log.fileDescriptor, 2)
        let status = await ImgStackCLI.run(arguments, stacks: [microserviceStorage], defaultStack: microserviceStorage.name)
        fflush(nil)  // every C stream, standard output among them
        dup2(output, 1)
        dup2(error, 2)
        for descriptor in [output, error, discard] { close(descriptor) }
        try log.close()
        guard status == 0 else {
            let written = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw AWSClientError(.invalidResponse, "imgstack \(arguments.joined(separator: " ")) exited \(status): \(written)")
        }
    }
}
