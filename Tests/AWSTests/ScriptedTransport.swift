import Foundation
@testable import AWS

/// A transport that records every request and answers from a script, in order; when the
/// script runs out it repeats its last answer.
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    enum Answer {
        case response(HTTPResponse)
        case failure(TransportError.Kind)
    }

    private let lock = NSLock()
    private var script: [Answer]
    private var recorded: [HTTPRequest] = []

    init(_ script: [Answer]) {
        self.script = script
    }

    convenience init(status: Int = 200, headers: HTTPHeaders = HTTPHeaders(), body: String = "") {
        self.init([.response(HTTPResponse(statusCode: status, headers: headers, body: Data(body.utf8)))])
    }

    var requests: [HTTPRequest] { lock.withLock { recorded } }

    func send(_ request: HTTPRequest, timeout: TimeInterval) async throws -> HTTPResponse {
        let answer: Answer = lock.withLock {
            recorded.append(request)
            return script.count > 1 ? script.removeFirst() : script[0]
        }
        switch answer {
        case .response(let response): return response
        case .failure(let kind): throw TransportError(kind: kind, url: request.url, detail: "scripted \(kind)")
        }
    }
}

extension HTTPResponse {
    static func xml(_ status: Int, _ body: String, headers: HTTPHeaders = HTTPHeaders()) -> ScriptedTransport.Answer {
        .response(HTTPResponse(statusCode: status, headers: headers, body: Data(body.utf8)))
    }
}

func scriptedClient(_ transport: ScriptedTransport, region: String = "eu-west-1", endpointURL: String? = "http://127.0.0.1:5000",
                environment: [String: String] = [:], maxAttempts: Int = 3) -> AWSClient {
    let configuration = AWSClient.Configuration(region: region, endpointURL: endpointURL.flatMap(URL.init(string:)), environment: environment,
                                                retry: RetryPolicy(maxAttempts: maxAttempts, baseDelay: 0.001))
    return AWSClient(configuration: configuration, credentials: { AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret") },
                     transport: transport)
}

extension HTTPRequest {
    /// The form body of a query-protocol request, decoded into a dictionary.
    var formParameters: [String: String] {
        var result: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            result[parts[0].removingPercentEncoding ?? parts[0]] = parts.count > 1 ? (parts[1].removingPercentEncoding ?? parts[1]) : ""
        }
        return result
    }

    var bodyJSON: [String: Any] {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }
}
