import Foundation
@testable import AWS
import XCTest

/// Every EC2 call imgstack makes, checked against botocore's `ec2` model in the EC2 protocol:
/// `Action`, `Version`, each form parameter as a path of serialized names, required members,
/// limits; and sample answers by the output shapes' `locationName`s.
final class EC2RequestEncodingTests: XCTestCase {
    static let model = BotocoreModel.load("ec2", "2016-11-15")

    func testModelLoadsAndSpeaksTheEC2Protocol() {
        XCTAssertNotNil(Self.model.operations["DescribeVpcs"], "botocore's ec2 model was not found")
        XCTAssertEqual(Self.model.metadata["protocol"] as? String, "ec2")
        XCTAssertEqual(AWSService.ec2.wireProtocol, .ec2(version: Self.model.metadata["apiVersion"] as? String ?? ""))
        XCTAssertEqual(AWSService.ec2.endpointPrefix, Self.model.metadata["endpointPrefix"] as? String)
    }

    func testDescribeVpcsSendsFiltersAndIDsByTheModel() async throws {
        let answer = """
        <vpcSet><item><vpcId>vpc-1</vpcId><ownerId>123456789012</ownerId><state>available</state><cidrBlock>172.31.0.0/16</cidrBlock>
        <isDefault>true</isDefault><tagSet><item><key>Name</key><value>main</value></item></tagSet></item></vpcSet>
        """
        var vpcs: [EC2.Vpc] = []
        let form = try await checkEC2Call(Self.model, "DescribeVpcs", answer: answer) {
            vpcs = try await $0.ec2.describeVpcs(filters: [.tag("Name", "main"), .isDefault(true)], ids: ["vpc-1"])
        }
        XCTAssertEqual(form["Filter.1.Name"], "tag:Name")
        XCTAssertEqual(form["Filter.1.Value.1"], "main")
        XCTAssertEqual(form["Filter.2.Name"], "is-default")
        XCTAssertEqual(form["Filter.2.Value.1"], "true")
        XCTAssertEqual(form["VpcId.1"], "vpc-1")
        XCTAssertNil(form["NextToken"], "the first page has no token")
        XCTAssertEqual(vpcs, [EC2.Vpc(id: "vpc-1", cidrBlock: "172.31.0.0/16", isDefault: true, state: "available",
                                      ownerID: "123456789012", tags: ["Name": "main"])])
    }

    func testDescribeSubnetsSendsEachLookupFilterByTheModel() async throws {
        let answer = """
        <subnetSet><item><subnetId>subnet-1</subnetId><vpcId>vpc-1</vpcId><availabilityZone>eu-west-1a</availabilityZone>
        <availabilityZoneId>euw1-az1</availabilityZoneId><cidrBlock>172.31.0.0/20</cidrBlock><defaultForAz>true</defaultForAz>
        <mapPublicIpOnLaunch>true</mapPublicIpOnLaunch><state>available</state>
        <subnetArn>arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-1</subnetArn></item></subnetSet><nextToken></nextToken>
        """
        var subnets: [EC2.Subnet] = []
        let form = try await checkEC2Call(Self.model, "DescribeSubnets", answer: answer) {
            subnets = try await $0.ec2.describeSubnets(filters: [.vpcID("vpc-1"), .defaultForAZ(true), .availabilityZone("eu-west-1a"),
                                                                 .tag("tier", "public", "edge")])
        }
        XCTAssertEqual(form["Filter.1.Name"], "vpc-id")
        XCTAssertEqual(form["Filter.2.Name"], "default-for-az")
        XCTAssertEqual(form["Filter.3.Name"], "availability-zone")
        XCTAssertEqual(form["Filter.4.Name"], "tag:tier")
        XCTAssertEqual(form["Filter.4.Value.2"], "edge")
        XCTAssertNil(form["SubnetId"], "an empty list sends nothing in the EC2 protocol")
        XCTAssertEqual(subnets.first?.arn, "arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-1")
        XCTAssertEqual(subnets.first?.availabilityZoneID, "euw1-az1")
    }

    func testDescribePagesFollowNextToken() async throws {
        let page = { (id: String, token: String?) in
            "<DescribeSubnetsResponse><subnetSet><item><subnetId>\(id)</subnetId></item></subnetSet>"
                + (token.map { "<nextToken>\($0)</nextToken>" } ?? "") + "</DescribeSubnetsResponse>"
        }
        let transport = ScriptedTransport([HTTPResponse.xml(200, page("subnet-1", "t2")), HTTPResponse.xml(200, page("subnet-2", nil))])
        let subnets = try await scriptedClient(transport).ec2.describeSubnets()
        XCTAssertEqual(subnets.map(\.id), ["subnet-1", "subnet-2"])
        XCTAssertEqual(transport.requests.map { $0.formParameters["NextToken"] }, [nil, "t2"])
    }
}
