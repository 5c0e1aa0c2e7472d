import AWS
import Engine
import Foundation
import ImgStack
import XCTest

private typealias CF = ImgStack.CloudFront

/// A distribution in front of an API Gateway stage, against the emulator: a custom origin (HTTPS
/// only, the stage as origin path), a behaviour that forwards every viewer header but `Host` and
/// caches nothing, and a WAFv2 web ACL associated by its ARN. Read back through the CloudFront API;
/// empty re-plan; the web ACL removed in place; destroy.
final class APIOriginTests: XCTestCase {
    private static let apiDomain = "abc123defg.execute-api.eu-west-2.amazonaws.com"

    private func declare(acl name: String, associate: Bool) -> Stack {
        Stack("cloudfront-api") { stack in
            let firewall = stack.add(ImgStack.WAFv2.WebACL("edge", name: Text(name), scope: .cloudFront,
                                                           rules: [.rateLimit(name: "per-ip", priority: 0, limit: 300)], metricName: "upload"))
            stack.add(CF.Distribution(
                "api", comment: "upload API",
                origins: [CF.Origin.custom(id: "api", domainName: Text(Self.apiDomain), originPath: "/prod")],
                defaultCacheBehavior: CF.CacheBehavior(
                    targetOriginID: "api", viewerProtocolPolicy: "https-only", allowedMethods: CF.CacheBehavior.allMethods,
                    cachePolicyID: Text(CF.CacheBehavior.cachingDisabled),
                    originRequestPolicyID: Text(CF.CacheBehavior.allViewerExceptHostHeader), compress: false),
                webACLID: associate ? firewall.arn : nil))
        }
    }

    func testDistributionInFrontOfAnAPIStageWithAWebACL() async throws {
        let harness = try StackHarness(region: "eu-west-2")
        let name = "upload-\(UUID().uuidString.prefix(8).lowercased())"
        try await harness.apply(declare(acl: name, associate: true))

        let aclSnapshot = try await harness.snapshot("wafv2.web_acl.edge")
        let aclARN = try XCTUnwrap(aclSnapshot?.attributes["arn"]?.stringValue)
        XCTAssertTrue(aclARN.hasPrefix("arn:aws:wafv2:us-east-1:123456789012:global/webacl/\(name)/"), aclARN)
        let distributionSnapshot = try await harness.snapshot("cloudfront.distribution.api")
        let id = try XCTUnwrap(distributionSnapshot?.id)
        let config = try await harness.aws.cloudFront.getDistribution(id).config
        XCTAssertEqual(config.origins, [AWS.CloudFront.Origin(
            id: "api", domainName: Self.apiDomain, originPath: "/prod",
            custom: AWS.CloudFront.CustomOriginConfig(protocolPolicy: "https-only", sslProtocols: ["TLSv1.2"]))])
        XCTAssertEqual(config.webACLID, aclARN)
        let behavior = config.defaultCacheBehavior
        XCTAssertEqual(Set(behavior.allowedMethods), Set(CF.CacheBehavior.allMethods))
        XCTAssertEqual(Set(behavior.cachedMethods), ["GET", "HEAD"], "POST is never cached")
        XCTAssertEqual(behavior.cachePolicyID, "4135ea2d-6df8-44a3-9df3-4b5a84be39ad")
        XCTAssertEqual(behavior.originRequestPolicyID, "b689b0a8-53d0-40ab-baf2-68738e2966ac")
        XCTAssertEqual(behavior.viewerProtocolPolicy, "https-only")

        let again = try await harness.plan(declare(acl: name, associate: true))
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        let detach = try await harness.apply(declare(acl: name, associate: false))
        XCTAssertEqual(StackHarness.action(detach, "cloudfront.distribution.api"), .update)
        let detached = try await harness.aws.cloudFront.getDistribution(id)
        XCTAssertEqual(detached.config.webACLID, "")

        try await harness.destroy(declare(acl: name, associate: false))
    }
}
