import AWS
import Engine
import Foundation
@testable import ImgStack
import XCTest

private typealias CF = ImgStack.CloudFront

final class CloudFrontValidationTests: XCTestCase {

    private func distribution(origins: [CF.Origin] = [CF.Origin(id: "o", domainName: "b.s3.us-east-1.amazonaws.com")],
                              behavior: CF.CacheBehavior = CF.CacheBehavior(targetOriginID: "o"), ordered: [CF.CacheBehavior] = [],
                              errors: [CF.CustomErrorResponse] = [], priceClass: String = "PriceClass_All", root: String = "",
                              httpVersion: String = "http2", comment: String = "") -> CF.Distribution {
        CF.Distribution("cdn", comment: comment, origins: origins, defaultCacheBehavior: behavior, orderedCacheBehaviors: ordered,
                        customErrorResponses: errors, priceClass: priceClass, defaultRootObject: root, httpVersion: httpVersion)
    }

    /// Asserts exactly one issue, on `property` of the resource at `address`, mentioning `text`.
    private func assertOne(_ found: [ValidationIssue], address: String, property: String, mentions text: String,
                           file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(found.count, 1, "\(found)", file: file, line: line)
        XCTAssertEqual(found.first?.subject, address, file: file, line: line)
        XCTAssertEqual(found.first?.property, property, file: file, line: line)
        XCTAssertTrue(found.first?.message.contains(text) ?? false, "\(found)", file: file, line: line)
    }

    func testAWellFormedDistributionHasNoIssues() {
        let oac = CF.OriginAccessControl("oac", controlName: "images")
        let edge = CF.LambdaAssociation(eventType: "viewer-request", lambdaARN: "arn:aws:lambda:us-east-1:123456789012:function:auth:3", includeBody: true)
        let resource = distribution(origins: [CF.Origin(id: "o", domainName: "b.s3.us-east-1.amazonaws.com", originPath: "/img", originAccessControlID: oac.id)],
                                    behavior: CF.CacheBehavior(targetOriginID: "o", allowedMethods: ["GET", "HEAD", "OPTIONS"], lambdaAssociations: [edge]),
                                    ordered: [CF.CacheBehavior(pathPattern: "/api/*", targetOriginID: "o")],
                                    errors: [CF.CustomErrorResponse(errorCode: 404, responseCode: 200, responsePagePath: "/index.html")], root: "index.html")
        XCTAssertEqual(validationIssues(resource), [])
    }

    func testBehaviourTargetingAnUnknownOriginIsRejected() {
        assertOne(validationIssues(distribution(behavior: CF.CacheBehavior(targetOriginID: "missing"))),
                  address: "cloudfront.distribution.cdn", property: "defaultCacheBehavior", mentions: "missing")
    }

    func testDuplicateOriginIDsAreRejected() {
        let origin = CF.Origin(id: "o", domainName: "b.s3.us-east-1.amazonaws.com")
        assertOne(validationIssues(distribution(origins: [origin, origin])), address: "cloudfront.distribution.cdn", property: "origins", mentions: "twice")
    }

    func testDistributionWithoutOriginsIsRejected() {
        // The default behaviour's target then names no origin either: both are reported.
        let found = validationIssues(distribution(origins: []))
        XCTAssertTrue(found.contains { $0.subject == "cloudfront.distribution.cdn" && $0.property == "origins" && $0.message.contains("at least one origin") },
                      "\(found)")
    }

    func testCustomOriginTakesAHostNameAndAKnownProtocolPolicy() {
        let api = "abc123.execute-api.eu-west-2.amazonaws.com"
        let good = distribution(origins: [CF.Origin.custom(id: "o", domainName: Text(api), originPath: "/prod")])
        XCTAssertEqual(validationIssues(good), [])
        assertOne(validationIssues(distribution(origins: [CF.Origin.custom(id: "o", domainName: "https://\(api)/prod")])),
                  address: "cloudfront.distribution.cdn", property: "origins", mentions: "put the stage in originPath")
        assertOne(validationIssues(distribution(origins: [CF.Origin.custom(id: "o", domainName: Text(api), protocolPolicy: "https")])),
                  address: "cloudfront.distribution.cdn", property: "origins", mentions: "protocolPolicy \"https\"")
    }

