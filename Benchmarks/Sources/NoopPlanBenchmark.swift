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
        let run = try StackRun(quickstart, variables: ["prefix": .string("bench-\(UUID().uuidString.prefix(6).lowercased())")],
                               region: "us-east-1", client: emulator.client(region: "us-east-1"))
        try await run.execute(.apply)

        var times: [Double] = []
        var calls: [String: Int] = [:]
        for _ in 0..<5 {
            try await emulator.resetCalls()
            times.append(try await Measure.seconds { try await run.planNothing() })
            calls = try await emulator.calls()
        }
        let resources = (try await run.backend.read())?.resources.count ?? 0
        Measure.report("no-op plan: quickstart (\(resources) resources)", Measure.median(times) * 1000, "ms", "median of 5, refresh + plan, via the verifying proxy")
        Measure.report("no-op plan: quickstart API calls", Double(calls.values.reduce(0, +)), "calls",
                       calls.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))

        _ = try await run.deploy(.destroy)
    }
}
