import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// A rule whose peer is another security group keeps its description: read back through
/// `DescribeSecurityGroupRules` and planned empty afterwards (the instances' rule of the
/// file-upload-app stack, from the load balancer's group).
final class SecurityGroupRuleDescriptionTests: XCTestCase {
    func testARuleFromAnotherGroupKeepsItsDescription() async throws {
        let harness = try StackHarness(region: "eu-west-1")
        let ec2 = harness.aws.ec2(region: harness.region)
        let vpc = try required(await ec2.describeVpcs(filters: [.isDefault(true)]).first?.id)
        let name = "rule-description-\(UUID().uuidString.prefix(8).lowercased())"
        let stack = Stack("ec2-rule-description-test") { stack in
            let balancer = stack.add(ImgStack.EC2.SecurityGroup("balancer", name: Text(name + "-lb"), vpcID: Text(vpc)))
            let app = stack.add(ImgStack.EC2.SecurityGroup("app", name: Text(name + "-app"), vpcID: Text(vpc)))
            stack.add(ImgStack.EC2.SecurityGroupRule("from_balancer", securityGroupID: app.id, direction: .ingress, ipProtocol: "tcp",
                                                     fromPort: 5000, toPort: 5000, peer: .securityGroup(balancer.id),
                                                     description: "The app port from the load balancer"))
        }
        try await harness.apply(stack)
        let ruleID = try required(await harness.snapshot("ec2.security_group_rule.from_balancer")?.id)
        let balancerID = try required(await harness.snapshot("ec2.security_group.balancer")?.id)
        let rule = try required(await ec2.securityGroupRule(ruleID))
        XCTAssertEqual(rule.permission, AWS.EC2.RulePermission(ipProtocol: "tcp", fromPort: 5000, toPort: 5000, peer: .securityGroup(balancerID),
                                                               description: "The app port from the load balancer"))
        let again = try await harness.plan(stack)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))
        try await harness.destroy(stack)
    }
}
