import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Timing and memory helpers for the benchmarks.
enum Measure {
    /// Seconds taken by `body`, on the monotonic clock.
    static func seconds(_ body: () async throws -> Void) async rethrows -> Double {
        let start = ContinuousClock.now
        try await body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// The process's peak resident memory so far, in MiB (getrusage's ru_maxrss, KiB on Linux).
    static func peakResidentMiB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// The median of `values`.
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Prints one result line: `benchmark  figure  unit  (detail)`.
    static func report(_ benchmark: String, _ figure: Double, _ unit: String, _ detail: String = "") {
        let line = "\(benchmark.padding(toLength: 52, withPad: " ", startingAt: 0)) \(String(format: "%12.1f", figure)) \(unit)" + (detail.isEmpty ? "" : "  (\(detail))")
        print(line)
    }
}
