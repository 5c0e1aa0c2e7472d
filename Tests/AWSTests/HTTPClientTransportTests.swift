import XCTest
@testable import AWS

/// The real transport against a raw HTTP server (Python's standard library) that echoes what
/// arrived on the wire; it stands for a proxy too, opening a `CONNECT` tunnel to itself.
final class HTTPClientTransportTests: XCTestCase {
    private static let server = """
    import http.server, json, sys, time
    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def log_message(self, *a): pass
        def answer(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n and not self.path.startswith("/sip") else b""
            if self.path.startswith("/redirect"):
                self.send_response(301); self.send_header("Location", "/elsewhere"); self.send_header("x-amz-bucket-region", "eu-west-2")
                self.send_header("Content-Length", "0"); self.end_headers(); return
            if self.path.startswith("/truncate"):
                self.send_response(200); self.send_header("Content-Length", "100"); self.end_headers()
                self.wfile.write(b"abc"); self.wfile.flush(); self.close_connection = True; self.connection.close(); return
            if self.path.startswith("/drop"):
                self.close_connection = True; self.wfile.flush(); self.connection.close(); return
            if self.path.startswith("/slow"):
                time.sleep(3)
            if self.path.startswith("/sip"):
                got = 0
                while got < n:
                    chunk = self.rfile.read(min(65536, n - got)); got += len(chunk); time.sleep(0.25)
                out = str(got).encode()
                self.send_response(200); self.send_header("Content-Length", str(len(out))); self.end_headers(); self.wfile.write(out); return
            if self.path.startswith("/trickle"):
                self.send_response(200); self.send_header("Content-Length", "8"); self.end_headers(); self.wfile.flush()
                for _ in range(8):
                    time.sleep(0.3); self.wfile.write(b"x"); self.wfile.flush()
                return
            out = json.dumps({"method": self.command, "path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body.decode(), "tunnel": getattr(self, "tunnel", None)}).encode()
            self.send_response(200); self.send_header("Content-Length", str(len(out))); self.send_header("Set-Cookie", "a=b"); self.end_headers(); self.wfile.write(out)
        def do_CONNECT(self):
            # As a proxy: the tunnel opens on this connection, and what comes through it is answered as above.
            self.tunnel = {"target": self.path, "authorization": self.headers.get("Proxy-Authorization")}
            self.send_response(200); self.end_headers()
        do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = answer
    s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    print(s.server_address[1], flush=True)
    s.serve_forever()
    """

    private var process: Process?
    private var port = 0

