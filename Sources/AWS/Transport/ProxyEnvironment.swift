import Foundation

/// The HTTP proxies the environment names, read as Terraform (Go's `httpproxy`), the AWS CLI and
/// curl read them: `HTTPS_PROXY` for `https` URLs and `HTTP_PROXY` for `http` URLs (each also in
/// lower case, the upper case first), and `NO_PROXY`, the hosts reached directly.
///
/// `NO_PROXY` is a comma-separated list: `*` (no proxy at all), a host name or IP address, or a
/// domain (`example.com` or `.example.com`, matching it and every name under it), each optionally
/// with `:port` to match that port only. Set it to include `169.254.169.254` when the EC2
/// instance metadata service must not go through the proxy.
public struct ProxyEnvironment: Sendable, Equatable {
    /// An HTTP proxy: `https` requests are tunnelled through it with `CONNECT`, `http` requests
    /// are sent to it whole.
    public struct Proxy: Sendable, Hashable {
        /// The proxy's host name or address.
        public var host: String
        /// The proxy's port (80 when the setting names none).
        public var port: Int
        /// The user and password of the setting's `user:password@`, sent as basic
        /// `Proxy-Authorization`; nil when it has none.
        public var credentials: Credentials?

        /// The `user:password@` part of a proxy setting, percent-decoded.
        public struct Credentials: Sendable, Hashable {
            public var user: String
            public var password: String
        }
    }

    /// The proxy for `https` URLs; nil when none is set.
    public var https: Proxy?
    /// The proxy for `http` URLs; nil when none is set.
    public var http: Proxy?
    /// The `NO_PROXY` entries, lower-cased, in order.
    public var directHosts: [String]

    /// No proxy for any URL.
    public static let none = ProxyEnvironment(https: nil, http: nil, directHosts: [])

    private init(https: Proxy?, http: Proxy?, directHosts: [String]) {
        self.https = https
        self.http = http
        self.directHosts = directHosts
    }

    /// Reads the proxy settings of `environment`.
    /// - Parameter environment: the process environment, or a test's.
    /// - Throws: `AWSClientError` (`.invalidConfiguration`) naming the variable when a proxy is
    ///   not `http://host[:port]` (or `host[:port]`): an `https://` or `socks5://` proxy is refused
    ///   rather than bypassed.
    public init(environment: [String: String]) throws {
        func value(_ name: String) -> (name: String, value: String)? {
            for candidate in [name, name.lowercased()] {
                if let value = environment[candidate]?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
                    return (candidate, value)
                }
            }
            return nil
        }
        https = try value("HTTPS_PROXY").map(Self.proxy(from:))
        http = try value("HTTP_PROXY").map(Self.proxy(from:))
        directHosts = (value("NO_PROXY")?.value ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }.filter { !$0.isEmpty }
    }

    /// The proxy that `url` goes through, or nil when it goes directly (no proxy for its scheme,
    /// or its host is in `NO_PROXY`).
    public func proxy(for url: URL) -> Proxy? {
        guard let proxy = url.scheme?.lowercased() == "https" ? https : http, let host = url.host?.lowercased() else { return nil }
        let port = url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
        return directHosts.contains { Self.entry($0, matches: host, port: port) } ? nil : proxy
    }

    private static func entry(_ entry: String, matches host: String, port: Int) -> Bool {
        if entry == "*" { return true }
        var name = entry
        if let colon = entry.lastIndex(of: ":"), !entry.hasSuffix("]"), entry.filter({ $0 == ":" }).count == 1 {
            guard Int(entry[entry.index(after: colon)...]) == port else { return false }
            name = String(entry[..<colon])
        }
        let host = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        name = name.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let domain = name.hasPrefix(".") ? String(name.dropFirst()) : name
        return host == domain || host.hasSuffix("." + domain)
    }

    private static func proxy(from setting: (name: String, value: String)) throws -> Proxy {
        let text = setting.value.contains("://") ? setting.value : "http://" + setting.value
        guard let components = URLComponents(string: text), components.scheme?.lowercased() == "http",
              let host = components.host, !host.isEmpty else {
            throw AWSClientError(.invalidConfiguration,
                                 "\(setting.name)=\(setting.value) is not an http:// proxy (http://[user:password@]host[:port])")
        }
        let credentials = components.percentEncodedUser.map {
            Proxy.Credentials(user: $0.removingPercentEncoding ?? $0,
                              password: components.percentEncodedPassword?.removingPercentEncoding ?? "")
        }
        return Proxy(host: host, port: components.port ?? 80, credentials: credentials)
    }
}
