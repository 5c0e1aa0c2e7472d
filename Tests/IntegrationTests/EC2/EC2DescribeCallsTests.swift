import AWS
import Foundation
import TestSupport
import XCTest

/// The EC2 protocol against moto behind the verifying proxy: `DescribeVpcs` and
/// `DescribeSubnets` with each filter lookups use, tags read back, and an EC2 error answer
/// decoded — every request's signature re-computed with botocore.
final class EC2DescribeCallsTests: XCTestCase {
    private var emulator: Emulator!

    override func setUp() async throws {
        emulator = try Emulator.shared()
    }

    /// Tags a resource with `CreateTags` (`ResourceId.N`, `Tag.N.Key`/`Value`).
    private func tag(_ ec2: AWSClient, _ id: String, _ key: String, _ value: String) async throws {
        var parameters = QueryParameters()
        parameters.addIndexedList("ResourceId", [id])
        parameters.addIndexedList("Tag", structures: [["Key": key, "Value": value]])
        _ = try await ec2.ec2Query(.ec2, "CreateTags", parameters, region: "eu-west-1")
    }

    func testDefaultVpcAndItsSubnetsAreFoundByEachFilter() async throws {
        let client = emulator.client(region: "eu-west-1")
        let rejectedBefore = try await emulator.rejectedSignatures()

        let vpcs = try await client.ec2.describeVpcs(filters: [.isDefault(true)])
        XCTAssertEqual(vpcs.count, 1, "one default VPC per region")
        let vpc = try XCTUnwrap(vpcs.first)
        XCTAssertTrue(vpc.isDefault)
        XCTAssertTrue(vpc.id.hasPrefix("vpc-"))
        XCTAssertEqual(vpc.ownerID, "123456789012")

        let defaults = try await client.ec2.describeSubnets(filters: [.vpcID(vpc.id), .defaultForAZ(true)])
        XCTAssertGreaterThan(defaults.count, 1, "a default subnet per zone")
        XCTAssertEqual(Set(defaults.map(\.vpcID)), [vpc.id])
        XCTAssertTrue(defaults.allSatisfy { $0.defaultForAZ && $0.mapPublicIPOnLaunch && $0.availabilityZone.hasPrefix("eu-west-1") })
        let first = try XCTUnwrap(defaults.first)

        let inZone = try await client.ec2.describeSubnets(filters: [.vpcID(vpc.id), .defaultForAZ(true), .availabilityZone(first.availabilityZone)])
        XCTAssertEqual(inZone.map(\.id), [first.id])

        let marker = "lookup-\(UUID().uuidString.prefix(8).lowercased())"
        try await tag(client, first.id, "imgstack-test", marker)
        try await tag(client, vpc.id, "imgstack-test", marker)
        let tagged = try await client.ec2.describeSubnets(filters: [.tag("imgstack-test", marker)])
        XCTAssertEqual(tagged.map(\.id), [first.id])
        XCTAssertEqual(tagged.first?.tags["imgstack-test"], marker)
        let taggedVpcs = try await client.ec2.describeVpcs(filters: [.tag("imgstack-test", marker)])
        XCTAssertEqual(taggedVpcs.map(\.id), [vpc.id])

        let none = try await client.ec2.describeVpcs(filters: [.tag("imgstack-test", "no-such-\(marker)")])
        XCTAssertEqual(none, [])
        let byID = try await client.ec2.describeSubnets(ids: [first.id])
        XCTAssertEqual(byID.map(\.id), [first.id])

        let rejectedAfter = try await emulator.rejectedSignatures()
        XCTAssertEqual(rejectedAfter, rejectedBefore, "every EC2 request is signed as botocore signs it")
    }

    func testUnknownVpcIDIsDecodedFromTheEC2ErrorShape() async throws {
        do {
            _ = try await emulator.client(region: "eu-west-1").ec2.describeVpcs(ids: ["vpc-0000000000000000f"])
            XCTFail("an unknown VPC id was accepted")
        } catch let error as AWSError {
            XCTAssertEqual(error.service, "ec2")
            XCTAssertEqual(error.operation, "DescribeVpcs")
            XCTAssertEqual(error.code, "InvalidVpcID.NotFound")
            XCTAssertEqual(error.statusCode, 400)
            XCTAssertFalse(error.message.isEmpty)
        }
    }
}
