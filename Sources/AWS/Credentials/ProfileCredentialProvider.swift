import Foundation

/// Credentials from a profile in the shared files (`~/.aws/credentials`, `~/.aws/config`).
///
/// A profile gives credentials in one of these ways, tried in this order:
/// - `role_arn` with `source_profile` (followed through chains, cycles refused),
///   or with `web_identity_token_file`: the role is assumed through STS, with
///   `external_id` and `role_session_name` when set;
/// - static `aws_access_key_id` / `aws_secret_access_key` (and `aws_session_token`);
/// - `credential_process`: a command printing a JSON credential document.
public struct ProfileCredentialProvider: CredentialProvider {
    /// The process environment (`AWS_PROFILE`, file paths, `HOME`).
    public let environment: [String: String]
    /// The explicitly chosen profile, if any.
    public let profile: String?
    /// Calls STS for `role_arn` profiles.
    public let roleAssumer: any RoleAssumer
    /// The clock, for default session names.
    public let now: @Sendable () -> Date

    /// Creates the provider.
    /// - Parameters:
    ///   - environment: The process environment.
    ///   - profile: The `--profile` value; nil means `AWS_PROFILE`, else `default`.
    ///   - roleAssumer: Calls STS.
    ///   - now: The clock; default session names are `imgstack-<unix time>`.
    public init(
        environment: [String: String], profile: String? = nil, roleAssumer: any RoleAssumer,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.environment = environment
        self.profile = profile
        self.roleAssumer = roleAssumer
        self.now = now
    }

    /// The profile name in effect.
    public var profileName: String {
        SharedConfig.profileName(explicit: profile, environment: environment)
    }

    /// Whether the user named the profile (`--profile` or `AWS_PROFILE`), so a missing
    /// profile is an error rather than "no credentials here".
    public var isExplicit: Bool {
        profile?.isEmpty == false || environment["AWS_PROFILE"]?.isEmpty == false
    }

    /// `profile NAME`, with `(assume role ARN)` or `(credential_process)` for those kinds.
    public var sourceName: String {
        let settings = (try? SharedConfig.load(environment: environment).profile(profileName)) ?? nil
        if let roleARN = settings?["role_arn"] { return "profile \(profileName) (assume role \(roleARN))" }
        if settings?["aws_access_key_id"] == nil, settings?["credential_process"] != nil {
            return "profile \(profileName) (credential_process)"
        }
        return "profile \(profileName)"
    }

    /// Resolves the profile's credentials.
    /// - Returns: nil when the `default` profile is absent or the profile holds no credentials.
    /// - Throws: `AWSClientError(.credentialSourceFailed)` for a named profile that does not
    ///   exist, a `source_profile` cycle or missing source, a failing `credential_process`;
    ///   `AWSClientError(.invalidConfiguration)` for a malformed file; STS errors.
    public func credentials() async throws -> AWSCredentials? {
        let config = try SharedConfig.load(environment: environment)
        guard config.profile(profileName) != nil else {
            if isExplicit {
                throw AWSClientError(.credentialSourceFailed, "the profile \(profileName) was not found in the AWS config or credentials file")
            }
            return nil
        }
        return try await resolve(profileName, in: config, visited: [])
    }

    /// Resolves one profile; `visited` is the `source_profile` path that led here.
    private func resolve(_ name: String, in config: SharedConfig, visited: [String]) async throws -> AWSCredentials? {
        guard let settings = config.profile(name) else {
            let referrer = visited.last.map { " (source_profile of \($0))" } ?? ""
            throw AWSClientError(.credentialSourceFailed, "the profile \(name)\(referrer) was not found in the AWS config or credentials file")
        }
        if let roleARN = settings["role_arn"] {
            return try await assumeRole(roleARN, profile: name, settings: settings, in: config, visited: visited)
        }
        if let staticKeys = try staticCredentials(settings, profile: name) {
            return staticKeys
        }
        if let command = settings["credential_process"] {
            return try await CredentialProcess(command: command).run()
        }
        return nil
    }

    private func assumeRole(
        _ roleARN: String, profile name: String, settings: [String: String], in config: SharedConfig, visited: [String]
    ) async throws -> AWSCredentials {
        let sessionName = settings["role_session_name"] ?? "imgstack-\(Int(now().timeIntervalSince1970))"
        if let sourceProfile = settings["source_profile"] {
            let path = visited + [name]
            let source: AWSCredentials?
            if sourceProfile == name {
                // A profile may name itself as source to use its own static keys for the call,
                // which the AWS CLI allows.
                source = try staticCredentials(settings, profile: name)
            } else if path.contains(sourceProfile) {
                throw AWSClientError(
                    .credentialSourceFailed, "source_profile cycle: \((path + [sourceProfile]).joined(separator: " -> "))")
            } else {
                source = try await resolve(sourceProfile, in: config, visited: path)
            }
            guard let source else {
                throw AWSClientError(.credentialSourceFailed, "the source_profile \(sourceProfile) of profile \(name) has no credentials")
            }
            return try await roleAssumer.assumeRole(
                roleARN: roleARN, sessionName: sessionName, externalID: settings["external_id"], using: source)
        }
        if let tokenFile = settings["web_identity_token_file"] {
            guard let token = try? String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
                !token.isEmpty
            else {
                throw AWSClientError(.credentialSourceFailed, "cannot read the web identity token file \(tokenFile) of profile \(name)")
            }
            return try await roleAssumer.assumeRoleWithWebIdentity(roleARN: roleARN, sessionName: sessionName, webIdentityToken: token)
        }
        // `credential_source` (Environment, Ec2InstanceMetadata, EcsContainer) is not supported.
        throw AWSClientError(
            .credentialSourceFailed, "profile \(name) sets role_arn but neither source_profile nor web_identity_token_file")
    }

    private func staticCredentials(_ settings: [String: String], profile name: String) throws -> AWSCredentials? {
        switch (settings["aws_access_key_id"], settings["aws_secret_access_key"]) {
        case (nil, nil):
            return nil
        case (.some, nil):
            throw AWSClientError(.credentialSourceFailed, "profile \(name) sets aws_access_key_id but not aws_secret_access_key")
        case (nil, .some):
            throw AWSClientError(.credentialSourceFailed, "profile \(name) sets aws_secret_access_key but not aws_access_key_id")
        case (.some(let accessKeyID), .some(let secret)):
            return AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: settings["aws_session_token"])
        }
    }
}
