import Foundation
@testable import AWS
import XCTest

/// Every SNS call imgstack makes, checked against botocore's `sns` model: `Action`, `Version`,
/// each form parameter as a path through the input shape (`Attributes.entry.1.key`,
/// `Tags.member.1.Key`), required members, limits; and the sample answers the calls parse.
/// Calls rely on the client's region, as a resource type's calls do.
final class SNSRequestEncodingTests: XCTestCase {
    private static let model = BotocoreModel.load("sns", "2010-03-31")
    private static let topic = "arn:aws:sns:eu-west-1:123456789012:alerts"
    private static let subscription = "arn:aws:sns:eu-west-1:123456789012:alerts:7f6e5d4c-3b2a-1908-7f6e-5d4c3b2a1908"

    @discardableResult
    private func check(_ operation: String, result: String? = nil, _ call: (AWS.SNS) async throws -> Void,
                       file: StaticString = #filePath, line: UInt = #line) async throws -> [String: String] {
        try await checkQueryCall(Self.model, operation, result: result, { try await call($0.sns) }, file: file, line: line).formParameters
    }

    func testModelLoads() {
        XCTAssertNotNil(Self.model.operations["CreateTopic"], "botocore's sns model was not found")
    }

    func testCreateTopicSendsAttributesAsEntriesAndTagsAsMembers() async throws {
        var arn = ""
        let form = try await check("CreateTopic", result: "<TopicArn>\(Self.topic)</TopicArn>") {
            arn = try await $0.createTopic("alerts", attributes: ["DisplayName": "Alerts", "KmsMasterKeyId": "alias/aws/sns"],
                                           tags: ["team": "images", "stage": "prod"])
        }
        XCTAssertEqual(arn, Self.topic)
        XCTAssertEqual(form["Name"], "alerts")
        XCTAssertEqual(form["Attributes.entry.1.key"], "DisplayName")
        XCTAssertEqual(form["Attributes.entry.1.value"], "Alerts")
        XCTAssertEqual(form["Attributes.entry.2.key"], "KmsMasterKeyId")
        XCTAssertEqual(form["Tags.member.1.Key"], "stage")
        XCTAssertEqual(form["Tags.member.2.Value"], "images")
    }

    func testCreateTopicWithoutAttributesOrTagsLeavesThemOut() async throws {
        let form = try await check("CreateTopic", result: "<TopicArn>\(Self.topic)</TopicArn>") {
            _ = try await $0.createTopic("alerts", attributes: [:], tags: [:])
        }
        XCTAssertEqual(Set(form.keys), ["Action", "Version", "Name"])
    }

    func testTopicCallsMatchTheModel() async throws {
        var attributes: [String: String]?
        let get = try await check("GetTopicAttributes", result: """
            <Attributes><entry><key>TopicArn</key><value>\(Self.topic)</value></entry>\
            <entry><key>DisplayName</key><value>Alerts</value></entry></Attributes>
            """) { attributes = try await $0.topicAttributes(Self.topic) }
        XCTAssertEqual(get["TopicArn"], Self.topic)
        XCTAssertEqual(attributes, ["TopicArn": Self.topic, "DisplayName": "Alerts"])
        let set = try await check("SetTopicAttributes") { try await $0.setTopicAttribute(Self.topic, name: "DisplayName", value: "") }
        XCTAssertEqual(set["AttributeName"], "DisplayName")
        XCTAssertEqual(set["AttributeValue"], "", "an empty value removes the attribute")
        try await check("DeleteTopic") { try await $0.deleteTopic(Self.topic) }
    }

    func testMissingTopicReadsAsNil() async throws {
        let error = "<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error></ErrorResponse>"
        let transport = ScriptedTransport(status: 404, body: error)
        let attributes = try await scriptedClient(transport).sns.topicAttributes(Self.topic)
        XCTAssertNil(attributes)
        XCTAssertEqual(transport.requests.count, 1, "NotFound is an answer, not retried")
        XCTAssertEqual(Self.model.queryProblems(transport.requests[0].formParameters, operation: "GetTopicAttributes"), [])
    }

    func testTagCallsMatchTheModel() async throws {
        var tags: [String: String] = [:]
        try await check("ListTagsForResource", result: """
            <Tags><member><Key>team</Key><Value>images</Value></member><member><Key>stage</Key><Value>prod</Value></member></Tags>
            """) { tags = try await $0.tags(Self.topic) }
        XCTAssertEqual(tags, ["team": "images", "stage": "prod"])
        let tag = try await check("TagResource") { try await $0.tagResource(Self.topic, tags: ["team": "images"]) }
        XCTAssertEqual(tag["ResourceArn"], Self.topic)
        XCTAssertEqual(tag["Tags.member.1.Key"], "team")
        let untag = try await check("UntagResource") { try await $0.untagResource(Self.topic, keys: ["team", "stage"]) }
        XCTAssertEqual(untag["TagKeys.member.1"], "stage")
        XCTAssertEqual(untag["TagKeys.member.2"], "team")
    }

