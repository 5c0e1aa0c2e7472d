import Foundation
import Synchronization
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The AWS emulator for integration tests: moto (with the gaps of `MOTO.md` filled) behind a
/// proxy that verifies every SigV4 signature, counts calls and injects faults.
///
/// Tests talk to ``endpoint`` (the proxy); ``motoEndpoint`` skips verification and is for
/// inspecting state only.
public final class Emulator: Sendable {
    /// The static test access key the proxy knows the secret of.
    public static let accessKeyID = "AKIAIMGSTACKTEST0001"
    /// The secret of ``accessKeyID``.
    public static let secretAccessKey = "imgstack/test/secret/0001"

    /// The verifying proxy: point imgstack here.
    public let endpoint: URL
    /// moto itself, without signature checks.
    public let motoEndpoint: URL

    private let files: TemporaryDirectory

    private static let instance = Result<Emulator, any Error> { try Emulator.launch() }
    private static let enforcingInstance = Result<Emulator, any Error> { try Emulator.launch(enforcingIAM: true) }

    /// Returns the one emulator of this test process, starting it on first use.
    ///
    /// The launcher and the proxy listen on free loopback ports and are killed when the test
    /// process exits.
    /// - Throws: `XCTSkip` when python3 or moto is missing and `CI` is not set;
    ///   `EmulatorError` when `CI` is set (a missing emulator fails a CI run, never skips it)
    ///   or when the emulator does not start.
    public static func shared() throws -> Emulator {
        try instance.get()
    }

    /// Returns this test process's emulator that enforces IAM, starting it on first use: its
    /// proxy authorizes every signed call by the caller's identity policies, as AWS does, and
    /// answers the service's `AccessDenied` otherwise (`emulator/iam_authorization.py`; moto's own
    /// enforcement checks most actions against `*` only). The static test key is the account's
    /// root user, whom identity policies do not restrict; ``createUser(named:policies:)`` makes
    /// a principal they do. Its own moto, so the other tests' emulator stays unenforced.
    /// - Throws: as ``shared()``.
    public static func enforcingIAM() throws -> Emulator {
        try enforcingInstance.get()
    }

    private init(endpoint: URL, motoEndpoint: URL, files: TemporaryDirectory) {
        self.endpoint = endpoint
        self.motoEndpoint = motoEndpoint
        self.files = files
    }

    // MARK: - Control

    /// Empties every service's state (`POST /moto-api/reset`).
    /// - Throws: `EmulatorError` when moto does not answer 200.
    public func reset() async throws {
        _ = try await send("POST", motoEndpoint.appendingPathComponent("moto-api/reset"))
    }

    /// Makes IAM roles refused as principals for `seconds` after their creation, as AWS refuses a
    /// principal it has not propagated yet (IAM `CreateRole` / `UpdateAssumeRolePolicy`
    /// `MalformedPolicyDocument`, S3 `PutBucketPolicy` `MalformedPolicy`, KMS `CreateKey` /
    /// `PutKeyPolicy` `MalformedPolicyDocumentException`); 0 (the default) refuses none. The
    /// setting outlives `reset()`: a test that sets it sets it back to 0.
    /// - Throws: `EmulatorError` when moto does not answer 200.
    public func setPrincipalPropagation(seconds: Double) async throws {
        _ = try await send("POST", motoEndpoint.appendingPathComponent("moto-api/imgstack/principal-propagation"),
                           body: try JSONSerialization.data(withJSONObject: ["seconds": seconds]))
    }

    /// Marks `function` as one CloudFront still holds replicas of (`replicated` true) or has
    /// removed them from (false): Lambda `DeleteFunction` refuses a replicated function with
    /// `InvalidParameterValueException` "… because it is a replicated function", as AWS does.
    /// - Throws: `EmulatorError` when moto does not answer 200.
    public func setEdgeReplicas(function: String, replicated: Bool) async throws {
        _ = try await send("POST", motoEndpoint.appendingPathComponent("moto-api/imgstack/edge-replicas"),
                           body: try JSONSerialization.data(withJSONObject: ["function": function, "replicated": replicated] as [String: Any]))
    }

    /// Keeps a security group in use for `seconds` after a network interface that used it is
    /// deleted: EC2 `DeleteSecurityGroup` answers `DependencyViolation` meanwhile, as AWS does
    /// until an interface's release has reached the group; 0 (the default) releases at once.
    /// The setting outlives `reset()`: a test that sets it sets it back to 0.
    /// - Throws: `EmulatorError` when moto does not answer 200.
    public func setNetworkInterfaceRelease(seconds: Double) async throws {
        _ = try await send("POST", motoEndpoint.appendingPathComponent("moto-api/imgstack/eni-release"),
                           body: try JSONSerialization.data(withJSONObject: ["seconds": seconds]))
    }

