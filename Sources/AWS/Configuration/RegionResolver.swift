import Foundation

/// Finds the region and the profile's endpoint URL the way the AWS CLI does.
///
/// Region order: the `--region` flag, `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's
/// `region` setting. The profile is the explicit one, else `AWS_PROFILE`, else `default`.
public struct RegionResolver: Sendable {
    /// The process environment.
    public let environment: [String: String]
    /// The explicitly chosen profile (`--profile`), if any.
    public let profile: String?
    /// The directory `~` stands for; nil means `HOME`.
    public let homeDirectory: String?

    /// Creates a resolver.
    /// - Parameters:
    ///   - environment: The process environment.
    ///   - profile: The `--profile` flag's value, if given.
    ///   - homeDirectory: Overrides `HOME` for finding `~/.aws` (tests).
    public init(environment: [String: String], profile: String? = nil, homeDirectory: String? = nil) {
        self.environment = environment
        self.profile = profile
        self.homeDirectory = homeDirectory
    }

    /// The region to use.
    /// - Parameter flag: The `--region` flag's value, if given.
    /// - Returns: A region name such as `eu-west-1`.
    /// - Throws: `AWSClientError(.noRegion)` when no source names one, or
    ///   `AWSClientError(.invalidConfiguration)` for a malformed shared file.
    public func region(flag: String? = nil) throws -> String {
        for candidate in [flag, environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"]] {
            if let candidate, !candidate.isEmpty { return candidate }
        }
        if let region = try profileSettings()?["region"], !region.isEmpty { return region }
        throw AWSClientError(
            .noRegion,
            "no AWS region: pass --region, set AWS_REGION or AWS_DEFAULT_REGION, or set region in profile \(profileName)")
    }

    /// The profile's global `endpoint_url`, which the endpoint resolver uses for every
    /// service unless a more specific setting overrides it.
    /// - Throws: `AWSClientError(.invalidConfiguration)` for a malformed shared file.
    public func profileEndpointURL() throws -> String? {
        guard let value = try profileSettings()?["endpoint_url"], !value.isEmpty else { return nil }
        return value
    }

    /// The profile name in effect.
    public var profileName: String {
        SharedConfig.profileName(explicit: profile, environment: environment)
    }

    private func profileSettings() throws -> [String: String]? {
        try SharedConfig.load(environment: environment, homeDirectory: homeDirectory).profile(profileName)
    }
}
