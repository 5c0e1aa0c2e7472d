import Foundation

/// Tries credential providers in order, remembers the first that answers and caches its
/// credentials, refreshing temporary ones 5 minutes before they expire.
///
/// Concurrent callers share one lookup: while a refresh is under way, every caller awaits it
/// instead of starting its own STS or metadata call.
public actor CredentialChain {
    /// How long before `expiration` temporary credentials are replaced, so a request signed
    /// now does not arrive after they stopped working.
    public static let refreshMargin: TimeInterval = 5 * 60

    private let providers: [any CredentialProvider]
    private let now: @Sendable () -> Date
    private var cached: (provider: Int, credentials: AWSCredentials)?
    private var resolvedProvider: Int?
    private var refresh: Task<(provider: Int, credentials: AWSCredentials), any Error>?

    /// Creates a chain over `providers`, tried in the order given.
    /// - Parameters:
    ///   - providers: The sources, first preferred.
    ///   - now: The clock used to decide when credentials are about to expire.
    public init(providers: [any CredentialProvider], now: @escaping @Sendable () -> Date = { Date() }) {
        self.providers = providers
        self.now = now
    }

    /// The chain the AWS SDKs use: environment, web identity, profile, container, instance metadata.
    ///
    /// An explicit `profile` (`--profile`) means that profile is used: it is asked first and the
    /// environment's keys are skipped. `AWS_PROFILE` alone does not skip them (as in the SDKs,
    /// keys in the environment win over it).
    /// - Parameters:
    ///   - environment: The process environment.
    ///   - profile: The `--profile` value, if given.
    ///   - roleAssumer: Calls STS for role profiles and web identity.
    ///   - transport: Reaches the container and instance metadata endpoints.
    /// - Returns: The chain.
    public static func standard(
        environment: [String: String], profile: String?, roleAssumer: any RoleAssumer, transport: any HTTPTransport
    ) -> CredentialChain {
        let webIdentity = WebIdentityCredentialProvider(environment: environment, profile: profile, roleAssumer: roleAssumer)
        let sharedFiles = ProfileCredentialProvider(environment: environment, profile: profile, roleAssumer: roleAssumer)
        var providers: [any CredentialProvider]
        if profile == nil {
            providers = [EnvironmentCredentialProvider(environment: environment), webIdentity, sharedFiles]
        } else {
            // The user named the profile on the command line: it comes before anything the
            // environment configures, and environment keys are not used at all.
            providers = [sharedFiles, webIdentity]
        }
        providers.append(ContainerCredentialProvider(environment: environment, transport: transport))
        providers.append(InstanceMetadataCredentialProvider(environment: environment, transport: transport))
        return CredentialChain(providers: providers)
    }

    /// Returns current credentials, looking them up or refreshing them when needed.
    /// - Throws: `AWSClientError(.noCredentials)` when no provider has any; a provider's error
    ///   when a source is configured but broken.
    public func credentials() async throws -> AWSCredentials {
        try await current().credentials
    }

    /// The `sourceName` of the provider that supplied the credentials (for `imgstack whoami`).
    /// - Throws: As `credentials()`.
    public func sourceName() async throws -> String {
        providers[try await current().provider].sourceName
    }

    private func current() async throws -> (provider: Int, credentials: AWSCredentials) {
        if let cached, !needsRefresh(cached.credentials) { return cached }
        if let refresh { return try await refresh.value }
        let task = Task { [providers, resolvedProvider] in
            try await Self.lookUp(providers: providers, preferred: resolvedProvider)
        }
        refresh = task
        defer { refresh = nil }
        let result = try await task.value
        cached = result
        resolvedProvider = result.provider
        return result
    }

    private func needsRefresh(_ credentials: AWSCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        return expiration.timeIntervalSince(now()) <= Self.refreshMargin
    }

    /// Asks the provider that answered before, then, if it has nothing now, every provider in order.
    private static func lookUp(
        providers: [any CredentialProvider], preferred: Int?
    ) async throws -> (provider: Int, credentials: AWSCredentials) {
        if let preferred, let credentials = try await providers[preferred].credentials() {
            return (preferred, credentials)
        }
        for (index, provider) in providers.enumerated() where index != preferred {
            if let credentials = try await provider.credentials() {
                return (index, credentials)
            }
        }
        throw AWSClientError(
            .noCredentials,
            "no AWS credentials found: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or --profile "
                + "(~/.aws/credentials, ~/.aws/config), AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN, "
                + "or run where a container or instance role is available")
    }
}
