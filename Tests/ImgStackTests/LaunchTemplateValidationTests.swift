import AWS
import Engine
import ImgStack
import XCTest

private typealias LaunchTemplate = ImgStack.EC2.LaunchTemplate

/// Launch templates with bad input: each rule reports the resource's address and the property,
/// before any call; IMDSv2 is required unless the stack says otherwise.
final class LaunchTemplateValidationTests: XCTestCase {
    private func template(name: String = "app-template", image: String = "ami-0abc", type: String = "t3.micro", userData: String = "",
                          profile: LaunchTemplate.InstanceProfile? = nil, groups: [Text] = [], hops: Int = 2) -> LaunchTemplate {
        LaunchTemplate("app", name: Text(name), imageID: Text(image), instanceType: Text(type), userData: Text(userData),
                       instanceProfile: profile, securityGroupIDs: groups, metadataHopLimit: hops)
    }

    func testValidTemplatePassesAndRequiresIMDSv2ByDefault() {
        XCTAssertEqual(validationIssues(template(profile: .arn("arn:aws:iam::123456789012:instance-profile/app"), groups: ["sg-1"])), [])
        XCTAssertEqual(validationIssues(template(profile: .name("app-profile"))), [])
        let properties = template().properties
        XCTAssertEqual(properties["httpTokens"]?.literal, "required")
        XCTAssertEqual(properties["httpEndpoint"]?.literal, "enabled")
        XCTAssertEqual(properties["metadataHopLimit"]?.literal, 2)
        XCTAssertEqual(LaunchTemplate.makeType().schema.property("httpTokens")?.defaultValue, "required")
        let optional = LaunchTemplate("app", name: "app-template", imageID: "ami-1", instanceType: "t3.micro", httpTokens: .optional)
        XCTAssertEqual(optional.properties["httpTokens"]?.literal, "optional")
    }

    func testReferencesWaitForApply() {
        let other = template()
        XCTAssertEqual(validationIssues(LaunchTemplate("b", name: "b-template", imageID: other.id, instanceType: "t3.micro",
                                                       userData: "#!/bin/sh\necho \(other.id)\n", securityGroupIDs: [other.id])), [])
    }

    func testNameFollowsLaunchTemplateNameRules() {
        assertOneIssue(template(name: "ab"), property: "name", containing: "3 to 128 characters")
        assertOneIssue(template(name: String(repeating: "a", count: 129)), property: "name", containing: "3 to 128 characters")
        assertOneIssue(template(name: "app template"), property: "name", containing: "is not allowed")
    }

    func testInstanceSettings() {
        assertOneIssue(template(image: "ubuntu"), property: "imageID", containing: "not an AMI id")
        assertOneIssue(template(type: "micro"), property: "instanceType", containing: "not an instance type")
        assertOneIssue(template(userData: String(repeating: "x", count: 16 * 1024 + 1)), property: "userData", containing: "at most 16 KB")
        XCTAssertEqual(validationIssues(template(userData: String(repeating: "x", count: 16 * 1024))), [])
        assertOneIssue(template(profile: .arn("arn:aws:iam::123456789012:role/app")), property: "instanceProfileARN", containing: "not an instance profile ARN")
        assertOneIssue(template(profile: .name("app profile")), property: "instanceProfileName", containing: "not an instance profile name")
        assertOneIssue(template(groups: ["sg-1", "web"]), property: "securityGroupIDs", containing: "\"web\" is not a security group id")
        assertOneIssue(template(hops: 0), property: "metadataHopLimit", containing: "1 to 64")
        assertOneIssue(template(hops: 65), property: "metadataHopLimit", containing: "1 to 64")
    }

    func testOnlyTheNameForcesReplacement() {
        let schema = LaunchTemplate.makeType().schema
        XCTAssertEqual(schema.properties.filter(\.forcesReplacement).map(\.name), ["name"])
        XCTAssertEqual(Set(schema.attributes.filter(\.changesOnUpdate).map(\.name)), ["latestVersion", "defaultVersion"])
        XCTAssertEqual(LaunchTemplate.makeType().normalize("securityGroupIDs", ["sg-b", "sg-a"]), ["sg-a", "sg-b"])
    }
}
