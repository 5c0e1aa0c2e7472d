import Foundation
import TestSupport
import XCTest

/// The emulator harness itself: servers start, state resets, the proxy counts, verifies
/// signatures and acts out faults. Requests are signed by botocore in a python3 child, so the
/// proxy is checked against a signer nobody here wrote.
final class EmulatorHarnessTests: XCTestCase {
    private var emulator: Emulator!

    override func setUp() async throws {
        emulator = try Emulator.shared()
        try await emulator.clearFaults()
        try await emulator.resetCalls()
    }

    func testResetEmptiesEveryService() async throws {
        let created = try await send(service: "s3", method: "PUT", path: "/harness-reset-bucket")
        XCTAssertEqual(created.status, 200, created.body)
        let before = try await send(service: "s3", method: "GET", path: "/")
        XCTAssertTrue(before.body.contains("harness-reset-bucket"), before.body)

        try await emulator.reset()

        let after = try await send(service: "s3", method: "GET", path: "/")
        XCTAssertFalse(after.body.contains("harness-reset-bucket"), after.body)
    }

    func testCallsAreCountedPerOperationAcrossProtocols() async throws {
        _ = try await callerIdentity()
        _ = try await callerIdentity()
        _ = try await send(service: "s3", method: "GET", path: "/")
        _ = try await send(service: "lambda", method: "GET", path: "/2015-03-31/functions/")
        _ = try await send(
            service: "kms", method: "POST", path: "/", body: "{}",
            headers: ["X-Amz-Target": "TrentService.ListKeys", "Content-Type": "application/x-amz-json-1.1"])

        let calls = try await emulator.calls()
        XCTAssertEqual(calls["sts:GetCallerIdentity"], 2)
        XCTAssertEqual(calls["s3:ListBuckets"], 1)
        XCTAssertEqual(calls["lambda:ListFunctions"], 1)
        XCTAssertEqual(calls["kms:ListKeys"], 1)

        try await emulator.resetCalls()
        let afterReset = try await emulator.calls()
        XCTAssertEqual(afterReset, [:])
    }

    func testCorrectlySignedRequestPasses() async throws {
        let answer = try await callerIdentity()

        XCTAssertEqual(answer.status, 200, answer.body)
        XCTAssertTrue(answer.body.contains("<Account>123456789012</Account>"), answer.body)
        let rejections = try await emulator.rejectedSignatures()
        XCTAssertEqual(rejections, 0)
    }

    func testWrongSecretIsRefusedWithSignatureDoesNotMatch() async throws {
        let answer = try await callerIdentity(secret: "not-the-secret")

        XCTAssertEqual(answer.status, 403)
        XCTAssertTrue(answer.body.contains("<Code>SignatureDoesNotMatch</Code>"), answer.body)
        let rejections = try await emulator.rejectedSignatures()
        XCTAssertEqual(rejections, 1)
    }

    func testWrongSecretIsRefusedForRestXMLAndJSONServices() async throws {
        let s3 = try await send(service: "s3", method: "GET", path: "/", secret: "wrong")
        let lambda = try await send(service: "lambda", method: "GET", path: "/2015-03-31/functions/", secret: "wrong")

        XCTAssertEqual(s3.status, 403)
        XCTAssertTrue(s3.body.contains("<Code>SignatureDoesNotMatch</Code>"), s3.body)
        XCTAssertEqual(lambda.status, 403)
        XCTAssertTrue(lambda.body.contains("\"__type\": \"InvalidSignatureException\""), lambda.body)
        let rejections = try await emulator.rejectedSignatures()
        XCTAssertEqual(rejections, 2)
    }

    func testUnknownAccessKeyIsRefused() async throws {
        let answer = try await callerIdentity(accessKey: "AKIAUNKNOWNKEY000000")

        XCTAssertEqual(answer.status, 403)
        XCTAssertTrue(answer.body.contains("<Code>InvalidClientTokenId</Code>"), answer.body)
    }

    func testThrottleFaultAnswersThrottlingForTheAskedCountOnly() async throws {
        try await emulator.inject(Fault(operation: "sts:GetCallerIdentity", kind: .throttle, count: 1))

        let throttled = try await callerIdentity()
        let next = try await callerIdentity()

        XCTAssertEqual(throttled.status, 400)
        XCTAssertTrue(throttled.body.contains("<Code>Throttling</Code>"), throttled.body)
        XCTAssertEqual(next.status, 200)
    }

    func testStatusFaultAnswersTheAskedStatus() async throws {
        try await emulator.inject(Fault(operation: "*", kind: .status, count: 2, status: 503))

        let first = try await callerIdentity()
        let second = try await send(service: "s3", method: "GET", path: "/")
        let third = try await callerIdentity()

        XCTAssertEqual(first.status, 503)
        XCTAssertTrue(first.body.contains("<Code>ServiceUnavailable</Code>"), first.body)
        XCTAssertEqual(second.status, 503)
        XCTAssertEqual(third.status, 200)
    }

