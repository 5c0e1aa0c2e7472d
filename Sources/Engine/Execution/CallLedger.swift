import Foundation

/// How the provider's calls of one operation ended, as the provider reports them (imgstack's
/// AWS client records every attempt of every call made through the operation's context).
///
/// The executor reads it when a create fails. A create whose every call was answered with a
/// refusal made nothing, so the record of the attempt is dropped at once; left behind, a later
/// run would settle it by looking the resource up by name, and could adopt a same-named
/// resource that is not the stack's (IAM's `EntityAlreadyExists` for a foreign role).
public final class CallLedger: @unchecked Sendable {
    /// How one attempt ended.
    public enum Outcome: Sendable {
        /// Answered with success: it may have made or changed something.
        case succeeded
        /// Answered with a refusal the service gives before acting (a 4xx answer).
        case refused
        /// No answer, or a server fault: it may or may not have taken effect.
        case unknown
    }

    /// True for a resource's create: the provider does not retry a creating call whose outcome
    /// is unknown (the executor looks for what it may have made instead).
    public let creating: Bool

    // NSLock rather than `Mutex`, which needs macOS 15 and the package supports macOS 13.
    private let lock = NSLock()
    private var succeeded = 0
    private var unknown = 0

    /// Creates an empty ledger.
    /// - Parameter creating: true for a resource's create.
    public init(creating: Bool = false) {
        self.creating = creating
    }

    /// Records one attempt's outcome.
    public func record(_ outcome: Outcome) {
        lock.withLock {
            switch outcome {
            case .succeeded: succeeded += 1
            case .refused: break
            case .unknown: unknown += 1
            }
        }
    }

    /// True when no call succeeded and every one was answered: nothing can have been made.
    public var madeNothing: Bool { lock.withLock { succeeded == 0 && unknown == 0 } }

    /// True when some call may have taken effect without an answer saying so.
    public var outcomeUnknown: Bool { lock.withLock { unknown > 0 } }
}
