import Foundation
@testable import AWS
import XCTest

/// The security group calls checked against botocore's `ec2` model (see `EC2RequestEncodingTests`).
final class EC2SecurityGroupRequestEncodingTests: XCTestCase {
    private var model: BotocoreModel { EC2RequestEncodingTests.model }
    private static let ruleItem = """
        <securityGroupRuleSet><item><securityGroupRuleId>sgr-1</securityGroupRuleId><groupId>sg-1</groupId><groupOwnerId>123456789012</groupOwnerId>
        <isEgress>false</isEgress><ipProtocol>tcp</ipProtocol><fromPort>80</fromPort><toPort>80</toPort>
        <referencedGroupInfo><groupId>sg-2</groupId><userId>123456789012</userId></referencedGroupInfo><description>web</description>
        <tagSet><item><key>k</key><value>v</value></item></tagSet></item></securityGroupRuleSet>
        """

    func testCreateSecurityGroupSendsNameDescriptionVpcAndTagSpecification() async throws {
        var id = ""
        let form = try await checkEC2Call(model, "CreateSecurityGroup", answer: "<groupId>sg-1</groupId><securityGroupArn>a</securityGroupArn>") {
            id = try await $0.ec2.createSecurityGroup(name: "web", description: "load balancer", vpcID: "vpc-1", tags: ["b": "2", "a": "1"])
        }
        XCTAssertEqual(id, "sg-1")
        XCTAssertEqual(form["GroupName"], "web")
        XCTAssertEqual(form["GroupDescription"], "load balancer")
        XCTAssertEqual(form["VpcId"], "vpc-1")
        XCTAssertEqual(form["TagSpecification.1.ResourceType"], "security-group")
        XCTAssertEqual(form["TagSpecification.1.Tag.1.Key"], "a")
        XCTAssertEqual(form["TagSpecification.1.Tag.2.Value"], "2")
    }

    func testDescribeSecurityGroupsDecodesTheGroup() async throws {
        let answer = """
        <securityGroupInfo><item><ownerId>123456789012</ownerId><groupId>sg-1</groupId><groupName>web</groupName>
        <groupDescription>lb</groupDescription><vpcId>vpc-1</vpcId><securityGroupArn>arn:aws:ec2:eu-west-1:123456789012:security-group/sg-1</securityGroupArn>
        <ipPermissions/><ipPermissionsEgress/><tagSet><item><key>app</key><value>upload</value></item></tagSet></item></securityGroupInfo>
        """
        var found: AWS.EC2.SecurityGroup?
        let form = try await checkEC2Call(model, "DescribeSecurityGroups", answer: answer) { found = try await $0.ec2.securityGroup("sg-1") }
        XCTAssertEqual(form["GroupId.1"], "sg-1")
        XCTAssertEqual(found, AWS.EC2.SecurityGroup(id: "sg-1", name: "web", description: "lb", vpcID: "vpc-1",
                                                    arn: "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-1", tags: ["app": "upload"]))
    }

    func testDescribeSecurityGroupRulesByGroupAndDecodesEachPeer() async throws {
        var rules: [AWS.EC2.SecurityGroupRule] = []
        let form = try await checkEC2Call(model, "DescribeSecurityGroupRules", answer: Self.ruleItem) {
            rules = try await $0.ec2.describeSecurityGroupRules(groupID: "sg-1")
        }
        XCTAssertEqual(form["Filter.1.Name"], "group-id")
        XCTAssertEqual(form["Filter.1.Value.1"], "sg-1")
        XCTAssertEqual(rules, [AWS.EC2.SecurityGroupRule(id: "sgr-1", groupID: "sg-1", isEgress: false, permission: AWS.EC2.RulePermission(
            ipProtocol: "tcp", fromPort: 80, toPort: 80, peer: .securityGroup("sg-2"), description: "web"), tags: ["k": "v"])])

        let allTraffic = "<securityGroupRuleSet><item><securityGroupRuleId>sgr-2</securityGroupRuleId><isEgress>true</isEgress>"
            + "<ipProtocol>-1</ipProtocol><fromPort>-1</fromPort><toPort>-1</toPort><cidrIpv4>0.0.0.0/0</cidrIpv4></item></securityGroupRuleSet>"
        try await checkEC2Call(model, "DescribeSecurityGroupRules", answer: allTraffic) {
            let rule = try await $0.ec2.securityGroupRule("sgr-2")
            XCTAssertEqual(rule?.permission, .allowAllIPv4)
        }
    }

