import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// Whose credentials a run has (`AWSClient.callerAccount()`, checked against the state's account
/// before any other call): named by role credentials themselves, asked of STS otherwise.
final class CallerAccountTests: XCTestCase {
    /// Answers every request with one `GetCallerIdentity` result and counts them.
    private final class IdentityTransport: HTTPTransport, @unchecked Sendable {
        private let lock = NSLock()
        private var sent: [String] = []
        var actions: [String] { lock.withLock { sent } }

        func send(_ request: HTTPRequest, timeout: TimeInterval) async throws -> HTTPResponse {
            let form = String(decoding: request.body, as: UTF8.self)
            lock.withLock { sent.append(form.contains("Action=GetCallerIdentity") ? "GetCallerIdentity" : form) }
            return HTTPResponse(statusCode: 200, headers: HTTPHeaders(), body: Data("""
                <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>\
                <Arn>arn:aws-us-gov:iam::444455556666:user/ci</Arn><UserId>AIDAEXAMPLE</UserId><Account>444455556666</Account>\
                </GetCallerIdentityResult></GetCallerIdentityResponse>
                """.utf8))
        }
    }

    private func client(_ credentials: AWSCredentials, _ transport: IdentityTransport) -> AWSClient {
        AWSClient(configuration: AWSClient.Configuration(region: "us-east-1", endpointURL: URL(string: "http://127.0.0.1:5000"), environment: [:]),
                  credentials: { credentials }, transport: transport)
    }

    func testRoleCredentialsNameTheirAccountWithoutACall() async throws {
        let transport = IdentityTransport()
        let session = AWSCredentials(accessKeyID: "ASIAEXAMPLE", secretAccessKey: "secret", sessionToken: "token",
                                     principalARN: "arn:aws-cn:sts::111122223333:assumed-role/deploy/ci")
        let account = try await client(session, transport).callerAccount()
        XCTAssertEqual(account, StateAccount(id: "111122223333", partition: "aws-cn"))
        XCTAssertEqual(transport.actions, [], "the session's ARN says whose it is")
    }

    func testKeysThatNameNoPrincipalAreAskedAbout() async throws {
        for principal in [nil, "not-an-arn", "arn:aws:sts::1234:assumed-role/deploy/ci"] {
            let transport = IdentityTransport()
            let keys = AWSCredentials(accessKeyID: "AKIAEXAMPLE", secretAccessKey: "secret", principalARN: principal)
            let account = try await client(keys, transport).callerAccount()
            XCTAssertEqual(account, StateAccount(id: "444455556666", partition: "aws-us-gov"), principal ?? "no principal")
            XCTAssertEqual(transport.actions, ["GetCallerIdentity"], principal ?? "no principal")
        }
    }
}
