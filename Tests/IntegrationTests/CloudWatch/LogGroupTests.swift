import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// CloudWatch Logs log groups against the emulator: create, read back through the AWS API, empty
/// plan, update in place (retention, KMS key, tags), drift repaired, replacement, import, destroy.
final class LogGroupTests: XCTestCase {
    private func unique(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }

    private struct Settings: Sendable {
        var name: String
        var retention: Int? = 14
        var encrypted = false
        var tags: [String: Text] = ["app": "upload"]
    }

    private func declare(_ settings: Settings) -> Stack {
        Stack("logs-test") { stack in
            var key: Text?
            if settings.encrypted {
                key = stack.add(KMS.Key("logs", deletionWindowInDays: 7)).arn
            }
            stack.add(CloudWatch.LogGroup("access", name: Text(settings.name), retentionInDays: settings.retention,
                                          kmsKeyID: key, tags: settings.tags))
        }
    }

    private func live(_ logs: AWS.CloudWatchLogs, _ name: String) async throws -> AWS.CloudWatchLogs.LogGroup {
        let found = try await logs.logGroup(name)
        return try XCTUnwrap(found, "no log group \(name)")
    }

    func testLogGroupLifecycle() async throws {
        let harness = try StackHarness(region: "eu-west-2")
        let logs = harness.aws.cloudWatchLogs(region: harness.region)
        var settings = Settings(name: unique("/aws/apigateway/upload"))
        try await harness.apply(declare(settings))

        // Read back through the API, not imgstack's state.
        var group = try await live(logs, settings.name)
        XCTAssertEqual(group.retentionInDays, 14)
        XCTAssertNil(group.kmsKeyId)
        let arn = "arn:aws:logs:eu-west-2:123456789012:log-group:\(settings.name)"
        var tags = try await logs.tags(arn)
        XCTAssertEqual(declaredTags(tags), ["app": "upload"])
        XCTAssertNotNil(tags["imgstack:intent"], "created with imgstack's intent tag")
        let snapshot = try await harness.snapshot("cloudwatch.log_group.access")
        XCTAssertEqual(snapshot?.id, settings.name)
        XCTAssertEqual(snapshot?.attributes["arn"], .string(arn), "without the trailing :*")
        var plan = try await harness.plan(declare(settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // In place: retention, KMS key, tags.
        settings.retention = 3653
        settings.encrypted = true
        settings.tags = ["app": "upload", "stage": "prod"]
        plan = try await harness.apply(declare(settings))
        XCTAssertEqual(StackHarness.action(plan, "cloudwatch.log_group.access"), .update)
        group = try await live(logs, settings.name)
        XCTAssertEqual(group.retentionInDays, 3653)
        let key = try await harness.snapshot("kms.key.logs")
        XCTAssertEqual(group.kmsKeyId, key?.attributes["arn"]?.stringValue)
        tags = try await logs.tags(arn)
        XCTAssertEqual(declaredTags(tags), ["app": "upload", "stage": "prod"])
        plan = try await harness.plan(declare(settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // Back to "for ever" and no key: DeleteRetentionPolicy and DisassociateKmsKey.
        settings.retention = nil
        settings.encrypted = false
        settings.tags = ["app": "upload"]
        plan = try await harness.apply(declare(settings))
        XCTAssertEqual(StackHarness.action(plan, "cloudwatch.log_group.access"), .update)
        group = try await live(logs, settings.name)
        XCTAssertNil(group.retentionInDays)
        XCTAssertNil(group.kmsKeyId)
        tags = try await logs.tags(arn)
        XCTAssertEqual(declaredTags(tags), ["app": "upload"])
        plan = try await harness.plan(declare(settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // Drift made outside imgstack is shown and repaired.
        try await logs.putRetentionPolicy(settings.name, days: 1)
        try await logs.tagResource(arn, tags: ["owner": "someone"])
        plan = try await harness.plan(declare(settings))
        let drift = plan.changes.first { $0.address.description == "cloudwatch.log_group.access" }
        XCTAssertEqual(drift?.action, .update)
        XCTAssertEqual(Set(drift?.changedProperties ?? []), ["retentionInDays", "tags"])
        try await harness.apply(declare(settings))
        group = try await live(logs, settings.name)
        XCTAssertNil(group.retentionInDays)
        tags = try await logs.tags(arn)
        XCTAssertEqual(declaredTags(tags), ["app": "upload"])

        // A new name replaces the group: the old one and its events go.
        let oldName = settings.name
        settings.name = unique("/aws/apigateway/upload")
        plan = try await harness.plan(declare(settings))
        XCTAssertEqual(StackHarness.action(plan, "cloudwatch.log_group.access"), .replace)
        try await harness.apply(declare(settings))
        let old = try await logs.logGroup(oldName)
        XCTAssertNil(old, "the replaced group was deleted")
        _ = try await live(logs, settings.name)
        plan = try await harness.plan(declare(settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        try await harness.destroy(declare(settings))
        let destroyed = try await logs.logGroup(settings.name)
        XCTAssertNil(destroyed, "destroy leaves no log group behind")
        let state = try await harness.state
        XCTAssertTrue(state.resources.isEmpty)
    }

    func testImportReadsEveryPropertyAndRecoveryFindsTheGroupByName() async throws {
        let harness = try StackHarness(region: "eu-west-2")
        let logs = harness.aws.cloudWatchLogs(region: harness.region)
        let name = unique("/aws/lambda/upload")
        let keyARN = "arn:aws:kms:eu-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        try await logs.createLogGroup(name, kmsKeyID: keyARN, tags: ["team": "ops"])
        try await logs.putRetentionPolicy(name, days: 30)

        let context = OperationContext(address: Address(type: "cloudwatch.log_group", name: "upload"), region: harness.region, client: harness.aws)
        let type = ImgStack.CloudWatch.LogGroup.makeType()
        let imported = try await type.checkedImport(id: name, context: context)
        XCTAssertEqual(imported?.id, name)
        XCTAssertEqual(imported?.properties["name"], .string(name))
        XCTAssertEqual(imported?.properties["retentionInDays"], 30)
        XCTAssertEqual(imported?.properties["kmsKeyID"], .string(keyARN))
        XCTAssertEqual(imported?.properties["tags"], ["team": "ops"])
        let missing = try await type.checkedImport(id: unique("/missing"), context: context)
        XCTAssertNil(missing)

        // Made by the apply, not by the create a crash interrupted: never adopted (OwnershipRecoveryTests has both sides).
        let someoneElses = OperationContext(address: context.address, region: context.region, intentID: UUID().uuidString, client: harness.aws)
        let found = try await type.findCreated(from: ["name": .string(name), "retentionInDays": 30], context: someoneElses)
        XCTAssertNil(found, "a same-named log group without the intent's tag is not adopted")
        let notFound = try await type.findCreated(from: ["name": .string(unique("/never"))], context: context)
        XCTAssertNil(notFound, "a create that never happened finds nothing")

        try await type.delete(try XCTUnwrap(imported), context: context)
        try await type.delete(try XCTUnwrap(imported), context: context)  // already gone: still succeeds
        let gone = try await logs.logGroup(name)
        XCTAssertNil(gone)
    }

    /// The emulator answers like CloudWatch Logs where moto did not (test support fills it):
    /// a retention outside AWS's list is refused, and a KMS key is taken only as an ARN.
    func testEmulatorRefusesWhatCloudWatchLogsRefuses() async throws {
        let harness = try StackHarness(region: "eu-west-2")
        let logs = harness.aws.cloudWatchLogs(region: harness.region)
        let name = unique("/refusals")
        try await logs.createLogGroup(name, kmsKeyID: nil, tags: [:])
        do {
            try await logs.putRetentionPolicy(name, days: 2)
            XCTFail("2 days is not a retention CloudWatch Logs accepts")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "InvalidParameterException")
        }
        do {
            try await logs.associateKmsKey(name, kmsKeyID: "alias/logs")
            XCTFail("AssociateKmsKey takes only a key ARN")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "InvalidParameterException")
        }
        do {
            try await logs.disassociateKmsKey(unique("/none"))
            XCTFail("an unknown group is not found")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, .resourceNotFoundException)
        }
        try await logs.deleteLogGroup(name)
    }
}
