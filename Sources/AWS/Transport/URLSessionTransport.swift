import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real HTTP transport, built on `URLSession` (FoundationNetworking on Linux).
///
/// Chosen over async-http-client so the package builds without SwiftNIO; it keeps HTTP/1.1
/// connections alive per host and takes TLS from the system. It is configured to put on the
/// wire exactly what was signed: redirects are returned, not followed (an S3 `301` with
/// `x-amz-bucket-region` must reach the caller), no cookies, no cache, no content type
/// invented for a body that has none, and the URL's percent-encoded path and query unchanged.
public final class URLSessionTransport: HTTPTransport {
    /// Settings of the underlying session.
    public struct Configuration: Sendable {
        /// How many connections may be open to one host at once; calls beyond it wait.
        public var maximumConnectionsPerHost: Int

        /// Creates a configuration.
        /// - Parameter maximumConnectionsPerHost: parallel connections per host (default 16,
        ///   above imgstack's default `--parallelism`).
        public init(maximumConnectionsPerHost: Int = 16) {
            self.maximumConnectionsPerHost = maximumConnectionsPerHost
        }
    }

    private let session: URLSession

    /// Creates a transport with its own session.
    /// - Parameter configuration: connection settings.
    public init(configuration: Configuration = Configuration()) {
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.httpMaximumConnectionsPerHost = configuration.maximumConnectionsPerHost
        sessionConfiguration.httpShouldSetCookies = false
        sessionConfiguration.httpCookieAcceptPolicy = .never
        sessionConfiguration.httpCookieStorage = nil
        sessionConfiguration.urlCache = nil
        sessionConfiguration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: sessionConfiguration, delegate: RedirectRefusingDelegate(), delegateQueue: nil)
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    /// Sends `request` and returns whatever status the server answered, redirects included.
    /// - Parameters:
    ///   - request: the signed request.
    ///   - timeout: seconds without progress before the request fails.
    /// - Returns: the response.
    /// - Throws: `TransportError` when no response arrived.
    public func send(_ request: HTTPRequest, timeout: TimeInterval) async throws -> HTTPResponse {
        let urlRequest = Self.urlRequest(for: request, timeout: timeout)
        let deadlinePassed = DeadlineFlag()
        return try await withCheckedThrowingContinuation { continuation in
            let task = session.dataTask(with: urlRequest) { data, response, error in
                if let error {
                    let failure = deadlinePassed.isSet
                        ? TransportError(kind: .timedOut, url: request.url, detail: "no answer within \(timeout) s")
                        : Self.transportError(error, url: request.url)
                    continuation.resume(throwing: failure)
                    return
                }
                guard let http = response as? HTTPURLResponse else {
                    continuation.resume(throwing: TransportError(kind: .other, url: request.url, detail: "not an HTTP response"))
                    return
                }
                continuation.resume(returning: HTTPResponse(statusCode: http.statusCode, headers: Self.headers(of: http), body: data ?? Data()))
            }
            task.resume()
            // FoundationNetworking does not apply `URLRequest.timeoutInterval` on Linux, so
            // the deadline is enforced here: cancel the task and report a timeout.
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                deadlinePassed.set()
                task.cancel()
            }
        }
    }

    static func urlRequest(for request: HTTPRequest, timeout: TimeInterval) -> URLRequest {
        var urlRequest = URLRequest(url: request.url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        urlRequest.httpMethod = request.method
        urlRequest.httpShouldHandleCookies = false
        for (name, value) in request.headers {
            urlRequest.addValue(value, forHTTPHeaderField: name)
        }
        if request.headers["Content-Type"] == nil && request.method == "POST" {
            // FoundationNetworking adds `Content-Type: application/x-www-form-urlencoded` to
            // every POST without one, which a JSON or REST service would misread. It offers
            // no way to omit the header, so send it empty: the nearest to "none" it allows.
            urlRequest.setValue("", forHTTPHeaderField: "Content-Type")
        }
        if !request.body.isEmpty {
            urlRequest.httpBody = request.body
        }
        return urlRequest
    }

    static func headers(of response: HTTPURLResponse) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for (name, value) in response.allHeaderFields {
            headers.add(String(describing: name), String(describing: value))
        }
        return headers
    }

    static func transportError(_ error: any Error, url: URL) -> TransportError {
        guard let urlError = error as? URLError else {
            return TransportError(kind: .other, url: url, detail: String(describing: error))
        }
        let kind: TransportError.Kind
        switch urlError.code {
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet:
            kind = .cannotConnect
        case .networkConnectionLost, .badServerResponse, .zeroByteResource:
            // curl reports a peer that closed mid-response ("empty reply", "recv failure")
            // as one of these; all mean the connection dropped before an answer.
            kind = .connectionReset
        case .timedOut:
            kind = .timedOut
        default:
            kind = .other
        }
        return TransportError(kind: kind, url: url, detail: urlError.localizedDescription)
    }
}

/// Set once the per-request deadline has passed, so the cancellation it causes reads as a timeout.
private final class DeadlineFlag: @unchecked Sendable {
    // NSLock rather than `Mutex`, which needs macOS 15 and the package supports macOS 13.
    private let lock = NSLock()
    private var passed = false
    var isSet: Bool { lock.withLock { passed } }
    func set() { lock.withLock { passed = true } }
}

/// Answers every redirect with "do not follow", so 301/307 reach the caller as they are.
private final class RedirectRefusingDelegate: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
