import Foundation

// imgstack's benchmarks: each prints its figures; see Benchmarks/README.md for the method.
// Usage: swift run -c release imgstack-benchmarks [signer|transport|plan|noop|image-server|microservice-storage|refresh-floor|cli-plan|all]

let selected = CommandLine.arguments.dropFirst().first ?? "all"
if selected == PlanBenchmark.childArgument { await PlanBenchmark.child(Array(CommandLine.arguments.dropFirst(2))) }
if selected == PlanBenchmark.stateArgument { await PlanBenchmark.writeState(Array(CommandLine.arguments.dropFirst(2))) }
let benchmarks: [(name: String, run: () async throws -> Void)] = [
    ("signer", SignerBenchmark.run),
    ("transport", TransportBenchmark.run),
    ("plan", PlanBenchmark.run),
    ("noop", NoopPlanBenchmark.run),
    ("image-server", ImageServerBenchmark.run),
    ("microservice-storage", MicroserviceStorageBenchmark.run),
    ("refresh-floor", RefreshFloorBenchmark.run),
    ("cli-plan", CLIPlanBenchmark.run),
]
guard selected == "all" || benchmarks.contains(where: { $0.name == selected }) else {
    FileHandle.standardError.write(Data("unknown benchmark \(selected); choose \(benchmarks.map(\.name).joined(separator: ", ")) or all\n".utf8))
    exit(2)
}
for benchmark in benchmarks where selected == "all" || benchmark.name == selected {
    do {
        try await benchmark.run()
    } catch {
        FileHandle.standardError.write(Data("\(benchmark.name): \(error)\n".utf8))
        exit(1)
    }
}
