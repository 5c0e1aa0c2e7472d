import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// A bucket's event notifications to a Lambda function and an SNS topic against the emulator,
/// whose PutBucketNotificationConfiguration checks every destination as AWS does (test support):
/// create after the function's permission, read back through the AWS API, empty plan, update,
/// drift repaired, the AWS error named when the permission is missing, an SQS queue destination,
/// import, destroy.
final class BucketNotificationTests: XCTestCase {
    private static let trust = PolicyDocument([
        Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service("lambda.amazonaws.com")),
    ])

    private func source() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notify-py-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        try Data("def handler(event, context):\n    return None\n".utf8).write(to: directory.appendingPathComponent("mover.py"))
        return directory
    }

    /// The bucket, the function, its permission for S3 and a topic; the notification when
    /// `destinations` gives it (from the function's ARN, its permission and the topic's ARN).
    private func declare(_ tag: String, source: URL, grant: Bool = true, bucketName: String? = nil,
                         destinations: (@Sendable (Text, ImgStack.Lambda.Permission?, Text) -> [ImgStack.S3.Notification])? = nil) -> Stack {
        Stack("s3-notification-test") { stack in
            let bucket = stack.add(ImgStack.S3.Bucket("uploads", bucket: Text(bucketName ?? "uploads-\(tag)")))
            let role = stack.add(IAM.Role("mover", name: Text("mover-\(tag)"), assumeRolePolicy: Self.trust))
            let function = stack.add(ImgStack.Lambda.Function("mover", functionName: Text("mover-\(tag)"), source: source, runtime: "python3.12",
                                                              handler: "mover.handler", role: role.arn))
            let permission = grant ? stack.add(ImgStack.Lambda.Permission("s3", functionName: function.arn, statementID: "AllowS3",
                                                                          principal: "s3.amazonaws.com", sourceARN: bucket.arn)) : nil
            let topic = stack.add(SNS.Topic("events", topicName: Text("uploads-\(tag)")))
            if let destinations {
                stack.add(ImgStack.S3.BucketNotification("uploads", bucket: bucket.bucketName, destinations: destinations(function.arn, permission, topic.arn)))
            }
        }
    }

    /// Lets S3 publish to the topic (imgstack has no topic policy type yet).
    private func allowS3(toPublishTo topicARN: String, bucket: String, _ aws: AWSClient) async throws {
        let policy = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sns:Publish",\
            "Resource":"\(topicARN)","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::\(bucket)"}}}]}
            """
        try await aws.sns.setTopicAttribute(topicARN, name: "Policy", value: policy)
    }

    func testNotificationsToAFunctionAndATopic() async throws {
        let harness = try StackHarness()
        let s3 = harness.aws.s3
        let tag = UUID().uuidString.prefix(8).lowercased()
        let bucket = "uploads-\(tag)"
        let code = try source()
        let functionARN = "arn:aws:lambda:us-east-1:123456789012:function:mover-\(tag)"
        let topicARN = "arn:aws:sns:us-east-1:123456789012:uploads-\(tag)"
        let first = declare(tag, source: code) { function, permission, _ in
            [.lambda(function, permission: permission, events: ["s3:ObjectCreated:*"], prefix: "uploads/", suffix: ".pdf")]
        }
        let created = try await harness.apply(first)
        XCTAssertEqual(StackHarness.action(created, "s3.bucket_notification.uploads"), .create)
        let read = try await s3.bucketNotification(bucket)
        XCTAssertEqual(read.destinations.map(\.arn), [functionARN])
        XCTAssertEqual(read.destinations.first?.kind, .lambdaFunction)
        XCTAssertEqual(read.destinations.first?.events, ["s3:ObjectCreated:*"])
        XCTAssertEqual(read.destinations.first?.prefix, "uploads/")
        XCTAssertEqual(read.destinations.first?.suffix, ".pdf")
        XCTAssertEqual(read.unmodeled, [])
        let again = try await harness.plan(first)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        // The whole configuration is written again: new event types and a topic beside the function.
        try await allowS3(toPublishTo: topicARN, bucket: bucket, harness.aws)
        let second = declare(tag, source: code) { function, permission, topic in
            [.lambda(function, permission: permission, events: ["s3:ObjectCreated:Put", "s3:ObjectCreated:CompleteMultipartUpload"], prefix: "uploads/"),
             .topic(topic, events: ["s3:ObjectRemoved:*"])]
        }
        let update = try await harness.apply(second)
        XCTAssertEqual(StackHarness.action(update, "s3.bucket_notification.uploads"), .update)
        let updated = try await s3.bucketNotification(bucket)
        XCTAssertEqual(updated.destinations.map(\.arn).sorted(), [functionARN, topicARN].sorted())
        XCTAssertEqual(Set(updated.destinations.first { $0.kind == .lambdaFunction }?.events ?? []),
                       ["s3:ObjectCreated:Put", "s3:ObjectCreated:CompleteMultipartUpload"])
        XCTAssertNil(updated.destinations.first { $0.kind == .lambdaFunction }?.suffix)
        let afterUpdate = try await harness.plan(second)
        XCTAssertFalse(afterUpdate.hasChanges, HumanPlanRenderer().render(afterUpdate))

        // A configuration rewritten outside imgstack shows as drift and is written back.
        try await s3.putBucketNotification(bucket, [AWS.S3.NotificationDestination(kind: .topic, arn: topicARN, events: ["s3:ObjectRemoved:*"])])
        let drifted = try await harness.plan(second)
        XCTAssertEqual(drifted.changes.first { $0.address.description == "s3.bucket_notification.uploads" }?.changedProperties, ["lambdaFunctions"])
        try await harness.apply(second)
        let repaired = try await s3.bucketNotification(bucket)
        XCTAssertEqual(repaired.destinations.count, 2)

        // Import reads every destination.
        let context = OperationContext(address: Address(type: "s3.bucket_notification", name: "uploads"), region: harness.region, client: harness.aws)
        let imported = try await ImgStack.S3.BucketNotification.makeType().checkedImport(id: bucket, context: context)
        XCTAssertEqual(imported?.properties["topics"], .list([.map(["arn": .string(topicARN), "events": .list(["s3:ObjectRemoved:*"])])]))
        XCTAssertEqual(imported?.properties["lambdaFunctions"]?.listValue?.count, 1)

        // Destroy writes an empty configuration.
        try await harness.destroy(second)
        let missingBucket = try await nilWhenMissing(.noSuchBucket) { try await s3.bucketNotification(bucket) }
        XCTAssertNil(missingBucket, "the bucket went with the stack")
    }

    func testAFunctionWithoutPermissionIsRefusedNamingTheAWSErrorThenANewBucketReplacesTheConfiguration() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        let code = try source()
        let stack = declare(tag, source: code, grant: false) { function, _, _ in
            [.lambda(function, permission: nil, events: ["s3:ObjectCreated:*"])]
        }
        let summary = try await harness.deploy(stack).summary
        let failure = try XCTUnwrap(summary?.failures.first { $0.address.description == "s3.bucket_notification.uploads" }.map { "\($0.error)" })
        XCTAssertTrue(failure.contains("InvalidArgument: Unable to validate the following destination configurations"), failure)
        XCTAssertTrue(failure.contains("Lambda.Permission letting s3.amazonaws.com invoke it"), failure)
        let written = try await harness.aws.s3.bucketNotification("uploads-\(tag)")
        XCTAssertEqual(written.destinations, [], "nothing was written")

        // With the permission declared, the same stack applies: the notification is written after it.
        let fixed = declare(tag, source: code) { function, permission, _ in
            [.lambda(function, permission: permission, events: ["s3:ObjectCreated:*"])]
        }
        try await harness.apply(fixed)
        let applied = try await harness.aws.s3.bucketNotification("uploads-\(tag)")
        XCTAssertEqual(applied.destinations.count, 1)

        // A new bucket replaces the configuration (and the permission naming the bucket): the new
        // bucket gets it after its permission, the old bucket goes.
        let moved = declare(tag, source: code, bucketName: "moved-\(tag)") { function, permission, _ in
            [.lambda(function, permission: permission, events: ["s3:ObjectCreated:*"])]
        }
        let replace = try await harness.apply(moved)
        XCTAssertEqual(StackHarness.action(replace, "s3.bucket_notification.uploads"), .replace)
        let onNewBucket = try await harness.aws.s3.bucketNotification("moved-\(tag)")
        XCTAssertEqual(onNewBucket.destinations.map(\.kind), [.lambdaFunction])
        let oldBucket = try await nilWhenMissing(.noSuchBucket) { try await harness.aws.s3.bucketNotification("uploads-\(tag)") }
        XCTAssertNil(oldBucket, "the old bucket was deleted")
        let afterReplace = try await harness.plan(moved)
        XCTAssertFalse(afterReplace.hasChanges, HumanPlanRenderer().render(afterReplace))
        try await harness.destroy(moved)
    }

    /// Amazon SQS (JSON 1.0): imgstack declares no queues yet, so the test makes one.
    private static let sqs = AWSService(signingName: "sqs", endpointPrefix: "sqs", wireProtocol: .json(version: "1.0", targetPrefix: "AmazonSQS"),
                                        endpointEnvironmentID: "SQS")

    private struct QueueURL: Decodable {
        var url: String
        enum CodingKeys: String, CodingKey { case url = "QueueUrl" }
    }

    func testAQueueDestinationNeedsAPolicyLettingS3SendToIt() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        let code = try source()
        let queueARN = "arn:aws:sqs:us-east-1:123456789012:uploads-\(tag)"
        let created = try await harness.aws.json(Self.sqs, "CreateQueue", ["QueueName": "uploads-\(tag)"], as: QueueURL.self)
        let stack = declare(tag, source: code) { _, _, _ in [.queue(Text(queueARN), events: ["s3:ObjectCreated:*"], suffix: ".csv")] }
        let refused = try await harness.deploy(stack).summary
        let failure = try XCTUnwrap(refused?.failures.first { $0.address.description == "s3.bucket_notification.uploads" }.map { "\($0.error)" })
        XCTAssertTrue(failure.contains("Unable to validate the following destination configurations"), failure)

        let policy = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sqs:SendMessage",\
            "Resource":"\(queueARN)","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::uploads-\(tag)"}}}]}
            """
        struct SetAttributes: Encodable {
            var QueueUrl: String
            var Attributes: [String: String]
        }
        _ = try await harness.aws.json(Self.sqs, "SetQueueAttributes", SetAttributes(QueueUrl: created.url, Attributes: ["Policy": policy]),
                                       as: AWSEmpty.self)
        try await harness.apply(stack)
        let written = try await harness.aws.s3.bucketNotification("uploads-\(tag)")
        XCTAssertEqual(written.destinations, [AWS.S3.NotificationDestination(kind: .queue, id: written.destinations.first?.id, arn: queueARN,
                                                                             events: ["s3:ObjectCreated:*"], suffix: ".csv")])
        let again = try await harness.plan(stack)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))
        try await harness.destroy(stack)
        _ = try await harness.aws.json(Self.sqs, "DeleteQueue", ["QueueUrl": created.url], as: AWSEmpty.self)
    }
}
