import AWS
import Foundation
import TestSupport
import XCTest

/// The AWS client against moto behind the verifying proxy: every request's SigV4 signature is
/// re-computed with botocore's signer and refused when it differs.
final class AWSClientIntegrationTests: XCTestCase {
    private var emulator: Emulator!

    override func setUp() async throws {
        emulator = try Emulator.shared()
        try await emulator.clearFaults()
    }

    override func tearDown() async throws {
        try await emulator?.clearFaults()
    }

    private func client(secret: String = Emulator.secretAccessKey, sessionToken: String? = nil, accessKey: String = Emulator.accessKeyID,
                        region: String = "us-east-1", attempts: Int = 3) -> AWSClient {
        emulator.client(region: region, retry: RetryPolicy(maxAttempts: attempts, baseDelay: 0.01, maxDelay: 0.05),
                        credentials: AWSCredentials(accessKeyID: accessKey, secretAccessKey: secret, sessionToken: sessionToken))
    }

    // MARK: - One call per protocol, signature verified

    func testQueryProtocolCallIsSignedCorrectly() async throws {
        let rejectedBefore = try await emulator.rejectedSignatures()
        let identity = try await client().sts.getCallerIdentity()
        XCTAssertEqual(identity.account, "123456789012")
        _ = try await client().iam.listRoles()
        let rejectedAfter = try await emulator.rejectedSignatures()
        XCTAssertEqual(rejectedAfter, rejectedBefore)
    }

    func testJSONProtocolCallIsSignedCorrectly() async throws {
        let before = try await emulator.calls()["kms:ListKeys"] ?? 0
        _ = try await client().kms.listKeys()
        let after = try await emulator.calls()["kms:ListKeys"] ?? 0
        XCTAssertEqual(after, before + 1)
    }

    func testRESTJSONProtocolCallIsSignedCorrectly() async throws {
        let rejectedBefore = try await emulator.rejectedSignatures()
        _ = try await client().lambda.listFunctions()
        let rejectedAfter = try await emulator.rejectedSignatures()
        XCTAssertEqual(rejectedAfter, rejectedBefore)
    }

    func testRESTXMLProtocolCallsAreSignedCorrectly() async throws {
        let rejectedBefore = try await emulator.rejectedSignatures()
        _ = try await client().s3.listBuckets()
        _ = try await client().cloudFront.listDistributions()
        let rejectedAfter = try await emulator.rejectedSignatures()
        XCTAssertEqual(rejectedAfter, rejectedBefore)
    }

    func testS3KeysWithReservedCharactersRoundTrip() async throws {
        let client = client()
        let bucket = "imgstack-keys-\(UUID().uuidString.prefix(8).lowercased())"
        _ = try await client.s3("CreateBucket", method: "PUT", bucket: bucket)
        for key in ["a/b+c%d=e f.txt", "dir/ünïcode ~.txt", "plain"] {
            _ = try await client.s3("PutObject", method: "PUT", bucket: bucket, key: key, body: Data(key.utf8))
            let response = try await client.s3("GetObject", method: "GET", bucket: bucket, key: key)
            XCTAssertEqual(String(decoding: response.body, as: UTF8.self), key)
        }
    }

    // MARK: - Failures

