import Foundation
@testable import AWS
import XCTest

/// Every CloudWatch call imgstack makes, checked against botocore's `cloudwatch` model in the
/// query protocol (one of the model's `protocols`; botocore itself now prefers CBOR): `Action`,
/// `Version`, each form parameter as a path through the input shape, required members, enum
/// values and limits; and the sample answers the calls parse. Calls rely on the client's region.
final class CloudWatchRequestEncodingTests: XCTestCase {
    private static let model = BotocoreModel.load("cloudwatch", "2010-08-01")
    private static let arn = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:errors"

    @discardableResult
    private func check(_ operation: String, result: String? = nil, _ call: (AWS.CloudWatch) async throws -> Void,
                       file: StaticString = #filePath, line: UInt = #line) async throws -> [String: String] {
        try await checkQueryCall(Self.model, operation, result: result, { try await call($0.cloudWatch) }, file: file, line: line).formParameters
    }

    private static let alarm = AWS.CloudWatch.MetricAlarm(
        name: "errors", namespace: "AWS/Lambda", metricName: "Errors", dimensions: ["FunctionName": "edge", "Resource": "edge:1"],
        statistic: "Sum", period: 300, evaluationPeriods: 3, datapointsToAlarm: 2, threshold: 1.5,
        comparisonOperator: "GreaterThanOrEqualToThreshold", treatMissingData: "notBreaching",
        alarmActions: ["arn:aws:sns:eu-west-1:123456789012:alerts"], okActions: [], description: "edge errors")

    func testModelLoads() {
        XCTAssertNotNil(Self.model.operations["PutMetricAlarm"], "botocore's cloudwatch model was not found")
        XCTAssertTrue((Self.model.metadata["protocols"] as? [String])?.contains("query") ?? false, "CloudWatch no longer speaks the query protocol")
    }

    func testPutMetricAlarmSendsEverySettingByTheModel() async throws {
        let form = try await check("PutMetricAlarm") { try await $0.putMetricAlarm(Self.alarm, tags: ["team": "images"]) }
        XCTAssertEqual(form["AlarmName"], "errors")
        XCTAssertEqual(form["Dimensions.member.1.Name"], "FunctionName")
        XCTAssertEqual(form["Dimensions.member.2.Value"], "edge:1")
        XCTAssertEqual(form["Statistic"], "Sum")
        XCTAssertEqual(form["Period"], "300")
        XCTAssertEqual(form["EvaluationPeriods"], "3")
        XCTAssertEqual(form["DatapointsToAlarm"], "2")
        XCTAssertEqual(Double(form["Threshold"] ?? ""), 1.5)
        XCTAssertEqual(form["TreatMissingData"], "notBreaching")
        XCTAssertEqual(form["AlarmActions.member.1"], "arn:aws:sns:eu-west-1:123456789012:alerts")
        // PutMetricAlarm replaces the whole alarm: an empty list is sent, clearing the actions.
        XCTAssertEqual(form["OKActions"], "")
        XCTAssertEqual(form["AlarmDescription"], "edge errors")
        XCTAssertEqual(form["Tags.member.1.Key"], "team")
        XCTAssertEqual(form["Tags.member.1.Value"], "images")
    }

    func testPutMetricAlarmLeavesOutWhatIsNotSet() async throws {
        let alarm = AWS.CloudWatch.MetricAlarm(name: "latency", namespace: "AWS/CloudFront", metricName: "OriginLatency", statistic: nil,
                                               extendedStatistic: "p99", period: 60, evaluationPeriods: 1, threshold: 800,
                                               comparisonOperator: "GreaterThanThreshold")
        let form = try await check("PutMetricAlarm") { try await $0.putMetricAlarm(alarm) }
        XCTAssertEqual(form["ExtendedStatistic"], "p99")
        for absent in ["Statistic", "DatapointsToAlarm", "TreatMissingData", "AlarmDescription", "Tags", "Dimensions"] {
            XCTAssertNil(form[absent], absent)
        }
    }

    func testDescribeAlarmsAsksForOneMetricAlarmAndDecodesIt() async throws {
        var read: AWS.CloudWatch.MetricAlarm?
        let form = try await check("DescribeAlarms", result: """
            <MetricAlarms><member><AlarmName>errors</AlarmName><AlarmArn>\(Self.arn)</AlarmArn>\
            <AlarmDescription>edge errors</AlarmDescription><ActionsEnabled>true</ActionsEnabled><OKActions/>\
            <AlarmActions><member>arn:aws:sns:eu-west-1:123456789012:alerts</member></AlarmActions><StateValue>OK</StateValue>\
            <MetricName>Errors</MetricName><Namespace>AWS/Lambda</Namespace><Statistic>Sum</Statistic>\
            <Dimensions><member><Name>FunctionName</Name><Value>edge</Value></member><member><Name>Resource</Name><Value>edge:1</Value></member></Dimensions>\
            <Period>300</Period><EvaluationPeriods>3</EvaluationPeriods><DatapointsToAlarm>2</DatapointsToAlarm><Threshold>1.5</Threshold>\
            <ComparisonOperator>GreaterThanOrEqualToThreshold</ComparisonOperator><TreatMissingData>notBreaching</TreatMissingData></member></MetricAlarms>\
            <CompositeAlarms/>
            """) { read = try await $0.metricAlarm("errors") }
        XCTAssertEqual(form["AlarmNames.member.1"], "errors")
        XCTAssertEqual(form["AlarmTypes.member.1"], "MetricAlarm")
        var expected = Self.alarm
        expected.arn = Self.arn
        XCTAssertEqual(read, expected)
    }

    func testDescribeAlarmsWithoutTheAlarmReadsAsNil() async throws {
        var read: AWS.CloudWatch.MetricAlarm?
        try await check("DescribeAlarms", result: "<MetricAlarms/><CompositeAlarms/>") { read = try await $0.metricAlarm("errors") }
        XCTAssertNil(read)
    }

    func testDeleteAndTagCallsMatchTheModel() async throws {
        let delete = try await check("DeleteAlarms") { try await $0.deleteAlarms(["errors", "latency"]) }
        XCTAssertEqual(delete["AlarmNames.member.2"], "latency")
        var tags: [String: String] = [:]
        let list = try await check("ListTagsForResource", result: "<Tags><member><Key>team</Key><Value>images</Value></member></Tags>") {
            tags = try await $0.tags(Self.arn)
        }
        XCTAssertEqual(list["ResourceARN"], Self.arn)
        XCTAssertEqual(tags, ["team": "images"])
        let tag = try await check("TagResource") { try await $0.tagResource(Self.arn, tags: ["team": "images", "stage": "prod"]) }
        XCTAssertEqual(tag["Tags.member.1.Key"], "stage")
        let untag = try await check("UntagResource") { try await $0.untagResource(Self.arn, keys: ["team", "stage"]) }
        XCTAssertEqual(untag["TagKeys.member.1"], "stage")
    }

    func testTheModelCheckRejectsValuesOutsideTheModel() {
        // The checks above are only worth something if they can fail.
        let problems = Self.model.queryProblems(["Action": "PutMetricAlarm", "Version": "2010-08-01", "AlarmName": "a",
                                                 "Statistic": "Median", "Period": "0"], operation: "PutMetricAlarm")
        XCTAssertEqual(problems, [
            "PutMetricAlarm.Period: below 1",
            "PutMetricAlarm.Statistic: Median is not one of [\"SampleCount\", \"Average\", \"Sum\", \"Minimum\", \"Maximum\"]",
        ])
    }
}
