import AWS
import ImgStack

/// What CloudFront tells browsers about the album's answers: the Content-Security-Policy of
/// the site and of uploaded objects (see `ImageServerDistribution`).
enum ImageServerHeaders {
    /// The objects users upload, `/<identity id>/<name>`: any path with a second slash.
    static let uploadsPathPattern = "/*/*"

    /// What CloudFront says about an uploaded object: nothing in it may run (no script, no
    /// plugin, no form, a sandboxed document) even when a browser opens it on its own; an
    /// image shown as the page still displays.
    static let uploadsContentSecurityPolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'"

    /// The album's own policy: scripts, styles and images only from the album itself (no inline
    /// script), and calls only to the album and the AWS services the page uses — Cognito user
    /// pools and identity pools and S3 in the stack's region, or the endpoints this run
    /// overrides (an emulator), the same ones `config.js` gives the page.
    static func siteContentSecurityPolicy(_ stack: StackBuilder) -> String {
        let region = stack.region
        let services: [(AWSService, [String])] = [
            (.cognitoIdentityProvider, ["https://cognito-idp.\(region).amazonaws.com"]),
            (.cognitoIdentity, ["https://cognito-identity.\(region).amazonaws.com"]),
            (.s3, ["https://s3.\(region).amazonaws.com", "https://*.s3.\(region).amazonaws.com"]),
        ]
        var sources: [String] = []
        for (service, hosts) in services {
            if let endpoint = stack.customEndpoint(of: service), let scheme = endpoint.scheme, let host = endpoint.host {
                let origin = "\(scheme)://\(host)\(endpoint.port.map { ":\($0)" } ?? "")"
                if !sources.contains(origin) { sources.append(origin) }
            } else {
                sources.append(contentsOf: hosts)
            }
        }
        return ["default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
                "connect-src 'self' \(sources.joined(separator: " "))", "form-action 'self'", "base-uri 'none'",
                "frame-ancestors 'none'", "object-src 'none'"].joined(separator: "; ")
    }
}
