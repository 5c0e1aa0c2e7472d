import Foundation
@testable import AWS
import XCTest

/// Every Auto Scaling call imgstack makes, checked against botocore's `autoscaling` model in the
/// query protocol: `Action`, `Version`, each form parameter as a path through the input shape,
/// required members and limits; and the sample answers the calls parse.
final class AutoScalingRequestEncodingTests: XCTestCase {
    private static let model = BotocoreModel.load("autoscaling", "2011-01-01")

    @discardableResult
    private func check(_ operation: String, result: String? = nil, _ call: (AWS.AutoScaling) async throws -> Void,
                       file: StaticString = #filePath, line: UInt = #line) async throws -> [String: String] {
        try await checkQueryCall(Self.model, operation, result: result, { try await call($0.autoScaling) }, file: file, line: line).formParameters
    }

    private static let settings = AWS.AutoScaling.GroupSettings(
        launchTemplateID: "lt-1", launchTemplateVersion: "3", minSize: 1, maxSize: 4, desiredCapacity: 2, subnetIDs: ["subnet-1", "subnet-2"],
        targetGroupARNs: ["arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/app/1"], healthCheckType: "ELB", healthCheckGracePeriod: 120)

    func testServiceMatchesTheModel() {
        XCTAssertEqual(AWSService.autoScaling.wireProtocol, .query(version: Self.model.metadata["apiVersion"] as? String ?? ""))
        XCTAssertEqual(AWSService.autoScaling.endpointPrefix, Self.model.metadata["endpointPrefix"] as? String)
    }

    func testCreateGroupSendsTemplateSizesSubnetsTargetsAndTags() async throws {
        let form = try await check("CreateAutoScalingGroup") {
            try await $0.createGroup("app", settings: Self.settings, tags: ["Name": .init(value: "app", propagateAtLaunch: true),
                                                                              "cost": .init(value: "web", propagateAtLaunch: false)])
        }
        XCTAssertEqual(form["AutoScalingGroupName"], "app")
        XCTAssertEqual(form["LaunchTemplate.LaunchTemplateId"], "lt-1")
        XCTAssertEqual(form["LaunchTemplate.Version"], "3")
        XCTAssertEqual(form["MinSize"], "1")
        XCTAssertEqual(form["MaxSize"], "4")
        XCTAssertEqual(form["DesiredCapacity"], "2")
        XCTAssertEqual(form["VPCZoneIdentifier"], "subnet-1,subnet-2")
        XCTAssertEqual(form["TargetGroupARNs.member.1"], "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/app/1")
        XCTAssertEqual(form["HealthCheckType"], "ELB")
        XCTAssertEqual(form["HealthCheckGracePeriod"], "120")
        XCTAssertEqual(form["Tags.member.1.Key"], "Name")
        XCTAssertEqual(form["Tags.member.1.PropagateAtLaunch"], "true")
        XCTAssertEqual(form["Tags.member.2.PropagateAtLaunch"], "false")
        XCTAssertEqual(form["Tags.member.2.ResourceType"], "auto-scaling-group")
    }

    func testUpdateGroupLeavesTargetsAndTagsToTheirOwnCalls() async throws {
        var settings = Self.settings
        settings.desiredCapacity = nil
        let form = try await check("UpdateAutoScalingGroup") { try await $0.updateGroup("app", settings: settings) }
        XCTAssertNil(form["DesiredCapacity"], "unset: left to AWS")
        XCTAssertNil(form["TargetGroupARNs.member.1"])
        var sent = try await check("AttachLoadBalancerTargetGroups") { try await $0.attachTargetGroups("app", arns: ["arn:t"]) }
        XCTAssertEqual(sent["TargetGroupARNs.member.1"], "arn:t")
        sent = try await check("DetachLoadBalancerTargetGroups") { try await $0.detachTargetGroups("app", arns: ["arn:t"]) }
        XCTAssertEqual(sent["AutoScalingGroupName"], "app")
        sent = try await check("CreateOrUpdateTags") { try await $0.putTags("app", tags: ["a": .init(value: "b", propagateAtLaunch: true)]) }
        XCTAssertEqual(sent["Tags.member.1.ResourceId"], "app")
        sent = try await check("DeleteTags") { try await $0.deleteTags("app", keys: ["a"]) }
        XCTAssertEqual(sent["Tags.member.1.Key"], "a")
        sent = try await check("DeleteAutoScalingGroup") { try await $0.deleteGroup("app", forceDelete: true) }
        XCTAssertEqual(sent["ForceDelete"], "true")
    }

