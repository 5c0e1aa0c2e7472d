import Engine
import Foundation
@testable import ImgStack
import XCTest

/// Bad bucket notification configurations are refused before any call, naming the resource's
/// address and the property; the Lambda permission orders the write.
final class S3NotificationValidationTests: XCTestCase {
    private static let function: Text = "arn:aws:lambda:us-east-1:123456789012:function:mover"
    private static let queue: Text = "arn:aws:sqs:us-east-1:123456789012:uploads"
    private static let topic: Text = "arn:aws:sns:us-east-1:123456789012:uploads"

    private func notification(_ destinations: [S3.Notification], bucket: Text = "uploads-bucket") -> S3.BucketNotification {
        S3.BucketNotification("uploads", bucket: bucket, destinations: destinations)
    }

    func testWellFormedDestinationsPass() {
        let valid = notification([
            .lambda(Self.function, permission: nil, events: ["s3:ObjectCreated:*"], prefix: "uploads/"),
            .queue(Self.queue, events: ["s3:ObjectCreated:*"], prefix: "reports/"),
            .topic(Self.topic, events: ["s3:ObjectRemoved:Delete"]),
        ])
        XCTAssertEqual(validationIssues(valid), [])
    }

    func testTheBucketNameIsChecked() {
        assertOneIssue(notification([], bucket: "Uploads"), property: "bucket", containing: "Uploads")
    }

    func testEventTypesMustBeS3sAndAtLeastOne() {
        assertOneIssue(notification([.lambda(Self.function, permission: nil, events: ["ObjectCreated"])]), property: "lambdaFunctions",
                       containing: "not an S3 event type")
        assertOneIssue(notification([.queue(Self.queue, events: [])]), property: "queues", containing: "at least one event type")
    }

    func testEachDestinationNeedsAnARNOfItsService() {
        assertOneIssue(notification([.topic(Self.queue, events: ["s3:ObjectCreated:*"])]), property: "topics", containing: "not an ARN of sns")
        assertOneIssue(notification([.lambda("mover", permission: nil, events: ["s3:ObjectCreated:*"])]), property: "lambdaFunctions",
                       containing: "not an ARN of lambda")
    }

    func testFiltersAreAtMost1024Characters() {
        assertOneIssue(notification([.queue(Self.queue, events: ["s3:ObjectCreated:*"], suffix: String(repeating: "x", count: 1025))]),
                       property: "queues", containing: "1024")
    }

    func testOverlappingDestinationsAreRefusedAsAWSDoes() {
        // s3:ObjectCreated:* covers Put; "up" is a prefix of "uploads/": AWS refuses both at once.
        assertOneIssue(notification([.lambda(Self.function, permission: nil, events: ["s3:ObjectCreated:*"], prefix: "up"),
                                     .queue(Self.queue, events: ["s3:ObjectCreated:Put"], prefix: "uploads/")]),
                       property: "queues", containing: "overlaps a lambdaFunction destination")
        let apart = notification([.lambda(Self.function, permission: nil, events: ["s3:ObjectCreated:*"], suffix: ".pdf"),
                                  .queue(Self.queue, events: ["s3:ObjectCreated:*"], suffix: ".jpg")])
        XCTAssertEqual(validationIssues(apart), [], "different suffixes do not overlap")
    }

    func testALambdaDestinationIsWrittenAfterItsPermission() {
        let permission = Lambda.Permission("s3", functionName: Self.function, statementID: "AllowS3", principal: "s3.amazonaws.com")
        let declared = notification([.lambda(Self.function, permission: permission, events: ["s3:ObjectCreated:*"])])
        XCTAssertEqual(declared.dependsOn, [permission.address])
    }

    func testDestinationsAndEventsCompareAsSets() {
        let type = BucketNotificationType()
        let first: Value = .list([.map(["arn": "b", "events": ["s3:ObjectRemoved:*", "s3:ObjectCreated:*"]]), .map(["arn": "a", "events": ["s3:ObjectCreated:*"]])])
        let second: Value = .list([.map(["arn": "a", "events": ["s3:ObjectCreated:*"]]), .map(["arn": "b", "events": ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]])])
        XCTAssertEqual(type.normalize("queues", first), type.normalize("queues", second))
    }
}
