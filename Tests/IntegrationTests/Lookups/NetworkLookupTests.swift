import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// The VPC and subnet lookups against the emulator's default VPC (moto has one with a subnet in
/// every zone, each with `MapPublicIpOnLaunch` on, as AWS makes them).
final class NetworkLookupTests: XCTestCase {
    func testTheDefaultVPCAndItsSubnetsFeedAResourceAndStayUntouched() async throws {
        let harness = try StackHarness()
        let ec2 = harness.aws.ec2(region: harness.region)
        let defaults = try await ec2.describeVpcs(filters: [.isDefault(true)])
        let defaultVPC = try XCTUnwrap(defaults.first)
        let expected = try await ec2.describeSubnets(filters: [.vpcID(defaultVPC.id)]).sorted { ($0.availabilityZone, $0.id) < ($1.availabilityZone, $1.id) }
        XCTAssertFalse(expected.isEmpty)
        let zone = try XCTUnwrap(expected.first?.availabilityZone)
        let parameter = "/imgstack-test/vpc-\(UUID().uuidString.prefix(8).lowercased())"
        let stack = Stack("network-lookup-test") { stack in
            let vpc = stack.lookup(ImgStack.EC2.VPCLookup.defaultVPC("default"))
            let all = stack.lookup(ImgStack.EC2.SubnetsLookup("public", vpcID: vpc.id, publicOnly: true))
            let first = stack.lookup(ImgStack.EC2.SubnetsLookup("first_zone", vpcID: vpc.id, availabilityZones: [Text(zone)]))
            stack.add(ImgStack.SSM.Parameter("vpc", name: Text(parameter), value: "\(vpc.id) \(vpc.cidrBlock)"))
            stack.output("subnets", all.ids)
            stack.output("first_zone", first.ids)
        }
        try await harness.apply(stack)
        let written = try await harness.aws.ssm(region: harness.region).getParameter(parameter).value
        XCTAssertEqual(written, "\(defaultVPC.id) \(defaultVPC.cidrBlock)", "read back through the AWS API")
        let state = try await harness.state
        XCTAssertEqual(state.outputs["subnets"]?.value, .list(expected.map { .string($0.id) }))
        XCTAssertEqual(state.outputs["first_zone"]?.value, .list(expected.filter { $0.availabilityZone == zone }.map { .string($0.id) }))
        let again = try await harness.plan(stack)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        try await harness.destroy(stack)
        let vpcsAfter = try await ec2.describeVpcs(filters: [.isDefault(true)]).map(\.id)
        XCTAssertEqual(vpcsAfter, [defaultVPC.id], "the default VPC is never touched")
        let subnetsAfter = try await ec2.describeSubnets(filters: [.vpcID(defaultVPC.id)]).count
        XCTAssertEqual(subnetsAfter, expected.count)
    }

    func testAVPCTagNobodyCarriesAndAZoneWithoutSubnetsStopThePlan() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        let tagged = Stack("network-lookup-test") { stack in
            stack.lookup(ImgStack.EC2.VPCLookup("main", tags: ["Name": Text("missing-\(tag)")]))
        }
        do {
            _ = try await harness.plan(tagged)
            XCTFail("no VPC carries the tag")
        } catch {
            XCTAssertEqual("\(error)", "lookup.ec2.vpc.main: found nothing: no VPC with tags Name=missing-\(tag) in us-east-1")
        }
        let zoned = Stack("network-lookup-test") { stack in
            let vpc = stack.lookup(ImgStack.EC2.VPCLookup.defaultVPC("default"))
            stack.lookup(ImgStack.EC2.SubnetsLookup("none", vpcID: vpc.id, availabilityZones: ["us-east-1z"]))
        }
        do {
            _ = try await harness.plan(zoned)
            XCTFail("no subnet is in that zone")
        } catch {
            XCTAssertTrue("\(error)".hasPrefix("lookup.ec2.subnets.none: found nothing: no subnets of vpc-"), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix("in us-east-1z"), "\(error)")
        }
    }

    func testAVPCLookupMustSayWhichVPC() throws {
        let harness = try StackHarness()
        XCTAssertThrowsError(try harness.evaluate(Stack("t") { stack in stack.lookup(ImgStack.EC2.VPCLookup("any")) })) { error in
            XCTAssertTrue("\(error)".contains("lookup.ec2.vpc.any: property tags: say which VPC"), "\(error)")
        }
    }
}
