import Foundation

/// Builds S3 URLs from a bucket and key: virtual-hosted (`bucket.s3.region.amazonaws.com/key`)
/// on AWS, path-style (`host:port/bucket/key`) on a custom endpoint such as an emulator.
enum S3Addressing {
    /// The URL of `bucket`/`key` under `endpoint`, with `query` appended.
    ///
    /// The key is percent-encoded once, keeping `/` (so `a/b+c%d=e f` round-trips: `+`, `%`,
    /// `=` and space are escaped, never read back as other characters by S3).
    static func url(endpoint: ResolvedEndpoint, bucket: String?, key: String?, query: [(String, String)]) throws -> URL {
        let base = endpoint.url.absoluteString
        var path = ""
        var host = base
        if let bucket {
            if !endpoint.isCustom && isVirtualHostable(bucket), let components = URLComponents(url: endpoint.url, resolvingAgainstBaseURL: false),
               let scheme = components.scheme, let endpointHost = components.host {
                host = "\(scheme)://\(bucket).\(endpointHost)\(components.port.map { ":\($0)" } ?? "")\(components.percentEncodedPath)"
            } else {
                path = "/" + PercentEncoding.encode(bucket)
            }
        }
        if let key {
            path += "/" + PercentEncoding.encode(key, keepingSlash: true)
        }
        if path.isEmpty { path = "/" }
        let text = host + path + (query.isEmpty ? "" : "?" + PercentEncoding.query(query))
        guard let url = URL(string: text) else {
            throw AWSClientError(.invalidConfiguration, "cannot form an S3 URL from \(text)")
        }
        return url
    }

    /// Whether the bucket name can be a DNS label under the S3 host. Names with dots are
    /// valid buckets but break the `*.s3…amazonaws.com` TLS certificate, so they go
    /// path-style, as the SDKs do.
    static func isVirtualHostable(_ bucket: String) -> Bool {
        (3...63).contains(bucket.count)
            && bucket.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
            && bucket.first != "-" && bucket.last != "-"
    }
}
