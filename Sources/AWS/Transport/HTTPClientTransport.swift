import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The real HTTP transport, built on async-http-client (SwiftNIO).
///
/// Configured to put on the wire exactly what was signed: redirects are returned, not followed
/// (an S3 `301` with `x-amz-bucket-region` must reach the caller); no cookies, no cache, no
/// compression, no header added but the body's framing (`Content-Length`) and `Host` when the
/// request has none; the URL's percent-encoded path and query unchanged. It speaks HTTP/1.1 only,
/// keeping connections alive and reusing them per host; TLS is BoringSSL's (swift-nio-ssl) with
/// the system's trust roots. Requests go through the proxy the environment names
/// (``ProxyEnvironment``).
///
/// Chosen over Foundation's `URLSession` for its speed: on Linux every socket event of a
/// URLSession request hops between libcurl's thread and the session's queues, and ten calls in
/// flight at once came back about 8 ms later than they do here (Benchmarks/README.md, "The HTTP
/// transport").
///
/// The timeout of a request is an idle timeout: it fails only when no byte has been sent or
/// received for that long, so a large upload or download takes as long as it needs while a
/// connection that went silent is given up quickly. The system's socket buffers take the first
/// megabytes of an upload at once and then drain for seconds with nothing to show, so until the
/// answer begins a request with a body also gets the time its body takes at
/// ``minimumUploadBytesPerSecond``. Opening a connection gives up after the timeout or 10 s
/// (async-http-client's connect timeout), whichever comes first.
public final class HTTPClientTransport: HTTPTransport, @unchecked Sendable {
    /// Settings of the underlying clients.
    public struct Configuration: Sendable {
        /// How many connections may be open to one host at once; calls beyond it wait.
        public var maximumConnectionsPerHost: Int
        /// The proxies requests go through.
        public var proxies: ProxyEnvironment

        /// Creates a configuration.
        /// - Parameters:
        ///   - maximumConnectionsPerHost: parallel connections per host (default 16, above
        ///     imgstack's default `--parallelism`).
        ///   - proxies: the proxies to use (default none; the CLI passes the environment's).
        public init(maximumConnectionsPerHost: Int = 16, proxies: ProxyEnvironment = .none) {
            self.maximumConnectionsPerHost = maximumConnectionsPerHost
            self.proxies = proxies
        }
    }

    /// The slowest upload rate imgstack waits for: 128 KiB/s (about 1 Mbit/s). A request with a
    /// body of n bytes may wait `timeout + n / 131,072` seconds for its answer to begin.
    public static let minimumUploadBytesPerSecond: Double = 128 * 1024

    /// A body larger than this goes out in parts of this size, each taken from the body only when
    /// the connection has room for it: the transport sees the upload move.
    static let uploadPartBytes = 64 * 1024

    private let configuration: Configuration
    // NSLock rather than `Mutex`, which needs macOS 15 and the package supports macOS 13.
    private let lock = NSLock()
    /// One client per proxy (nil: direct): async-http-client sets the proxy per client.
    private var clients: [ProxyEnvironment.Proxy?: HTTPClient] = [:]