    func testSubscriptionCallsMatchTheModel() async throws {
        var arn = ""
        let subscribe = try await check("Subscribe", result: "<SubscriptionArn>\(Self.subscription)</SubscriptionArn>") {
            arn = try await $0.subscribe(topicARN: Self.topic, protocol: "email", endpoint: "ops@example.com")
        }
        XCTAssertEqual(arn, Self.subscription)
        XCTAssertEqual(subscribe["ReturnSubscriptionArn"], "true", "a subscription pending confirmation still comes back with its ARN")
        XCTAssertEqual(subscribe["Protocol"], "email")
        XCTAssertEqual(subscribe["Endpoint"], "ops@example.com")

        var attributes: [String: String]?
        try await check("GetSubscriptionAttributes", result: """
            <Attributes><entry><key>Protocol</key><value>email</value></entry>\
            <entry><key>PendingConfirmation</key><value>true</value></entry></Attributes>
            """) { attributes = try await $0.subscriptionAttributes(Self.subscription) }
        XCTAssertEqual(attributes?["PendingConfirmation"], "true")

        var subscriptions: [AWS.SNS.Subscription] = []
        try await check("ListSubscriptionsByTopic", result: """
            <Subscriptions><member><SubscriptionArn>\(Self.subscription)</SubscriptionArn><Owner>123456789012</Owner>\
            <Protocol>email</Protocol><Endpoint>ops@example.com</Endpoint><TopicArn>\(Self.topic)</TopicArn></member></Subscriptions>
            """) { subscriptions = try await $0.subscriptions(topicARN: Self.topic) }
        XCTAssertEqual(subscriptions, [.init(arn: Self.subscription, topicARN: Self.topic, protocol: "email", endpoint: "ops@example.com")])

        let unsubscribe = try await check("Unsubscribe") { try await $0.unsubscribe(Self.subscription) }
        XCTAssertEqual(unsubscribe["SubscriptionArn"], Self.subscription)
    }

    func testSubscriptionsFollowNextTokenPages() async throws {
        func page(_ endpoint: String, next: String?) -> String {
            """
            <ListSubscriptionsByTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ListSubscriptionsByTopicResult>\
            <Subscriptions><member><SubscriptionArn>PendingConfirmation</SubscriptionArn><Protocol>email</Protocol>\
            <Endpoint>\(endpoint)</Endpoint><TopicArn>\(Self.topic)</TopicArn></member></Subscriptions>\
            \(next.map { "<NextToken>\($0)</NextToken>" } ?? "")</ListSubscriptionsByTopicResult></ListSubscriptionsByTopicResponse>
            """
        }
        let first = page("a@example.com", next: "t2")
        XCTAssertEqual(Self.model.queryAnswerProblems(first, operation: "ListSubscriptionsByTopic"), [])
        let transport = ScriptedTransport([HTTPResponse.xml(200, first), HTTPResponse.xml(200, page("b@example.com", next: nil))])
        let subscriptions = try await scriptedClient(transport).sns.subscriptions(topicARN: Self.topic)
        XCTAssertEqual(subscriptions.map(\.endpoint), ["a@example.com", "b@example.com"])
        XCTAssertEqual(subscriptions.first?.arn, "PendingConfirmation")
        XCTAssertEqual(transport.requests.count, 2)
        XCTAssertNil(transport.requests[0].formParameters["NextToken"])
        XCTAssertEqual(transport.requests[1].formParameters["NextToken"], "t2")
        for request in transport.requests {
            XCTAssertEqual(Self.model.queryProblems(request.formParameters, operation: "ListSubscriptionsByTopic"), [])
        }
    }

    func testTheModelCheckRejectsMapsNotSentAsEntries() {
        // The checks above are only worth something if they can fail.
        let problems = Self.model.queryProblems(["Action": "CreateTopic", "Version": "2010-03-31", "Name": "alerts",
                                                 "Attributes.1.key": "DisplayName", "Attributes.entry.1.name": "x"], operation: "CreateTopic")
        XCTAssertEqual(problems, [
            "CreateTopic.Attributes.1.key: map entries must be under .entry.",
            "CreateTopic.Attributes.entry.1.name: map entry members are key and value",
        ])
    }
}
