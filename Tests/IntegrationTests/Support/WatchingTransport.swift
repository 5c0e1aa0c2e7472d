import AWS
import Foundation

/// A transport that sends through a real `HTTPClientTransport` and counts the requests in flight
/// among those it watches (all, unless told which); with `holdUntilInFlight`, each watched
/// request waits (up to 5 s) until that many watched requests are in flight at once. Calls made
/// one after another never fill the hold, so `mostInFlight` tells whether they went out together.
final class WatchingTransport: HTTPTransport, @unchecked Sendable {
    private let inner: any HTTPTransport
    private let lock = NSLock()
    private let holdUntilInFlight: Int
    private let watches: @Sendable (HTTPRequest) -> Bool
    private var inFlight = 0
    private var most = 0
    private var count = 0

    /// - Parameters:
    ///   - holdUntilInFlight: how many watched requests each waits for; 0 holds none.
    ///   - watching: which requests to count and hold.
    ///   - inner: what sends them (another watcher, to watch two groups of requests).
    init(holdUntilInFlight: Int = 0, watching: @escaping @Sendable (HTTPRequest) -> Bool = { _ in true },
         inner: any HTTPTransport = HTTPClientTransport()) {
        self.holdUntilInFlight = holdUntilInFlight
        self.watches = watching
        self.inner = inner
    }

    /// True for a query-protocol request (IAM, STS, SNS, CloudWatch) of any of `actions`.
    static func action(_ actions: String...) -> @Sendable (HTTPRequest) -> Bool {
        { request in
            let fields = String(decoding: request.body, as: UTF8.self).split(separator: "&")
            return actions.contains { fields.contains("Action=\($0)") }
        }
    }

    /// The most watched requests that were in flight at once.
    var mostInFlight: Int { lock.withLock { most } }
    /// The watched requests sent.
    var sent: Int { lock.withLock { count } }

    func send(_ request: HTTPRequest, timeout: TimeInterval) async throws -> HTTPResponse {
        guard watches(request) else { return try await inner.send(request, timeout: timeout) }
        lock.withLock {
            inFlight += 1
            count += 1
            most = max(most, inFlight)
        }
        defer { lock.withLock { inFlight -= 1 } }
        let deadline = Date().addingTimeInterval(5)
        while lock.withLock({ most < holdUntilInFlight }), Date() < deadline {
            try await Task.sleep(nanoseconds: 5_000_000)
        }
        return try await inner.send(request, timeout: timeout)
    }
}
