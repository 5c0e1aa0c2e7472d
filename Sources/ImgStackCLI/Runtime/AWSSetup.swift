import AWS
import Engine
import Foundation

/// Builds the AWS client for a run: region, endpoints and the credential chain, resolved as
/// the AWS SDKs do. Credentials are looked up on the first call, so commands that need no AWS
/// call (a plan of an empty state without refresh) need no credentials.
struct AWSSetup {
    /// The client.
    let client: AWSClient
    /// The credential chain, asked by `whoami` which source answered.
    let credentials: CredentialChain
    /// The region.
    let region: String
    /// Set when no region was configured and the default was taken.
    let regionNote: String?
    /// Where each service's calls go, for stacks that tell their own code (`config.js`).
    let endpoints: EndpointResolver

    /// Where this run's calls go: the region and each endpoint setting in force (recorded in a
    /// saved plan, which is applied only with the same).
    var provider: [String: String] { endpoints.settings.merging(["region": region]) { _, region in region } }

    /// The region used when none is configured anywhere.
    static let fallbackRegion = "us-east-1"

    /// Resolves region and endpoints and builds the client.
    /// - Parameters:
    ///   - skipRegionValidation: accept a well-formed region this imgstack does not know
    ///     (`--skip-region-validation`).
    ///   - requestTimeout: seconds a request may make no progress (`--request-timeout`); nil
    ///     for `AWSClient.Configuration.defaultTimeout`.
    /// - Throws: `AWSClientError` for a malformed config file, a named profile that does not
    ///   exist, a malformed region, or an unknown one without a custom endpoint or the opt-out.
    init(region flag: String?, profile: String?, endpointURL: String?, skipRegionValidation: Bool = false,
         requestTimeout: TimeInterval? = nil, environment: [String: String]) throws {
        let resolver = RegionResolver(environment: environment, profile: profile)
        var note: String?
        do {
            region = try resolver.region(flag: flag)
        } catch let error as AWSClientError where error.kind == .noRegion {
            region = AWSSetup.fallbackRegion
            note = "no region configured (--region, AWS_REGION, AWS_DEFAULT_REGION or the profile); using \(AWSSetup.fallbackRegion)"
        }
        regionNote = note
        var endpoint: URL?
        if let endpointURL {
            guard let url = URL(string: endpointURL), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw AWSClientError(.invalidConfiguration, "--endpoint-url \(endpointURL) is not an http(s) URL")
            }
            endpoint = url
        }
        // Each endpoint setting is checked as the flag is: a malformed one would otherwise fail
        // every call with "unsupported URL".
        let ignoreConfigured = environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() == "true"
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where !ignoreConfigured && name.hasPrefix("AWS_ENDPOINT_URL") && !value.isEmpty {
            guard let url = URL(string: value), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw AWSClientError(.invalidConfiguration, "\(name)=\(value) is not an http(s) URL")
            }
        }
        let profileEndpoint = try resolver.profileEndpointURL().flatMap(URL.init(string:))
        // An emulator or other custom endpoint may serve any region; AWS serves only its own.
        let customEndpoint = endpoint != nil || profileEndpoint != nil
            || environment.contains { $0.key.hasPrefix("AWS_ENDPOINT_URL") && !$0.value.isEmpty }
        try AWSRegions.validate(region, allowUnknown: customEndpoint || skipRegionValidation)
        endpoints = EndpointResolver(endpointURL: endpoint, environment: environment, profileEndpointURL: profileEndpoint)
        let transport = HTTPClientTransport(configuration: .init(proxies: try ProxyEnvironment(environment: environment)))
        let configuration = AWSClient.Configuration(region: region, endpointURL: endpoint, environment: environment,
                                                    profileEndpointURL: profileEndpoint,
                                                    timeout: requestTimeout ?? AWSClient.Configuration.defaultTimeout)
        // Credentials for web identity and assumed roles come from STS, called with the
        // source credentials each provider hands over (or unsigned, for web identity).
        let chain = CredentialChain.standard(environment: environment, profile: profile,
                                             roleAssumer: STSRoleAssumer(configuration: configuration, transport: transport),
                                             transport: transport)
        credentials = chain
        client = AWSClient(configuration: configuration, credentials: { try await chain.credentials() }, transport: transport)
    }
}
