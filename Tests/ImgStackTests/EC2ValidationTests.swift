import AWS
import Engine
import ImgStack
import XCTest

private typealias SecurityGroup = ImgStack.EC2.SecurityGroup
private typealias Rule = ImgStack.EC2.SecurityGroupRule

/// EC2 security groups and rules with bad input: each rule reports the resource's address and
/// the property, before any call.
final class EC2ValidationTests: XCTestCase {
    private func group(name: String = "web", description: String = "load balancer", vpcID: String = "vpc-1",
                       tags: [String: Text] = [:]) -> SecurityGroup {
        SecurityGroup("web", name: Text(name), description: Text(description), vpcID: Text(vpcID), tags: tags)
    }

    private func rule(_ ipProtocol: String = "tcp", from: Int? = 80, to: Int? = 80, peer: Rule.Peer = .cidrIPv4("0.0.0.0/0"),
                      groupID: String = "sg-1", description: String = "") -> Rule {
        Rule("http", securityGroupID: Text(groupID), direction: .ingress, ipProtocol: ipProtocol, fromPort: from, toPort: to, peer: peer,
             description: Text(description))
    }

    // MARK: - SecurityGroup

    func testValidGroupPassesAndReferencesWaitForApply() {
        XCTAssertEqual(validationIssues(group()), [])
        XCTAssertEqual(validationIssues(group(name: "app (v2) #1", description: "instances: 8080/tcp from the LB")), [])
        let other = group()
        XCTAssertEqual(validationIssues(SecurityGroup("app", name: "app", vpcID: other.id)), [])
    }

    func testGroupNameRulesOfCreateSecurityGroup() {
        assertOneIssue(group(name: ""), property: "name", containing: "1 to 255 characters")
        assertOneIssue(group(name: String(repeating: "a", count: 256)), property: "name", containing: "1 to 255 characters")
        assertOneIssue(group(name: "sg-web"), property: "name", containing: "must not start with sg-")
        assertOneIssue(group(name: "web\u{e9}"), property: "name", containing: "is not allowed")
    }

    func testGroupDescriptionAndVpc() {
        assertOneIssue(group(description: "caf\u{e9}"), property: "description", containing: "is not allowed")
        assertOneIssue(group(description: ""), property: "description", containing: "1 to 255 characters")
        assertOneIssue(group(vpcID: "default"), property: "vpcID", containing: "is not a VPC id")
    }

    func testGroupTagsFollowEC2sTagRules() {
        assertOneIssue(group(tags: ["aws:owner": "me"]), property: "tags", containing: "reserved by AWS")
        assertOneIssue(group(tags: [String(repeating: "k", count: 128): "v"]), property: "tags", containing: "1 to 127 characters")
        XCTAssertEqual(validationIssues(group(tags: [String(repeating: "k", count: 127): "v"])), [])
    }

    func testGroupSchemaForcesReplacementOnlyWhereAWSCannotChange() {
        let schema = SecurityGroup.makeType().schema
        XCTAssertEqual(schema.property("name")?.forcesReplacement, true)
        XCTAssertEqual(schema.property("description")?.forcesReplacement, true)
        XCTAssertEqual(schema.property("vpcID")?.forcesReplacement, true)
        XCTAssertEqual(schema.property("keepDefaultEgress")?.forcesReplacement, false)
        XCTAssertEqual(schema.property("keepDefaultEgress")?.defaultValue, true)
        XCTAssertEqual(schema.uniqueNameProperties, ["name", "vpcID"])
    }

    // MARK: - SecurityGroupRule

    func testValidRulesPass() {
        XCTAssertEqual(validationIssues(rule()), [])
        XCTAssertEqual(validationIssues(rule("-1", from: nil, to: nil, peer: .cidrIPv6("::/0"))), [])
        XCTAssertEqual(validationIssues(rule("icmp", from: -1, to: -1)), [])
        XCTAssertEqual(validationIssues(rule("6", from: 0, to: 65535, peer: .securityGroup("sg-2"))), [])
        XCTAssertEqual(validationIssues(rule("50", from: nil, to: nil, peer: .prefixList("pl-1"))), [])
        let group = group()
        XCTAssertEqual(validationIssues(Rule("r", securityGroupID: group.id, direction: .egress, ipProtocol: "tcp", fromPort: 443, toPort: 443,
                                             peer: .securityGroup(group.id))), [])
    }

    func testRuleProtocolMustBeOneEC2Knows() {
        assertOneIssue(rule("http"), property: "ipProtocol", containing: "is not a protocol")
        assertOneIssue(rule("256", from: nil, to: nil), property: "ipProtocol", containing: "is not a protocol")
    }

    func testRulePortsFollowTheProtocol() {
        assertOneIssue(rule(from: nil, to: 80), property: "fromPort", containing: "needs a port 0–65535")
        assertOneIssue(rule(from: 80, to: 70000), property: "toPort", containing: "needs a port 0–65535")
        assertOneIssue(rule(from: 443, to: 80), property: "toPort", containing: "below fromPort 443")
        assertOneIssue(rule("icmp", from: 300, to: -1), property: "fromPort", containing: "ICMP type or code")
        assertOneIssue(rule("-1", from: 22, to: nil), property: "fromPort", containing: "take no ports")
    }

    func testRulePeersAreCheckedForForm() {
        assertOneIssue(rule(peer: .cidrIPv4("10.0.0.0")), property: "cidrIPv4", containing: "not an IPv4 CIDR block")
        assertOneIssue(rule(peer: .cidrIPv4("10.0.0.256/8")), property: "cidrIPv4", containing: "not an IPv4 CIDR block")
        assertOneIssue(rule(peer: .cidrIPv4("10.0.0.0/33")), property: "cidrIPv4", containing: "not an IPv4 CIDR block")
        assertOneIssue(rule(peer: .cidrIPv6("10.0.0.0/8")), property: "cidrIPv6", containing: "not an IPv6 CIDR block")
        assertOneIssue(rule(peer: .securityGroup("web")), property: "sourceSecurityGroupID", containing: "not a security group id")
        assertOneIssue(rule(peer: .prefixList("s3")), property: "prefixListID", containing: "not a prefix list id")
        assertOneIssue(rule(groupID: "web"), property: "securityGroupID", containing: "not a security group id")
    }

    func testRuleDescription() {
        assertOneIssue(rule(description: String(repeating: "d", count: 256)), property: "description", containing: "at most 255")
        assertOneIssue(rule(description: "caf\u{e9}"), property: "description", containing: "is not allowed")
    }

    func testRuleSchemaUpdatesPortsInPlaceAndReplacesOnPeer() {
        let schema = Rule.makeType().schema
        for replacing in ["securityGroupID", "type", "cidrIPv4", "cidrIPv6", "sourceSecurityGroupID", "prefixListID"] {
            XCTAssertEqual(schema.property(replacing)?.forcesReplacement, true, replacing)
        }
        for inPlace in ["ipProtocol", "fromPort", "toPort", "description", "tags"] {
            XCTAssertEqual(schema.property(inPlace)?.forcesReplacement, false, inPlace)
        }
        XCTAssertEqual(Rule.makeType().normalize("ipProtocol", "6"), "tcp")
        XCTAssertEqual(Rule.makeType().normalize("ipProtocol", "UDP"), "udp")
    }
}
