import Foundation

/// Where one call to a service goes and how it is signed.
public struct ResolvedEndpoint: Sendable, Equatable {
    /// The base URL (scheme, host, optional port and path prefix), without a trailing slash.
    public var url: URL
    /// The region that goes into the SigV4 credential scope.
    public var signingRegion: String
    /// True when the URL came from a flag, environment variable or profile rather than
    /// AWS's defaults; S3 then uses path-style addressing.
    public var isCustom: Bool

    /// Creates a resolved endpoint.
    public init(url: URL, signingRegion: String, isCustom: Bool) {
        self.url = url
        self.signingRegion = signingRegion
        self.isCustom = isCustom
    }
}
