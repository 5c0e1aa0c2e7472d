import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The HTTP proxies the environment names, read as Terraform reads them (Go's `httpproxy`):
/// `HTTPS_PROXY` for `https` URLs and `HTTP_PROXY` for `http` URLs, each also in lower case (the
/// upper case first; the AWS CLI prefers the lower case), and `NO_PROXY`, what is reached
/// directly. `localhost` and loopback addresses are always reached directly, as in Go.
///
/// `NO_PROXY` is a comma-separated list: `*` (no proxy at all); an IP address (compared as an
/// address: `::ffff:10.0.0.1` is `10.0.0.1`) or an address block in CIDR notation
/// (`169.254.0.0/16`); a host name, which matches it and every name under it (`example.com`);
/// `.example.com` or `*.example.com`, which match only the names under it. A name or address may
/// carry `:port` (`[::1]:5000` for IPv6) to match that port only.
public struct ProxyEnvironment: Sendable, Equatable {
    /// An HTTP proxy. Requests are tunnelled through it with `CONNECT`, for `http` URLs too
    /// (async-http-client does not send a proxy the absolute-form request Go and curl send for
    /// them): a proxy that allows `CONNECT` only to port 443, as Squid does by default, refuses
    /// a plain-`http` endpoint, which `NO_PROXY` can then name.
    public struct Proxy: Sendable, Hashable {
        /// The proxy's host name or address (an IPv6 address without brackets).
        public var host: String
        /// The proxy's port (80 when the setting names none).
        public var port: Int
        /// The user and password of the setting's `user:password@`, sent as basic
        /// `Proxy-Authorization`; nil when it has none.
        public var credentials: Credentials?

        /// ` (through the proxy HOST:PORT)`: what a failure's detail adds when the call went
        /// through this proxy, whose failures are not the endpoint's.
        var throughDescription: String { " (through the proxy \(host):\(port))" }

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
    /// The `NO_PROXY` entries, parsed once, in order.
    private var direct: [DirectEntry]

    /// No proxy for any URL.
    public static let none = ProxyEnvironment(https: nil, http: nil, direct: [])

    private init(https: Proxy?, http: Proxy?, direct: [DirectEntry]) {
        self.https = https
        self.http = http
        self.direct = direct
    }

    /// Reads the proxy settings of `environment`.
    /// - Parameter environment: the process environment, or a test's.
    /// - Throws: `AWSClientError` (`.invalidConfiguration`) naming the variable (its password
    ///   hidden) when a proxy is not `http://host[:port]` (or `host[:port]`) with a port from 1
    ///   to 65535: an `https://` or `socks5://` proxy is refused rather than bypassed.
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
        direct = (value("NO_PROXY")?.value ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }.filter { !$0.isEmpty }.map(DirectEntry.init)
    }

    /// The proxy that `url` goes through, or nil when it goes directly (no proxy for its scheme,
    /// a loopback host, or a host `NO_PROXY` names).
    public func proxy(for url: URL) -> Proxy? {
        let scheme = url.scheme?.lowercased()
        guard let proxy = scheme == "https" ? https : http, let rawHost = url.host?.lowercased() else { return nil }
        let host = Self.unbracketed(rawHost)
        let address = IPAddress.bytes(of: host)
        if host == "localhost" || address.map(Self.isLoopback) == true { return nil }
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        return direct.contains { $0.matches(host: host, address: address, port: port) } ? nil : proxy
    }

    /// One `NO_PROXY` entry, read by Go's `httpproxy` rules.
    private enum DirectEntry: Sendable, Equatable {
        /// `*`: every host.
        case everything
        /// An address block (`169.254.0.0/16`); nil when it does not parse, which names nothing.
        case block(AddressBlock?)
        /// An IP address, on `port` only when given.
        case address([UInt8], port: Int?)
        /// A host name and every name under it, or with `subdomainsOnly` (`.example.com`,
        /// `*.example.com`) only the names under it; on `port` only when given.
        case name(String, subdomainsOnly: Bool, port: Int?)

        init(_ entry: String) {
            if entry == "*" {
                self = .everything
                return
            }
            if entry.contains("/") {
                self = .block(AddressBlock(entry))
                return
            }
            var name = entry
            var port: Int?
            if let (entryHost, entryPort) = ProxyEnvironment.splitPort(entry) {
                (name, port) = (entryHost, entryPort)
            }
            name = ProxyEnvironment.unbracketed(name)
            if let address = IPAddress.bytes(of: name) {
                self = .address(address, port: port)
                return
            }
            if name.hasPrefix("*.") { name.removeFirst() }
            self = name.hasPrefix(".") ? .name(name, subdomainsOnly: true, port: port) : .name(name, subdomainsOnly: false, port: port)
        }

        /// Whether the entry names `host` (its bytes `address` when it is an IP address) on `port`.
        func matches(host: String, address: [UInt8]?, port: Int) -> Bool {
            switch self {
            case .everything:
                return true
            case .block(let block):
                guard let block, let address else { return false }
                return block.contains(address)
            case .address(let entryAddress, let entryPort):
                guard entryPort.map({ $0 == port }) ?? true else { return false }
                return entryAddress == address
            case .name(let name, let subdomainsOnly, let entryPort):
                guard entryPort.map({ $0 == port }) ?? true else { return false }
                return subdomainsOnly ? host.hasSuffix(name) : host == name || host.hasSuffix("." + name)
            }
        }
    }

    /// `host:port` or `[v6]:port` split in two; nil when `entry` names no port (a bare IPv6
    /// address has colons but no port).
    private static func splitPort(_ entry: String) -> (String, Int)? {
        guard let colon = entry.lastIndex(of: ":"), let port = Int(entry[entry.index(after: colon)...]) else { return nil }
        let host = String(entry[..<colon])
        if host.hasPrefix("[") { return host.hasSuffix("]") ? (host, port) : nil }
        return host.contains(":") ? nil : (host, port)
    }

    private static func unbracketed(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    private static let loopback = [AddressBlock("127.0.0.0/8"), AddressBlock("::1/128")].compactMap { $0 }

    private static func isLoopback(_ address: [UInt8]) -> Bool {
        loopback.contains { $0.contains(address) }
    }

    private static func proxy(from setting: (name: String, value: String)) throws -> Proxy {
        let text = setting.value.contains("://") ? setting.value : "http://" + setting.value
        guard let components = URLComponents(string: text), components.scheme?.lowercased() == "http",
              let host = components.host, !host.isEmpty, (1...65_535).contains(components.port ?? 80) else {
            throw AWSClientError(.invalidConfiguration,
                                 "\(setting.name)=\(redacted(setting.value)) is not an http:// proxy (http://[user:password@]host[:port])")
        }
        let credentials = components.percentEncodedUser.map {
            Proxy.Credentials(user: $0.removingPercentEncoding ?? $0,
                              password: components.percentEncodedPassword?.removingPercentEncoding ?? "")
        }
        return Proxy(host: unbracketed(host), port: components.port ?? 80, credentials: credentials)
    }

    /// `value` with everything between the first `:` of its `user:password@` and the last `@`
    /// shown as `****`, for error messages. The user part starts after a scheme (`http://`), or
    /// at the start when the value has none.
    private static func redacted(_ value: String) -> String {
        var userStart = value.startIndex
        if let separator = value.range(of: "://") {
            let scheme = value[..<separator.lowerBound]
            if let first = scheme.first, first.isLetter, scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }) {
                userStart = separator.upperBound
            }
        }
        guard let at = value[userStart...].lastIndex(of: "@"), let colon = value[userStart..<at].firstIndex(of: ":") else { return value }
        return String(value[...colon]) + "****" + String(value[at...])
    }
}

/// An IPv4 or IPv6 address block in CIDR notation, e.g. `169.254.0.0/16` or `fd00::/8`.
private struct AddressBlock: Sendable, Equatable {
    let network: [UInt8]
    let prefixBits: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard parts.count == 2, let bits = Int(parts[1]), let network = IPAddress.bytes(of: String(parts[0])),
              (0...network.count * 8).contains(bits) else { return nil }
        self.network = network
        prefixBits = bits
    }

    /// Whether `address` (4 or 16 bytes) lies in the block; an address of the other family never does.
    func contains(_ address: [UInt8]) -> Bool {
        guard address.count == network.count else { return false }
        for bit in 0..<prefixBits where (address[bit / 8] ^ network[bit / 8]) & (0x80 >> UInt8(bit % 8)) != 0 {
            return false
        }
        return true
    }
}

/// IP addresses as bytes, so that two spellings of one address compare equal.
private enum IPAddress {
    /// The address's bytes: 4 for IPv4 and for an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`),
    /// 16 for other IPv6; nil when `text` is not an IP address.
    static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xff, 0xff]
        return Array(bytes.prefix(12)) == mappedPrefix ? Array(bytes.suffix(4)) : bytes
    }
}
