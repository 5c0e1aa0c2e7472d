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

    /// A count from the environment variable `name` (at least 1), or `fallback` when it is unset
    /// or not a number.
    static func count(_ name: String, default fallback: Int) -> Int {
        ProcessInfo.processInfo.environment[name].flatMap(Int.init).map { max(1, $0) } ?? fallback
    }

    /// Whether `IMGSTACK_BENCHMARK_CALLS=1` asks for every call to be printed.
    static var printsCalls: Bool { ProcessInfo.processInfo.environment["IMGSTACK_BENCHMARK_CALLS"] == "1" }

    /// Prints a run's calls under `title`, one a line in the order they went out: when each was
    /// sent and answered, in milliseconds after the run started, and what it was; `end` is when
    /// the run returned (milliseconds after it started).
    static func printCalls(_ title: String, end: Double, _ calls: [(sent: Double, answered: Double, call: String)]) {
        func milliseconds(_ value: Double) -> String { String(format: "%6.1f", value) }
        print("\(title): its calls, in ms after it started (it returned at \(milliseconds(end)))")
        for call in calls.sorted(by: { $0.sent < $1.sent }) {
            print("  \(milliseconds(call.sent)) → \(milliseconds(call.answered))  \(call.call)")
        }
    }

    /// Prints one result line: `benchmark  figure  unit  (detail)`.
    static func report(_ benchmark: String, _ figure: Double, _ unit: String, _ detail: String = "") {
        let line = "\(benchmark.padding(toLength: 52, withPad: " ", startingAt: 0)) \(String(format: "%12.1f", figure)) \(unit)" + (detail.isEmpty ? "" : "  (\(detail))")
        print(line)
    }
}
