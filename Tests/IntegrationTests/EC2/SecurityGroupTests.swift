import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// EC2 security groups and their rules against the emulator behind the verifying proxy: create,
/// read back through the AWS API, empty plan, update in place, replacement, the default egress
/// rule kept or revoked without a perpetual diff, drift repaired, import, and destroy.
final class SecurityGroupTests: XCTestCase {
    private func unique(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }

    private struct Settings: Sendable {
        var vpc: String
        var name: String
        var description = "load balancer"
        var keepDefaultEgress = true
        var tags: [String: Text] = ["app": "upload"]
        var port = 80
        var ruleDescription = "http"
        var peer = "0.0.0.0/0"
    }

    private func declare(_ settings: Settings) -> Stack {
        Stack("ec2-test") { stack in
            let lb = stack.add(EC2.SecurityGroup("lb", name: Text(settings.name), description: Text(settings.description),
                                                 vpcID: Text(settings.vpc), keepDefaultEgress: settings.keepDefaultEgress, tags: settings.tags))
            let app = stack.add(EC2.SecurityGroup("app", name: Text(settings.name + "-app"), vpcID: Text(settings.vpc), keepDefaultEgress: false))
            stack.add(EC2.SecurityGroupRule("http-in", securityGroupID: lb.id, direction: .ingress, ipProtocol: "tcp", fromPort: settings.port,
                                            toPort: settings.port, peer: .cidrIPv4(Text(settings.peer)), description: Text(settings.ruleDescription)))
            stack.add(EC2.SecurityGroupRule("app-from-lb", securityGroupID: app.id, direction: .ingress, ipProtocol: "6", fromPort: 8080,
                                            toPort: 8080, peer: .securityGroup(lb.id)))
            // The same permission AWS's default egress rule has, declared as the stack's own.
            stack.add(EC2.SecurityGroupRule("app-out", securityGroupID: app.id, direction: .egress, ipProtocol: "-1", peer: .cidrIPv4("0.0.0.0/0")))
        }
    }

    private func defaultVpc(_ ec2: AWS.EC2) async throws -> String {
        let vpcs = try await ec2.describeVpcs(filters: [.isDefault(true)])
        return try XCTUnwrap(vpcs.first?.id, "the emulator has a default VPC")
    }

    private func rules(_ ec2: AWS.EC2, _ groupID: String) async throws -> [AWS.EC2.SecurityGroupRule] {
        try await ec2.describeSecurityGroupRules(groupID: groupID)
    }

