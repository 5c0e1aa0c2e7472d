import AWS
import Engine
import Foundation
import Stacks
import TestSupport

/// Seed 004 (`microservice-storage`) torn down by `imgstack destroy` and by a sequential boto3
/// script (`Benchmarks/boto3/microservice_storage.py`: the same reads, then the deletes one after
/// another), each of its own copy applied by imgstack, behind a proxy holding every call 40 ms:
/// wall time, API calls, and the ratio (issue #13 asks imgstack ≤ 0.8× boto3). Median of three.
enum MicroserviceStorageBenchmark {
    static let latencyMilliseconds = 40
    static let region = "us-east-1"

    static func run() async throws {
        let emulator = try Emulator.shared().withLatency(milliseconds: latencyMilliseconds)
        var ours: [Double] = []
        var theirs: [Double] = []
        var ourCalls = 0
        var theirCalls = 0
        for _ in 0..<3 {
            let imgstack = try copy(named: "bench-\(UUID().uuidString.prefix(6).lowercased())", emulator: emulator)
            try await imgstack.execute(.apply)
            try await emulator.resetCalls()
            ours.append(try await Measure.seconds { try await imgstack.execute(.destroy) })
            ourCalls = try await emulator.calls().values.reduce(0, +)

            let service = "boto-\(UUID().uuidString.prefix(6).lowercased())"
            try await copy(named: service, emulator: emulator).execute(.apply)
            try await emulator.resetCalls()
            theirs.append(try await Boto3Script.seconds("microservice_storage.py", ["destroy", "--service", service, "--region", region],
                                                        emulator: emulator, region: region))
            theirCalls = try await emulator.calls().values.reduce(0, +)
        }
        let ourMedian = Measure.median(ours)
        let theirMedian = Measure.median(theirs)
        Measure.report("microservice-storage destroy: imgstack", ourMedian * 1000, "ms",
                       "median of 3, \(ourCalls) calls, \(latencyMilliseconds) ms per call")
        Measure.report("microservice-storage destroy: boto3, sequential", theirMedian * 1000, "ms", "median of 3, \(theirCalls) calls")
        Measure.report("microservice-storage destroy: imgstack / boto3", ourMedian / theirMedian, "x")
    }

    /// The stack with every name prefixed by `service`.
    private static func copy(named service: String, emulator: Emulator) throws -> StackRun {
        try StackRun(microserviceStorage, variables: ["service": .string(service), "allowed_cidr": "203.0.113.10/32"],
                     region: region, client: emulator.client(region: region))
    }
}
