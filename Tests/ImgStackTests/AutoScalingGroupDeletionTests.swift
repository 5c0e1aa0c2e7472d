import AWS
import Engine
import Foundation
@testable import ImgStack
import Synchronization
import XCTest

/// Destroying an Auto Scaling group: `ForceDelete`, then a bounded, reported wait until AWS no
/// longer lists the group; a group still there after the wait fails the delete, naming its state.
final class AutoScalingGroupDeletionTests: XCTestCase {
    private static let accepted = HTTPResponse(statusCode: 200, body: Data(
        "<DeleteAutoScalingGroupResponse><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteAutoScalingGroupResponse>".utf8))
    private static let deleting = HTTPResponse(statusCode: 200, body: Data("""
        <DescribeAutoScalingGroupsResponse><DescribeAutoScalingGroupsResult><AutoScalingGroups><member>\
        <AutoScalingGroupName>app</AutoScalingGroupName><Status>Delete in progress</Status><MinSize>0</MinSize><MaxSize>0</MaxSize>\
        <Instances><member><InstanceId>i-1</InstanceId></member></Instances></member></AutoScalingGroups>\
        </DescribeAutoScalingGroupsResult></DescribeAutoScalingGroupsResponse>
        """.utf8))
    private static let gone = HTTPResponse(statusCode: 200, body: Data(
        "<DescribeAutoScalingGroupsResponse><DescribeAutoScalingGroupsResult><AutoScalingGroups/></DescribeAutoScalingGroupsResult></DescribeAutoScalingGroupsResponse>".utf8))

    private func context(_ script: Script, report: @escaping @Sendable (String) -> Void = { _ in }) -> OperationContext {
        var configuration = AWSClient.Configuration(region: "eu-west-1", environment: [:])
        configuration.retry = RetryPolicy(maxAttempts: 1, baseDelay: 0.001)
        let client = AWSClient(configuration: configuration, credentials: { AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret") },
                               transport: script)
        return OperationContext(address: Address(type: "autoscaling.group", name: "app"), region: "eu-west-1", client: client,
                                report: report)
    }

    private func type(timeout: TimeInterval) -> GroupType {
        var type = GroupType()
        type.deletionTimeout = timeout
        type.pollInterval = 0.01
        return type
    }

    func testForceDeleteThenWaitUntilTheGroupIsGoneWithAReport() async throws {
        let script = Script([Self.accepted, Self.deleting, Self.deleting, Self.gone])
        let reports = Mutex<[String]>([])
        try await type(timeout: 5).delete(ResourceSnapshot(id: "app", properties: [:]), context: context(script) { message in reports.withLock { $0.append(message) } })
        let forms = script.requests.map { String(decoding: $0.body, as: UTF8.self) }
        XCTAssertTrue(forms[0].contains("Action=DeleteAutoScalingGroup") && forms[0].contains("ForceDelete=true"), forms[0])
        XCTAssertEqual(forms.dropFirst().filter { $0.contains("Action=DescribeAutoScalingGroups") }.count, 3)
        XCTAssertEqual(reports.withLock { $0 }, ["waiting for AWS to terminate the group's instances and remove it (up to 5 s)"])
    }

    func testAGroupStillThereAfterTheWaitFailsTheDelete() async throws {
        let script = Script([Self.accepted] + Array(repeating: Self.deleting, count: 500))
        do {
            try await type(timeout: 0.05).delete(ResourceSnapshot(id: "app", properties: [:]), context: context(script))
            XCTFail("a group still there must not count as deleted")
        } catch let error as GroupDeletionTimeoutError {
            XCTAssertEqual(error.description, "autoscaling.group.app: Auto Scaling group app is still there (Delete in progress, 1 instances) after the wait; "
                           + "the next destroy looks again")
        }
    }

    func testAGroupAlreadyGoneIsDeleted() async throws {
        let notFound = HTTPResponse(statusCode: 400, body: Data("""
            <ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code>\
            <Message>AutoScalingGroup name not found - AutoScalingGroup 'app' not found</Message></Error></ErrorResponse>
            """.utf8))
        let script = Script([notFound])
        try await type(timeout: 5).delete(ResourceSnapshot(id: "app", properties: [:]), context: context(script))
        XCTAssertEqual(script.requests.count, 1)
    }
}