    func testDescribeGroupDecodesEverySetting() async throws {
        let result = """
        <AutoScalingGroups><member><AutoScalingGroupName>app</AutoScalingGroupName><AutoScalingGroupARN>arn:g</AutoScalingGroupARN>
        <LaunchTemplate><LaunchTemplateId>lt-1</LaunchTemplateId><LaunchTemplateName>app-template</LaunchTemplateName><Version>3</Version></LaunchTemplate>
        <MinSize>1</MinSize><MaxSize>4</MaxSize><DesiredCapacity>2</DesiredCapacity><DefaultCooldown>300</DefaultCooldown>
        <AvailabilityZones><member>eu-west-1a</member></AvailabilityZones>
        <TargetGroupARNs><member>arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/app/1</member></TargetGroupARNs>
        <HealthCheckType>ELB</HealthCheckType><HealthCheckGracePeriod>120</HealthCheckGracePeriod>
        <Instances><member><InstanceId>i-1</InstanceId></member></Instances><CreatedTime>2026-01-01T00:00:00Z</CreatedTime>
        <VPCZoneIdentifier>subnet-1,subnet-2</VPCZoneIdentifier>
        <Tags><member><ResourceId>app</ResourceId><ResourceType>auto-scaling-group</ResourceType><Key>Name</Key><Value>app</Value>
        <PropagateAtLaunch>true</PropagateAtLaunch></member></Tags></member></AutoScalingGroups>
        """
        var group: AWS.AutoScaling.Group?
        let form = try await check("DescribeAutoScalingGroups", result: result) { group = try await $0.group("app") }
        XCTAssertEqual(form["AutoScalingGroupNames.member.1"], "app")
        XCTAssertEqual(group?.settings, Self.settings)
        XCTAssertEqual(group?.tags, ["Name": .init(value: "app", propagateAtLaunch: true)])
        XCTAssertEqual(group?.instanceCount, 1)
        XCTAssertNil(group?.status)
    }

    func testTargetTrackingPolicyPutReadDelete() async throws {
        let policy = AWS.AutoScaling.TargetTrackingPolicy(name: "cpu-30", groupName: "app", metric: "ASGAverageCPUUtilization", targetValue: 30)
        var form = try await check("PutScalingPolicy", result: "<PolicyARN>arn:p</PolicyARN>") { _ = try await $0.putTargetTrackingPolicy(policy) }
        XCTAssertEqual(form["PolicyType"], "TargetTrackingScaling")
        XCTAssertEqual(form["TargetTrackingConfiguration.PredefinedMetricSpecification.PredefinedMetricType"], "ASGAverageCPUUtilization")
        XCTAssertEqual(form["TargetTrackingConfiguration.TargetValue"], "30")
        XCTAssertEqual(form["TargetTrackingConfiguration.DisableScaleIn"], "false")
        XCTAssertNil(form["TargetTrackingConfiguration.PredefinedMetricSpecification.ResourceLabel"])
        let result = """
        <ScalingPolicies><member><AutoScalingGroupName>app</AutoScalingGroupName><PolicyName>cpu-30</PolicyName><PolicyARN>arn:p</PolicyARN>
        <PolicyType>TargetTrackingScaling</PolicyType><TargetTrackingConfiguration><PredefinedMetricSpecification>
        <PredefinedMetricType>ASGAverageCPUUtilization</PredefinedMetricType></PredefinedMetricSpecification><TargetValue>30.0</TargetValue>
        </TargetTrackingConfiguration></member></ScalingPolicies>
        """
        var read: AWS.AutoScaling.TargetTrackingPolicy?
        form = try await check("DescribePolicies", result: result) { read = try await $0.targetTrackingPolicy("cpu-30", groupName: "app") }
        XCTAssertEqual(form["PolicyNames.member.1"], "cpu-30")
        var expected = policy
        expected.arn = "arn:p"
        XCTAssertEqual(read, expected)
        form = try await check("DeletePolicy") { try await $0.deletePolicy("cpu-30", groupName: "app") }
        XCTAssertEqual(form["PolicyName"], "cpu-30")
    }
}
