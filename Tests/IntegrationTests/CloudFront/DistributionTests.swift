import AWS
import Engine
import Foundation
import ImgStack
import XCTest

private typealias CF = ImgStack.CloudFront

/// CloudFront resource types against the emulator (with the launcher's patches for origin
/// access control ids, Lambda associations, ETags and response headers policies), read back
/// through the CloudFront API.
final class DistributionTests: XCTestCase {
    private func unique(_ base: String) -> String { "\(base)-\(UUID().uuidString.lowercased().prefix(8))" }
    private func stack(_ build: @escaping @Sendable (StackBuilder) -> Void) -> Stack { Stack("cloudfront-test", body: build) }
    private static let edgeARN = "arn:aws:lambda:us-east-1:123456789012:function:edge-auth:3"

    private static func distribution(oac: CF.OriginAccessControl, cors: CF.ResponseHeadersPolicy, comment: String,
                              tags: [String: Text] = ["team": "web"]) -> CF.Distribution {
        CF.Distribution(
            "cdn", comment: comment,
            origins: [CF.Origin(id: "images", domainName: "images-bucket.s3.us-east-1.amazonaws.com", originPath: "/public",
                                originAccessControlID: oac.id)],
            defaultCacheBehavior: CF.CacheBehavior(
                targetOriginID: "images", allowedMethods: ["HEAD", "GET", "OPTIONS"], cachedMethods: ["GET", "HEAD"],
                originRequestPolicyID: Text(CF.CacheBehavior.corsS3Origin), responseHeadersPolicyID: cors.id,
                lambdaAssociations: [CF.LambdaAssociation(eventType: "viewer-request", lambdaARN: Text(Self.edgeARN))]),
            orderedCacheBehaviors: [CF.CacheBehavior(pathPattern: "/static/*", targetOriginID: "images", viewerProtocolPolicy: "https-only",
                                                     cachePolicyID: Text(CF.CacheBehavior.cachingDisabled), compress: false)],
            customErrorResponses: [CF.CustomErrorResponse(errorCode: 403, responseCode: 200, responsePagePath: "/index.html")],
            priceClass: "PriceClass_100", defaultRootObject: "index.html",
            logging: CF.Logging(bucket: "logs-bucket.s3.amazonaws.com", prefix: "cdn/"),
            httpVersion: "http2and3", tags: tags)
    }