    func testFaultForAnotherOperationLeavesRequestsAlone() async throws {
        try await emulator.inject(Fault(operation: "s3:PutObject", kind: .status, count: 1, status: 500))

        let answer = try await callerIdentity()
        XCTAssertEqual(answer.status, 200, answer.body)
    }

    func testResetFaultDropsTheConnectionWithoutAnswer() async throws {
        try await emulator.inject(Fault(operation: "sts:GetCallerIdentity", kind: .reset))

        let dropped = try await callerIdentity()
        let next = try await callerIdentity()

        XCTAssertEqual(dropped.status, 0)
        XCTAssertTrue(dropped.body.contains("Connection reset") || dropped.body.contains("RemoteDisconnected"), dropped.body)
        XCTAssertEqual(next.status, 200)
    }

    func testDelayFaultWaitsThenForwards() async throws {
        try await emulator.inject(Fault(operation: "sts:GetCallerIdentity", kind: .delay, delayMs: 1_500))

        let answer = try await callerIdentity()

        XCTAssertEqual(answer.status, 200)
        XCTAssertGreaterThanOrEqual(answer.seconds, 1.5)
    }

    func testClearFaultsDropsPendingFaults() async throws {
        try await emulator.inject(Fault(operation: "*", kind: .throttle, count: 5))
        try await emulator.clearFaults()

        let answer = try await callerIdentity()
        XCTAssertEqual(answer.status, 200, answer.body)
    }

    func testEnvironmentPointsAtTheProxyWithTheTestKeysOnly() throws {
        let environment = emulator.environment(region: "eu-west-1")

        XCTAssertEqual(environment["AWS_ENDPOINT_URL"], emulator.endpoint.absoluteString)
        XCTAssertEqual(environment["AWS_ACCESS_KEY_ID"], Emulator.accessKeyID)
        XCTAssertEqual(environment["AWS_REGION"], "eu-west-1")
        XCTAssertEqual(environment["AWS_EC2_METADATA_DISABLED"], "true")
        XCTAssertNil(environment["AWS_PROFILE"])
        let credentialsFile = try XCTUnwrap(environment["AWS_SHARED_CREDENTIALS_FILE"])
        XCTAssertEqual(try String(contentsOfFile: credentialsFile, encoding: .utf8), "")
    }

    // MARK: - Signing through botocore

    private struct Answer {
        var status: Int
        var body: String
        var seconds: Double
    }

    private func callerIdentity(
        accessKey: String = Emulator.accessKeyID, secret: String = Emulator.secretAccessKey
    ) async throws -> Answer {
        try await send(
            service: "sts", method: "POST", path: "/", body: "Action=GetCallerIdentity&Version=2011-06-15",
            headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"],
            accessKey: accessKey, secret: secret)
    }

    /// Signs a request with botocore's SigV4 signer in python3 and sends it to the proxy.
    private func send(
        service: String, method: String, path: String, body: String = "", headers: [String: String] = [:],
        accessKey: String = Emulator.accessKeyID, secret: String = Emulator.secretAccessKey
    ) async throws -> Answer {
        let script = """
            import json, sys, time, http.client, urllib.parse
            from botocore.auth import SigV4Auth, S3SigV4Auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
            endpoint, service, method, path, body, headers, key, secret = sys.argv[1:9]
            request = AWSRequest(method=method, url=endpoint + path, data=body.encode(), headers=json.loads(headers))
            signer = S3SigV4Auth if service == "s3" else SigV4Auth
            signer(Credentials(key, secret), service, "us-east-1").add_auth(request)
            target = urllib.parse.urlsplit(endpoint)
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
            started = time.monotonic()
            try:
                connection.request(method, path, body=body.encode(), headers=dict(request.headers.items()))
                response = connection.getresponse()
                answer = {"status": response.status, "body": response.read().decode()}
            except (ConnectionError, http.client.HTTPException) as error:
                answer = {"status": 0, "body": type(error).__name__ + ": " + str(error)}
            answer["seconds"] = time.monotonic() - started
            print(json.dumps(answer))
            """
        let headerJSON = String(decoding: try JSONSerialization.data(withJSONObject: headers), as: UTF8.self)
        let python = try XCTUnwrap(ProcessRunner.which("python3"))
        let result = try await ProcessRunner(
            executable: python,
            arguments: ["-c", script, emulator.endpoint.absoluteString, service, method, path, body, headerJSON,
                        accessKey, secret]
        ).run(timeout: 120)
        XCTAssertEqual(result.status, 0, result.standardError)
        let answer = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        return Answer(
            status: try XCTUnwrap(answer["status"] as? Int), body: try XCTUnwrap(answer["body"] as? String),
            seconds: try XCTUnwrap(answer["seconds"] as? Double))
    }
}
