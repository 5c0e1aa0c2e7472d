import AWS
import Engine
import Foundation
@testable import ImgStack
import XCTest

/// Bad input to CloudWatch alarms and SNS topics and subscriptions is refused before any call,
/// naming the resource's address and the property.
final class AlarmAndTopicValidationTests: XCTestCase {
    private func alarm(statistic: String? = "Sum", extendedStatistic: String? = nil, period: Int = 300, evaluationPeriods: Int = 2,
                       datapointsToAlarm: Int? = nil, comparison: String = "GreaterThanThreshold", missing: String = "missing",
                       actions: [Text] = []) -> ImgStack.CloudWatch.MetricAlarm {
        ImgStack.CloudWatch.MetricAlarm("errors", alarmName: "errors", namespace: "AWS/Lambda", metricName: "Errors", statistic: statistic,
                                        extendedStatistic: extendedStatistic, period: period, evaluationPeriods: evaluationPeriods,
                                        datapointsToAlarm: datapointsToAlarm, threshold: 1, comparisonOperator: comparison,
                                        treatMissingData: missing, alarmActions: actions)
    }

    private func assertOneIssue<R: Resource>(_ resource: R, _ property: String, file: StaticString = #filePath, line: UInt = #line) {
        let found = validationIssues(resource)
        XCTAssertEqual(found.count, 1, "\(found)", file: file, line: line)
        XCTAssertEqual(found.first?.subject, resource.address.description, file: file, line: line)
        XCTAssertEqual(found.first?.property, property, file: file, line: line)
    }

    func testAWellFormedAlarmPasses() {
        XCTAssertEqual(validationIssues(alarm()), [])
        XCTAssertEqual(validationIssues(alarm(statistic: nil, extendedStatistic: "p99", datapointsToAlarm: 2)), [])
    }

    func testAlarmNeedsExactlyOneKindOfStatistic() {
        assertOneIssue(alarm(statistic: nil), "statistic")
        assertOneIssue(alarm(extendedStatistic: "p99"), "extendedStatistic")
    }

    func testAlarmStatisticPercentilePeriodAndOperatorAreChecked() {
        assertOneIssue(alarm(statistic: "Median"), "statistic")
        assertOneIssue(alarm(statistic: nil, extendedStatistic: "p101"), "extendedStatistic")
        assertOneIssue(alarm(period: 90), "period")
        assertOneIssue(alarm(comparison: "Bigger"), "comparisonOperator")
        assertOneIssue(alarm(missing: "zero"), "treatMissingData")
    }

    func testAlarmDatapointsMustFitTheEvaluationPeriods() {
        assertOneIssue(alarm(evaluationPeriods: 2, datapointsToAlarm: 3), "datapointsToAlarm")
        assertOneIssue(alarm(evaluationPeriods: 0), "evaluationPeriods")
    }

    func testAlarmTakesAtMostFiveActionsEvenFromReferences() {
        let topic = ImgStack.SNS.Topic("alerts", topicName: "alerts")
        assertOneIssue(alarm(actions: Array(repeating: topic.arn, count: 6)), "alarmActions")
    }

    func testAlarmThresholdAndActionOrderAreNormalised() {
        let type = MetricAlarmType()
        XCTAssertEqual(type.normalize("threshold", 2), .double(2))
        XCTAssertEqual(type.normalize("alarmActions", ["b", "a"]), ["a", "b"])
    }

    func testTopicNamesAreChecked() {
        assertOneIssue(ImgStack.SNS.Topic("alerts", topicName: "has space"), "topicName")
        assertOneIssue(ImgStack.SNS.Topic("alerts", topicName: ".fifo"), "topicName")
        XCTAssertEqual(validationIssues(ImgStack.SNS.Topic("alerts", topicName: "orders.fifo")), [])
        assertOneIssue(ImgStack.SNS.Topic("alerts", topicName: "alerts", displayName: String(repeating: "x", count: 101)), "displayName")
    }

    func testSubscriptionProtocolAndEndpointAreChecked() {
        assertOneIssue(ImgStack.SNS.Subscription("oncall", topicARN: "arn:aws:sns:us-east-1:1:t", protocol: "pager", endpoint: "x"), "protocol")
        assertOneIssue(ImgStack.SNS.Subscription("oncall", topicARN: "arn:aws:sns:us-east-1:1:t", protocol: "email", endpoint: "oncall"), "endpoint")
        assertOneIssue(ImgStack.SNS.Subscription("oncall", topicARN: "arn:aws:sns:us-east-1:1:t", protocol: "sqs", endpoint: "queue"), "endpoint")
        XCTAssertEqual(validationIssues(ImgStack.SNS.Subscription("oncall", topicARN: "arn:aws:sns:us-east-1:1:t", protocol: "email", endpoint: "a@b.c")), [])
    }

    func testPendingEmailSubscriptionDeletionIsExplained() {
        let note = SubscriptionType().deletionNote(["protocol": "email"])
        XCTAssertTrue(note?.contains("three days") == true, note ?? "no note")
        XCTAssertNil(SubscriptionType().deletionNote(["protocol": "sqs"]))
    }
}