    func testDistributionWithOriginAccessControlAndCORSPolicyLifecycle() async throws {
        let harness = try StackHarness()
        let oacName = unique("oac")
        let policyName = unique("cors")
        func full(comment: String, tags: [String: Text] = ["team": "web"]) -> Stack {
            stack { stack in
                let oac = stack.add(CF.OriginAccessControl("images", controlName: oacName, description: "images bucket"))
                let cors = stack.add(CF.ResponseHeadersPolicy("cors", policyName: policyName, comment: "preflight",
                                                              cors: CF.CORSConfig(exposeHeaders: ["ETag"])))
                stack.add(Self.distribution(oac: oac, cors: cors, comment: comment, tags: tags))
            }
        }
        let created = try await harness.apply(full(comment: "image server"))
        XCTAssertEqual(StackHarness.action(created, "cloudfront.distribution.cdn"), .create)

        let cloudFront = harness.aws.cloudFront
        let oacIDSnapshot = try await harness.snapshot("cloudfront.origin_access_control.images")?.id
        let oacID = try XCTUnwrap(oacIDSnapshot)
        let policyIDSnapshot = try await harness.snapshot("cloudfront.response_headers_policy.cors")?.id
        let policyID = try XCTUnwrap(policyIDSnapshot)
        let distributionIDSnapshot = try await harness.snapshot("cloudfront.distribution.cdn")?.id
        let distributionID = try XCTUnwrap(distributionIDSnapshot)

        let oac = try await cloudFront.originAccessControls.get(oacID)
        XCTAssertEqual(oac.config, AWS.CloudFront.OriginAccessControlConfig(name: oacName, description: "images bucket"))
        let policy = try await cloudFront.responseHeadersPolicies.get(policyID)
        XCTAssertEqual(policy.config.name, policyName)
        XCTAssertEqual(policy.config.comment, "preflight")
        XCTAssertEqual(policy.config.cors, AWS.CloudFront.CORSConfig(allowOrigins: ["*"], allowHeaders: ["*"], allowMethods: ["GET", "HEAD", "OPTIONS"],
                                                                    exposeHeaders: ["ETag"], maxAgeSeconds: 600, originOverride: true))

        let live = try await cloudFront.getDistribution(distributionID)
        XCTAssertEqual(live.status, "Deployed")
        let config = live.config
        XCTAssertTrue(config.enabled)
        XCTAssertEqual(config.comment, "image server")
        XCTAssertEqual(config.origins, [AWS.CloudFront.Origin(id: "images", domainName: "images-bucket.s3.us-east-1.amazonaws.com",
                                                               originPath: "/public", originAccessControlID: oacID)])
        XCTAssertEqual(config.defaultCacheBehavior.targetOriginID, "images")
        XCTAssertEqual(config.defaultCacheBehavior.viewerProtocolPolicy, "redirect-to-https")
        XCTAssertEqual(Set(config.defaultCacheBehavior.allowedMethods), ["GET", "HEAD", "OPTIONS"])
        XCTAssertEqual(config.defaultCacheBehavior.cachePolicyID, CF.CacheBehavior.cachingOptimized)
        XCTAssertEqual(config.defaultCacheBehavior.originRequestPolicyID, CF.CacheBehavior.corsS3Origin)
        XCTAssertEqual(config.defaultCacheBehavior.responseHeadersPolicyID, policyID)
        XCTAssertEqual(config.defaultCacheBehavior.lambdaFunctionAssociations,
                       [AWS.CloudFront.LambdaFunctionAssociation(arn: Self.edgeARN, eventType: "viewer-request")])
        XCTAssertEqual(config.cacheBehaviors.map(\.pathPattern), ["/static/*"])
        XCTAssertEqual(config.cacheBehaviors.first?.viewerProtocolPolicy, "https-only")
        XCTAssertEqual(config.cacheBehaviors.first?.compress, false)
        XCTAssertEqual(config.customErrorResponses, [AWS.CloudFront.CustomErrorResponse(errorCode: 403, responsePagePath: "/index.html",
                                                                                       responseCode: "200", errorCachingMinTTL: 10)])
        XCTAssertEqual(config.priceClass, "PriceClass_100")
        XCTAssertEqual(config.defaultRootObject, "index.html")
        XCTAssertEqual(config.logging, AWS.CloudFront.Logging(bucket: "logs-bucket.s3.amazonaws.com", prefix: "cdn/"))
        XCTAssertEqual(config.httpVersion, "http2and3")
        XCTAssertTrue(config.isIPV6Enabled)
        let tags = try await cloudFront.listTags(live.arn)
        XCTAssertEqual(tags.first { $0.key == "team" }?.value, "web")
        let snapshot = try await harness.snapshot("cloudfront.distribution.cdn")
        XCTAssertEqual(snapshot?.attributes["domainName"], .string(live.domainName))
        XCTAssertEqual(snapshot?.attributes["hostedZoneID"], "Z2FDTNDATAQYW2")
        // The intent tag is imgstack's own and never shows as a declared tag.
        XCTAssertEqual(snapshot?.properties["tags"], ["team": "web"])

        let again = try await harness.plan(full(comment: "image server"))
        for change in again.changes {
            XCTAssertEqual(change.action, .noop, "\(change.address): \(change.changedProperties)")
        }

        // In place: the configuration with the ETag of GetDistributionConfig, tags on their own.
        let update = try await harness.apply(full(comment: "image server v2", tags: ["team": "images"]))
        XCTAssertEqual(StackHarness.action(update, "cloudfront.distribution.cdn"), .update)
        let updated = try await cloudFront.getDistribution(distributionID)
        XCTAssertEqual(updated.config.comment, "image server v2")
        XCTAssertEqual(updated.config.callerReference, live.config.callerReference)
        XCTAssertNotEqual(updated.etag, live.etag)
        let newTags = try await cloudFront.listTags(live.arn)
        XCTAssertEqual(newTags.first { $0.key == "team" }?.value, "images")
        let replanned = try await harness.plan(full(comment: "image server v2", tags: ["team": "images"]))
        XCTAssertEqual(StackHarness.action(replanned, "cloudfront.distribution.cdn"), .noop)

        // Nothing in a distribution forces replacement; `--replace` does.
        let cdn = Address(type: CF.Distribution.typeName, name: "cdn")
        let replace = try await harness.apply(full(comment: "image server v2", tags: ["team": "images"]),
                                              options: PlanOptions(forceReplace: [cdn]))
        XCTAssertEqual(StackHarness.action(replace, "cloudfront.distribution.cdn"), .replace)
        let replacementIDSnapshot = try await harness.snapshot("cloudfront.distribution.cdn")?.id
        let replacementID = try XCTUnwrap(replacementIDSnapshot)
        XCTAssertNotEqual(replacementID, distributionID)
        try await assertGone { _ = try await cloudFront.getDistribution(distributionID) }

        // Destroy disables, waits and deletes (the emulator refuses deleting an enabled one),
        // then the policy and the control, which the distribution used.
        try await harness.destroy(stack { _ in })
        try await assertGone { _ = try await cloudFront.getDistribution(replacementID) }
        try await assertGone { _ = try await cloudFront.originAccessControls.get(oacID) }
        try await assertGone { _ = try await cloudFront.responseHeadersPolicies.get(policyID) }
    }

