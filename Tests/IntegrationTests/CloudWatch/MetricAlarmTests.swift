import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// CloudWatch metric alarms against the emulator: create, read back through the AWS API,
/// empty plan, update in place, replacement, deletion, and an alarm in another region.
final class MetricAlarmTests: XCTestCase {
    private func stack(_ build: @escaping @Sendable (StackBuilder) -> Void) -> Stack { Stack("cloudwatch-test", body: build) }

    func testAlarmLifecycleInAnotherRegion() async throws {
        let harness = try StackHarness(region: "eu-west-1")
        let tag = UUID().uuidString.prefix(8).lowercased()
        func declare(alarmName: String, threshold: Double, missing: String, description: String, tags: [String: Text]) -> Stack {
            stack { stack in
                let topic = stack.add(SNS.Topic("alerts", topicName: Text("alarms-\(tag)")))
                stack.add(CloudWatch.MetricAlarm("errors", alarmName: Text(alarmName), namespace: "AWS/Lambda", metricName: "Errors",
                                                 dimensions: ["FunctionName": Text("us-east-1.auth-\(tag)")], statistic: "Sum", period: 300,
                                                 evaluationPeriods: 2, datapointsToAlarm: 1, threshold: threshold,
                                                 comparisonOperator: "GreaterThanOrEqualToThreshold", treatMissingData: missing,
                                                 alarmActions: [topic.arn], okActions: [topic.arn], description: description, tags: tags,
                                                 region: "us-east-1"))
            }
        }
        let first = declare(alarmName: "errors-\(tag)", threshold: 1, missing: "notBreaching", description: "edge errors", tags: ["team": "images"])
        try await harness.apply(first)

        let east = StackHarness.client(emulator: harness.emulator, region: "us-east-1")
        let found = try await east.cloudWatch.metricAlarm("errors-\(tag)")
        let alarm = try XCTUnwrap(found, "the alarm is in us-east-1")
        let topicARN = "arn:aws:sns:eu-west-1:123456789012:alarms-\(tag)"
        XCTAssertEqual(alarm.namespace, "AWS/Lambda")
        XCTAssertEqual(alarm.metricName, "Errors")
        XCTAssertEqual(alarm.dimensions, ["FunctionName": "us-east-1.auth-\(tag)"])
        XCTAssertEqual(alarm.statistic, "Sum")
        XCTAssertEqual(alarm.period, 300)
        XCTAssertEqual(alarm.evaluationPeriods, 2)
        XCTAssertEqual(alarm.datapointsToAlarm, 1)
        XCTAssertEqual(alarm.threshold, 1)
        XCTAssertEqual(alarm.comparisonOperator, "GreaterThanOrEqualToThreshold")
        XCTAssertEqual(alarm.treatMissingData, "notBreaching")
        XCTAssertEqual(alarm.alarmActions, [topicARN])
        XCTAssertEqual(alarm.okActions, [topicARN])
        XCTAssertEqual(alarm.description, "edge errors")
        let tags = try await east.cloudWatch.tags(try XCTUnwrap(alarm.arn))
        XCTAssertEqual(declaredTags(tags), ["team": "images"])
        XCTAssertNotNil(tags["imgstack:intent"], "created with imgstack's intent tag")
        let inStackRegion = try await harness.aws.cloudWatch.metricAlarm("errors-\(tag)")
        XCTAssertNil(inStackRegion)

        let again = try await harness.plan(first)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        let second = declare(alarmName: "errors-\(tag)", threshold: 2.5, missing: "missing", description: "edge errors", tags: ["team": "edge"])
        let update = try await harness.apply(second)
        XCTAssertEqual(StackHarness.action(update, "cloudwatch.metric_alarm.errors"), .update)
        let updated = try await east.cloudWatch.metricAlarm("errors-\(tag)")
        XCTAssertEqual(updated?.threshold, 2.5)
        XCTAssertEqual(updated?.treatMissingData, "missing")
        let retagged = try await east.cloudWatch.tags(try XCTUnwrap(updated?.arn))
        XCTAssertEqual(declaredTags(retagged), ["team": "edge"])
        let afterUpdate = try await harness.plan(second)
        XCTAssertFalse(afterUpdate.hasChanges, HumanPlanRenderer().render(afterUpdate))

        let third = declare(alarmName: "errors2-\(tag)", threshold: 2.5, missing: "missing", description: "edge errors", tags: ["team": "edge"])
        let replace = try await harness.apply(third)
        XCTAssertEqual(StackHarness.action(replace, "cloudwatch.metric_alarm.errors"), .replace)
        let old = try await east.cloudWatch.metricAlarm("errors-\(tag)")
        XCTAssertNil(old)

        try await harness.destroy(third)
        let gone = try await east.cloudWatch.metricAlarm("errors2-\(tag)")
        XCTAssertNil(gone)
    }
}
