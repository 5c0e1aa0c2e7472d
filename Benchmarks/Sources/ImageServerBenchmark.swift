import AWS
import Engine
import Foundation
import ImgStack
import Stacks
import TestSupport

/// Apply, no-op plan and destroy of the image-server stack against the emulator behind a
/// proxy adding a per-call latency, beside a sequential boto3 script making the same calls
/// (`Benchmarks/boto3/image_server.py`): wall time, API calls, and the ratio; for apply, also
/// its critical path as its operations took (``OperationDurations``) and its floor, the longest
/// chain of dependent calls × the latency (``CallChains``).
enum ImageServerBenchmark {
    /// The latency added to every call, about what a client sees from an AWS endpoint in another region.
    static let latencyMilliseconds = 50
    static let region = "eu-west-1"

    /// One phase's figures.
    struct Phase {
        var seconds: Double
        var calls: [String: Int]
        /// Apply only: its longest chain of dependent operations, each counted as long as it
        /// took in this apply (seconds).
        var criticalPath: Double?
        /// Apply only: its longest chains of dependent calls.
        var callChain: CallChains.Longest?
        var total: Int { calls.values.reduce(0, +) }
    }

    static func run() async throws {
        let emulator = try Emulator.shared().withLatency(milliseconds: latencyMilliseconds)
        let imgstack = try await runImgstack(emulator)
        let boto3 = try await runBoto3(emulator)
        for name in ["apply", "no-op plan", "destroy"] {
            guard let ours = imgstack[name], let theirs = boto3[name] else { continue }
            Measure.report("image-server \(name): imgstack", ours.seconds * 1000, "ms", "\(ours.total) calls, \(latencyMilliseconds) ms per call")
            Measure.report("image-server \(name): boto3, sequential", theirs.seconds * 1000, "ms", "\(theirs.total) calls")
            Measure.report("image-server \(name): boto3 time / imgstack time", theirs.seconds / ours.seconds, "x")
            if let path = ours.criticalPath {
                Measure.report("image-server \(name): critical path of its operations", path * 1000, "ms",
                               "longest chain of dependent operations, each as long as it took")
                Measure.report("image-server \(name): imgstack time / critical path", ours.seconds / path, "x")
            }
            if let chain = ours.callChain {
                let floor = chain.floor(latency: Double(latencyMilliseconds) / 1000, parallelism: Deployment.Options(operation: .apply).parallelism)
                Measure.report("image-server \(name): critical-path floor", floor * 1000, "ms",
                               "longest chain of dependent calls (\(chain.calls)), or all \(chain.total) ÷ 10, × \(latencyMilliseconds) ms")
                Measure.report("image-server \(name): imgstack time / critical-path floor", ours.seconds / floor, "x")
                Measure.report("image-server \(name): chain of calls as they took", chain.seconds * 1000, "ms")
                Measure.report("image-server \(name): imgstack time / chain as they took", ours.seconds / chain.seconds, "x")
                chain.printPath("image-server \(name)")
            }
        }
        if ProcessInfo.processInfo.environment["IMGSTACK_BENCHMARK_CALLS"] == "1" {
            for name in ["apply", "no-op plan", "destroy"] {
                print("\(name) imgstack: \(describe(imgstack[name]?.calls ?? [:]))")
                print("\(name) boto3:    \(describe(boto3[name]?.calls ?? [:]))")
            }
        }
    }

    private static func describe(_ calls: [String: Int]) -> String {
        calls.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    // MARK: - imgstack

    private static func runImgstack(_ emulator: Emulator) async throws -> [String: Phase] {
        // moto makes a service's backend on the first call to it in a region, which can take a
        // second: a copy is applied and destroyed once, untimed, first.
        try await StackRun.warmUp(imageServer, variables: ["service": .string("warm-\(UUID().uuidString.prefix(6).lowercased())")],
                                  region: region, emulator: emulator)
        let chains = CallChains()
        let aws = emulator.client(region: region).recording { chains.record($0) }
        let durations = OperationDurations()
        var run = try StackRun(imageServer, variables: ["service": .string("bench-\(UUID().uuidString.prefix(6).lowercased())")],
                               region: region, client: aws)
        run.events = { durations.record($0) }
        var phases: [String: Phase] = [:]

        func measure(_ name: String, _ body: () async throws -> Void) async throws {
            try await emulator.resetCalls()
            let seconds = try await Measure.seconds(body)
            phases[name] = Phase(seconds: seconds, calls: try await emulator.calls())
        }
        try await measure("apply") { try await run.execute(.apply) }
        phases["apply"]?.criticalPath = durations.longestChain(run.resources)
        phases["apply"]?.callChain = chains.longest(run.resources)
        try await measure("no-op plan") { try await run.planNothing() }
        try await measure("destroy") { try await run.execute(.destroy) }
        return phases
    }

    /// How long each resource's operation took in a run, from the deployment's events.
    final class OperationDurations: @unchecked Sendable {
        private let lock = NSLock()
        private var seconds: [Address: Double] = [:]

        func record(_ event: DeploymentEvent) {
            guard case .operation(let operation) = event, case .finished(let elapsed, _) = operation.kind else { return }
            lock.withLock { seconds[operation.address, default: 0] += elapsed }
        }

        /// The longest chain of dependent resources through `resources`, each weighing what its
        /// operations took (seconds).
        func longestChain(_ resources: [ResourceDeclaration]) -> Double {
            let taken = lock.withLock { seconds }
            return CallChains.longestPath(resources) { taken[$0] ?? 0 }
        }
    }

    // MARK: - boto3

    private static func runBoto3(_ emulator: Emulator) async throws -> [String: Phase] {
        let service = "boto-\(UUID().uuidString.prefix(6).lowercased())"
        let stackDirectory = Boto3Script.root.appendingPathComponent("Stacks/ImageServer").path
        var phases: [String: Phase] = [:]
        for (name, argument) in [("apply", "apply"), ("no-op plan", "read"), ("destroy", "destroy")] {
            try await emulator.resetCalls()
            let seconds = try await Boto3Script.seconds("image_server.py", [argument, "--service", service, "--region", region,
                                                                            "--stack-directory", stackDirectory],
                                                        emulator: emulator, region: region)
            phases[name] = Phase(seconds: seconds, calls: try await emulator.calls())
        }
        return phases
    }
}
