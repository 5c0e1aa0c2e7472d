import Foundation

/// An HTTP request as it will travel on the wire: the URL's path and query are already
/// percent-encoded exactly as they will be sent, so the signer can use them verbatim.
public struct HTTPRequest: Sendable, Equatable {
    /// The HTTP method, upper case (`GET`, `PUT`, ...).
    public var method: String
    /// The full URL; `url.path` is not used, the signer reads the raw encoded path.
    public var url: URL
    /// Header fields in the order they were added. Names compare case-insensitively.
    public var headers: HTTPHeaders
    /// The request body; empty for none.
    public var body: Data

    /// Creates a request.
    public init(method: String, url: URL, headers: HTTPHeaders = HTTPHeaders(), body: Data = Data()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// An HTTP response as the transport received it.
public struct HTTPResponse: Sendable, Equatable {
    /// The status code, e.g. 200.
    public var statusCode: Int
    /// Response header fields.
    public var headers: HTTPHeaders
    /// The response body.
    public var body: Data

    /// Creates a response.
    public init(statusCode: Int, headers: HTTPHeaders = HTTPHeaders(), body: Data = Data()) {
        self.statusCode = statusCode
        self.headers = headers
        self.body = body
    }
}

/// An ordered list of header fields whose names compare case-insensitively.
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// The fields, in insertion order, with the names as they were given.
    public private(set) var fields: [(name: String, value: String)] = []

    /// Creates an empty header list.
    public init() {}

    /// Creates headers from literal pairs.
    public init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { add(name, value) }
    }

    /// The first value for `name`, or nil.
    public subscript(name: String) -> String? {
        get { fields.first { $0.name.lowercased() == name.lowercased() }?.value }
        set {
            fields.removeAll { $0.name.lowercased() == name.lowercased() }
            if let newValue { fields.append((name, newValue)) }
        }
    }

    /// Appends a field without removing existing fields of the same name.
    public mutating func add(_ name: String, _ value: String) {
        fields.append((name, value))
    }

    /// Iterates over the fields in order.
    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}

/// Sends HTTP requests. The real transport is ``HTTPClientTransport``; tests may wrap it.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the response, whatever its status code.
    /// - Throws: `TransportError` when no response arrived (refused, reset, timed out).
    func send(_ request: HTTPRequest, timeout: TimeInterval) async throws -> HTTPResponse
}

/// A failure to get any HTTP response at all.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    /// What went wrong at the connection level.
    public enum Kind: Sendable, Equatable {
        /// Nobody listens at the endpoint, or the host does not resolve.
        case cannotConnect
        /// The connection dropped before a full response arrived.
        case connectionReset
        /// No response within the timeout.
        case timedOut
        /// Anything else the transport reported.
        case other
    }

    /// The category, which decides whether a retry may help.
    public var kind: Kind
    /// The URL that was being requested.
    public var url: URL
    /// The transport's own description of the failure.
    public var detail: String

    /// Creates a transport error.
    public init(kind: Kind, url: URL, detail: String) {
        self.kind = kind
        self.url = url
        self.detail = detail
    }

    public var description: String {
        switch kind {
        case .cannotConnect: return "cannot connect to \(url.scheme ?? "http")://\(url.host ?? "")\(url.port.map { ":\($0)" } ?? ""): \(detail)"
        case .connectionReset: return "connection to \(url.host ?? "") was reset: \(detail)"
        case .timedOut: return "request to \(url.host ?? "") timed out: \(detail)"
        case .other: return "request to \(url.host ?? "") failed: \(detail)"
        }
    }
}