    /// Returns how many requests the proxy saw per operation, e.g. `["s3:ListBuckets": 3]`.
    ///
    /// Keys use the credential-scope service name (`monitoring:PutMetricAlarm` for CloudWatch).
    /// Refused and fault-injected requests count too.
    /// - Throws: `EmulatorError` when the proxy does not answer.
    public func calls() async throws -> [String: Int] {
        let body = try await send("GET", proxyRoute("calls"))
        guard let counts = try JSONSerialization.jsonObject(with: body) as? [String: Int] else {
            throw EmulatorError("unexpected /__proxy/calls answer: \(String(decoding: body, as: UTF8.self))")
        }
        return counts
    }

    /// One call the proxy saw, with when it arrived and when it was answered (seconds on the
    /// proxy's monotonic clock: compare them with each other only).
    public struct LoggedCall: Sendable, Decodable {
        /// The operation, as ``calls()`` names it (`s3:PutObject`).
        public var operation: String
        /// When the request had arrived.
        public var arrived: Double
        /// When its answer was written, or its fault acted out.
        public var answered: Double
    }

    /// Returns the latest 10,000 calls since the last ``resetCalls()``, in the order they were
    /// answered: which calls were in flight together.
    /// - Throws: `EmulatorError` when the proxy does not answer.
    public func callLog() async throws -> [LoggedCall] {
        struct Answer: Decodable { var calls: [LoggedCall] }
        let body = try await send("GET", proxyRoute("calls/log"))
        do {
            return try JSONDecoder().decode(Answer.self, from: body).calls
        } catch {
            throw EmulatorError("unexpected /__proxy/calls/log answer: \(String(decoding: body, as: UTF8.self))")
        }
    }

    /// Sets every call count and the rejection count back to zero, and empties the call log.
    /// - Throws: `EmulatorError` when the proxy does not answer.
    public func resetCalls() async throws {
        _ = try await send("POST", proxyRoute("calls/reset"))
    }

    /// Queues a fault for the next matching requests.
    /// - Parameter fault: What to do to which requests, how many times.
    /// - Throws: `EmulatorError` when the proxy refuses the fault.
    public func inject(_ fault: Fault) async throws {
        _ = try await send("POST", proxyRoute("faults"), body: try JSONEncoder().encode(fault))
    }

    /// Drops every fault not used up yet.
    /// - Throws: `EmulatorError` when the proxy does not answer.
    public func clearFaults() async throws {
        _ = try await send("DELETE", proxyRoute("faults"))
    }

    /// Returns how many requests the proxy refused for their signature or access key.
    /// - Throws: `EmulatorError` when the proxy does not answer.
    public func rejectedSignatures() async throws -> Int {
        let body = try await send("GET", proxyRoute("rejections"))
        guard let answer = try JSONSerialization.jsonObject(with: body) as? [String: Int],
              let count = answer["rejections"]
        else {
            throw EmulatorError("unexpected /__proxy/rejections answer: \(String(decoding: body, as: UTF8.self))")
        }
        return count
    }

    /// Returns a complete environment for running imgstack against the emulator.
    ///
    /// It carries the static test keys, the proxy as `AWS_ENDPOINT_URL`, the region, no
    /// instance metadata, and empty config and credentials files under a private `HOME`, so
    /// nothing from the machine's own AWS setup leaks in. Only `PATH` is inherited.
    /// - Parameter region: The region for `AWS_REGION` and `AWS_DEFAULT_REGION`.
    /// - Returns: Variable names and values.
    public func environment(region: String = "us-east-1") -> [String: String] {
        [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": files.appending("home").path,
            "AWS_ENDPOINT_URL": endpoint.absoluteString,
            "AWS_ACCESS_KEY_ID": Self.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": Self.secretAccessKey,
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": files.appending("home/aws-config").path,
            "AWS_SHARED_CREDENTIALS_FILE": files.appending("home/aws-credentials").path,
        ]
    }

    /// Starts a second verifying proxy in front of the same moto that answers every forwarded
    /// call `milliseconds` after it arrived (or when moto has answered, if later), like an AWS
    /// endpoint far away whose own time is part of each round trip; for benchmarks. moto answers
    /// about one call at a time where AWS answers many at once, so its queue is kept inside the
    /// latency rather than added to it. It lives until the process exits.
    /// - Parameter milliseconds: The round trip of each call.
    /// - Returns: An emulator whose ``endpoint`` is the slow proxy (its call counts are its own).
    /// - Throws: `EmulatorError` when the proxy does not start.
    public func withLatency(milliseconds: Int) throws -> Emulator {
        guard let python = ProcessRunner.which("python3"),
              let scripts = Bundle.module.url(forResource: "emulator", withExtension: nil) else {
            throw EmulatorError("python3 or the emulator scripts are missing")
        }
        let proxy = try EmulatorProcess.start(
            python: python, script: scripts.appendingPathComponent("verifying_proxy.py"),
            arguments: ["--upstream", motoEndpoint.absoluteString, "--port", "0", "--latency-ms", "\(milliseconds)"],
            log: files.appending("proxy-latency-\(milliseconds).log"), timeout: 30)
        let slow = Emulator(endpoint: Self.loopback(proxy.port), motoEndpoint: motoEndpoint, files: files)
        try slow.waitUntilAnswering(timeout: 30)
        return slow
    }