    func testOriginAccessControlUpdatesInPlaceAndReplacesForANewOriginType() async throws {
        let harness = try StackHarness()
        let name = unique("oac")
        func control(_ description: String, originType: String = "s3") -> Stack {
            stack { $0.add(CF.OriginAccessControl("ctl", controlName: name, description: description, originType: originType)) }
        }
        try await harness.apply(control("first"))
        let idSnapshot = try await harness.snapshot("cloudfront.origin_access_control.ctl")?.id
        let id = try XCTUnwrap(idSnapshot)
        let noop = try await harness.plan(control("first"))
        XCTAssertEqual(StackHarness.action(noop, "cloudfront.origin_access_control.ctl"), .noop)

        let update = try await harness.apply(control("second"))
        XCTAssertEqual(StackHarness.action(update, "cloudfront.origin_access_control.ctl"), .update)
        let updated = try await harness.aws.cloudFront.originAccessControls.get(id)
        XCTAssertEqual(updated.config.description, "second")

        let replace = try await harness.apply(control("second", originType: "mediastore"))
        XCTAssertEqual(StackHarness.action(replace, "cloudfront.origin_access_control.ctl"), .replace)
        let newIDSnapshot = try await harness.snapshot("cloudfront.origin_access_control.ctl")?.id
        let newID = try XCTUnwrap(newIDSnapshot)
        let replaced = try await harness.aws.cloudFront.originAccessControls.get(newID)
        XCTAssertEqual(replaced.config.originType, "mediastore")
        try await assertGone { _ = try await harness.aws.cloudFront.originAccessControls.get(id) }

        try await harness.destroy(stack { _ in })
        try await assertGone { _ = try await harness.aws.cloudFront.originAccessControls.get(newID) }
    }

    func testResponseHeadersPolicyCORSChangeUpdatesWithTheCurrentETag() async throws {
        let harness = try StackHarness()
        let name = unique("cors")
        func policy(_ cors: CF.CORSConfig?) -> Stack {
            stack { $0.add(CF.ResponseHeadersPolicy("cors", policyName: name, cors: cors)) }
        }
        try await harness.apply(policy(CF.CORSConfig(allowMethods: ["OPTIONS", "GET", "HEAD"])))
        let idSnapshot = try await harness.snapshot("cloudfront.response_headers_policy.cors")?.id
        let id = try XCTUnwrap(idSnapshot)
        // Methods listed in another order are the same set.
        let noop = try await harness.plan(policy(CF.CORSConfig(allowMethods: ["GET", "HEAD", "OPTIONS"])))
        XCTAssertEqual(StackHarness.action(noop, "cloudfront.response_headers_policy.cors"), .noop)

        let before = try await harness.aws.cloudFront.responseHeadersPolicies.get(id)
        let update = try await harness.apply(policy(CF.CORSConfig(allowOrigins: ["https://example.com"], allowCredentials: true, maxAgeSeconds: 60)))
        XCTAssertEqual(StackHarness.action(update, "cloudfront.response_headers_policy.cors"), .update)
        let after = try await harness.aws.cloudFront.responseHeadersPolicies.get(id)
        XCTAssertEqual(after.config.cors?.allowOrigins, ["https://example.com"])
        XCTAssertEqual(after.config.cors?.allowCredentials, true)
        XCTAssertEqual(after.config.cors?.maxAgeSeconds, 60)
        XCTAssertNotEqual(after.etag, before.etag)

        let removed = try await harness.apply(policy(nil))
        XCTAssertEqual(StackHarness.action(removed, "cloudfront.response_headers_policy.cors"), .update)
        let bare = try await harness.aws.cloudFront.responseHeadersPolicies.get(id)
        XCTAssertNil(bare.config.cors)

        try await harness.destroy(stack { _ in })
        try await assertGone { _ = try await harness.aws.cloudFront.responseHeadersPolicies.get(id) }
    }