    func testWebACLMustBeACloudFrontScopeWAFv2ARN() {
        func issues(_ acl: Text) -> [ValidationIssue] {
            validationIssues(CF.Distribution("cdn", origins: [CF.Origin(id: "o", domainName: "b.s3.us-east-1.amazonaws.com")],
                                             defaultCacheBehavior: CF.CacheBehavior(targetOriginID: "o"), webACLID: acl))
        }
        XCTAssertEqual(issues("arn:aws:wafv2:us-east-1:123456789012:global/webacl/upload/a1b2c3"), [])
        let firewall = ImgStack.WAFv2.WebACL("edge", name: "upload", scope: .cloudFront, metricName: "upload")
        XCTAssertEqual(issues(firewall.arn), [], "a reference is checked by AWS, not here")
        for acl in ["a1b2c3", "arn:aws:wafv2:eu-west-2:123456789012:regional/webacl/upload/a1b2c3"] {
            assertOne(issues(Text(acl)), address: "cloudfront.distribution.cdn", property: "webACLID", mentions: "CLOUDFRONT-scope")
        }
    }

    func testOriginPathMustStartWithASlashAndNotEndWithOne() {
        for path in ["img", "/img/"] {
            assertOne(validationIssues(distribution(origins: [CF.Origin(id: "o", domainName: "b.s3.amazonaws.com", originPath: path)])),
                      address: "cloudfront.distribution.cdn", property: "origins", mentions: "originPath")
        }
    }

    func testMethodSetsCloudFrontDoesNotTakeAreRejected() {
        assertOne(validationIssues(distribution(behavior: CF.CacheBehavior(targetOriginID: "o", allowedMethods: ["GET", "POST"]))),
                  address: "cloudfront.distribution.cdn", property: "defaultCacheBehavior", mentions: "allowedMethods")
        assertOne(validationIssues(distribution(behavior: CF.CacheBehavior(targetOriginID: "o", cachedMethods: ["GET", "HEAD", "OPTIONS"]))),
                  address: "cloudfront.distribution.cdn", property: "defaultCacheBehavior", mentions: "cachedMethods")
    }

    func testUnknownViewerProtocolPolicyIsRejected() {
        assertOne(validationIssues(distribution(behavior: CF.CacheBehavior(targetOriginID: "o", viewerProtocolPolicy: "https"))),
                  address: "cloudfront.distribution.cdn", property: "defaultCacheBehavior", mentions: "viewerProtocolPolicy")
    }

    func testOrderedBehaviourNeedsAPathPatternAndTheDefaultTakesNone() {
        assertOne(validationIssues(distribution(ordered: [CF.CacheBehavior(targetOriginID: "o")])),
                  address: "cloudfront.distribution.cdn", property: "orderedCacheBehaviors", mentions: "pathPattern")
        assertOne(validationIssues(distribution(behavior: CF.CacheBehavior(pathPattern: "/x/*", targetOriginID: "o"))),
                  address: "cloudfront.distribution.cdn", property: "defaultCacheBehavior", mentions: "pathPattern")
    }

    func testLambdaAssociationsNeedAVersionInUSEast1AndOnePerEvent() {
        func behavior(_ associations: [CF.LambdaAssociation]) -> CF.Distribution {
            distribution(behavior: CF.CacheBehavior(targetOriginID: "o", lambdaAssociations: associations))
        }
        let cases: [([CF.LambdaAssociation], String)] = [
            ([.init(eventType: "viewer-request", lambdaARN: "arn:aws:lambda:us-east-1:123456789012:function:auth")], "published version"),
            ([.init(eventType: "viewer-request", lambdaARN: "arn:aws:lambda:us-east-1:123456789012:function:auth:$LATEST")], "published version"),
            ([.init(eventType: "viewer-request", lambdaARN: "arn:aws:lambda:eu-west-1:123456789012:function:auth:2")], "us-east-1"),
            ([.init(eventType: "on-request", lambdaARN: "arn:aws:lambda:us-east-1:123456789012:function:auth:2")], "eventType"),
            ([.init(eventType: "origin-response", lambdaARN: "arn:aws:lambda:us-east-1:123456789012:function:auth:2", includeBody: true)], "includeBody"),
            ([.init(eventType: "viewer-request", lambdaARN: "arn:aws:lambda:us-east-1:123456789012:function:a:1"),
              .init(eventType: "viewer-request", lambdaARN: "arn:aws:lambda:us-east-1:123456789012:function:b:1")], "more than one"),
        ]
        for (associations, text) in cases {
            assertOne(validationIssues(behavior(associations)), address: "cloudfront.distribution.cdn", property: "defaultCacheBehavior", mentions: text)
        }
    }

