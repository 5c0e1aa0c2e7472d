import Foundation
@testable import AWS
import XCTest

/// Every WAF call imgstack makes, checked against botocore's `wafv2` model: the `X-Amz-Target`
/// and JSON version, body members (names, required ones, enum values, limits), and the sample
/// answers the calls decode.
final class WAFV2RequestEncodingTests: XCTestCase {
    private static let model = BotocoreModel.load("wafv2", "2019-07-29")

    @discardableResult
    private func check(_ operation: String, answer: String = "{}", _ call: (AWS.WAFV2) async throws -> Void,
                       file: StaticString = #filePath, line: UInt = #line) async throws -> [String: Any] {
        let transport = ScriptedTransport(body: answer)
        try await call(scriptedClient(transport, region: "eu-west-2", endpointURL: nil).wafv2(region: "us-east-1"))
        let request = try XCTUnwrap(transport.requests.last, file: file, line: line)
        let metadata = Self.model.metadata
        XCTAssertEqual(request.headers["X-Amz-Target"], "\(metadata["targetPrefix"] as? String ?? "?").\(operation)", file: file, line: line)
        XCTAssertEqual(request.headers["Content-Type"], "application/x-amz-json-\(metadata["jsonVersion"] as? String ?? "?")", file: file, line: line)
        XCTAssertEqual(request.url.host, "wafv2.us-east-1.amazonaws.com", file: file, line: line)
        XCTAssertEqual(Self.model.jsonProblems(request.body, operation: operation), [], file: file, line: line)
        if answer != "{}" {
            XCTAssertEqual(Self.model.jsonAnswerProblems(answer, operation: operation), [], "sample answer", file: file, line: line)
        }
        return request.bodyJSON
    }

    private static let visibility = AWS.WAFV2.VisibilityConfig(sampledRequestsEnabled: true, cloudWatchMetricsEnabled: true, metricName: "upload-api")
    private static let settings = AWS.WAFV2.WebACLSettings(defaultAction: "ALLOW", description: "upload API", rules: [
        .init(name: "common", priority: 0,
              statement: .init(managedRuleGroupStatement: .init(vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet",
                                                                ruleActionOverrides: [.init(name: "SizeRestrictions_BODY", actionToUse: .init("COUNT"))])),
              action: nil, overrideAction: .init("NONE"), visibilityConfig: visibility),
        .init(name: "per-ip", priority: 1, statement: .init(rateBasedStatement: .init(limit: 500, aggregateKeyType: "IP", evaluationWindowSec: 300)),
              action: .init("BLOCK"), overrideAction: nil, visibilityConfig: visibility),
    ], visibilityConfig: visibility)
    private static let arn = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/upload-api/0fb1d8f5-689b-4c77-a141-7e844608d687"
    private static let id = "0fb1d8f5-689b-4c77-a141-7e844608d687"

    func testServiceMetadataMatchesTheModel() {
        XCTAssertEqual(Self.model.metadata["endpointPrefix"] as? String, AWSService.wafv2.endpointPrefix)
        XCTAssertEqual(AWSService.wafv2.wireProtocol, .json(version: "1.1", targetPrefix: "AWSWAF_20190729"))
        XCTAssertEqual(AWSService.environmentID(forServiceID: Self.model.metadata["serviceId"] as? String ?? ""), AWSService.wafv2.endpointEnvironmentID)
    }

    func testCreateWebACLSendsRulesAsTheModelSpellsThem() async throws {
        let answer = #"{"Summary":{"Name":"upload-api","Id":"\#(Self.id)","ARN":"\#(Self.arn)","LockToken":"t1"}}"#
        var summary: AWS.WAFV2.Summary?
        let body = try await check("CreateWebACL", answer: answer) {
            summary = try await $0.createWebACL(name: "upload-api", scope: "CLOUDFRONT", Self.settings, tags: [.init(key: "app", value: "upload")])
        }
        XCTAssertEqual(summary?.lockToken, "t1")
        XCTAssertEqual(body["DefaultAction"] as? [String: [String: String]], ["Allow": [:]])
        let rules = body["Rules"] as? [[String: Any]] ?? []
        XCTAssertEqual((rules.first?["OverrideAction"] as? [String: [String: String]]), ["None": [:]])
        XCTAssertNil(rules.first?["Action"], "a rule group rule has an override action, not an action")
        XCTAssertEqual((rules.last?["Action"] as? [String: [String: String]]), ["Block": [:]])
        XCTAssertNil(body["LockToken"])
    }

