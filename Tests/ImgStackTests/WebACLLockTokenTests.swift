import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// A web ACL changed by someone else between imgstack's read of its lock token and its update:
/// WAF refuses the stale token (`WAFOptimisticLockException`), imgstack reads the web ACL again
/// and sends the change once more, and only once. The emulator cannot stage that race.
final class WebACLLockTokenTests: XCTestCase {
    private static func answer(_ body: String) -> HTTPResponse { HTTPResponse(statusCode: 200, body: Data(body.utf8)) }

    private static func version(_ token: String) -> HTTPResponse {
        answer(#"{"WebACL":{"Name":"edge","Id":"1111","ARN":"arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/1111","DefaultAction":{"Block":{}},"Rules":[],"VisibilityConfig":{"SampledRequestsEnabled":true,"CloudWatchMetricsEnabled":true,"MetricName":"edge"}},"LockToken":"\#(token)"}"#)
    }

    private static let stale = HTTPResponse(statusCode: 400, headers: ["x-amzn-ErrorType": "WAFOptimisticLockException"],
                                            body: Data(#"{"__type":"WAFOptimisticLockException","Message":"someone changed the resource"}"#.utf8))

    private func update(_ script: Script) async throws {
        var configuration = AWSClient.Configuration(region: "us-east-1", environment: [:])
        configuration.retry = RetryPolicy(maxAttempts: 1, baseDelay: 0.001)
        let aws = AWSClient(configuration: configuration, credentials: { AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret") },
                            transport: script)
        let context = OperationContext(address: Address(type: "wafv2.web_acl", name: "edge"), region: "us-east-1", client: aws)
        let current = ResourceSnapshot(id: "1111", properties: ["name": "edge", "scope": "CLOUDFRONT", "defaultAction": "ALLOW", "metricName": "edge"],
                                       attributes: ["arn": "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/1111"])
        var desired = current.properties
        desired["defaultAction"] = "BLOCK"
        _ = try await WAFv2.WebACL.makeType().update(current, to: desired, changed: ["defaultAction"], context: context)
    }

    private func lockToken(_ request: HTTPRequest) -> String? {
        ((try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any])?["LockToken"] as? String
    }

    func testAStaleLockTokenIsReadAgainAndTheChangeSentOnceMore() async throws {
        let script = Script([Self.version("t1"), Self.stale, Self.version("t2"), Self.answer(#"{"NextLockToken":"t3"}"#), Self.version("t3")])
        try await update(script)
        let targets = script.requests.map { $0.headers["X-Amz-Target"] ?? "" }
        XCTAssertEqual(targets, ["AWSWAF_20190729.GetWebACL", "AWSWAF_20190729.UpdateWebACL", "AWSWAF_20190729.GetWebACL",
                                 "AWSWAF_20190729.UpdateWebACL", "AWSWAF_20190729.GetWebACL"])
        XCTAssertEqual(lockToken(script.requests[1]), "t1")
        XCTAssertEqual(lockToken(script.requests[3]), "t2", "the retry carries the fresh token")
    }

    func testASecondStaleLockTokenIsNotRetriedAgain() async throws {
        let script = Script([Self.version("t1"), Self.stale, Self.version("t2"), Self.stale, Self.version("t3")])
        do {
            try await update(script)
            XCTFail("a second refusal must surface")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, .wafOptimisticLockException)
        }
        XCTAssertEqual(script.requests.count, 4, "one retry, no more")
    }
}
