import AWS
import Engine
import Foundation
@testable import ImgStack
import Synchronization
import XCTest

/// Deleting a security group AWS still counts as in use: `DependencyViolation` is retried for a
/// bounded, reported time, then the AWS error ends the delete; other errors are not retried.
final class SecurityGroupDeletionTests: XCTestCase {
    private static let inUse = HTTPResponse(statusCode: 400, body: Data("""
        <Response><Errors><Error><Code>DependencyViolation</Code><Message>resource sg-1 has a dependent object</Message></Error></Errors>\
        <RequestID>r</RequestID></Response>
        """.utf8))
    private static let deleted = HTTPResponse(statusCode: 200, body: Data("<DeleteSecurityGroupResponse><return>true</return></DeleteSecurityGroupResponse>".utf8))

    private func client(_ script: Script) -> AWSClient {
        var configuration = AWSClient.Configuration(region: "eu-west-1", environment: [:])
        configuration.retry = RetryPolicy(maxAttempts: 1, baseDelay: 0.001)
        return AWSClient(configuration: configuration, credentials: { AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret") },
                         transport: script)
    }

    private func type(window: TimeInterval) -> SecurityGroupType {
        var type = SecurityGroupType()
        type.groupInUse.window = window
        type.groupInUse.interval = 0.01
        return type
    }

    private let group = ResourceSnapshot(id: "sg-1", properties: [:])

    func testTheRetryIsBoundedToTenMinutesEveryTenSeconds() {
        XCTAssertEqual(EC2Rules.groupInUse.window, 600)
        XCTAssertEqual(EC2Rules.groupInUse.interval, 10)
    }

    func testAGroupStillInUseIsRetriedWithAReportThenDeleted() async throws {
        let script = Script([Self.inUse, Self.inUse, Self.deleted])
        let reports = Mutex<[String]>([])
        let context = OperationContext(address: Address(type: "ec2.security_group", name: "app"), region: "eu-west-1", client: client(script),
                                       report: { message in reports.withLock { $0.append(message) } })
        try await type(window: 5).delete(group, context: context)
        XCTAssertEqual(script.requests.count, 3)
        XCTAssertTrue(script.requests.allSatisfy { String(decoding: $0.body, as: UTF8.self).contains("Action=DeleteSecurityGroup") })
        XCTAssertEqual(reports.withLock { $0.count }, 2)
        XCTAssertTrue(reports.withLock { $0.first ?? "" }.contains("still in use by a network interface (DependencyViolation); retrying for up to 5 s"))
    }

    func testAfterTheWindowTheDependencyViolationEndsTheDelete() async throws {
        let script = Script(Array(repeating: Self.inUse, count: 500))
        let context = OperationContext(address: Address(type: "ec2.security_group", name: "app"), region: "eu-west-1", client: client(script))
        do {
            try await type(window: 0.1).delete(group, context: context)
            XCTFail("a group in use after the window must not count as deleted")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, .dependencyViolation)
            XCTAssertEqual(error.operation, "DeleteSecurityGroup")
        }
        XCTAssertGreaterThan(script.requests.count, 1, "retried before giving up")
    }

    func testAGroupAlreadyGoneIsDeletedAndOtherErrorsAreNotRetried() async throws {
        let notFound = HTTPResponse(statusCode: 400, body: Data(
            "<Response><Errors><Error><Code>InvalidGroup.NotFound</Code><Message>no sg-1</Message></Error></Errors></Response>".utf8))
        let gone = Script([notFound])
        let context = OperationContext(address: Address(type: "ec2.security_group", name: "app"), region: "eu-west-1", client: client(gone))
        try await type(window: 5).delete(group, context: context)
        XCTAssertEqual(gone.requests.count, 1)

        let denied = HTTPResponse(statusCode: 403, body: Data(
            "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>no</Message></Error></Errors></Response>".utf8))
        let refused = Script([denied])
        let other = OperationContext(address: Address(type: "ec2.security_group", name: "app"), region: "eu-west-1", client: client(refused))
        do {
            try await type(window: 5).delete(group, context: other)
            XCTFail("must fail")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "UnauthorizedOperation")
        }
        XCTAssertEqual(refused.requests.count, 1)
    }
}