    override func setUpWithError() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.server]
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch { throw XCTSkip("python3 not available: \(error)") }
        self.process = process
        let line = String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        port = try XCTUnwrap(Int(line))
    }

    override func tearDown() {
        process?.terminate()
        process?.waitUntilExit()
    }

    private func echo(_ request: HTTPRequest) async throws -> [String: Any] {
        let response = try await HTTPClientTransport().send(request, timeout: 5)
        XCTAssertEqual(response.statusCode, 200)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: response.body) as? [String: Any])
    }

    private func url(_ pathAndQuery: String) throws -> URL {
        try XCTUnwrap(URL(string: "http://127.0.0.1:\(port)\(pathAndQuery)"))
    }

    func testRawPathQueryAndHeadersArriveUnchanged() async throws {
        let request = HTTPRequest(method: "PUT", url: try url("/b/a%2Bb%25c%3Dd%20e.jpg?tagging=&x=%2F"),
                                  headers: ["Host": "127.0.0.1:\(port)", "X-Amz-Date": "20240101T000000Z", "Content-Type": "text/plain"], body: Data("hi".utf8))
        let echoed = try await echo(request)
        XCTAssertEqual(echoed["method"] as? String, "PUT")
        XCTAssertEqual(echoed["path"] as? String, "/b/a%2Bb%25c%3Dd%20e.jpg?tagging=&x=%2F")
        let headers = try XCTUnwrap(echoed["headers"] as? [String: String])
        XCTAssertEqual(headers["host"], "127.0.0.1:\(port)")
        XCTAssertEqual(headers["x-amz-date"], "20240101T000000Z")
        XCTAssertEqual(headers["content-type"], "text/plain")
        XCTAssertEqual(echoed["body"] as? String, "hi")
    }

    func testBodyWithoutContentTypeGetsNoInventedOne() async throws {
        for method in ["PUT", "POST"] {
            let echoed = try await echo(HTTPRequest(method: method, url: try url("/"), body: Data("{}".utf8)))
            let headers = try XCTUnwrap(echoed["headers"] as? [String: String])
            XCTAssertNil(headers["content-type"], method)
            XCTAssertEqual(headers["content-length"], "2", method)
            XCTAssertEqual(Set(headers.keys), ["host", "content-length"], "\(method): no header is added but framing and Host")
            XCTAssertEqual(echoed["body"] as? String, "{}")
        }
    }

    func testCookiesAreNeitherStoredNorSent() async throws {
        let transport = HTTPClientTransport()
        _ = try await transport.send(HTTPRequest(method: "GET", url: try url("/first")), timeout: 5)
        let second = try await transport.send(HTTPRequest(method: "GET", url: try url("/second")), timeout: 5)
        let echoed = try XCTUnwrap(JSONSerialization.jsonObject(with: second.body) as? [String: Any])
        XCTAssertNil((echoed["headers"] as? [String: String])?["cookie"])
    }

    func testRedirectIsReturnedNotFollowed() async throws {
        let response = try await HTTPClientTransport().send(HTTPRequest(method: "GET", url: try url("/redirect")), timeout: 5)
        XCTAssertEqual(response.statusCode, 301)
        XCTAssertEqual(response.headers["x-amz-bucket-region"], "eu-west-2")
    }

    /// Sends a GET to `url` and checks it fails with a transport error of `kind`.
    private func assertFails(_ url: URL, timeout: TimeInterval, as kind: TransportError.Kind,
                             file: StaticString = #filePath, line: UInt = #line) async {
        do {
            _ = try await HTTPClientTransport().send(HTTPRequest(method: "GET", url: url), timeout: timeout)
            XCTFail("expected a transport error", file: file, line: line)
        } catch {
            XCTAssertEqual((error as? TransportError)?.kind, kind, "\(error)", file: file, line: line)
        }
    }

    func testDroppedConnectionIsAConnectionReset() async throws {
        await assertFails(try url("/drop"), timeout: 5, as: .connectionReset)
    }

    func testSlowAnswerTimesOut() async throws {
        await assertFails(try url("/slow"), timeout: 0.5, as: .timedOut)
    }

    func testAnAnswerThatKeepsArrivingIsNotCutOff() async throws {
        // 8 bytes 0.3 s apart take 2.4 s, past the 1 s timeout: the timeout counts idle time.
        let response = try await HTTPClientTransport().send(HTTPRequest(method: "GET", url: try url("/trickle")), timeout: 1)
        XCTAssertEqual(response.statusCode, 200)
        XCTAssertEqual(response.body, Data("xxxxxxxx".utf8))
    }

    func testAnUploadThatKeepsMovingIsNotCutOff() async throws {
        // The server takes 2 MiB in 64 KiB sips 0.25 s apart (about 8 s), far past the 2 s
        // timeout: bytes the server takes are progress, as answer bytes are.
        let body = Data(repeating: 0x61, count: 2 << 20)
        let request = HTTPRequest(method: "PUT", url: try url("/sip"), headers: ["Content-Length": String(body.count)], body: body)
        let response = try await HTTPClientTransport().send(request, timeout: 2)
        XCTAssertEqual(response.statusCode, 200)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), String(body.count))
    }

    func testARequestGoesThroughTheProxyTheEnvironmentNames() async throws {
        // The request is tunnelled through the proxy (CONNECT), with the setting's credentials.
        let proxies = try ProxyEnvironment(environment: ["HTTP_PROXY": "http://user:p%40ss@127.0.0.1:\(port)"])
        let transport = HTTPClientTransport(configuration: .init(proxies: proxies))
        let response = try await transport.send(HTTPRequest(method: "GET", url: try XCTUnwrap(URL(string: "http://aws.invalid/b/k%2B1?x=%2F"))), timeout: 5)
        let echoed = try XCTUnwrap(JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        XCTAssertEqual(echoed["path"] as? String, "/b/k%2B1?x=%2F")
        let tunnel = try XCTUnwrap(echoed["tunnel"] as? [String: String])
        XCTAssertEqual(tunnel["target"], "aws.invalid:80")
        XCTAssertEqual(tunnel["authorization"], "Basic " + Data("user:p@ss".utf8).base64EncodedString())
    }

    func testALoopbackEndpointIsReachedDirectlyWhateverTheProxy() async throws {
        // Nobody listens at the proxy's address: the call succeeds only if it goes direct.
        let proxies = try ProxyEnvironment(environment: ["HTTP_PROXY": "http://127.0.0.1:1"])
        let response = try await HTTPClientTransport(configuration: .init(proxies: proxies)).send(HTTPRequest(method: "GET", url: try url("/direct")), timeout: 5)
        let echoed = try XCTUnwrap(JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        XCTAssertEqual(echoed["path"] as? String, "/direct")
    }

    func testAnAnswerCutOffMidwayIsAConnectionReset() async throws {
        // A reset is retried (RetryPolicy); the answer's head arrived, the rest never will.
        await assertFails(try url("/truncate"), timeout: 5, as: .connectionReset)
    }

    func testNobodyListeningIsCannotConnect() async throws {
        await assertFails(try XCTUnwrap(URL(string: "http://127.0.0.1:1/")), timeout: 5, as: .cannotConnect)
    }
}