    func testAuthorizeSendsOneIpPermissionPerPeerKind() async throws {
        let peers: [(AWS.EC2.RulePeer, String, String)] = [
            (.cidrIPv4("10.0.0.0/8"), "IpPermissions.1.IpRanges.1.CidrIp", "IpPermissions.1.IpRanges.1.Description"),
            (.cidrIPv6("::/0"), "IpPermissions.1.Ipv6Ranges.1.CidrIpv6", "IpPermissions.1.Ipv6Ranges.1.Description"),
            (.securityGroup("sg-2"), "IpPermissions.1.Groups.1.GroupId", "IpPermissions.1.Groups.1.Description"),
            (.prefixList("pl-1"), "IpPermissions.1.PrefixListIds.1.PrefixListId", "IpPermissions.1.PrefixListIds.1.Description"),
        ]
        for (egress, operation) in [(false, "AuthorizeSecurityGroupIngress"), (true, "AuthorizeSecurityGroupEgress")] {
            for (peer, key, descriptionKey) in peers {
                let permission = AWS.EC2.RulePermission(ipProtocol: "tcp", fromPort: 443, toPort: 443, peer: peer, description: "https")
                let form = try await checkEC2Call(model, operation, answer: "<return>true</return>" + Self.ruleItem) {
                    let rule = try await $0.ec2.authorizeSecurityGroupRule(groupID: "sg-1", egress: egress, permission: permission, tags: ["k": "v"])
                    XCTAssertEqual(rule?.id, "sgr-1")
                }
                XCTAssertEqual(form["GroupId"], "sg-1")
                XCTAssertEqual(form["IpPermissions.1.IpProtocol"], "tcp")
                XCTAssertEqual(form["IpPermissions.1.FromPort"], "443")
                XCTAssertEqual(form["IpPermissions.1.ToPort"], "443")
                XCTAssertNotNil(form[key], "\(operation) \(peer)")
                XCTAssertEqual(form[descriptionKey], "https")
                XCTAssertEqual(form["TagSpecification.1.ResourceType"], "security-group-rule")
            }
        }
        let form = try await checkEC2Call(model, "AuthorizeSecurityGroupEgress", answer: "<return>true</return>") {
            _ = try await $0.ec2.authorizeSecurityGroupRule(groupID: "sg-1", egress: true, permission: .allowAllIPv4)
        }
        XCTAssertEqual(form["IpPermissions.1.IpProtocol"], "-1")
        XCTAssertNil(form["IpPermissions.1.FromPort"], "all protocols: no ports")
        XCTAssertNil(form["TagSpecification.1.ResourceType"], "no tags: no tag specification")
    }

    func testRevokeModifyAndDeleteByID() async throws {
        var form = try await checkEC2Call(model, "RevokeSecurityGroupEgress", answer: "<return>true</return>") {
            try await $0.ec2.revokeSecurityGroupRules(groupID: "sg-1", egress: true, ruleIDs: ["sgr-1"])
        }
        XCTAssertEqual(form["SecurityGroupRuleId.1"], "sgr-1")
        form = try await checkEC2Call(model, "RevokeSecurityGroupIngress", answer: "<return>true</return>") {
            try await $0.ec2.revokeSecurityGroupRules(groupID: "sg-1", egress: false, ruleIDs: ["sgr-1", "sgr-2"])
        }
        XCTAssertEqual(form["SecurityGroupRuleId.2"], "sgr-2")
        form = try await checkEC2Call(model, "ModifySecurityGroupRules", answer: "<return>true</return>") {
            try await $0.ec2.modifySecurityGroupRule(groupID: "sg-1", ruleID: "sgr-1", permission: AWS.EC2.RulePermission(
                ipProtocol: "udp", fromPort: 53, toPort: 53, peer: .securityGroup("sg-2"), description: "dns"))
        }
        XCTAssertEqual(form["SecurityGroupRule.1.SecurityGroupRuleId"], "sgr-1")
        XCTAssertEqual(form["SecurityGroupRule.1.SecurityGroupRule.IpProtocol"], "udp")
        XCTAssertEqual(form["SecurityGroupRule.1.SecurityGroupRule.ReferencedGroupId"], "sg-2")
        XCTAssertEqual(form["SecurityGroupRule.1.SecurityGroupRule.Description"], "dns")
        form = try await checkEC2Call(model, "DeleteSecurityGroup", answer: "<return>true</return><groupId>sg-1</groupId>") {
            try await $0.ec2.deleteSecurityGroup("sg-1")
        }
        XCTAssertEqual(form["GroupId"], "sg-1")
    }

    func testTagsAreAddedAndRemovedByKey() async throws {
        var form = try await checkEC2Call(model, "CreateTags", answer: "<return>true</return>") {
            try await $0.ec2.createTags(["sg-1"], tags: ["stage": "prod"])
        }
        XCTAssertEqual(form["ResourceId.1"], "sg-1")
        XCTAssertEqual(form["Tag.1.Key"], "stage")
        XCTAssertEqual(form["Tag.1.Value"], "prod")
        form = try await checkEC2Call(model, "DeleteTags", answer: "<return>true</return>") {
            try await $0.ec2.deleteTags(["sg-1"], keys: ["old"])
        }
        XCTAssertEqual(form["Tag.1.Key"], "old")
        XCTAssertNil(form["Tag.1.Value"], "a key alone removes the tag whatever its value")
    }
}
