import AWS
import Engine
import Foundation
import ImgStack
import Stacks
import TestSupport

/// A no-op plan of the quickstart stack against the emulator behind the verifying proxy: wall
/// time (the engine's deployment, plan only: lock, read, refresh, plan) and the API calls it makes, counted by the proxy per operation.
enum NoopPlanBenchmark {
    static func run() async throws {
        let emulator = try Emulator.shared()
        let aws = emulator.client(region: "us-east-1")
        let stack = quickstart
        let variables: [String: Engine.Value] = ["prefix": .string("bench-\(UUID().uuidString.prefix(6).lowercased())")]
        let evaluation = try stack.evaluate(variables: variables, region: "us-east-1")
        let backend = InMemoryStateBackend()

        func deploy(_ operation: Deployment.Operation) async throws -> Deployment.Result {
            try await Deployment(stack: evaluation.definition, variables: evaluation.variables, backend: backend, client: aws,
                                 options: Deployment.Options(operation: operation)).run()
        }
        let summary = try await deploy(.apply).summary ?? .nothingToDo
        guard summary.succeeded else { throw AWSClientError(.invalidResponse, "quickstart apply failed: \(summary.failures)") }

        var times: [Double] = []
        var calls: [String: Int] = [:]
        for _ in 0..<5 {
            try await emulator.resetCalls()
            var changes = 0
            times.append(try await Measure.seconds {
                changes = try await deploy(.plan).plan.actionable.count
            })
            guard changes == 0 else { throw AWSClientError(.invalidResponse, "the quickstart plan after apply is not empty") }
            calls = try await emulator.calls()
        }
        let resources = (try await backend.read())?.resources.count ?? 0
        Measure.report("no-op plan: quickstart (\(resources) resources)", Measure.median(times) * 1000, "ms", "median of 5, refresh + plan, via the verifying proxy")
        Measure.report("no-op plan: quickstart API calls", Double(calls.values.reduce(0, +)), "calls",
                       calls.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))

        _ = try await deploy(.destroy)
    }
}
