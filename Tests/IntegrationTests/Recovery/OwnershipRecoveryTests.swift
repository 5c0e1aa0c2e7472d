import AWS
import Engine
import Foundation
import ImgStack
import TestSupport
import XCTest

/// After a crash, an unfinished create is settled by looking for what it made (`findCreated`).
/// A type found by its unique name adopts the resource only when it carries that create's intent
/// tag: a same-named resource of someone else's — another stack's GitHub OIDC provider, a log
/// group made by hand — is never adopted, then rewritten and deleted as this stack's. Types that
/// take no tags (CloudFront origin access controls and response headers policies) carry the
/// intent in their note member until CloudFront has answered the create. The answers that prove
/// ownership also make the snapshot: nothing is read twice.
final class OwnershipRecoveryTests: XCTestCase {
    /// One name-found type: the properties a create takes, and what the table checks.
    private struct Member {
        var type: String
        var properties: [String: Engine.Value]
        let region = "us-east-1"
        /// For a type that carries the intent only until the create is confirmed: the call
        /// (`service:Operation`) that confirms it, which a run killed mid-create never sends.
        var confirmedBy: String? = nil
        /// For such a type: the property whose member carries the intent meanwhile.
        var noteProperty: String? = nil
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
            Member(type: "cloudfront.origin_access_control", properties: [
                "name": .string("ownership-\(tag)"), "description": "images", "originType": "s3", "signingBehavior": "always",
                "signingProtocol": "sigv4",
            ], confirmedBy: "cloudfront:UpdateOriginAccessControl", noteProperty: "description"),
            Member(type: "cloudfront.response_headers_policy", properties: [
                "name": .string("ownership-\(tag)"), "comment": "cors", "cors": .null,
                "securityHeaders": ["contentSecurityPolicy": .null, "contentTypeOptions": true, "frameOptions": .null,
                                    "referrerPolicy": .null, "override": true],
            ], confirmedBy: "cloudfront:UpdateResponseHeadersPolicy", noteProperty: "comment"),
            Member(type: "wafv2.web_acl", properties: [
                "name": .string("ownership-\(tag)"), "scope": "REGIONAL", "defaultAction": "ALLOW", "description": "", "rules": .list([]),
                "metricName": "ownership", "cloudWatchMetrics": true, "sampledRequests": true, "tags": ["team": "ops"],
            ]),
        ]
    }

    private func context(_ member: Member, intent: String?, _ harness: StackHarness) -> OperationContext {
        OperationContext(address: Address(type: member.type, name: "it"), region: member.region, intentID: intent, client: harness.aws)
    }

    /// What a run killed right after its create call leaves; nil for a type that carries the
    /// intent only until the create is confirmed, whose confirming call the proxy refuses here,
    /// so the resource stays as a killed run leaves it (found by the test through `findCreated`).
    private func crashedCreate(_ member: Member, _ type: any ResourceType, intent: String,
                               _ harness: StackHarness) async throws -> ResourceSnapshot? {
        guard let confirmedBy = member.confirmedBy else {
            return try await type.create(member.properties, context: context(member, intent: intent, harness))
        }
        try await harness.emulator.inject(Fault(operation: confirmedBy, kind: .status, count: 1, status: 403))
        do {
            _ = try await type.create(member.properties, context: context(member, intent: intent, harness))
            XCTFail("\(member.type): the create must fail when its confirming call is refused")
        } catch {}
        return nil
    }

    func testANameFoundResourceIsAdoptedOnlyWithTheIntentOfTheCrashedCreate() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        for member in try await members(tag: String(tag), harness: harness) {
            let type = try XCTUnwrap(ResourceCatalog.types()[member.type], member.type)
            let intent = UUID().uuidString
            let crashed = try await crashedCreate(member, type, intent: intent, harness)
            try await harness.emulator.resetCalls()
            let found = try await type.findCreated(from: member.properties, context: context(member, intent: intent, harness))
            let mine = try XCTUnwrap(found, "\(member.type): the crashed create's resource is found by its intent")
            if let crashed { XCTAssertEqual(mine.id, crashed.id, "\(member.type): the crashed create's resource is the one found") }
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

    /// A CloudFront configuration's name is unique, and CloudFront refuses a create meeting
    /// someone else's without saying whose it is: the create says how to adopt it (`imgstack
    /// import` with its id), and its calls count as having made nothing, so its intent is
    /// dropped at once and no later run looks for it.
    func testACreateOfATakenCloudFrontNameNamesImportWithTheTakenID() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        for member in try await members(tag: String(tag), harness: harness) {
            guard let noteProperty = member.noteProperty else { continue }
            let type = try XCTUnwrap(ResourceCatalog.types()[member.type])
            var theirs = member.properties
            theirs[noteProperty] = "theirs"
            let made = try await type.create(theirs, context: context(member, intent: nil, harness))
            var creating = context(member, intent: UUID().uuidString, harness)
            creating.calls = CallLedger(creating: true)
            do {
                _ = try await type.create(member.properties, context: creating)
                XCTFail("\(member.type): a create over a same-named configuration of someone else's must refuse")
            } catch {
                XCTAssertTrue("\(error)".contains("already exists and was not made by this stack"), "\(member.type): \(error)")
                XCTAssertTrue("\(error)".contains("`imgstack import \(member.type).it \(made.id)`"), "\(member.type): \(error)")
            }
            XCTAssertTrue(creating.calls.madeNothing, "\(member.type): the refused create made nothing")
            let after = try await type.read(made, context: context(member, intent: nil, harness))
            XCTAssertEqual(after?.properties, made.properties, "\(member.type): the other configuration is left unchanged")
            try await type.delete(made, context: context(member, intent: nil, harness))
        }
    }
}
