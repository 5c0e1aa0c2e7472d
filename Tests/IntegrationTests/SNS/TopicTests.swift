import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// SNS topics and subscriptions against the emulator: create, read back through the AWS API,
/// empty plan, update in place, replacement, deletion.
final class TopicTests: XCTestCase {
    private func stack(_ build: @escaping @Sendable (StackBuilder) -> Void) -> Stack { Stack("sns-test", body: build) }

    func testTopicAndEmailSubscriptionLifecycle() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        func declare(topicName: String, displayName: String, tags: [String: Text], email: String) -> Stack {
            stack { stack in
                let topic = stack.add(SNS.Topic("alerts", topicName: Text(topicName), displayName: displayName, tags: tags))
                stack.add(SNS.Subscription("oncall", topicARN: topic.arn, protocol: "email", endpoint: Text(email)))
            }
        }
        let first = declare(topicName: "alerts-\(tag)", displayName: "Alerts", tags: ["team": "images"], email: "oncall-\(tag)@example.com")
        try await harness.apply(first)

        let sns = harness.aws.sns
        let topicARN = "arn:aws:sns:us-east-1:123456789012:alerts-\(tag)"
        let attributes = try await sns.topicAttributes(topicARN)
        XCTAssertEqual(attributes?["DisplayName"], "Alerts")
        let topicTags = try await sns.tags(topicARN)
        XCTAssertEqual(declaredTags(topicTags), ["team": "images"])
        XCTAssertNotNil(topicTags["imgstack:intent"], "created with imgstack's intent tag")
        let recorded = try await harness.snapshot("sns.topic_subscription.oncall")
        let subscriptionID = try XCTUnwrap(recorded?.id)
        XCTAssertTrue(subscriptionID.hasPrefix("\(topicARN):"), subscriptionID)
        let subscription = try await sns.subscriptionAttributes(subscriptionID)
        XCTAssertEqual(subscription?["Protocol"], "email")
        XCTAssertEqual(subscription?["Endpoint"], "oncall-\(tag)@example.com")
        XCTAssertEqual(subscription?["TopicArn"], topicARN)

        let again = try await harness.plan(first)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        // Display name and tags change in place; a new endpoint replaces the subscription.
        let second = declare(topicName: "alerts-\(tag)", displayName: "Image alerts", tags: ["team": "edge"], email: "ops-\(tag)@example.com")
        let plan = try await harness.apply(second)
        XCTAssertEqual(StackHarness.action(plan, "sns.topic.alerts"), .update)
        XCTAssertEqual(StackHarness.action(plan, "sns.topic_subscription.oncall"), .replace)
        let renamed = try await sns.topicAttributes(topicARN)
        XCTAssertEqual(renamed?["DisplayName"], "Image alerts")
        let retagged = try await sns.tags(topicARN)
        XCTAssertEqual(declaredTags(retagged), ["team": "edge"])
        let endpoints = try await sns.subscriptions(topicARN: topicARN).map(\.endpoint)
        XCTAssertEqual(endpoints, ["ops-\(tag)@example.com"])
        let afterUpdate = try await harness.plan(second)
        XCTAssertFalse(afterUpdate.hasChanges, HumanPlanRenderer().render(afterUpdate))

        // A new topic name replaces the topic and the subscription on it.
        let third = declare(topicName: "alerts2-\(tag)", displayName: "Image alerts", tags: ["team": "edge"], email: "ops-\(tag)@example.com")
        let replacement = try await harness.plan(third)
        XCTAssertEqual(StackHarness.action(replacement, "sns.topic.alerts"), .replace)
        XCTAssertEqual(replacement.changes.first { $0.address.description == "sns.topic.alerts" }?.replacePaths, ["topicName"])
        XCTAssertEqual(StackHarness.action(replacement, "sns.topic_subscription.oncall"), .replace)
        try await harness.apply(third)
        let oldTopic = try await sns.topicAttributes(topicARN)
        XCTAssertNil(oldTopic)

        try await harness.destroy(third)
        let gone = try await sns.topicAttributes("arn:aws:sns:us-east-1:123456789012:alerts2-\(tag)")
        XCTAssertNil(gone)
        let state = try await harness.state
        XCTAssertTrue(state.resources.isEmpty)
    }
}
