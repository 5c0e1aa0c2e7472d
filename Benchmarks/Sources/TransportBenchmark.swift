import AWS
import Foundation
import TestSupport

/// Requests per second through imgstack's client (sign, send over async-http-client, parse) against
/// the local emulator, one at a time and ten at a time.
enum TransportBenchmark {
    static func run() async throws {
        let emulator = try Emulator.shared()
        let client = emulator.client(region: "us-east-1", retry: RetryPolicy(maxAttempts: 1), endpoint: emulator.motoEndpoint)
        _ = try await client.sts.getCallerIdentity()  // warm up the connection pool

        for concurrency in [1, 10] {
            let total = 400
            let seconds = try await callerIdentities(total, concurrency: concurrency, client: client)
            Measure.report("transport: STS GetCallerIdentity, concurrency \(concurrency)", Double(total) / seconds, "requests/s",
                           "\(total) requests to moto on loopback")
        }
    }

    /// Seconds taken by `count` STS `GetCallerIdentity` calls through `client`, `concurrency`
    /// in flight at a time (each of that many workers making its share one after another).
    static func callerIdentities(_ count: Int, concurrency: Int, client: AWSClient) async throws -> Double {
        try await Measure.seconds {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<concurrency {
                    group.addTask {
                        for _ in stride(from: worker, to: count, by: concurrency) { _ = try await client.sts.getCallerIdentity() }
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}
