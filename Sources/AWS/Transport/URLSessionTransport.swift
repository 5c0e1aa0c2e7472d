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
///
/// The timeout of a request is an idle timeout: it fails only when no byte has been sent or
/// received for that long, so a large upload or download takes as long as it needs while a
/// connection that went silent is given up quickly. An upload's progress cannot be seen: the
/// session hands the whole body to the system's socket buffers at once (FoundationNetworking
/// reports it all sent at the start), which may drain for many seconds. So until the answer
/// begins, a request with a body also gets the time its body takes at
/// ``minimumUploadBytesPerSecond``.
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

    /// The slowest upload rate imgstack waits for: 128 KiB/s (about 1 Mbit/s). A request with a
    /// body of n bytes may wait `timeout + n / 131,072` seconds for its answer to begin.
    public static let minimumUploadBytesPerSecond: Double = 128 * 1024

    private let session: URLSession
    private let exchanges: ExchangeTable

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
        let exchanges = ExchangeTable()
        self.exchanges = exchanges
        session = URLSession(configuration: sessionConfiguration, delegate: SessionDelegate(exchanges: exchanges), delegateQueue: nil)
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    /// Sends `request` and returns whatever status the server answered, redirects included.
    /// - Parameters:
    ///   - request: the signed request.
    ///   - timeout: seconds without progress (no byte sent or received) before the request
    ///     fails as timed out.
    /// - Returns: the response.
    /// - Throws: `TransportError` when no response arrived.
    public func send(_ request: HTTPRequest, timeout: TimeInterval) async throws -> HTTPResponse {
        let urlRequest = Self.urlRequest(for: request, timeout: timeout)
        return try await withCheckedThrowingContinuation { continuation in
            let task = session.dataTask(with: urlRequest)
            let exchange = Exchange(url: request.url, timeout: timeout,
                                    uploadAllowance: Double(request.body.count) / Self.minimumUploadBytesPerSecond, continuation: continuation)
            exchanges.insert(exchange, for: task.taskIdentifier)
            task.resume()
            // FoundationNetworking does not apply `URLRequest.timeoutInterval` on Linux, so
            // the idle deadline is enforced here.
            Self.watch(task, exchange)
        }
    }

    /// Cancels `task` once `exchange` has made no progress for its timeout; checks again at
    /// the new deadline while it progresses.
    private static func watch(_ task: URLSessionTask, _ exchange: Exchange) {
        guard let deadline = exchange.idleDeadline() else { return }
        DispatchQueue.global().asyncAfter(wallDeadline: .now() + max(0, deadline.timeIntervalSinceNow)) {
            if exchange.idleDeadline().map({ $0 <= Date() }) == true {
                exchange.markTimedOut()
                task.cancel()
            } else {
                watch(task, exchange)
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

/// One request in flight: the answer as it arrives, when it last made progress, and the
/// continuation to resume once.
private final class Exchange: @unchecked Sendable {
    let url: URL
    let timeout: TimeInterval
    /// Seconds the body may take to drain from the socket buffers, added until the answer begins.
    let uploadAllowance: TimeInterval
    // NSLock rather than `Mutex`, which needs macOS 15 and the package supports macOS 13.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<HTTPResponse, any Error>?
    private var body = Data()
    private var lastProgress = Date()
    private var answering = false
    private var timedOut = false

    init(url: URL, timeout: TimeInterval, uploadAllowance: TimeInterval, continuation: CheckedContinuation<HTTPResponse, any Error>) {
        self.url = url
        self.timeout = timeout
        self.uploadAllowance = uploadAllowance
        self.continuation = continuation
    }

    /// When the request fails unless it progresses first; nil once it has finished.
    func idleDeadline() -> Date? {
        lock.withLock { continuation == nil ? nil : lastProgress.addingTimeInterval(timeout + (answering ? 0 : uploadAllowance)) }
    }

    func progressed() { lock.withLock { lastProgress = Date() } }

    /// The answer began: from now on only the idle timeout counts.
    func answered() {
        lock.withLock {
            answering = true
            lastProgress = Date()
        }
    }

    func received(_ data: Data) {
        lock.withLock {
            body.append(data)
            lastProgress = Date()
        }
    }

    func markTimedOut() { lock.withLock { timedOut = true } }

    /// Resumes the caller with the answer or the failure; later calls do nothing.
    func finish(response: URLResponse?, error: (any Error)?) {
        let (continuation, body, timedOut, waited) = lock.withLock {
            let pending = self.continuation
            self.continuation = nil
            return (pending, self.body, self.timedOut, timeout + (answering ? 0 : uploadAllowance))
        }
        guard let continuation else { return }
        if let error {
            continuation.resume(throwing: timedOut
                ? TransportError(kind: .timedOut, url: url, detail: "nothing sent or received for \((waited * 10).rounded() / 10) s")
                : URLSessionTransport.transportError(error, url: url))
        } else if let http = response as? HTTPURLResponse {
            continuation.resume(returning: HTTPResponse(statusCode: http.statusCode, headers: URLSessionTransport.headers(of: http), body: body))
        } else {
            continuation.resume(throwing: TransportError(kind: .other, url: url, detail: "not an HTTP response"))
        }
    }
}

/// The exchanges in flight, by task identifier.
private final class ExchangeTable: @unchecked Sendable {
    private let lock = NSLock()
    private var byTask: [Int: Exchange] = [:]

    func insert(_ exchange: Exchange, for task: Int) { lock.withLock { byTask[task] = exchange } }
    func find(_ task: Int) -> Exchange? { lock.withLock { byTask[task] } }
    func remove(_ task: Int) -> Exchange? { lock.withLock { byTask.removeValue(forKey: task) } }
}

/// Feeds the session's callbacks to their exchanges: every byte sent or received is progress;
/// redirects are answered with "do not follow", so 301/307 reach the caller as they are.
private final class SessionDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private let exchanges: ExchangeTable

    init(exchanges: ExchangeTable) {
        self.exchanges = exchanges
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didSendBodyData bytesSent: Int64,
                    totalBytesSent: Int64, totalBytesExpectedToSend: Int64) {
        exchanges.find(task.taskIdentifier)?.progressed()
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        exchanges.find(dataTask.taskIdentifier)?.answered()
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        exchanges.find(dataTask.taskIdentifier)?.received(data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        exchanges.remove(task.taskIdentifier)?.finish(response: task.response, error: error)
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
