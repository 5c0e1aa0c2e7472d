import Foundation
@testable import AWS
import XCTest

/// Every STS call imgstack makes — through `AWSClient.sts` and through the credential chain's
/// `STSRoleAssumer` — checked against botocore's `sts` model: `Action`, `Version`, members,
/// required members and limits; and the sample answers the calls parse. Who signs is checked
/// too: the client's keys, the source profile's keys, or nobody for web identity.
final class STSRequestEncodingTests: XCTestCase {
    private static let model = BotocoreModel.load("sts", "2011-06-15")
    private static let role = "arn:aws:iam::123456789012:role/deploy"
    private static let credentials = """
        <Credentials><AccessKeyId>ASIAEXAMPLE123456789</AccessKeyId><SecretAccessKey>wJalrXUtnFEMI/K7MDENG</SecretAccessKey>\
        <SessionToken>FwoGZXIvYXdzEXAMPLE</SessionToken><Expiration>2030-01-02T03:04:05Z</Expiration></Credentials>
        """
    private static let expected = AWSCredentials(accessKeyID: "ASIAEXAMPLE123456789", secretAccessKey: "wJalrXUtnFEMI/K7MDENG",
                                                 sessionToken: "FwoGZXIvYXdzEXAMPLE", expiration: Date(timeIntervalSince1970: 1_893_553_445))
    /// ``expected`` from an answer with its `AssumedRoleUser`, which names the session.
    private static let expectedWithPrincipal: AWSCredentials = {
        var credentials = expected
        credentials.principalARN = "arn:aws:sts::123456789012:assumed-role/deploy/ci"
        return credentials
    }()
    private static let assumedUser = """
        <AssumedRoleUser><AssumedRoleId>AROAEXAMPLE123456789:ci</AssumedRoleId>\
        <Arn>arn:aws:sts::123456789012:assumed-role/deploy/ci</Arn></AssumedRoleUser>
        """

    @discardableResult
    private func check(_ operation: String, result: String? = nil, _ call: (AWS.STS) async throws -> Void,
                       file: StaticString = #filePath, line: UInt = #line) async throws -> HTTPRequest {
        try await checkQueryCall(Self.model, operation, result: result, { try await call($0.sts) }, file: file, line: line)
    }

    /// Sends one call through an `STSRoleAssumer` and checks form and answer; returns the request.
    private func checkAssumer(_ operation: String, result: String, _ call: (STSRoleAssumer) async throws -> Void,
                              file: StaticString = #filePath, line: UInt = #line) async throws -> HTTPRequest {
        let answer = "<\(operation)Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><\(operation)Result>\(result)</\(operation)Result></\(operation)Response>"
        let transport = ScriptedTransport(body: answer)
        let configuration = AWSClient.Configuration(region: "eu-west-1", endpointURL: URL(string: "http://127.0.0.1:5000"), environment: [:])
        try await call(STSRoleAssumer(configuration: configuration, transport: transport))
        let request = try XCTUnwrap(transport.requests.last, file: file, line: line)
        XCTAssertEqual(transport.requests.count, 1, file: file, line: line)
        XCTAssertEqual(request.method, "POST", file: file, line: line)
        XCTAssertEqual(Self.model.queryProblems(request.formParameters, operation: operation), [], file: file, line: line)
        XCTAssertEqual(Self.model.queryAnswerProblems(answer, operation: operation), [], "sample answer", file: file, line: line)
        return request
    }

    func testModelLoads() {
        XCTAssertNotNil(Self.model.operations["AssumeRoleWithWebIdentity"], "botocore's sts model was not found")
    }

    func testGetCallerIdentityIsSignedWithTheClientsKeysAndDecoded() async throws {
        var identity: AWS.STS.CallerIdentity?
        let request = try await check("GetCallerIdentity", result: """
            <UserId>AIDAEXAMPLE123456789</UserId><Account>123456789012</Account><Arn>arn:aws:iam::123456789012:user/ci</Arn>
            """) { identity = try await $0.getCallerIdentity() }
        XCTAssertEqual(identity, .init(account: "123456789012", arn: "arn:aws:iam::123456789012:user/ci", userID: "AIDAEXAMPLE123456789"))
        XCTAssertEqual(Set(request.formParameters.keys), ["Action", "Version"])
        XCTAssertTrue(request.headers["Authorization"]?.contains("Credential=AKIDEXAMPLE/") ?? false, request.headers["Authorization"] ?? "unsigned")
        XCTAssertTrue(request.headers["Authorization"]?.contains("/eu-west-1/sts/aws4_request") ?? false, "signed for the client's region")
    }