    // MARK: - Starting

    private static func launch(enforcingIAM: Bool = false) throws -> Emulator {
        let environment = ProcessInfo.processInfo.environment
        let isCI = environment["CI"].map { !["", "0", "false"].contains($0.lowercased()) } ?? false
        guard let python = ProcessRunner.which("python3") else {
            throw unavailable("python3 is not on PATH", isCI: isCI)
        }
        if let missing = missingModules(python: python) {
            throw unavailable("moto is not installed (\(missing)); run: python3 -m pip install 'moto[server]'", isCI: isCI)
        }
        guard let scripts = Bundle.module.url(forResource: "emulator", withExtension: nil) else {
            throw EmulatorError("the emulator scripts are missing from the TestSupport bundle")
        }
        let files = try TemporaryDirectory(prefix: "imgstack-emulator")
        try FileManager.default.createDirectory(at: files.appending("home"), withIntermediateDirectories: true)
        for empty in ["home/aws-config", "home/aws-credentials"]
        where !FileManager.default.createFile(atPath: files.appending(empty).path, contents: Data()) {
            throw EmulatorError("cannot create \(files.appending(empty).path)")
        }
        let moto = try EmulatorProcess.start(
            python: python, script: scripts.appendingPathComponent("moto_launcher.py"),
            arguments: ["--host", "127.0.0.1", "--port", "0"], log: files.appending("moto.log"), timeout: 30)
        let proxy = try EmulatorProcess.start(
            python: python, script: scripts.appendingPathComponent("verifying_proxy.py"),
            arguments: ["--upstream", "http://127.0.0.1:\(moto.port)", "--port", "0"] + (enforcingIAM ? ["--enforce-iam"] : []),
            log: files.appending("proxy.log"), timeout: 30)
        let emulator = Emulator(
            endpoint: loopback(proxy.port), motoEndpoint: loopback(moto.port), files: files)
        try emulator.waitUntilAnswering(timeout: 30)
        return emulator
    }

    private static func unavailable(_ reason: String, isCI: Bool) -> any Error {
        isCI ? EmulatorError("CI is set but the AWS emulator cannot run: \(reason)") : XCTSkip(reason)
    }

    private static func missingModules(python: URL) -> String? {
        let check = Process()
        check.executableURL = python
        check.arguments = ["-c", "import moto.server, botocore, flask"]
        let errors = Pipe()
        check.standardError = errors
        check.standardOutput = FileHandle.nullDevice
        do {
            try check.run()
        } catch {
            return "\(python.path) cannot run: \(error)"
        }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        check.waitUntilExit()
        guard check.terminationStatus != 0 else { return nil }
        let lastLine = String(decoding: message, as: UTF8.self).split(separator: "\n").last
        return lastLine.map(String.init) ?? "import failed"
    }

    private static func loopback(_ port: Int) -> URL {
        URL(string: "http://127.0.0.1:\(port)")!
    }

    /// Polls `GET /moto-api/` through the proxy, which proves both servers answer.
    private func waitUntilAnswering(timeout: Double) throws {
        let deadline = Date().addingTimeInterval(timeout)
        let url = endpoint.appendingPathComponent("moto-api/")
        while Date() < deadline {
            if Self.answers(url) { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw EmulatorError("the emulator did not answer \(url) within \(Int(timeout)) s; see \(files.url.path)")
    }

    private static func answers(_ url: URL) -> Bool {
        let done = DispatchSemaphore(value: 0)
        let status = StatusBox()
        var request = URLRequest(url: url)
        request.timeoutInterval = 2
        URLSession.shared.dataTask(with: request) { _, response, _ in
            status.set((response as? HTTPURLResponse)?.statusCode)
            done.signal()
        }.resume()
        done.wait()
        return status.get() == 200
    }

    // MARK: - HTTP

    private func proxyRoute(_ path: String) -> URL {
        endpoint.appendingPathComponent("__proxy/\(path)")
    }

    private func send(_ method: String, _ url: URL, body: Data? = nil) async throws -> Data {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let status = (response as? HTTPURLResponse)?.statusCode, status == 200 else {
            throw EmulatorError("\(method) \(url) failed: \(String(decoding: data, as: UTF8.self))")
        }
        return data
    }
}

/// The status code a URLSession callback saw, handed to the waiting thread.
private final class StatusBox: Sendable {
    private let value = Mutex<Int?>(nil)
    func set(_ status: Int?) { value.withLock { $0 = status } }
    func get() -> Int? { value.withLock { $0 } }
}