    /// Creates a transport; its clients are made on first use and share NIO's singleton event
    /// loops.
    /// - Parameter configuration: connection settings.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    deinit {
        for client in clients.values {
            client.shutdown { _ in }
        }
    }

    /// Sends `request` and returns whatever status the server answered, redirects included.
    /// - Parameters:
    ///   - request: the signed request.
    ///   - timeout: seconds without progress (no byte sent or received) before the request
    ///     fails as timed out; opening a connection counts as none, and gives up after 10 s too.
    /// - Returns: the response.
    /// - Throws: `TransportError` when no response arrived.
    public func send(_ request: HTTPRequest, timeout: TimeInterval) async throws -> HTTPResponse {
        let progress = ExchangeProgress(timeout: timeout, uploadAllowance: Double(request.body.count) / Self.minimumUploadBytesPerSecond)
        let outgoing = Self.outgoing(request, progress: progress)
        let proxy = configuration.proxies.proxy(for: request.url)
        let client = client(proxy: proxy)
        do {
            return try await withThrowingTaskGroup(of: HTTPResponse?.self) { group in
                group.addTask { try await Self.exchange(outgoing, on: client, progress: progress) }
                group.addTask {
                    try await progress.waitUntilIdle()
                    return nil
                }
                defer { group.cancelAll() }
                guard let response = try await group.next() ?? nil else {
                    throw TransportError(kind: .timedOut, url: request.url,
                                         detail: "nothing sent or received for \((progress.allowedIdleSeconds * 10).rounded() / 10) s"
                                             + (proxy?.throughDescription ?? ""))
                }
                return response
            }
        } catch let error as TransportError {
            throw error
        } catch {
            // A caller that was cancelled learns that, not a transport failure it would report.
            if Task.isCancelled { throw CancellationError() }
            throw TransportError(error, url: request.url, proxy: proxy)
        }
    }

    private static func outgoing(_ request: HTTPRequest, progress: ExchangeProgress) -> HTTPClientRequest {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers {
            outgoing.headers.add(name: name, value: value)
        }
        if request.body.count > uploadPartBytes {
            outgoing.body = .stream(UploadParts(body: request.body, partBytes: uploadPartBytes, progress: progress),
                                    length: .known(Int64(request.body.count)))
        } else if !request.body.isEmpty {
            outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        }
        return outgoing
    }

    private static func exchange(_ request: HTTPClientRequest, on client: HTTPClient, progress: ExchangeProgress) async throws -> HTTPResponse {
        let response = try await client.execute(request, deadline: .distantFuture)
        progress.answered()
        var body = Data()
        for try await part in response.body {
            body.append(contentsOf: part.readableBytesView)
            progress.moved()
        }
        var headers = HTTPHeaders()
        for field in response.headers {
            headers.add(field.name, field.value)
        }
        return HTTPResponse(statusCode: Int(response.status.code), headers: headers, body: body)
    }

    private func client(proxy: ProxyEnvironment.Proxy?) -> HTTPClient {
        lock.withLock {
            if let client = clients[proxy] { return client }
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                                    configuration: Self.clientConfiguration(proxy: proxy, connectionsPerHost: configuration.maximumConnectionsPerHost))
            clients[proxy] = client
            return client
        }
    }

    private static func clientConfiguration(proxy: ProxyEnvironment.Proxy?, connectionsPerHost: Int) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        // HTTP/1.1 only: HTTP/2 would add a stream's reset and GOAWAY to the ways a call can fail,
        // which the retry policy does not name.
        configuration.httpVersion = .http1Only
        configuration.timeout = .init(connect: .seconds(10))
        var pool = HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(60),
                                                           concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost)
        // A refused connection fails its requests at once; AWSClient's retry policy decides
        // whether to try again, as for any other transport error.
        pool.retryConnectionEstablishment = false
        configuration.connectionPool = pool
        if let proxy {
            configuration.proxy = .server(host: proxy.host, port: proxy.port,
                                          authorization: proxy.credentials.map { .basic(username: $0.user, password: $0.password) })
        }
        return configuration
    }
}

/// How far one request has got: when it last made progress (a part of its body taken, its
/// answer begun, a part of the answer received), so that it is given up only after its timeout
/// with none.
private final class ExchangeProgress: @unchecked Sendable {
    let timeout: TimeInterval
    /// Seconds the body may take to drain from the socket buffers, added until the answer begins.
    let uploadAllowance: TimeInterval
    private let lock = NSLock()
    private var lastProgress = ContinuousClock.now
    private var answering = false

    init(timeout: TimeInterval, uploadAllowance: TimeInterval) {
        self.timeout = timeout
        self.uploadAllowance = uploadAllowance
    }

    /// The idle seconds allowed now: the timeout, plus the upload allowance until the answer begins.
    var allowedIdleSeconds: TimeInterval {
        lock.withLock { allowance }
    }

    /// ``allowedIdleSeconds``, read while holding `lock`.
    private var allowance: TimeInterval { timeout + (answering ? 0 : uploadAllowance) }

    func moved() { lock.withLock { lastProgress = .now } }

    /// The answer began: from now on only the timeout counts.
    func answered() {
        lock.withLock {
            answering = true
            lastProgress = .now
        }
    }

    /// Returns once the request has made no progress for its allowed idle time.
    /// - Throws: `CancellationError` when cancelled first (the exchange finished).
    func waitUntilIdle() async throws {
        while true {
            let deadline = lock.withLock { lastProgress + .seconds(allowance) }
            if deadline <= .now { return }
            try await Task.sleep(until: deadline, clock: .continuous)
        }
    }
}

/// A request body in parts of at most `partBytes`, each counted as progress when the connection
/// takes it.
private struct UploadParts: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let body: Data
    let partBytes: Int
    let progress: ExchangeProgress

    struct AsyncIterator: AsyncIteratorProtocol {
        let parts: UploadParts
        var offset: Int

        mutating func next() async -> ByteBuffer? {
            guard offset < parts.body.count else { return nil }
            let end = Swift.min(offset + parts.partBytes, parts.body.count)
            let start = parts.body.startIndex
            defer { offset = end }
            parts.progress.moved()
            return ByteBuffer(bytes: parts.body[(start + offset)..<(start + end)])
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(parts: self, offset: 0) }
}