    func testLambdaARNFromAReferenceIsNotCheckedBeforeApply() {
        let other = CF.OriginAccessControl("other", controlName: "x")
        let association = CF.LambdaAssociation(eventType: "viewer-request", lambdaARN: other.etag)
        XCTAssertEqual(validationIssues(distribution(behavior: CF.CacheBehavior(targetOriginID: "o", lambdaAssociations: [association]))), [])
    }

    func testCustomErrorResponseRules() {
        let cases: [([CF.CustomErrorResponse], String)] = [
            ([CF.CustomErrorResponse(errorCode: 418)], "errorCode 418"),
            ([CF.CustomErrorResponse(errorCode: 404, responseCode: 200)], "go together"),
            ([CF.CustomErrorResponse(errorCode: 404, responseCode: 200, responsePagePath: "index.html")], "must start with /"),
            ([CF.CustomErrorResponse(errorCode: 404), CF.CustomErrorResponse(errorCode: 404)], "twice"),
        ]
        for (errors, text) in cases {
            assertOne(validationIssues(distribution(errors: errors)), address: "cloudfront.distribution.cdn", property: "customErrorResponses", mentions: text)
        }
    }

    func testScalarDistributionPropertiesAreChecked() {
        assertOne(validationIssues(distribution(priceClass: "PriceClass_50")), address: "cloudfront.distribution.cdn", property: "priceClass", mentions: "PriceClass_50")
        assertOne(validationIssues(distribution(root: "/index.html")), address: "cloudfront.distribution.cdn", property: "defaultRootObject", mentions: "leading /")
        assertOne(validationIssues(distribution(httpVersion: "http4")), address: "cloudfront.distribution.cdn", property: "httpVersion", mentions: "http4")
        assertOne(validationIssues(distribution(comment: String(repeating: "c", count: 129))), address: "cloudfront.distribution.cdn", property: "comment", mentions: "128")
    }

    func testReservedTagPrefixIsRejectedOnDistributions() {
        var resource = distribution()
        resource.tags = ["imgstack:intent": "x"]
        assertOne(validationIssues(resource), address: "cloudfront.distribution.cdn", property: "tags", mentions: "reserved")
    }

    func testOriginAccessControlRules() {
        let address = "cloudfront.origin_access_control.oac"
        assertOne(validationIssues(CF.OriginAccessControl("oac", controlName: "")), address: address, property: "name", mentions: "1 to 64")
        assertOne(validationIssues(CF.OriginAccessControl("oac", controlName: String(repeating: "n", count: 65))), address: address, property: "name", mentions: "1 to 64")
        assertOne(validationIssues(CF.OriginAccessControl("oac", controlName: "n", description: String(repeating: "d", count: 257))),
                  address: address, property: "description", mentions: "256")
        assertOne(validationIssues(CF.OriginAccessControl("oac", controlName: "n", originType: "ec2")), address: address, property: "originType", mentions: "ec2")
        assertOne(validationIssues(CF.OriginAccessControl("oac", controlName: "n", signingBehavior: "sometimes")),
                  address: address, property: "signingBehavior", mentions: "sometimes")
        assertOne(validationIssues(CF.OriginAccessControl("oac", controlName: "n", signingProtocol: "sigv2")), address: address, property: "signingProtocol", mentions: "sigv4")
        XCTAssertEqual(validationIssues(CF.OriginAccessControl("oac", controlName: "images-oac")), [])
    }

