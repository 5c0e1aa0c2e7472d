import Foundation
@testable import AWS
import XCTest

/// The launch template calls checked against botocore's `ec2` model (see `EC2RequestEncodingTests`).
final class EC2LaunchTemplateRequestEncodingTests: XCTestCase {
    private var model: BotocoreModel { EC2RequestEncodingTests.model }
    private static let template = """
        <launchTemplate><launchTemplateId>lt-1</launchTemplateId><launchTemplateName>app-template</launchTemplateName>
        <defaultVersionNumber>1</defaultVersionNumber><latestVersionNumber>2</latestVersionNumber>
        <tagSet><item><key>app</key><value>upload</value></item></tagSet></launchTemplate>
        """
    private static let data = AWS.EC2.LaunchTemplateData(
        imageID: "ami-1", instanceType: "t3.micro", userDataBase64: "IyEvYmluL3No", iamInstanceProfileARN: "arn:aws:iam::123456789012:instance-profile/app",
        securityGroupIDs: ["sg-1", "sg-2"], httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 2)

    func testCreateLaunchTemplateSendsEveryInstanceSettingByTheModel() async throws {
        var made: AWS.EC2.LaunchTemplate?
        let form = try await checkEC2Call(model, "CreateLaunchTemplate", answer: Self.template) {
            made = try await $0.ec2.createLaunchTemplate(name: "app-template", data: Self.data, tags: ["app": "upload"])
        }
        XCTAssertEqual(made, AWS.EC2.LaunchTemplate(id: "lt-1", name: "app-template", defaultVersion: 1, latestVersion: 2, tags: ["app": "upload"]))
        XCTAssertEqual(form["LaunchTemplateName"], "app-template")
        XCTAssertEqual(form["LaunchTemplateData.ImageId"], "ami-1")
        XCTAssertEqual(form["LaunchTemplateData.InstanceType"], "t3.micro")
        XCTAssertEqual(form["LaunchTemplateData.UserData"], "IyEvYmluL3No")
        XCTAssertEqual(form["LaunchTemplateData.IamInstanceProfile.Arn"], "arn:aws:iam::123456789012:instance-profile/app")
        XCTAssertEqual(form["LaunchTemplateData.SecurityGroupId.2"], "sg-2")
        XCTAssertEqual(form["LaunchTemplateData.MetadataOptions.HttpTokens"], "required")
        XCTAssertEqual(form["LaunchTemplateData.MetadataOptions.HttpEndpoint"], "enabled")
        XCTAssertEqual(form["LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit"], "2")
        XCTAssertEqual(form["TagSpecification.1.ResourceType"], "launch-template")
    }

    func testNewVersionThenDefault() async throws {
        var version = 0
        let form = try await checkEC2Call(model, "CreateLaunchTemplateVersion",
                                          answer: "<launchTemplateVersion><versionNumber>3</versionNumber></launchTemplateVersion>") {
            version = try await $0.ec2.createLaunchTemplateVersion(templateID: "lt-1", data: Self.data)
        }
        XCTAssertEqual(version, 3)
        XCTAssertEqual(form["LaunchTemplateId"], "lt-1")
        XCTAssertEqual(form["LaunchTemplateData.ImageId"], "ami-1")
        let modify = try await checkEC2Call(model, "ModifyLaunchTemplate", answer: Self.template) {
            try await $0.ec2.setDefaultLaunchTemplateVersion(templateID: "lt-1", version: 3)
        }
        XCTAssertEqual(modify["SetDefaultVersion"], "3")
    }

    func testDescribeTemplateAndVersionData() async throws {
        let listed = "<launchTemplates><item><launchTemplateId>lt-1</launchTemplateId><launchTemplateName>app-template</launchTemplateName>"
            + "<defaultVersionNumber>1</defaultVersionNumber><latestVersionNumber>1</latestVersionNumber></item></launchTemplates>"
        var found: AWS.EC2.LaunchTemplate?
        var form = try await checkEC2Call(model, "DescribeLaunchTemplates", answer: listed) {
            found = try await $0.ec2.launchTemplate(name: "app-template")
        }
        XCTAssertEqual(found?.id, "lt-1")
        XCTAssertEqual(form["LaunchTemplateName.1"], "app-template")
        let answer = """
        <launchTemplateVersionSet><item><versionNumber>1</versionNumber><launchTemplateData><imageId>ami-1</imageId>
        <instanceType>t3.micro</instanceType><userData>IyEvYmluL3No</userData><iamInstanceProfile><name>app</name></iamInstanceProfile>
        <securityGroupIdSet><item>sg-1</item></securityGroupIdSet><metadataOptions><httpTokens>required</httpTokens>
        <httpPutResponseHopLimit>2</httpPutResponseHopLimit><httpEndpoint>enabled</httpEndpoint></metadataOptions></launchTemplateData></item>
        </launchTemplateVersionSet>
        """
        var data: AWS.EC2.LaunchTemplateData?
        form = try await checkEC2Call(model, "DescribeLaunchTemplateVersions", answer: answer) {
            data = try await $0.ec2.launchTemplateData(templateID: "lt-1", version: 1)
        }
        XCTAssertEqual(form["LaunchTemplateVersion.1"], "1")
        XCTAssertEqual(data, AWS.EC2.LaunchTemplateData(imageID: "ami-1", instanceType: "t3.micro", userDataBase64: "IyEvYmluL3No",
                                                        iamInstanceProfileName: "app", securityGroupIDs: ["sg-1"], httpTokens: "required",
                                                        httpEndpoint: "enabled", httpPutResponseHopLimit: 2))
        form = try await checkEC2Call(model, "DescribeLaunchTemplateVersions", answer: answer) {
            data = try await $0.ec2.launchTemplateData(templateID: "lt-1", version: "$Default")
        }
        XCTAssertEqual(form["LaunchTemplateVersion.1"], "$Default")
        form = try await checkEC2Call(model, "DeleteLaunchTemplate", answer: Self.template) { try await $0.ec2.deleteLaunchTemplate(id: "lt-1") }
        XCTAssertEqual(form["LaunchTemplateId"], "lt-1")
    }
}
