import Foundation

/// Picks the endpoint URL and signing region for a service call.
///
/// Precedence, highest first: the explicit `--endpoint-url` given in code,
/// `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's `endpoint_url`, then AWS's
/// default host for the region. As in the SDKs, `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`
/// turns off the environment and profile settings (the explicit flag still applies).
public struct EndpointResolver: Sendable {
    /// The `--endpoint-url` flag, if given.
    public var endpointURL: URL?
    /// The process environment (or a test's stand-in).
    public var environment: [String: String]
    /// The active profile's `endpoint_url`, if any.
    public var profileEndpointURL: URL?

    /// Creates a resolver.
    public init(endpointURL: URL? = nil, environment: [String: String] = [:], profileEndpointURL: URL? = nil) {
        self.endpointURL = endpointURL
        self.environment = environment
        self.profileEndpointURL = profileEndpointURL
    }

    /// Resolves the endpoint of `service` for a call in `region`.
    /// - Parameters:
    ///   - service: the service called.
    ///   - region: the caller's region; global services sign in their own region instead.
    /// - Returns: the base URL and signing region.
    /// - Throws: `AWSClientError(.invalidConfiguration)` when the region is not a region name
    ///   (letters, digits and dashes), which would otherwise make a bogus host.
    public func resolve(_ service: AWSService, region: String) throws -> ResolvedEndpoint {
        guard !region.isEmpty, region.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
            throw AWSClientError(.invalidConfiguration, "invalid region name '\(region)'")
        }
        let signingRegion = Self.signingRegion(of: service, callerRegion: region)
        if let custom = customURL(for: service) {
            return ResolvedEndpoint(url: Self.trimmingTrailingSlash(custom), signingRegion: signingRegion, isCustom: true)
        }
        guard let url = URL(string: "https://\(Self.defaultHost(of: service, callerRegion: region))") else {
            throw AWSClientError(.invalidConfiguration, "invalid region name '\(region)'")
        }
        return ResolvedEndpoint(url: url, signingRegion: signingRegion, isCustom: false)
    }

    /// The signing region: the caller's for regional services, the partition's fixed region for
    /// global ones (IAM and CloudFront are signed in `us-east-1` from any region).
    public static func signingRegion(of service: AWSService, callerRegion: String) -> String {
        switch service.scope {
        case .regional: return callerRegion
        case .global(let region, let chinaRegion): return isChina(callerRegion) ? chinaRegion : region
        }
    }

    /// The endpoint settings in force, by where each was set (`--endpoint-url`,
    /// `AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_S3`, `profile endpoint_url`); empty when every call
    /// goes to AWS's own endpoints.
    public var settings: [String: String] {
        var settings: [String: String] = [:]
        if let endpointURL { settings["--endpoint-url"] = endpointURL.absoluteString }
        guard environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() != "true" else { return settings }
        for (name, value) in environment where name.hasPrefix("AWS_ENDPOINT_URL") && !value.isEmpty { settings[name] = value }
        if let profileEndpointURL { settings["profile endpoint_url"] = profileEndpointURL.absoluteString }
        return settings
    }

    private func customURL(for service: AWSService) -> URL? {
        if let endpointURL { return endpointURL }
        if environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() == "true" { return nil }
        for name in ["AWS_ENDPOINT_URL_\(service.endpointEnvironmentID)", "AWS_ENDPOINT_URL"] {
            if let value = environment[name], !value.isEmpty, let url = URL(string: value) { return url }
        }
        return profileEndpointURL
    }

    private static func defaultHost(of service: AWSService, callerRegion: String) -> String {
        let suffix = isChina(callerRegion) ? "amazonaws.com.cn" : "amazonaws.com"
        switch service.scope {
        case .global(_, let chinaRegion):
            // iam.amazonaws.com, cloudfront.amazonaws.com; in China the partition's one region.
            return isChina(callerRegion) ? "\(service.endpointPrefix).\(chinaRegion).\(suffix)" : "\(service.endpointPrefix).\(suffix)"
        case .regional:
            return "\(service.endpointPrefix).\(callerRegion).\(suffix)"
        }
    }

    private static func isChina(_ region: String) -> Bool { region.hasPrefix("cn-") }

    private static func trimmingTrailingSlash(_ url: URL) -> URL {
        let text = url.absoluteString
        guard text.hasSuffix("/"), let trimmed = URL(string: String(text.dropLast())) else { return url }
        return trimmed
    }
}
