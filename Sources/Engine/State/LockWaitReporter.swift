import Foundation
import Synchronization

/// Turns a backend's "still held by …" on every lock attempt into what a user waiting with
/// `--lock-timeout` reads: who holds the lock, once, then a line every ``interval`` seconds
/// (an attempt comes every 250 ms locally, every second on S3).
public final class LockWaitReporter: Sendable {
    /// What to print.
    public enum Report: Sendable, Equatable {
        /// The lock was found held: by whom (printed once).
        case held(by: LockInfo)
        /// Still waiting after this many whole seconds.
        case stillWaiting(seconds: Int, holder: LockInfo)
    }

    /// Seconds between two "still waiting" lines.
    public let interval: Double
    private let report: @Sendable (Report) -> Void
    /// When the wait began and when a line was last reported; nil before the first attempt.
    private let times = Mutex<(started: Date, reported: Date)?>(nil)

    /// Creates a reporter.
    /// - Parameters:
    ///   - interval: seconds between two "still waiting" lines.
    ///   - report: told what to print.
    public init(interval: Double = 10, report: @escaping @Sendable (Report) -> Void) {
        self.interval = interval
        self.report = report
    }

    /// Called by the backend each time an attempt finds the lock held by `holder`.
    public func attemptFound(_ holder: LockInfo, now: Date = Date()) {
        let report = times.withLock { times -> Report? in
            guard let current = times else {
                times = (now, now)
                return .held(by: holder)
            }
            guard now.timeIntervalSince(current.reported) >= interval else { return nil }
            times = (current.started, now)
            return .stillWaiting(seconds: Int(now.timeIntervalSince(current.started).rounded()), holder: holder)
        }
        if let report { self.report(report) }
    }
}