    func testAssumeRoleSendsExternalIDAndDurationByTheModel() async throws {
        var credentials: AWSCredentials?
        let request = try await check("AssumeRole", result: Self.credentials + Self.assumedUser) {
            credentials = try await $0.assumeRole(roleARN: Self.role, sessionName: "ci-run", externalID: "partner-42", durationSeconds: 900)
        }
        XCTAssertEqual(credentials, Self.expectedWithPrincipal, "the session's ARN is kept: it names the account without GetCallerIdentity")
        let form = request.formParameters
        XCTAssertEqual(form["RoleArn"], Self.role)
        XCTAssertEqual(form["RoleSessionName"], "ci-run")
        XCTAssertEqual(form["ExternalId"], "partner-42")
        XCTAssertEqual(form["DurationSeconds"], "900")
        XCTAssertTrue(request.headers["Authorization"]?.contains("Credential=AKIDEXAMPLE/") ?? false)
    }

    func testAssumeRoleWithoutOptionsLeavesThemOut() async throws {
        let request = try await check("AssumeRole", result: Self.credentials) {
            _ = try await $0.assumeRole(roleARN: Self.role, sessionName: "ci-run")
        }
        XCTAssertEqual(Set(request.formParameters.keys), ["Action", "Version", "RoleArn", "RoleSessionName"])
    }

    func testWebIdentityIsSentUnsignedByTheModel() async throws {
        var credentials: AWSCredentials?
        let request = try await check("AssumeRoleWithWebIdentity", result: Self.credentials + Self.assumedUser
                                      + "<SubjectFromWebIdentityToken>repo:org/app:ref:refs/heads/main</SubjectFromWebIdentityToken>") {
            credentials = try await $0.assumeRoleWithWebIdentity(roleARN: Self.role, sessionName: "gh-123", webIdentityToken: "eyJhbGciOi.jwt")
        }
        XCTAssertEqual(credentials, Self.expectedWithPrincipal)
        XCTAssertEqual(request.formParameters["WebIdentityToken"], "eyJhbGciOi.jwt")
        XCTAssertNil(request.headers["Authorization"], "the token is the authentication")
    }

    func testRoleAssumerCallsMatchTheModel() async throws {
        let web = try await checkAssumer("AssumeRoleWithWebIdentity", result: Self.credentials) {
            let credentials = try await $0.assumeRoleWithWebIdentity(roleARN: Self.role, sessionName: "gh-123", webIdentityToken: "eyJhbGciOi.jwt")
            XCTAssertEqual(credentials, Self.expected, "an answer without AssumedRoleUser names no principal")
        }
        XCTAssertNil(web.headers["Authorization"])

        let assume = try await checkAssumer("AssumeRole", result: Self.credentials + Self.assumedUser) {
            let credentials = try await $0.assumeRole(roleARN: Self.role, sessionName: "profile-admin", externalID: nil,
                                                      using: AWSCredentials(accessKeyID: "AKIASOURCE1234567890", secretAccessKey: "x"))
            XCTAssertEqual(credentials, Self.expectedWithPrincipal)
        }
        XCTAssertTrue(assume.headers["Authorization"]?.contains("Credential=AKIASOURCE1234567890/") ?? false, "signed with the source profile's keys")
        XCTAssertNil(assume.formParameters["ExternalId"])
        XCTAssertNil(assume.formParameters["DurationSeconds"])
    }

    func testTheModelCheckRejectsOutOfRangeMembers() {
        // The checks above are only worth something if they can fail.
        let problems = Self.model.queryProblems(["Action": "AssumeRole", "Version": "2011-06-15", "RoleArn": Self.role,
                                                 "RoleSessionName": "x", "DurationSeconds": "60"], operation: "AssumeRole")
        XCTAssertEqual(problems, ["AssumeRole.DurationSeconds: below 900", "AssumeRole.RoleSessionName: shorter than 2"])
    }
}