    func testSecurityGroupAndRuleLifecycle() async throws {
        let harness = try StackHarness(region: "eu-west-1")
        let ec2 = harness.aws.ec2(region: harness.region)
        var settings = Settings(vpc: try await defaultVpc(ec2), name: unique("upload-lb"))
        try await harness.apply(declare(settings))

        // Read back through the API.
        let lbID = try required(await harness.snapshot("ec2.security_group.lb")?.id)
        let appID = try required(await harness.snapshot("ec2.security_group.app")?.id)
        let lb = try required(await ec2.securityGroup(lbID))
        XCTAssertEqual(lb.name, settings.name)
        XCTAssertEqual(lb.description, "load balancer")
        XCTAssertEqual(lb.vpcID, settings.vpc)
        XCTAssertEqual(lb.tags["app"], "upload")
        XCTAssertNotNil(lb.tags["imgstack:intent"], "the create's intent tag")
        var lbRules = try await rules(ec2, lbID)
        XCTAssertEqual(lbRules.filter(\.isEgress).map(\.permission), [.allowAllIPv4], "AWS's default egress rule is kept")
        let ruleID = try required(await harness.snapshot("ec2.security_group_rule.http-in")?.id)
        XCTAssertTrue(ruleID.hasPrefix("sgr-"))
        let http = try XCTUnwrap(lbRules.first { $0.id == ruleID })
        XCTAssertEqual(http.permission, AWS.EC2.RulePermission(ipProtocol: "tcp", fromPort: 80, toPort: 80, peer: .cidrIPv4("0.0.0.0/0"),
                                                               description: "http"))
        let appRules = try await rules(ec2, appID)
        XCTAssertEqual(appRules.filter { !$0.isEgress }.map(\.permission.peer), [.securityGroup(lbID)])
        XCTAssertEqual(appRules.filter(\.isEgress).count, 1, "the default egress rule was revoked; only the stack's own allow-all remains")
        let appOut = try await harness.snapshot("ec2.security_group_rule.app-out")
        XCTAssertEqual(appRules.first(where: \.isEgress)?.id, appOut?.id)

        // No perpetual diff: the stack's own allow-all egress rule is not the group's default one.
        var plan = try await harness.plan(declare(settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // In place: the group's tags and default egress; the rule's port and description keep its id.
        settings.tags = ["app": "upload", "stage": "prod"]
        settings.keepDefaultEgress = false
        settings.port = 8080
        settings.ruleDescription = "proxy"
        plan = try await harness.apply(declare(settings))
        XCTAssertEqual(StackHarness.action(plan, "ec2.security_group.lb"), .update)
        XCTAssertEqual(StackHarness.action(plan, "ec2.security_group_rule.http-in"), .update)
        lbRules = try await rules(ec2, lbID)
        XCTAssertEqual(lbRules.filter(\.isEgress), [], "the default egress rule was revoked")
        XCTAssertEqual(lbRules.map(\.id), [ruleID], "the rule kept its id")
        XCTAssertEqual(lbRules.first?.permission.fromPort, 8080)
        XCTAssertEqual(lbRules.first?.permission.description, "proxy")
        let retagged = try await ec2.securityGroup(lbID)
        XCTAssertEqual(retagged?.tags["stage"], "prod")
        plan = try await harness.plan(declare(settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // Back to the default egress rule: added again, and the plan after is empty.
        settings.keepDefaultEgress = true
        try await harness.apply(declare(settings))
        lbRules = try await rules(ec2, lbID)
        XCTAssertEqual(lbRules.filter(\.isEgress).map(\.permission), [.allowAllIPv4])
        plan = try await harness.plan(declare(settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // Drift: the default egress rule revoked outside imgstack is shown and added back.
        let defaultRule = try XCTUnwrap(lbRules.first(where: \.isEgress)?.id)
        try await ec2.revokeSecurityGroupRules(groupID: lbID, egress: true, ruleIDs: [defaultRule])
        plan = try await harness.plan(declare(settings))
        XCTAssertEqual(StackHarness.action(plan, "ec2.security_group.lb"), .update, HumanPlanRenderer().render(plan))
        try await harness.apply(declare(settings))
        lbRules = try await rules(ec2, lbID)
        XCTAssertEqual(lbRules.filter(\.isEgress).map(\.permission), [.allowAllIPv4])

        // Replacement: another peer makes another rule; another description another group.
        settings.peer = "10.0.0.0/8"
        plan = try await harness.apply(declare(settings))
        XCTAssertEqual(StackHarness.action(plan, "ec2.security_group_rule.http-in"), .replace)
        let newRuleID = try required(await harness.snapshot("ec2.security_group_rule.http-in")?.id)
        XCTAssertNotEqual(newRuleID, ruleID)
        let oldRule = try await ec2.securityGroupRule(ruleID)
        XCTAssertNil(oldRule, "the replaced rule was revoked")
        settings.description = "public load balancer"
        settings.name = unique("upload-lb2")
        plan = try await harness.apply(declare(settings))
        XCTAssertEqual(StackHarness.action(plan, "ec2.security_group.lb"), .replace)
        let oldGroup = try await ec2.securityGroup(lbID)
        XCTAssertNil(oldGroup, "the replaced group was deleted")
        plan = try await harness.plan(declare(settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // Destroy leaves nothing.
        let groups = [try await harness.snapshot("ec2.security_group.lb")?.id, appID].compactMap { $0 }
        try await harness.destroy(declare(settings))
        for id in groups {
            let gone = try await ec2.securityGroup(id)
            XCTAssertNil(gone, "destroy deleted \(id)")
        }
        let state = try await harness.state
        XCTAssertTrue(state.resources.isEmpty)
    }

    func testImportReadsGroupAndRuleAndDeletingTwiceSucceeds() async throws {
        let harness = try StackHarness(region: "eu-west-1")
        let ec2 = harness.aws.ec2(region: harness.region)
        let vpc = try await defaultVpc(ec2)
        let name = unique("imported")
        let groupID = try await ec2.createSecurityGroup(name: name, description: "made by hand", vpcID: vpc, tags: ["team": "ops"])
        let made = try await ec2.authorizeSecurityGroupRule(groupID: groupID, egress: false, permission: AWS.EC2.RulePermission(
            ipProtocol: "udp", fromPort: 53, toPort: 53, peer: .cidrIPv6("::/0"), description: "dns"), tags: ["rule": "dns"])
        let ruleID = try XCTUnwrap(made?.id)

        let groupType = EC2.SecurityGroup.makeType()
        let context = OperationContext(address: Address(type: "ec2.security_group", name: "imported"), region: harness.region, client: harness.aws)
        let group = try required(await groupType.checkedImport(id: groupID, context: context))
        XCTAssertEqual(group.properties["name"], .string(name))
        XCTAssertEqual(group.properties["description"], "made by hand")
        XCTAssertEqual(group.properties["vpcID"], .string(vpc))
        XCTAssertEqual(group.properties["keepDefaultEgress"], true)
        XCTAssertEqual(group.properties["tags"], ["team": "ops"])
        XCTAssertEqual(group.attributes["defaultEgressRuleID"]?.stringValue?.hasPrefix("sgr-"), true)

        let ruleType = EC2.SecurityGroupRule.makeType()
        let ruleContext = OperationContext(address: Address(type: "ec2.security_group_rule", name: "imported"), region: harness.region, client: harness.aws)
        let rule = try required(await ruleType.checkedImport(id: ruleID, context: ruleContext))
        XCTAssertEqual(rule.properties["securityGroupID"], .string(groupID))
        XCTAssertEqual(rule.properties["type"], "ingress")
        XCTAssertEqual(rule.properties["ipProtocol"], "udp")
        XCTAssertEqual(rule.properties["fromPort"], 53)
        XCTAssertEqual(rule.properties["cidrIPv6"], "::/0")
        XCTAssertEqual(rule.properties["description"], "dns")
        XCTAssertEqual(rule.properties["tags"], ["rule": "dns"])
        let missing = try await ruleType.checkedImport(id: "sgr-00000000000000000", context: ruleContext)
        XCTAssertNil(missing)
        let noIntent = try await groupType.findCreated(from: ["name": .string(name), "vpcID": .string(vpc)], context: context)
        XCTAssertNil(noIntent, "a group without this run's intent tag is not adopted")

        try await ruleType.delete(rule, context: ruleContext)
        try await ruleType.delete(rule, context: ruleContext)  // already gone: still succeeds
        try await groupType.delete(group, context: context)
        try await groupType.delete(group, context: context)
        let gone = try await ec2.securityGroup(groupID)
        XCTAssertNil(gone)
    }

    func testCrashedCreateIsFoundByItsIntentTag() async throws {
        let harness = try StackHarness(region: "eu-west-1")
        let ec2 = harness.aws.ec2(region: harness.region)
        let vpc = try await defaultVpc(ec2)
        let name = unique("crashed")
        let groupType = EC2.SecurityGroup.makeType()
        let context = OperationContext(address: Address(type: "ec2.security_group", name: "web"), region: harness.region, intentID: "intent-7",
                                       client: harness.aws)
        // The create ran (with its intent tag) but its answer was lost before the default rule was revoked.
        let groupID = try await ec2.createSecurityGroup(name: name, description: "d", vpcID: vpc, tags: ["imgstack:intent": "intent-7"])
        let found = try await groupType.findCreated(from: ["name": .string(name), "vpcID": .string(vpc), "keepDefaultEgress": false],
                                                    context: context)
        let adopted = try XCTUnwrap(found)
        XCTAssertEqual(adopted.id, groupID)
        // Settling only reads (plan settles too): the default rule is recorded as kept, so the
        // plan shows its revoke and the apply's update makes it.
        XCTAssertEqual(adopted.properties["keepDefaultEgress"], true)
        let kept = try await rules(ec2, groupID).filter(\.isEgress)
        XCTAssertEqual(kept.count, 1, "settling wrote nothing")
        let finished = try await groupType.update(adopted, to: adopted.properties.merging(["keepDefaultEgress": false]) { $1 },
                                                  changed: ["keepDefaultEgress"], context: context)
        XCTAssertEqual(finished.properties["keepDefaultEgress"], false)
        let egress = try await rules(ec2, groupID).filter(\.isEgress)
        XCTAssertEqual(egress, [], "the apply finished the revoke the crash interrupted")

        let ruleType = EC2.SecurityGroupRule.makeType()
        _ = try await ec2.authorizeSecurityGroupRule(groupID: groupID, egress: false, permission: AWS.EC2.RulePermission(
            ipProtocol: "tcp", fromPort: 443, toPort: 443, peer: .cidrIPv4("0.0.0.0/0")), tags: ["imgstack:intent": "intent-7"])
        let rule = try await ruleType.findCreated(from: ["securityGroupID": .string(groupID)], context: context)
        XCTAssertEqual(rule?.properties["fromPort"], 443)
        XCTAssertNil(rule?.properties["tags"]?.mapValue?["imgstack:intent"], "imgstack's own tag is hidden")
        try await ec2.deleteSecurityGroup(groupID)
    }
}