    func testGetUpdateAndDeleteCarryTheLockToken() async throws {
        let rules = #"[{"Name":"per-ip","Priority":1,"Statement":{"RateBasedStatement":{"Limit":500,"AggregateKeyType":"IP","EvaluationWindowSec":300}},"Action":{"Block":{}},"VisibilityConfig":{"SampledRequestsEnabled":true,"CloudWatchMetricsEnabled":true,"MetricName":"per-ip"}}]"#
        let answer = #"{"WebACL":{"Name":"upload-api","Id":"\#(Self.id)","ARN":"\#(Self.arn)","DefaultAction":{"Block":{}},"Rules":\#(rules),"VisibilityConfig":{"SampledRequestsEnabled":true,"CloudWatchMetricsEnabled":true,"MetricName":"upload-api"}},"LockToken":"t2"}"#
        var versioned: AWS.WAFV2.Versioned?
        try await check("GetWebACL", answer: answer) { versioned = try await $0.webACL(name: "upload-api", scope: "CLOUDFRONT", id: Self.id) }
        XCTAssertEqual(versioned?.lockToken, "t2")
        XCTAssertEqual(versioned?.webACL.defaultAction.name, "BLOCK")
        XCTAssertEqual(versioned?.webACL.rules?.first?.statement.rateBasedStatement?.limit, 500)
        var next = ""
        let update = try await check("UpdateWebACL", answer: #"{"NextLockToken":"t3"}"#) {
            next = try await $0.updateWebACL(name: "upload-api", scope: "CLOUDFRONT", id: Self.id, Self.settings, lockToken: "t2")
        }
        XCTAssertEqual(update["LockToken"] as? String, "t2")
        XCTAssertEqual(next, "t3")
        let delete = try await check("DeleteWebACL") { try await $0.deleteWebACL(name: "upload-api", scope: "CLOUDFRONT", id: Self.id, lockToken: "t3") }
        XCTAssertEqual(delete["LockToken"] as? String, "t3")
    }

    func testListAndTagCallsMatchTheModel() async throws {
        let list = try await check("ListWebACLs", answer: #"{"WebACLs":[{"Name":"upload-api","Id":"\#(Self.id)","ARN":"\#(Self.arn)","LockToken":"t"}]}"#) {
            let names = try await $0.webACLs(scope: "CLOUDFRONT").map(\.name)
            XCTAssertEqual(names, ["upload-api"])
        }
        XCTAssertEqual(list["Limit"] as? Int, 100)
        try await check("ListTagsForResource", answer: #"{"TagInfoForResource":{"ResourceARN":"\#(Self.arn)","TagList":[{"Key":"app","Value":"upload"}]}}"#) {
            let tags = try await $0.tags(Self.arn)
            XCTAssertEqual(tags, [.init(key: "app", value: "upload")])
        }
        try await check("TagResource") { try await $0.tagResource(Self.arn, tags: [.init(key: "app", value: "upload")]) }
        let untag = try await check("UntagResource") { try await $0.untagResource(Self.arn, keys: ["app"]) }
        XCTAssertEqual(untag["TagKeys"] as? [String], ["app"])
    }

    func testTheModelCheckCatchesALowRateLimitAndAnUnknownScope() {
        // The checks above are only worth something if they can fail.
        let low = Data(#"{"Name":"a","Scope":"CLOUDFRONT","DefaultAction":{"Allow":{}},"VisibilityConfig":{"SampledRequestsEnabled":true,"CloudWatchMetricsEnabled":true,"MetricName":"m"},"Rules":[{"Name":"r","Priority":0,"Statement":{"RateBasedStatement":{"Limit":5,"AggregateKeyType":"IP"}},"Action":{"Block":{}},"VisibilityConfig":{"SampledRequestsEnabled":true,"CloudWatchMetricsEnabled":true,"MetricName":"r"}}]}"#.utf8)
        XCTAssertEqual(Self.model.jsonProblems(low, operation: "CreateWebACL").count, 1)
        let scope = Data(#"{"Scope":"GLOBAL"}"#.utf8)
        XCTAssertEqual(Self.model.jsonProblems(scope, operation: "ListWebACLs").count, 1)
    }
}
