import Foundation

/// An access key pair, with a session token and expiry for temporary credentials.
public struct AWSCredentials: Sendable, Equatable {
    /// The access key id (`AKIA…` or `ASIA…`).
    public var accessKeyID: String
    /// The secret access key. Never printed.
    public var secretAccessKey: String
    /// The session token of temporary credentials, sent as `x-amz-security-token`.
    public var sessionToken: String?
    /// When temporary credentials stop working; nil for long-term keys.
    public var expiration: Date?
    /// The principal these credentials act as, when their source said so: the
    /// `AssumedRoleUser.Arn` of STS `AssumeRole` and `AssumeRoleWithWebIdentity`
    /// (`arn:aws:sts::123456789012:assumed-role/deploy/ci`), the ARN `GetCallerIdentity` answers
    /// for that session. Nil for keys from the environment, a file, a process or instance
    /// metadata, which do not say whose they are.
    public var principalARN: String?

    /// Creates credentials.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil,
                principalARN: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.principalARN = principalARN
    }
}

extension AWSCredentials: CustomStringConvertible {
    /// Shows the key id only; the secret and token are redacted.
    public var description: String {
        "AWSCredentials(accessKeyID: \(accessKeyID), secretAccessKey: (sensitive)\(sessionToken == nil ? "" : ", sessionToken: (sensitive)"))"
    }
}

/// One place credentials may come from (environment, a profile, instance metadata…).
public protocol CredentialProvider: Sendable {
    /// A short name of the source, shown by `imgstack whoami` (e.g. `environment`,
    /// `web-identity`, `profile default`, `container`, `instance-metadata`).
    var sourceName: String { get }

    /// Returns credentials, or nil when this source has none configured.
    /// - Throws: `AWSClientError` when the source is configured but broken (a malformed
    ///   file, a failing `credential_process`, an STS refusal).
    func credentials() async throws -> AWSCredentials?
}
