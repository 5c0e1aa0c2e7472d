import Foundation

/// A failure the verifying proxy acts out for the next matching requests, for retry tests.
public struct Fault: Sendable, Equatable, Encodable {
    /// What happens to a request the fault catches.
    public enum Kind: String, Sendable, Encodable {
        /// Answer 400 `Throttling` (`ThrottlingException` for JSON services; S3 answers 503
        /// `SlowDown`, as AWS does).
        case throttle
        /// Answer `status` with an `InternalError` (or `ServiceUnavailable` for 503) body; a
        /// 4xx `status` with `AccessDenied` (403) or `InvalidRequest`, a refusal no client retries.
        case status
        /// Close the connection with a TCP reset and no response.
        case reset
        /// Wait `delayMs`, then forward the request.
        case delay
    }

    /// The operation to catch, written `service:Operation` with the credential-scope service
    /// name (`sts:GetCallerIdentity`, `s3:PutObject`), or `*` for every request.
    public var operation: String
    /// What happens to caught requests.
    public var kind: Kind
    /// How many requests the fault catches before it is used up.
    public var count: Int
    /// The HTTP status for `.status` faults.
    public var status: Int
    /// The wait for `.delay` faults, in milliseconds.
    public var delayMs: Int

    /// Creates a fault.
    /// - Parameters:
    ///   - operation: `service:Operation`, or `*` for any request.
    ///   - kind: What happens to caught requests.
    ///   - count: How many requests it catches.
    ///   - status: The HTTP status for `.status` faults.
    ///   - delayMs: The wait for `.delay` faults.
    public init(operation: String = "*", kind: Kind, count: Int = 1, status: Int = 500, delayMs: Int = 0) {
        self.operation = operation
        self.kind = kind
        self.count = count
        self.status = status
        self.delayMs = delayMs
    }
}
