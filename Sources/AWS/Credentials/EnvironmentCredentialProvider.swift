import Foundation

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
public struct EnvironmentCredentialProvider: CredentialProvider {
    /// The process environment.
    public let environment: [String: String]

    /// Creates the provider over an environment.
    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// `environment`.
    public var sourceName: String { "environment" }

    /// Returns the environment's keys, or nil when neither key variable is set.
    /// - Throws: `AWSClientError(.credentialSourceFailed)` when only one of the pair is set,
    ///   naming the missing variable.
    public func credentials() async throws -> AWSCredentials? {
        let accessKeyID = nonEmpty("AWS_ACCESS_KEY_ID")
        let secret = nonEmpty("AWS_SECRET_ACCESS_KEY")
        switch (accessKeyID, secret) {
        case (nil, nil):
            return nil
        case (.some, nil):
            throw AWSClientError(.credentialSourceFailed, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is missing")
        case (nil, .some):
            throw AWSClientError(.credentialSourceFailed, "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is missing")
        case (.some(let accessKeyID), .some(let secret)):
            return AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: nonEmpty("AWS_SESSION_TOKEN"))
        }
    }

    private func nonEmpty(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }
}