    func testResponseHeadersPolicyRules() {
        let address = "cloudfront.response_headers_policy.cors"
        assertOne(validationIssues(CF.ResponseHeadersPolicy("cors", policyName: "has space")), address: address, property: "name", mentions: "letters")
        assertOne(validationIssues(CF.ResponseHeadersPolicy("cors", policyName: "p", comment: String(repeating: "c", count: 129))),
                  address: address, property: "comment", mentions: "128")
        let cases: [(CF.CORSConfig, String)] = [
            (CF.CORSConfig(allowOrigins: []), "allowOrigins"),
            (CF.CORSConfig(allowHeaders: []), "allowHeaders"),
            (CF.CORSConfig(allowMethods: ["GET", "TRACE"]), "TRACE"),
            (CF.CORSConfig(maxAgeSeconds: -1), "negative"),
            (CF.CORSConfig(allowCredentials: true), "allowCredentials"),
        ]
        for (cors, text) in cases {
            assertOne(validationIssues(CF.ResponseHeadersPolicy("cors", policyName: "p", cors: cors)), address: address, property: "cors", mentions: text)
        }
        XCTAssertEqual(validationIssues(CF.ResponseHeadersPolicy("cors", policyName: "cors-with-preflight", cors: CF.CORSConfig())), [])
    }

    func testSecurityHeadersRules() {
        let address = "cloudfront.response_headers_policy.headers"
        let cases: [(CF.SecurityHeadersConfig, String)] = [
            (CF.SecurityHeadersConfig(contentSecurityPolicy: String(repeating: "a", count: 1784)), "1783"),
            (CF.SecurityHeadersConfig(contentSecurityPolicy: ""), "contentSecurityPolicy"),
            (CF.SecurityHeadersConfig(frameOptions: "ALLOW-FROM https://example.com"), "DENY, SAMEORIGIN"),
            (CF.SecurityHeadersConfig(referrerPolicy: "never"), "strict-origin-when-cross-origin"),
            (CF.SecurityHeadersConfig(contentTypeOptions: false), "sets no header"),
        ]
        for (headers, text) in cases {
            assertOne(validationIssues(CF.ResponseHeadersPolicy("headers", policyName: "p", securityHeaders: headers)),
                      address: address, property: "securityHeaders", mentions: text)
        }
        let good = CF.SecurityHeadersConfig(contentSecurityPolicy: "default-src 'self'", frameOptions: "SAMEORIGIN", referrerPolicy: "no-referrer")
        XCTAssertEqual(validationIssues(CF.ResponseHeadersPolicy("headers", policyName: "p", securityHeaders: good)), [])
        XCTAssertEqual(validationIssues(CF.ResponseHeadersPolicy("headers", policyName: "p", securityHeaders: CF.SecurityHeadersConfig())), [])
    }

    func testCORSListsAndBehaviourMethodSetsNormaliseToTheSameValueInAnyOrder() {
        let policy = CF.ResponseHeadersPolicy.makeType()
        XCTAssertEqual(policy.normalize("cors", CF.CORSConfig(allowMethods: ["OPTIONS", "GET", "HEAD"]).expression.literal ?? .null),
                       policy.normalize("cors", CF.CORSConfig(allowMethods: ["GET", "HEAD", "OPTIONS"]).expression.literal ?? .null))
        let cdn = CF.Distribution.makeType()
        XCTAssertEqual(cdn.normalize("defaultCacheBehavior", CF.CacheBehavior(targetOriginID: "o", allowedMethods: ["HEAD", "GET"]).expression.literal ?? .null),
                       cdn.normalize("defaultCacheBehavior", CF.CacheBehavior(targetOriginID: "o", allowedMethods: ["GET", "HEAD"]).expression.literal ?? .null))
    }

    func testDistributionConfigRoundTripsThroughPropertyValues() {
        let resource = distribution(origins: [CF.Origin(id: "o", domainName: "b.s3.us-east-1.amazonaws.com", originPath: "/p", originAccessControlID: "OAC1")],
                                    ordered: [CF.CacheBehavior(pathPattern: "/api/*", targetOriginID: "o", responseHeadersPolicyID: "RHP")],
                                    errors: [CF.CustomErrorResponse(errorCode: 403, responseCode: 200, responsePagePath: "/index.html")])
        var properties: [String: Engine.Value] = [:]
        for (name, expression) in resource.properties where CloudFrontValues.configProperties.contains(name) {
            properties[name] = expression.literal ?? .null
        }
        properties["logging"] = .null
        let config = CloudFrontValues.config(properties, callerReference: "ref")
        XCTAssertEqual(config.callerReference, "ref")
        XCTAssertEqual(config.origins.first?.originAccessControlID, "OAC1")
        XCTAssertEqual(config.cacheBehaviors.first?.responseHeadersPolicyID, "RHP")
        XCTAssertEqual(CloudFrontValues.properties(config), properties)
    }
}
