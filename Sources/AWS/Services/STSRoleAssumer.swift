import Foundation

/// Assumes roles through STS for the credential chain (web identity for CI, `role_arn`
/// profiles with a source profile).
public struct STSRoleAssumer: RoleAssumer {
    private let client: AWSClient

    /// Creates an assumer whose calls go where `configuration` says (region, endpoint URL).
    /// - Parameters:
    ///   - configuration: region and endpoints for STS.
    ///   - transport: the HTTP transport.
    public init(configuration: AWSClient.Configuration, transport: any HTTPTransport = HTTPClientTransport()) {
        // The assumer never signs with a client's own credentials: web identity goes
        // unsigned and AssumeRole uses the source credentials it is given.
        client = AWSClient(configuration: configuration, credentials: {
            throw AWSClientError(.noCredentials, "the STS role assumer signs only with the credentials it is given")
        }, transport: transport)
    }

    /// Calls `AssumeRoleWithWebIdentity`, unsigned.
    /// - Returns: the role's temporary credentials.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func assumeRoleWithWebIdentity(roleARN: String, sessionName: String, webIdentityToken: String) async throws -> AWSCredentials {
        try await client.sts.assumeRoleWithWebIdentity(roleARN: roleARN, sessionName: sessionName, webIdentityToken: webIdentityToken)
    }

    /// Calls `AssumeRole`, signed with `source`.
    /// - Returns: the role's temporary credentials.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func assumeRole(roleARN: String, sessionName: String, externalID: String?, using source: AWSCredentials) async throws -> AWSCredentials {
        try await client.sts.assumeRole(roleARN: roleARN, sessionName: sessionName, externalID: externalID, durationSeconds: nil,
                                        authentication: .credentials(source))
    }
}
