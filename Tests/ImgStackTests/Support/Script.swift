import AWS
import Foundation
import Synchronization

/// A transport that answers each request with the next scripted response (500 once they run
/// out) and records the requests, for AWS behaviour the emulator cannot give.
final class Script: HTTPTransport, @unchecked Sendable {
    private let responses: Mutex<[HTTPResponse]>
    private let sent = Mutex<[HTTPRequest]>([])

    init(_ responses: [HTTPResponse]) {
        self.responses = Mutex(responses)
    }

    /// The requests sent so far, in order.
    var requests: [HTTPRequest] { sent.withLock { $0 } }

    func send(_ request: HTTPRequest, timeout: TimeInterval) async throws -> HTTPResponse {
        sent.withLock { $0.append(request) }
        return responses.withLock { $0.isEmpty ? HTTPResponse(statusCode: 500) : $0.removeFirst() }
    }
}
