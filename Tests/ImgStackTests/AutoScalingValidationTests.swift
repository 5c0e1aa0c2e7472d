import AWS
import Engine
import ImgStack
import XCTest

private typealias Group = ImgStack.AutoScaling.Group
private typealias Policy = ImgStack.AutoScaling.ScalingPolicy

/// Auto Scaling groups and policies with bad input: each rule reports the resource's address
/// and the property, before any call.
final class AutoScalingValidationTests: XCTestCase {
    private func group(name: String = "app", template: String = "lt-1", version: String = "1", min: Int = 1, max: Int = 3,
                       desired: Int? = nil, subnets: [Text] = ["subnet-1", "subnet-2"], targets: [Text] = [], grace: Int = 300,
                       tags: [String: Group.Tag] = [:]) -> Group {
        Group("app", name: Text(name), launchTemplateID: Text(template), launchTemplateVersion: Text(version), minSize: min, maxSize: max,
              desiredCapacity: desired, subnetIDs: TextList(subnets), targetGroupARNs: targets, healthCheckType: .elb, healthCheckGracePeriod: grace,
              tags: tags)
    }

    func testValidGroupPasses() {
        XCTAssertEqual(validationIssues(group(targets: ["arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/app/0123"])), [])
        XCTAssertEqual(validationIssues(group(version: "$Latest", min: 0, max: 0, desired: 0)), [])
        XCTAssertEqual(validationIssues(group(tags: ["Name": "app", "cost": .init("web", propagateAtLaunch: false)])), [])
        XCTAssertNil(group().properties["desiredCapacity"], "unset: left to AWS and the scaling policies")
    }

    func testTagsCarryPropagateAtLaunch() {
        let tags = group(tags: ["Name": "app", "cost": .init("web", propagateAtLaunch: false)]).properties["tags"]?.literal
        XCTAssertEqual(tags, ["Name": ["value": "app", "propagateAtLaunch": true], "cost": ["value": "web", "propagateAtLaunch": false]])
        assertOneIssue(group(tags: ["aws:x": "y"]), property: "tags", containing: "reserved by AWS")
    }

    func testSizes() {
        assertOneIssue(group(min: -1, max: 3), property: "minSize", containing: "0 or more")
        assertOneIssue(group(min: 3, max: 2), property: "maxSize", containing: "below minSize 3")
        assertOneIssue(group(min: 1, max: 3, desired: 4), property: "desiredCapacity", containing: "outside minSize…maxSize")
    }

    func testTemplateSubnetsTargetsAndGrace() {
        assertOneIssue(group(template: "app"), property: "launchTemplateID", containing: "not a launch template id")
        assertOneIssue(group(version: "latest"), property: "launchTemplateVersion", containing: "not a version")
        assertOneIssue(group(version: "0"), property: "launchTemplateVersion", containing: "not a version")
        assertOneIssue(group(subnets: []), property: "subnetIDs", containing: "at least one subnet")
        assertOneIssue(group(subnets: ["subnet-1", "eu-west-1a"]), property: "subnetIDs", containing: "not a subnet id")
        assertOneIssue(group(targets: ["app"]), property: "targetGroupARNs", containing: "not a target group ARN")
        assertOneIssue(group(grace: -5), property: "healthCheckGracePeriod", containing: "0 or more seconds")
        assertOneIssue(group(name: ""), property: "name", containing: "1 to 255 characters")
    }

    func testPolicyRules() {
        XCTAssertEqual(validationIssues(Policy("cpu", name: "cpu-30", autoScalingGroupName: "app", targetValue: 30)), [])
        assertOneIssue(Policy("cpu", name: "cpu", autoScalingGroupName: "app", targetValue: 0), property: "targetValue", containing: "above 0")
        assertOneIssue(Policy("cpu", name: "cpu", autoScalingGroupName: "app", targetValue: 130), property: "targetValue", containing: "above 100")
        assertOneIssue(Policy("rps", name: "rps", autoScalingGroupName: "app", metric: .albRequestCountPerTarget, targetValue: 100),
                       property: "resourceLabel", containing: "needs the target group's resource label")
        assertOneIssue(Policy("cpu", name: "cpu", autoScalingGroupName: "app", targetValue: 30, resourceLabel: "app/lb/1/targetgroup/tg/2"),
                       property: "resourceLabel", containing: "only ALBRequestCountPerTarget")
        assertOneIssue(Policy("cpu", name: "", autoScalingGroupName: "app", targetValue: 30), property: "name", containing: "1 to 255")
        XCTAssertEqual(Policy("cpu", name: "cpu", autoScalingGroupName: "app", targetValue: 30).properties["predefinedMetricType"]?.literal,
                       "ASGAverageCPUUtilization")
        XCTAssertNotNil(Policy.makeType().validateImportID("app"))
        XCTAssertNil(Policy.makeType().validateImportID("app/cpu-30"))
    }
}
