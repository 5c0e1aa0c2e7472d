import Foundation

/// Credentials from an OIDC token file exchanged with `sts:AssumeRoleWithWebIdentity`: how
/// GitHub Actions and EKS pods get a role without stored keys.
///
/// Configured by `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN` (with optional
/// `AWS_ROLE_SESSION_NAME`), or by the profile's `web_identity_token_file`, `role_arn` and
/// `role_session_name`. The token file is read on every refresh because its issuer rotates it.
public struct WebIdentityCredentialProvider: CredentialProvider {
    /// The process environment.
    public let environment: [String: String]
    /// The explicitly chosen profile, if any (else `AWS_PROFILE`, else `default`).
    public let profile: String?
    /// Calls STS.
    public let roleAssumer: any RoleAssumer
    /// The clock, for the default session name.
    public let now: @Sendable () -> Date

    /// Creates the provider.
    /// - Parameters:
    ///   - environment: The process environment (also locates the shared files).
    ///   - profile: The explicitly chosen profile, if any.
    ///   - roleAssumer: Calls STS.
    ///   - now: The clock; the default session name is `imgstack-<unix time>`.
    public init(
        environment: [String: String], profile: String? = nil, roleAssumer: any RoleAssumer,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.environment = environment
        self.profile = profile
        self.roleAssumer = roleAssumer
        self.now = now
    }

    /// `web-identity`.
    public var sourceName: String { "web-identity" }

    /// Assumes the configured role with the current token, or returns nil when no web
    /// identity is configured.
    /// - Throws: `AWSClientError(.credentialSourceFailed)` when the configuration is half set
    ///   or the token file cannot be read; the STS error when the call is refused.
    public func credentials() async throws -> AWSCredentials? {
        guard let settings = try configuration() else { return nil }
        let token: String
        do {
            token = try String(contentsOfFile: settings.tokenFile, encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw AWSClientError(.credentialSourceFailed, "cannot read the web identity token file \(settings.tokenFile)")
        }
        guard !token.isEmpty else {
            throw AWSClientError(.credentialSourceFailed, "the web identity token file \(settings.tokenFile) is empty")
        }
        let sessionName = settings.sessionName ?? "imgstack-\(Int(now().timeIntervalSince1970))"
        return try await roleAssumer.assumeRoleWithWebIdentity(
            roleARN: settings.roleARN, sessionName: sessionName, webIdentityToken: token)
    }

    private struct Settings {
        var tokenFile: String
        var roleARN: String
        var sessionName: String?
    }

    /// The environment's settings, else the profile's when it names a token file.
    private func configuration() throws -> Settings? {
        let tokenFile = nonEmpty(environment["AWS_WEB_IDENTITY_TOKEN_FILE"])
        let roleARN = nonEmpty(environment["AWS_ROLE_ARN"])
        switch (tokenFile, roleARN) {
        case (.some(let tokenFile), .some(let roleARN)):
            return Settings(tokenFile: tokenFile, roleARN: roleARN, sessionName: nonEmpty(environment["AWS_ROLE_SESSION_NAME"]))
        case (.some, nil):
            throw AWSClientError(.credentialSourceFailed, "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is missing")
        case (nil, .some), (nil, nil):
            // AWS_ROLE_ARN alone is not web identity configuration (other tools read it).
            break
        }
        let name = SharedConfig.profileName(explicit: profile, environment: environment)
        guard let settings = try SharedConfig.load(environment: environment).profile(name),
            let profileTokenFile = nonEmpty(settings["web_identity_token_file"])
        else { return nil }
        guard let profileRoleARN = nonEmpty(settings["role_arn"]) else {
            throw AWSClientError(.credentialSourceFailed, "profile \(name) sets web_identity_token_file but not role_arn")
        }
        return Settings(tokenFile: profileTokenFile, roleARN: profileRoleARN, sessionName: nonEmpty(settings["role_session_name"]))
    }

    private func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
