import AWS
import Engine
import Foundation
import ImgStack
import Synchronization
import TestSupport
import XCTest

/// A security group still in use: the emulator refuses its deletion as AWS does
/// (`DependencyViolation`), and imgstack's delete waits out the minutes AWS takes to release a
/// network interface, reporting the wait.
final class SecurityGroupInUseTests: XCTestCase {
    private var emulator: Emulator!

    override func setUp() async throws {
        emulator = try Emulator.shared()
    }

    override func tearDown() async throws {
        try await emulator?.setNetworkInterfaceRelease(seconds: 0)
    }

    private func unique(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }

    /// A network interface in the default VPC's first subnet, using `groupID` (`CreateNetworkInterface`).
    private func networkInterface(_ client: AWSClient, groupID: String) async throws -> String {
        let vpc = try await client.ec2.describeVpcs(filters: [.isDefault(true)]).first?.id ?? ""
        let subnet = try await client.ec2.describeSubnets(filters: [.vpcID(vpc)]).first?.id ?? ""
        var parameters: QueryParameters = ["SubnetId": subnet]
        parameters.addIndexedList("SecurityGroupId", [groupID])
        let answer = try await client.ec2Query(.ec2, "CreateNetworkInterface", parameters)
        return try XCTUnwrap(answer.string("networkInterface/networkInterfaceId"))
    }

    private func deleteNetworkInterface(_ client: AWSClient, _ id: String) async throws {
        _ = try await client.ec2Query(.ec2, "DeleteNetworkInterface", ["NetworkInterfaceId": id])
    }

    private func group(_ client: AWSClient, _ name: String) async throws -> String {
        let vpc = try await client.ec2.describeVpcs(filters: [.isDefault(true)]).first?.id
        return try await client.ec2.createSecurityGroup(name: unique(name), description: "in use", vpcID: vpc, tags: [:])
    }

    /// Test support fills moto's gap (it deleted the group): AWS refuses while an interface or
    /// another group's rule uses it (EC2 API Reference, DeleteSecurityGroup).
    func testEmulatorRefusesDeletingAGroupInUseAsAWSDoes() async throws {
        let client = emulator.client(region: "us-east-1")
        let used = try await group(client, "used")
        let interface = try await networkInterface(client, groupID: used)
        do {
            try await client.ec2.deleteSecurityGroup(used)
            XCTFail("a group a network interface uses was deleted")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, .dependencyViolation)
            XCTAssertTrue(error.message.contains(used), error.message)
        }
        try await deleteNetworkInterface(client, interface)
        try await client.ec2.deleteSecurityGroup(used)

        let source = try await group(client, "source")
        let target = try await group(client, "target")
        _ = try await client.ec2.authorizeSecurityGroupRule(groupID: target, egress: false, permission: AWS.EC2.RulePermission(
            ipProtocol: "tcp", fromPort: 80, toPort: 80, peer: .securityGroup(source)))
        do {
            try await client.ec2.deleteSecurityGroup(source)
            XCTFail("a group another group's rule references was deleted")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, .dependencyViolation)
        }
        try await client.ec2.deleteSecurityGroup(target)
        try await client.ec2.deleteSecurityGroup(source)
    }

    func testDestroyWaitsWhileTheNetworkInterfaceIsReleased() async throws {
        let harness = try StackHarness(region: "us-east-1")
        let client = harness.aws
        let vpc = try required(await client.ec2.describeVpcs(filters: [.isDefault(true)]).first?.id)
        let name = unique("in-use")
        let stack = Stack("ec2-in-use") { stack in
            stack.add(EC2.SecurityGroup("app", name: Text(name), vpcID: Text(vpc)))
        }
        try await harness.apply(stack)
        let groupID = try required(await harness.snapshot("ec2.security_group.app")?.id)
        // An instance's interface used the group; it is deleted, and AWS takes a while to release it.
        let interface = try await networkInterface(client, groupID: groupID)
        try await emulator.setNetworkInterfaceRelease(seconds: 4)
        try await deleteNetworkInterface(client, interface)

        let started = Date()
        try await harness.destroy(stack)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 4, "deleted only once the interface was released")
        let gone = try await client.ec2.securityGroup(groupID)
        XCTAssertNil(gone)
        let state = try await harness.state
        XCTAssertTrue(state.resources.isEmpty)
    }

    func testTheWaitIsReportedOnTheProgressLine() async throws {
        let client = emulator.client(region: "us-east-1")
        let groupID = try await group(client, "reported")
        let interface = try await networkInterface(client, groupID: groupID)
        try await emulator.setNetworkInterfaceRelease(seconds: 2)
        try await deleteNetworkInterface(client, interface)

        let reports = Mutex<[String]>([])
        let context = OperationContext(address: Address(type: "ec2.security_group", name: "app"), region: "us-east-1", client: client,
                                       report: { message in reports.withLock { $0.append(message) } })
        try await EC2.SecurityGroup.makeType().delete(ResourceSnapshot(id: groupID, properties: [:]), context: context)
        let gone = try await client.ec2.securityGroup(groupID)
        XCTAssertNil(gone)
        let said = reports.withLock { $0 }
        XCTAssertEqual(said, ["the security group is still in use by a network interface (DependencyViolation); retrying for up to 600 s"])
    }
}
