import Foundation

/// An error answered by an AWS service.
public struct AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The service's signing name, e.g. `s3`, `iam`.
    public var service: String
    /// The API operation, e.g. `CreateBucket`.
    public var operation: String
    /// The HTTP status code of the answer.
    public var statusCode: Int
    /// The error code, e.g. `BucketAlreadyExists`, `ThrottlingException`.
    public var code: String
    /// The message the service gave, possibly empty.
    public var message: String
    /// The request id, for AWS support.
    public var requestID: String?

    /// Creates an error.
    public init(service: String, operation: String, statusCode: Int, code: String, message: String, requestID: String? = nil) {
        self.service = service
        self.operation = operation
        self.statusCode = statusCode
        self.code = code
        self.message = message
        self.requestID = requestID
    }

    public var description: String {
        var text = "\(service) \(operation): \(code) (HTTP \(statusCode))"
        if !message.isEmpty { text += ": \(message)" }
        if let requestID, !requestID.isEmpty { text += " [request id \(requestID)]" }
        return text
    }
}

/// A problem found on this side before or instead of an AWS answer: missing or broken
/// configuration, unreachable endpoint.
public struct AWSClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The category of problem.
    public enum Kind: Sendable, Equatable {
        /// No credential source in the chain had credentials.
        case noCredentials
        /// No region from flags, environment or profile.
        case noRegion
        /// A config or credentials file could not be read or parsed.
        case invalidConfiguration
        /// A credential source is configured but failed.
        case credentialSourceFailed
        /// The endpoint could not be reached after retries.
        case endpointUnreachable
        /// An answer that does not follow the service's protocol.
        case invalidResponse
    }

    /// The category.
    public var kind: Kind
    /// One line naming the cause, suitable for users.
    public var message: String

    /// Creates a client error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
