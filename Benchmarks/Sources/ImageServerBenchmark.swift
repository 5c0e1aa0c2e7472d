import AWS
import Engine
import Foundation
import ImgStack
import Stacks
import TestSupport

/// Apply, no-op plan and destroy of the image-server stack against the emulator behind a
/// proxy adding a per-call latency, beside a sequential boto3 script making the same calls
/// (`Benchmarks/boto3/image_server.py`): wall time, API calls, and the ratio; for apply, also
/// its critical path (``OperationDurations``).
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
        let aws = emulator.client(region: region)
        let variables: [String: Engine.Value] = ["service": .string("bench-\(UUID().uuidString.prefix(6).lowercased())")]
        let evaluation = try imageServer.evaluate(variables: variables, region: region)
        let definition = evaluation.definition
        let backend = InMemoryStateBackend()
        var phases: [String: Phase] = [:]

        func measure(_ name: String, _ body: () async throws -> Void) async throws {
            try await emulator.resetCalls()
            let seconds = try await Measure.seconds(body)
            phases[name] = Phase(seconds: seconds, calls: try await emulator.calls())
        }
        let durations = OperationDurations()
        func deploy(_ operation: Deployment.Operation) async throws -> Deployment.Result {
            try await Deployment(stack: definition, variables: evaluation.variables, backend: backend, client: aws,
                                 options: Deployment.Options(operation: operation), events: { durations.record($0) }).run()
        }
        func execute(_ operation: Deployment.Operation) async throws {
            let summary = try await deploy(operation).summary ?? .nothingToDo
            guard summary.succeeded else { throw AWSClientError(.invalidResponse, "image-server \(operation) failed: \(summary.failures)") }
        }

        try await measure("apply") { try await execute(.apply) }
        phases["apply"]?.criticalPath = durations.longestChain(definition.resources)
        try await measure("no-op plan") {
            let again = try await deploy(.plan).plan
            guard again.actionable.isEmpty else { throw AWSClientError(.invalidResponse, "the image-server plan after apply is not empty") }
        }
        try await measure("destroy") { try await execute(.destroy) }
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
            let dependencies = Dictionary(resources.map { ($0.address, $0.dependencies) }, uniquingKeysWith: { first, _ in first })
            var finish: [Address: Double] = [:]
            func finishTime(_ address: Address) -> Double {
                if let known = finish[address] { return known }
                let start = (dependencies[address] ?? []).map(finishTime).max() ?? 0
                finish[address] = start + (taken[address] ?? 0)
                return finish[address] ?? 0
            }
            return resources.map { finishTime($0.address) }.max() ?? 0
        }
    }

    // MARK: - boto3

    private static func runBoto3(_ emulator: Emulator) async throws -> [String: Phase] {
        guard let python = ProcessRunner.which("python3") else { throw AWSClientError(.invalidResponse, "python3 is not on PATH") }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent("Benchmarks/boto3/image_server.py")
        let service = "boto-\(UUID().uuidString.prefix(6).lowercased())"
        var environment = emulator.environment(region: region)
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        var phases: [String: Phase] = [:]
        for (name, argument) in [("apply", "apply"), ("no-op plan", "read"), ("destroy", "destroy")] {
            try await emulator.resetCalls()
            let result = try await ProcessRunner(
                executable: python,
                arguments: [script.path, argument, "--service", service, "--region", region,
                            "--stack-directory", root.appendingPathComponent("Stacks/ImageServer").path],
                environment: environment).run(timeout: 900)
            guard result.status == 0, let seconds = Double(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw AWSClientError(.invalidResponse, "boto3 \(argument) failed (\(result.status)): \(result.standardError)")
            }
            phases[name] = Phase(seconds: seconds, calls: try await emulator.calls())
        }
        return phases
    }
}
