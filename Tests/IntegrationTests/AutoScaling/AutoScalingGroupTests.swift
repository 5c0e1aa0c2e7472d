import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// Auto Scaling groups and target-tracking policies against the emulator: create from a launch
/// template, read back through the AWS API, empty plan, updates in place (sizes, template version,
/// target groups, tags), replacement, import, and destroy with `ForceDelete` before the template
/// and security group go.
final class AutoScalingGroupTests: XCTestCase {
    private func unique(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }

    /// ELBv2 for the target groups a group registers with (the `elb` branch owns that service's
    /// calls; this test needs only `CreateTargetGroup`).
    private static let elbv2 = AWSService(signingName: "elasticloadbalancing", endpointPrefix: "elasticloadbalancing",
                                          wireProtocol: .query(version: "2015-12-01"), endpointEnvironmentID: "ELASTIC_LOAD_BALANCING_V2")

    private func targetGroup(_ client: AWSClient, vpc: String) async throws -> String {
        let parameters: QueryParameters = ["Name": unique("tg"), "Protocol": "HTTP", "Port": "8080", "VpcId": vpc, "TargetType": "instance"]
        let result = try await client.query(Self.elbv2, "CreateTargetGroup", parameters)
        return try XCTUnwrap(result.list("TargetGroups").first?.string("TargetGroupArn"))
    }

    private struct Settings: Sendable {
        var vpc: String
        var subnets: [String]
        var name: String
        var instanceType = "t3.micro"
        var min = 1
        var max = 3
        var targets: [String] = []
        var tags: [String: ImgStack.AutoScaling.Group.Tag] = ["Name": "upload-app"]
        var cpu = 30.0
    }

    private func declare(_ settings: Settings) -> Stack {
        Stack("asg-test") { stack in
            let app = stack.add(EC2.SecurityGroup("app", name: Text(settings.name + "-sg"), vpcID: Text(settings.vpc)))
            let template = stack.add(EC2.LaunchTemplate("app", name: Text(settings.name + "-lt"), imageID: "ami-12c6146b",
                                                        instanceType: Text(settings.instanceType), securityGroupIDs: [app.id]))
            let group = stack.add(ImgStack.AutoScaling.Group("app", name: Text(settings.name), launchTemplateID: template.id,
                                                    launchTemplateVersion: template.latestVersion, minSize: settings.min, maxSize: settings.max,
                                                    subnetIDs: TextList(settings.subnets.map { Text($0) }), targetGroupARNs: settings.targets.map { Text($0) },
                                                    healthCheckType: .elb, healthCheckGracePeriod: 120, tags: settings.tags))
            stack.add(ImgStack.AutoScaling.ScalingPolicy("cpu", name: "cpu-target", autoScalingGroupName: group.autoScalingGroupName,
                                                metric: .averageCPUUtilization, targetValue: settings.cpu))
        }
    }

