import Foundation

/// When and how often a failed call is tried again: the AWS SDKs' "standard" retry mode, and
/// IAM's `ConcurrentModification`, which that mode does not retry.
///
/// Throttling codes, transient server errors (500/502/503/504, `InternalError`,
/// `RequestTimeout`), IAM's `ConcurrentModification`, dropped connections, refused connections
/// and timeouts are retried, up
/// to `maxAttempts` attempts in all, after a full-jitter exponential delay; every retry is
/// paid for from the client's `RetryBudget`, so a failing service is not hammered. Anything
/// else is returned at once.
public struct RetryPolicy: Sendable, Equatable {
    /// Why an error may be retried; it decides the budget cost.
    public enum ErrorKind: Sendable, Equatable {
        /// The service asked to slow down.
        case throttling
        /// A server fault or a dropped or refused connection.
        case transient
        /// No answer within the timeout (costs the budget more, as in the SDKs).
        case timeout
    }

    /// Attempts in all, the first one included (the SDKs' default is 3).
    public var maxAttempts: Int
    /// The delay scale: retry *n* (from 0) waits random(0…1) × min(base × 2ⁿ, `maxDelay`).
    public var baseDelay: TimeInterval
    /// The cap on one delay (20 s in the SDKs).
    public var maxDelay: TimeInterval

    /// Creates a policy.
    /// - Parameters:
    ///   - maxAttempts: attempts in all; 1 turns retries off.
    ///   - baseDelay: seconds; tests use a few milliseconds.
    ///   - maxDelay: seconds.
    public init(maxAttempts: Int = 3, baseDelay: TimeInterval = 1, maxDelay: TimeInterval = 20) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Error codes that mean "slow down", across services (from the SDKs' standard mode).
    public static let throttlingCodes: Set<AWSErrorCode> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    ]

    /// Error codes of transient server-side failures.
    public static let transientCodes: Set<AWSErrorCode> = ["RequestTimeout", "RequestTimeoutException", "InternalError"]

    /// Error codes of a change refused because another change to the same thing was in
    /// progress, which the service asks to be sent again: IAM's `ConcurrentModification` (409,
    /// "multiple requests to change this object were submitted simultaneously", botocore's
    /// `ConcurrentModificationException`). imgstack writes a role's inline policies, and removes
    /// what holds a role before deleting it, at once. Retried as transient faults are.
    public static let conflictCodes: Set<AWSErrorCode> = ["ConcurrentModification"]

    /// Status codes of transient server-side failures, whatever the code says.
    public static let transientStatusCodes: Set<Int> = [500, 502, 503, 504]

    /// True when the request may have taken effect although no success came back: no answer (a
    /// timeout, a connection dropped after the request went out) or a server fault (5xx).
    public static func outcomeUnknown(_ error: any Error) -> Bool {
        if let error = error as? AWSError { return error.statusCode >= 500 }
        if let error = error as? TransportError { return error.kind != .cannotConnect }
        return false
    }

    /// Classifies an error.
    /// - Parameter error: an `AWSError`, a `TransportError` or anything else.
    /// - Returns: why it may be retried, or nil when it must not be.
    public static func classify(_ error: any Error) -> ErrorKind? {
        if let error = error as? AWSError {
            // A bare 429 (a proxy or load balancer without an AWS body) is throttling too.
            if throttlingCodes.contains(error.code) || error.statusCode == 429 { return .throttling }
            if transientCodes.contains(error.code) || conflictCodes.contains(error.code) || transientStatusCodes.contains(error.statusCode) {
                return .transient
            }
            return nil
        }
        if let error = error as? TransportError {
            switch error.kind {
            case .timedOut: return .timeout
            case .connectionReset, .cannotConnect: return .transient
            case .other: return nil
            }
        }
        return nil
    }

    /// The delay before retry number `retry` (0 for the first retry): full jitter.
    /// - Parameter retry: how many retries came before this one.
    /// - Returns: seconds, in `0...min(baseDelay × 2^retry, maxDelay)`.
    public func delay(beforeRetry retry: Int) -> TimeInterval {
        let ceiling = min(baseDelay * pow(2, Double(min(retry, 62))), maxDelay)
        return Double.random(in: 0...1) * ceiling
    }

    /// Runs `attempt` until it succeeds, fails with an error that must not be retried, runs
    /// out of attempts, or the budget refuses a retry; then returns its result or last error.
    /// - Parameters:
    ///   - budget: the client's shared retry budget.
    ///   - allowed: whether a retryable error may be retried here (a create whose outcome is
    ///     unknown may not: a second attempt could make a second resource).
    ///   - attempt: one try; receives the attempt number from 1. It must rebuild and re-sign
    ///     its request each time (a fresh date), which is why it is a closure.
    /// - Returns: the first successful result.
    /// - Throws: the last error, or `CancellationError` when the task is cancelled while waiting.
    public func run<T: Sendable>(budget: RetryBudget, retrying allowed: (any Error) -> Bool = { _ in true },
                                 _ attempt: @Sendable (Int) async throws -> T) async throws -> T {
        var paidForLastRetry = 0
        var attemptNumber = 1
        while true {
            do {
                let result = try await attempt(attemptNumber)
                await budget.recordSuccess(refunding: paidForLastRetry)
                return result
            } catch {
                guard attemptNumber < maxAttempts, let kind = Self.classify(error), allowed(error) else { throw error }
                let cost = RetryBudget.cost(of: kind)
                guard await budget.withdraw(cost) else { throw error }
                paidForLastRetry = cost
                try await Task.sleep(nanoseconds: UInt64(delay(beforeRetry: attemptNumber - 1) * 1_000_000_000))
                attemptNumber += 1
            }
        }
    }
}
