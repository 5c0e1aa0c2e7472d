import Foundation

/// An error answered by an AWS service.
public struct AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The service's signing name, e.g. `s3`, `iam`.
    public var service: String
    /// The API operation, e.g. `CreateBucket`.
    public var operation: String
    /// The HTTP status code of the answer.
    public var statusCode: Int
    /// The error code, e.g. `BucketAlreadyExists`, `ThrottlingException`: compare it with the
    /// named values of ``AWSErrorCode`` (`error.code == .noSuchBucket`).
    public var code: AWSErrorCode
    /// The message the service gave, possibly empty.
    public var message: String
    /// The request id, for AWS support.
    public var requestID: String?

    /// Creates an error.
    public init(service: String, operation: String, statusCode: Int, code: String, message: String, requestID: String? = nil) {
        self.service = service
        self.operation = operation
        self.statusCode = statusCode
        self.code = AWSErrorCode(code)
        self.message = message
        self.requestID = requestID
    }

    /// True when the code is `code` and, with `fragment`, the message contains it (case
    /// insensitive): some services answer several conditions under one code
    /// (Lambda's `InvalidParameterValueException` "cannot be assumed").
    public func matches(_ code: AWSErrorCode, messageContaining fragment: String? = nil) -> Bool {
        self.code == code && (fragment.map { message.localizedCaseInsensitiveContains($0) } ?? true)
    }

    public var description: String {
        var text = "\(service) \(operation): \(code) (HTTP \(statusCode))"
        if !message.isEmpty { text += ": \(message)" }
        if let requestID, !requestID.isEmpty { text += " [request id \(requestID)]" }
        return text
    }
}

/// An AWS error code, compared as a value: each service's codes are named once, as static
/// members beside its calls (`extension AWSErrorCode { static let noSuchBucket: Self = "NoSuchBucket" }`),
/// so call sites compare `error.code == .noSuchBucket` rather than spelling strings.
///
/// The names come from the services' API references (each operation's "Errors" section) and
/// botocore's `service-2.json` error shapes.
public struct AWSErrorCode: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The code as the service sends it.
    public let rawValue: String

    /// A code from its text.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    /// Access was refused by IAM (all services).
    public static let accessDenied: Self = "AccessDenied"
    /// Access was refused by IAM (JSON services).
    public static let accessDeniedException: Self = "AccessDeniedException"
    /// No resource by that id, name or ARN: the code many JSON services share (Cognito user and
    /// identity pools, CloudWatch `ListTagsForResource`, Lambda, …).
    public static let resourceNotFoundException: Self = "ResourceNotFoundException"
}

/// Runs `call`, answering nil when AWS says the thing it asks about does not exist (one of
/// `codes`): reads of a deleted resource, deletes of one already gone.
/// - Throws: any other error of `call`.
public func nilWhenMissing<T>(_ codes: AWSErrorCode..., call: () async throws -> T) async throws -> T? {
    do {
        return try await call()
    } catch let error as AWSError where codes.contains(error.code) {
        return nil
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