    func testGroupAndPolicyLifecycle() async throws {
        let harness = try StackHarness(region: "eu-west-1")
        let ec2 = harness.aws.ec2(region: harness.region)
        let autoScaling = harness.aws.autoScaling(region: harness.region)
        let vpc = try required(await ec2.describeVpcs(filters: [.isDefault(true)]).first?.id)
        let subnets = try await ec2.describeSubnets(filters: [.vpcID(vpc), .defaultForAZ(true)]).map(\.id).sorted()
        let first = try await targetGroup(harness.aws, vpc: vpc)
        var settings = Settings(vpc: vpc, subnets: Array(subnets.prefix(2)), name: unique("upload-asg"), targets: [first])
        try await harness.apply(declare(settings))

        let templateID = try required(await harness.snapshot("ec2.launch_template.app")?.id)
        var group = try required(await autoScaling.group(settings.name))
        XCTAssertEqual(group.settings.launchTemplateID, templateID)
        XCTAssertEqual(group.settings.launchTemplateVersion, "1")
        XCTAssertEqual(group.settings.minSize, 1)
        XCTAssertEqual(group.settings.maxSize, 3)
        XCTAssertEqual(Set(group.settings.subnetIDs), Set(settings.subnets))
        XCTAssertEqual(group.settings.targetGroupARNs, [first])
        XCTAssertEqual(group.settings.healthCheckType, "ELB")
        XCTAssertEqual(group.settings.healthCheckGracePeriod, 120)
        XCTAssertEqual(group.tags["Name"], AWS.AutoScaling.GroupTag(value: "upload-app", propagateAtLaunch: true))
        XCTAssertEqual(group.tags["imgstack:intent"]?.propagateAtLaunch, false, "imgstack's tag stays off the instances")
        var policy = try required(await autoScaling.targetTrackingPolicy("cpu-target", groupName: settings.name))
        XCTAssertEqual(policy.metric, "ASGAverageCPUUtilization")
        XCTAssertEqual(policy.targetValue, 30)
        let policyID = try await harness.snapshot("autoscaling.scaling_policy.cpu")?.id
        XCTAssertEqual(policyID, "\(settings.name)/cpu-target")
        var plan = try await harness.plan(declare(settings))
        XCTAssertFalse(plan.hasChanges, "desiredCapacity is not declared, so AWS's value is no drift\n\(HumanPlanRenderer().render(plan))")

        // In place: sizes, a new template version rolled into the group, another target group, tags, the policy's target.
        let second = try await targetGroup(harness.aws, vpc: vpc)
        settings.instanceType = "t3.small"
        settings.min = 2
        settings.max = 4
        settings.targets = [second]
        settings.tags = ["Name": "upload-app", "cost": .init("web", propagateAtLaunch: false)]
        settings.cpu = 45
        plan = try await harness.apply(declare(settings))
        XCTAssertEqual(StackHarness.action(plan, "autoscaling.group.app"), .update)
        XCTAssertEqual(StackHarness.action(plan, "autoscaling.scaling_policy.cpu"), .update)
        group = try required(await autoScaling.group(settings.name))
        XCTAssertEqual(group.settings.launchTemplateVersion, "2", "the template's new version")
        XCTAssertEqual(group.settings.minSize, 2)
        XCTAssertEqual(group.settings.maxSize, 4)
        XCTAssertEqual(group.settings.targetGroupARNs, [second])
        XCTAssertEqual(group.tags["cost"], AWS.AutoScaling.GroupTag(value: "web", propagateAtLaunch: false))
        policy = try required(await autoScaling.targetTrackingPolicy("cpu-target", groupName: settings.name))
        XCTAssertEqual(policy.targetValue, 45)
        plan = try await harness.plan(declare(settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // Import reads every property.
        let context = OperationContext(address: Address(type: "autoscaling.group", name: "app"), region: harness.region, client: harness.aws)
        let imported = try await ImgStack.AutoScaling.Group.makeType().checkedImport(id: settings.name, context: context)
        XCTAssertEqual(imported?.properties["minSize"], 2)
        XCTAssertEqual(imported?.properties["launchTemplateID"], Engine.Value.string(templateID))
        XCTAssertEqual(imported?.properties["tags"]?.mapValue?["cost"], Engine.Value.map(["value": "web", "propagateAtLaunch": false]))
        let policyContext = OperationContext(address: Address(type: "autoscaling.scaling_policy", name: "cpu"), region: harness.region, client: harness.aws)
        let importedPolicy = try await ImgStack.AutoScaling.ScalingPolicy.makeType().checkedImport(id: "\(settings.name)/cpu-target", context: policyContext)
        XCTAssertEqual(importedPolicy?.properties["targetValue"], 45.0)

        // Replacement: another name makes another group; the policy follows it.
        let oldName = settings.name
        settings.name = unique("upload-asg2")
        plan = try await harness.apply(declare(settings))
        XCTAssertEqual(StackHarness.action(plan, "autoscaling.group.app"), .replace)
        XCTAssertEqual(StackHarness.action(plan, "autoscaling.scaling_policy.cpu"), .replace)
        let old = try await autoScaling.group(oldName)
        XCTAssertNil(old, "the replaced group was deleted")
        plan = try await harness.plan(declare(settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // Destroy: the group goes (instances with it) before its template and security group.
        let groupID = try required(await harness.snapshot("ec2.security_group.app")?.id)
        try await harness.destroy(declare(settings))
        let gone = try await autoScaling.group(settings.name)
        XCTAssertNil(gone)
        let template = try await ec2.launchTemplate(id: templateID)
        XCTAssertNil(template)
        let securityGroup = try await ec2.securityGroup(groupID)
        XCTAssertNil(securityGroup)
        try await ImgStack.AutoScaling.Group.makeType().delete(ResourceSnapshot(id: settings.name, properties: [:]), context: context)  // already gone
        try await ImgStack.AutoScaling.ScalingPolicy.makeType().delete(ResourceSnapshot(id: "\(settings.name)/cpu-target", properties: [:]),
                                                                       context: policyContext)
        let state = try await harness.state
        XCTAssertTrue(state.resources.isEmpty)
    }
}