    func testResponseHeadersPolicySecurityHeadersAreSetReadBackUpdatedAndRemoved() async throws {
        let harness = try StackHarness()
        let name = unique("headers")
        func policy(_ headers: CF.SecurityHeadersConfig?) -> Stack {
            stack { $0.add(CF.ResponseHeadersPolicy("headers", policyName: name, securityHeaders: headers)) }
        }
        let strict = CF.SecurityHeadersConfig(contentSecurityPolicy: "default-src 'none'; sandbox", frameOptions: "DENY")
        try await harness.apply(policy(strict))
        let idSnapshot = try await harness.snapshot("cloudfront.response_headers_policy.headers")?.id
        let id = try XCTUnwrap(idSnapshot)
        // Read back through the CloudFront API, not imgstack's state.
        let created = try await harness.aws.cloudFront.responseHeadersPolicies.get(id)
        XCTAssertEqual(created.config.securityHeaders?.contentSecurityPolicy, .init("default-src 'none'; sandbox"))
        XCTAssertEqual(created.config.securityHeaders?.contentTypeOptions, .init(true))
        XCTAssertEqual(created.config.securityHeaders?.frameOptions, .init("DENY"))
        XCTAssertNil(created.config.securityHeaders?.referrerPolicy)
        XCTAssertNil(created.config.cors)
        let noop = try await harness.plan(policy(strict))
        XCTAssertEqual(StackHarness.action(noop, "cloudfront.response_headers_policy.headers"), .noop)

        let changed = CF.SecurityHeadersConfig(contentSecurityPolicy: "default-src 'self'", contentTypeOptions: false,
                                               referrerPolicy: "no-referrer", override: false)
        let update = try await harness.apply(policy(changed))
        XCTAssertEqual(StackHarness.action(update, "cloudfront.response_headers_policy.headers"), .update)
        let after = try await harness.aws.cloudFront.responseHeadersPolicies.get(id)
        XCTAssertEqual(after.config.securityHeaders?.contentSecurityPolicy, .init("default-src 'self'", override: false))
        XCTAssertNil(after.config.securityHeaders?.contentTypeOptions)
        XCTAssertNil(after.config.securityHeaders?.frameOptions)
        XCTAssertEqual(after.config.securityHeaders?.referrerPolicy, .init("no-referrer", override: false))
        let again = try await harness.plan(policy(changed))
        XCTAssertEqual(StackHarness.action(again, "cloudfront.response_headers_policy.headers"), .noop)

        let removed = try await harness.apply(policy(nil))
        XCTAssertEqual(StackHarness.action(removed, "cloudfront.response_headers_policy.headers"), .update)
        let bare = try await harness.aws.cloudFront.responseHeadersPolicies.get(id)
        XCTAssertNil(bare.config.securityHeaders)

        try await harness.destroy(stack { _ in })
        try await assertGone { _ = try await harness.aws.cloudFront.responseHeadersPolicies.get(id) }
    }

    func testDistributionCreatedWithoutWaitingIsFoundAgainByItsIntentAndImported() async throws {
        let harness = try StackHarness()
        let type = CF.Distribution.makeType()
        let resource = CF.Distribution("cdn", origins: [CF.Origin(id: "o", domainName: "b.s3.us-east-1.amazonaws.com")],
                                       defaultCacheBehavior: CF.CacheBehavior(targetOriginID: "o"), tags: ["k": "v"], waitForDeployment: false)
        var properties: [String: Engine.Value] = [:]
        for property in type.schema.properties {
            properties[property.name] = type.normalize(property.name, resource.properties[property.name]?.literal ?? property.defaultValue ?? .null)
        }
        let intent = UUID().uuidString
        let context = OperationContext(address: resource.address, region: "us-east-1", intentID: intent, client: harness.aws)
        let created = try await type.create(properties, context: context)
        // Not waited for: the emulator answers a new distribution as InProgress.
        XCTAssertEqual(created.attributes["status"], "InProgress")

        let found = try await type.findCreated(from: properties, context: context)
        XCTAssertEqual(found?.id, created.id)
        XCTAssertEqual(found?.properties, created.properties)
        let imported = try await type.checkedImport(id: created.id, context: context)
        XCTAssertEqual(imported?.properties["tags"], ["k": "v"])
        XCTAssertEqual(imported?.properties["origins"], created.properties["origins"])

        try await type.delete(created, context: context)
        let read = try await type.read(created, context: context)
        XCTAssertNil(read)
        // Deleting again is a success.
        try await type.delete(created, context: context)
    }

    private func assertGone(file: StaticString = #filePath, line: UInt = #line, _ call: () async throws -> Void) async throws {
        do {
            try await call()
            XCTFail("still exists", file: file, line: line)
        } catch let error as AWSError {
            XCTAssertTrue(error.code.rawValue.hasPrefix("NoSuch"), "\(error)", file: file, line: line)
        }
    }
}
