import Foundation

/// Bounded retries for AWS's eventual consistency: a principal, role or policy created a moment
/// ago is not yet visible to the next call, which answers with an error that means "not yet"
/// rather than "no". The one helper every resource type uses for such waits.
///
/// Known cases (each named where it is used): IAM `NoSuchEntity` for a role or policy just
/// created; Lambda `InvalidParameterValueException` "cannot be assumed" for a new execution role;
/// S3 `MalformedPolicy` "Invalid principal" and KMS `MalformedPolicyDocumentException` for a
/// principal IAM has not propagated; S3 `NoSuchBucket` right after `CreateBucket`.
public struct EventualConsistency: Sendable {
    /// One "not yet" answer: an error code, and optionally a fragment its message contains.
    public struct Condition: Sendable {
        /// The error code.
        public var code: AWSErrorCode
        /// A fragment of the message (case insensitive), for codes that also mean other things.
        public var messageContains: String?

        /// Creates a condition.
        public init(_ code: AWSErrorCode, messageContains: String? = nil) {
            self.code = code
            self.messageContains = messageContains
        }

        func matches(_ error: AWSError) -> Bool { error.matches(code, messageContaining: messageContains) }
    }

    /// The answers to wait out.
    public var conditions: [Condition]
    /// How long to keep trying, in seconds, from the first attempt.
    public var window: TimeInterval
    /// The pause between attempts, in seconds.
    public var interval: TimeInterval

    /// Creates a retry.
    /// - Parameters:
    ///   - conditions: the answers that mean "not yet".
    ///   - window: seconds to keep trying (IAM documents propagation "usually" within seconds; 30 s
    ///     covers what users report).
    ///   - interval: seconds between attempts.
    public init(_ conditions: [Condition], window: TimeInterval = 30, interval: TimeInterval = 1) {
        self.conditions = conditions
        self.window = window
        self.interval = interval
    }

    /// Runs `call` until it succeeds, fails with an error that is not one of the conditions,
    /// or the window has passed (then the last error is thrown).
    /// - Parameter waiting: told each time a "not yet" answer is retried (for progress lines).
    /// - Throws: `call`'s error; `CancellationError` when the task is cancelled while waiting.
    public func run<T>(waiting: (AWSError) -> Void = { _ in }, _ call: () async throws -> T) async throws -> T {
        let deadline = Date().addingTimeInterval(window)
        while true {
            do {
                return try await call()
            } catch let error as AWSError where conditions.contains(where: { $0.matches(error) }) && Date() < deadline {
                waiting(error)
                try await Task.sleep(nanoseconds: UInt64(max(0, interval) * 1_000_000_000))
            }
        }
    }
}
