import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// EC2 launch templates against the emulator: create, read back through the AWS API (user data
/// base64, IMDSv2 required), empty plan, a change making a new default version, tags in place,
/// drift of the default version repaired, replacement, import, destroy.
final class LaunchTemplateTests: XCTestCase {
    private func unique(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }

    private struct Settings: Sendable {
        var vpc: String
        var name: String
        var image = "ami-12c6146b"
        var instanceType = "t3.micro"
        var tags: [String: Text] = ["app": "upload"]
    }

    private func declare(_ settings: Settings) -> Stack {
        Stack("lt-test") { stack in
            let app = stack.add(EC2.SecurityGroup("app", name: Text(settings.name + "-sg"), vpcID: Text(settings.vpc)))
            stack.add(EC2.LaunchTemplate("app", name: Text(settings.name), imageID: Text(settings.image), instanceType: Text(settings.instanceType),
                                         userData: "#!/bin/sh\necho group \(app.id)\n",
                                         instanceProfile: .name("upload-app"), securityGroupIDs: [app.id], tags: settings.tags))
        }
    }

    func testLaunchTemplateVersionsAndLifecycle() async throws {
        let harness = try StackHarness(region: "eu-west-1")
        let ec2 = harness.aws.ec2(region: harness.region)
        let vpc = try required(await ec2.describeVpcs(filters: [.isDefault(true)]).first?.id)
        var settings = Settings(vpc: vpc, name: unique("upload-app"))
        try await harness.apply(declare(settings))

        let id = try required(await harness.snapshot("ec2.launch_template.app")?.id)
        let groupID = try required(await harness.snapshot("ec2.security_group.app")?.id)
        var template = try required(await ec2.launchTemplate(id: id))
        XCTAssertEqual(template.name, settings.name)
        XCTAssertEqual(template.defaultVersion, 1)
        XCTAssertEqual(template.tags["app"], "upload")
        var data = try required(await ec2.launchTemplateData(templateID: id, version: 1))
        XCTAssertEqual(data.imageID, "ami-12c6146b")
        XCTAssertEqual(data.instanceType, "t3.micro")
        XCTAssertEqual(data.userDataBase64, Data("#!/bin/sh\necho group \(groupID)\n".utf8).base64EncodedString(),
                       "the reference resolved, then base64-encoded as AWS wants")
        XCTAssertEqual(data.iamInstanceProfileName, "upload-app")
        XCTAssertEqual(data.securityGroupIDs, [groupID])
        XCTAssertEqual(data.httpTokens, "required", "IMDSv2 by default")
        XCTAssertEqual(data.httpEndpoint, "enabled")
        XCTAssertEqual(data.httpPutResponseHopLimit, 2)
        let snapshot = try await harness.snapshot("ec2.launch_template.app")
        XCTAssertEqual(snapshot?.attributes["latestVersion"], "1")
        XCTAssertEqual(snapshot?.properties["userData"], .string("#!/bin/sh\necho group \(groupID)\n"), "state holds the text, not base64")
        var plan = try await harness.plan(declare(settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // A change to the instance settings: a new version, made the default.
        settings.instanceType = "t3.small"
        plan = try await harness.apply(declare(settings))
        XCTAssertEqual(StackHarness.action(plan, "ec2.launch_template.app"), .update)
        template = try required(await ec2.launchTemplate(id: id))
        XCTAssertEqual(template.latestVersion, 2)
        XCTAssertEqual(template.defaultVersion, 2)
        data = try required(await ec2.launchTemplateData(templateID: id, version: 2))
        XCTAssertEqual(data.instanceType, "t3.small")
        XCTAssertEqual(data.httpTokens, "required", "a new version carries every setting")
        let updated = try await harness.snapshot("ec2.launch_template.app")
        XCTAssertEqual(updated?.attributes["latestVersion"], "2")
        XCTAssertEqual(updated?.attributes["defaultVersion"], "2")

        // Tags change on the template and make no version.
        settings.tags = ["app": "upload", "stage": "prod"]
        try await harness.apply(declare(settings))
        template = try required(await ec2.launchTemplate(id: id))
        XCTAssertEqual(template.latestVersion, 2)
        XCTAssertEqual(template.tags["stage"], "prod")
        plan = try await harness.plan(declare(settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // Drift: the default version set back by hand shows, and the apply adds a version.
        try await ec2.setDefaultLaunchTemplateVersion(templateID: id, version: 1)
        plan = try await harness.plan(declare(settings))
        XCTAssertEqual(StackHarness.action(plan, "ec2.launch_template.app"), .update, HumanPlanRenderer().render(plan))
        try await harness.apply(declare(settings))
        template = try required(await ec2.launchTemplate(id: id))
        XCTAssertEqual(template.defaultVersion, 3)
        plan = try await harness.plan(declare(settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // Import reads every property.
        let context = OperationContext(address: Address(type: "ec2.launch_template", name: "app"), region: harness.region, client: harness.aws)
        let imported = try await EC2.LaunchTemplate.makeType().checkedImport(id: id, context: context)
        XCTAssertEqual(imported?.properties["instanceType"], "t3.small")
        XCTAssertEqual(imported?.properties["instanceProfileName"], "upload-app")
        XCTAssertEqual(imported?.properties["httpTokens"], "required")
        XCTAssertEqual(imported?.properties["tags"], ["app": "upload", "stage": "prod"])

        // Replacement: another name.
        let oldName = settings.name
        settings.name = unique("upload-app2")
        plan = try await harness.apply(declare(settings))
        XCTAssertEqual(StackHarness.action(plan, "ec2.launch_template.app"), .replace)
        let old = try await ec2.launchTemplate(name: oldName)
        XCTAssertNil(old, "the replaced template was deleted")

        let newID = try required(await harness.snapshot("ec2.launch_template.app")?.id)
        try await harness.destroy(declare(settings))
        let gone = try await ec2.launchTemplate(name: settings.name)
        XCTAssertNil(gone)
        try await EC2.LaunchTemplate.makeType().delete(ResourceSnapshot(id: newID, properties: [:]), context: context)  // already gone
        let state = try await harness.state
        XCTAssertTrue(state.resources.isEmpty)
    }
}
