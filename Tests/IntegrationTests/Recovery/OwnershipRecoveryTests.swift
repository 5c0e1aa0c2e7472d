import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// After a crash, an unfinished create is settled by looking for what it made (`findCreated`).
/// A type found by its unique name adopts the resource only when it carries that create's intent
/// tag: a same-named resource of someone else's — another stack's GitHub OIDC provider, a log
/// group made by hand — is never adopted, then rewritten and deleted as this stack's. The answers
/// that prove ownership also make the snapshot: nothing is read twice.
final class OwnershipRecoveryTests: XCTestCase {
    /// One name-found type: the properties a create takes, and what the table checks.
    private struct Member {
        var type: String
        var properties: [String: Engine.Value]
        let region = "us-east-1"
    }

    private func members(tag: String, harness: StackHarness) async throws -> [Member] {
        let source = FileManager.default.temporaryDirectory.appendingPathComponent("ownership-\(tag)")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: source) }
        try Data("def handler(event, context):\n    return None\n".utf8).write(to: source.appendingPathComponent("main.py"))
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
        let role = try await harness.aws.iam.createRole(name: "ownership-\(tag)", path: "/", assumeRolePolicy: trust, description: nil,
                                                        maxSessionDuration: 3600, tags: [:])
        return [
            Member(type: "sns.topic", properties: ["topicName": .string("ownership-\(tag)"), "displayName": "", "kmsMasterKeyID": "",
                                                   "tags": ["team": "ops"]]),
            Member(type: "ecr.repository", properties: ["name": .string("ownership-\(tag)"), "imageTagMutability": "MUTABLE", "scanOnPush": false,
                                                        "encryptionType": "AES256", "tags": ["team": "ops"]]),
            Member(type: "lambda.function", properties: [
                "functionName": .string("ownership-\(tag)"), "source": .string(source.path),
                "sourceHash": .string(try DeploymentPackage.zipping(directory: source.path).sha256), "runtime": "python3.12",
                "handler": "main.handler", "role": .string(role.arn), "memorySize": 128, "timeout": 3, "tags": ["team": "ops"],
            ]),
            Member(type: "cloudwatch.log_group", properties: ["name": .string("/ownership/\(tag)"), "retentionInDays": 0, "kmsKeyID": "",
                                                              "tags": ["team": "ops"]]),
            Member(type: "cloudwatch.metric_alarm", properties: [
                "alarmName": .string("ownership-\(tag)"), "namespace": "AWS/Lambda", "metricName": "Errors", "dimensions": [:],
                "statistic": "Sum", "period": 60, "evaluationPeriods": 1, "threshold": 1.0, "comparisonOperator": "GreaterThanOrEqualToThreshold",
                "treatMissingData": "missing", "alarmActions": [], "okActions": [], "description": "", "tags": ["team": "ops"],
            ]),
            Member(type: "iam.instance_profile", properties: ["name": .string("ownership-\(tag)"), "path": "/", "role": ""]),
            Member(type: "iam.openid_connect_provider", properties: [
                "url": .string("https://ownership-\(tag).example.com"), "clientIDs": ["sts.amazonaws.com"],
                "thumbprints": .list([.string(String(repeating: "a", count: 40))]), "tags": ["team": "ops"],
            ]),
            Member(type: "s3.bucket", properties: ["bucket": .string("ownership-\(tag)"), "tags": ["team": "ops"]]),
            Member(type: "wafv2.web_acl", properties: [
                "name": .string("ownership-\(tag)"), "scope": "REGIONAL", "defaultAction": "ALLOW", "description": "", "rules": .list([]),
                "metricName": "ownership", "cloudWatchMetrics": true, "sampledRequests": true, "tags": ["team": "ops"],
            ]),
        ]
    }

    private func context(_ member: Member, intent: String?, _ harness: StackHarness) -> OperationContext {
        OperationContext(address: Address(type: member.type, name: "it"), region: member.region, intentID: intent, client: harness.aws)
    }

    func testANameFoundResourceIsAdoptedOnlyWithTheIntentOfTheCrashedCreate() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        for member in try await members(tag: String(tag), harness: harness) {
            let type = try XCTUnwrap(ResourceCatalog.types()[member.type], member.type)
            let intent = UUID().uuidString
            let mine = try await type.create(member.properties, context: context(member, intent: intent, harness))
            try await harness.emulator.resetCalls()
            let found = try await type.findCreated(from: member.properties, context: context(member, intent: intent, harness))
            XCTAssertEqual(found?.id, mine.id, "\(member.type): the crashed create's resource is found by its intent")
            let calls = try await harness.emulator.calls()
            XCTAssertTrue(calls.values.allSatisfy { $0 == 1 }, "\(member.type): recovery asks AWS nothing twice: \(calls)")
            if let tags = member.properties["tags"] {
                XCTAssertEqual(found?.properties["tags"], tags, "\(member.type): the intent tag never shows as drift")
            }
            let other = try await type.findCreated(from: member.properties, context: context(member, intent: UUID().uuidString, harness))
            XCTAssertNil(other, "\(member.type): another create's intent finds nothing")
            try await type.delete(mine, context: context(member, intent: nil, harness))

            // Someone else's, made without imgstack's intent tag under the same name.
            let theirs = try await type.create(member.properties, context: context(member, intent: nil, harness))
            let adopted = try await type.findCreated(from: member.properties, context: context(member, intent: intent, harness))
            XCTAssertNil(adopted, "\(member.type): a same-named resource of someone else's is not adopted")
            try await type.delete(theirs, context: context(member, intent: nil, harness))
        }
    }

    /// Calls that answer "created" for a resource that already exists — `PutMetricAlarm` writes
    /// over an alarm of the same name, `CreateBucket` in us-east-1 answers 200 for a bucket the
    /// account owns — never take over someone else's: the create refuses, naming the address, and
    /// the resource keeps its settings. (`CreateTopic` with other tags is refused by SNS itself.)
    func testACreateNeverTakesOverASameNamedResourceOfSomeoneElse() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        let all = try await members(tag: String(tag), harness: harness)
        for member in all where ["cloudwatch.metric_alarm", "s3.bucket", "sns.topic"].contains(member.type) {
            let type = try XCTUnwrap(ResourceCatalog.types()[member.type])
            var theirs = member.properties
            theirs["tags"] = ["owner": "else"]
            let made = try await type.create(theirs, context: context(member, intent: nil, harness))
            do {
                _ = try await type.create(member.properties, context: context(member, intent: UUID().uuidString, harness))
                XCTFail("\(member.type): a create over a same-named resource of someone else's must refuse")
            } catch {
                XCTAssertTrue("\(error)".contains("already exists"), "\(member.type): \(error)")
            }
            let after = try await type.read(made, context: context(member, intent: nil, harness))
            XCTAssertEqual(after?.properties["tags"], ["owner": "else"], "\(member.type): the other resource is left unchanged")
            try await type.delete(made, context: context(member, intent: nil, harness))
        }
    }
}