    func testWrongSecretGetsOneSignatureDoesNotMatchAndIsNotRetried() async throws {
        try await emulator.resetCalls()
        do {
            _ = try await client(secret: "not-the-secret").sts.getCallerIdentity()
            XCTFail("a wrong secret was accepted")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "SignatureDoesNotMatch")
            XCTAssertEqual(error.statusCode, 403)
            XCTAssertEqual(error.operation, "GetCallerIdentity")
        }
        let calls = try await emulator.calls()
        XCTAssertEqual(calls["sts:GetCallerIdentity"], 1, "a signature error must not be retried")
    }

    func testNonRetryableErrorIsReturnedAtOnce() async throws {
        try await emulator.resetCalls()
        do {
            var parameters = QueryParameters()
            parameters["RoleName"] = "imgstack-no-such-role-\(UUID().uuidString.prefix(6))"
            _ = try await client().query(.iam, "GetRole", parameters)
            XCTFail("expected NoSuchEntity")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "NoSuchEntity")
        }
        let calls = try await emulator.calls()
        XCTAssertEqual(calls["iam:GetRole"], 1)
    }

    func testInjectedThrottlingIsRetriedThrough() async throws {
        try await emulator.resetCalls()
        try await emulator.inject(Fault(operation: "sts:GetCallerIdentity", kind: .throttle, count: 2))
        let identity = try await client().sts.getCallerIdentity()
        XCTAssertEqual(identity.account, "123456789012")
        let calls = try await emulator.calls()
        XCTAssertEqual(calls["sts:GetCallerIdentity"], 3)
    }

    func testInjectedServerErrorsAreRetriedThrough() async throws {
        try await emulator.resetCalls()
        try await emulator.inject(Fault(operation: "kms:ListKeys", kind: .status, count: 2, status: 503))
        _ = try await client().kms.listKeys()
        let calls = try await emulator.calls()
        XCTAssertEqual(calls["kms:ListKeys"], 3)
    }

    func testDroppedConnectionsAreRetriedThrough() async throws {
        try await emulator.resetCalls()
        try await emulator.inject(Fault(operation: "s3:ListBuckets", kind: .reset, count: 2))
        _ = try await client().s3.listBuckets()
        let calls = try await emulator.calls()
        XCTAssertEqual(calls["s3:ListBuckets"], 3)
    }

    func testASilentConnectionIsGivenUpAfterTheRequestTimeoutAndRetried() async throws {
        // The proxy holds the first request 3 s without a byte (a connection gone silent);
        // with a 0.5 s request timeout the client gives up on it and the retry is answered.
        try await emulator.resetCalls()
        try await emulator.inject(Fault(operation: "sts:GetCallerIdentity", kind: .delay, count: 1, delayMs: 3000))
        let client = emulator.client(retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.01, maxDelay: 0.05), timeout: 0.5)
        let identity = try await client.sts.getCallerIdentity()
        XCTAssertEqual(identity.account, "123456789012")
        let calls = try await emulator.calls()
        XCTAssertEqual(calls["sts:GetCallerIdentity"], 2)
    }

    func testThrottlingBeyondTheAttemptLimitSurfacesTheError() async throws {
        try await emulator.inject(Fault(operation: "sts:GetCallerIdentity", kind: .throttle, count: 5))
        do {
            _ = try await client(attempts: 2).sts.getCallerIdentity()
            XCTFail("throttling should surface after the attempts run out")
        } catch let error as AWSError {
            XCTAssertTrue(RetryPolicy.throttlingCodes.contains(error.code), "unexpected code \(error.code)")
        }
    }

    // MARK: - Web identity

    func testWebIdentityCredentialsThroughTheEmulatorsSTSWork() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("imgstack-wi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokenFile = directory.appendingPathComponent("token")
        try "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm9yZy9yZXBvOnJlZjpyZWZzL2hlYWRzL21haW4ifQ.c2ln".write(to: tokenFile, atomically: true, encoding: .utf8)
        let environment = [
            "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile.path,
            "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/imgstack-deploy",
            "AWS_ROLE_SESSION_NAME": "imgstack-test",
            "AWS_CONFIG_FILE": directory.appendingPathComponent("none").path,
            "AWS_SHARED_CREDENTIALS_FILE": directory.appendingPathComponent("none").path,
            "AWS_EC2_METADATA_DISABLED": "true",
        ]
        let configuration = AWSClient.Configuration(region: "us-east-1", endpointURL: emulator.endpoint, environment: environment)
        let chain = CredentialChain.standard(environment: environment, profile: nil,
                                             roleAssumer: STSRoleAssumer(configuration: configuration), transport: HTTPClientTransport())
        let source = try await chain.sourceName()
        XCTAssertEqual(source, "web-identity")
        let client = AWSClient(configuration: configuration, credentials: { try await chain.credentials() })
        let rejectedBefore = try await emulator.rejectedSignatures()
        let identity = try await client.sts.getCallerIdentity()
        XCTAssertTrue(identity.arn.contains("imgstack-deploy"), "expected the assumed role, got \(identity.arn)")
        let rejectedAfter = try await emulator.rejectedSignatures()
        XCTAssertEqual(rejectedAfter, rejectedBefore, "session credentials from STS must sign correctly")
    }
}
