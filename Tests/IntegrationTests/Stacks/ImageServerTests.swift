import AWS
import Engine
import Foundation
import ImgStack
import Stacks
import TestSupport
import XCTest

/// The flagship image-server stack (seed 000) against the emulator, in eu-west-1 with its edge
/// parts in us-east-1: apply from nothing, every part read back through the AWS API, an empty
/// plan, a minimal plan for a variable change, and a destroy that leaves nothing but the KMS
/// key pending deletion.
final class ImageServerTests: XCTestCase {
    private let region = "eu-west-1"
    private let edgeRegion = "us-east-1"

    func testApplyPlanChangeAndDestroyTheWholeStack() async throws {
        let harness = try StackHarness(region: region)
        let service = "img-\(UUID().uuidString.prefix(6).lowercased())"
        let variables: [String: Engine.Value] = ["service": .string(service)]

        try await harness.apply(imageServer, variables: variables)
        let ids = try await Deployed(harness)
        try await checkStorage(harness, service: service, ids: ids)
        try await checkIdentity(harness, service: service, ids: ids)
        try await checkEdgeAndDistribution(harness, service: service, ids: ids)
        try await checkMonitoring(harness, service: service, ids: ids)

        let again = try await harness.plan(imageServer, variables: variables)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        // A new price class touches the distribution alone.
        let cheaper = variables.merging(["price_class": "PriceClass_200"]) { _, new in new }
        let change = try await harness.plan(imageServer, variables: cheaper)
        XCTAssertEqual(change.changes.filter { $0.action != .noop }.map(\.address.description), ["cloudfront.distribution.site"])
        XCTAssertEqual(change.changes.first { $0.action != .noop }?.changedProperties, ["priceClass"])
        XCTAssertEqual(StackHarness.action(change, "cloudfront.distribution.site"), .update)
        try await harness.apply(imageServer, variables: cheaper)
        let updated = try await harness.aws.cloudFront.getDistribution(ids.distribution)
        XCTAssertEqual(updated.config.priceClass, "PriceClass_200")

        try await harness.assertDestroyReadsOnlyWhatDeletingNeeds(imageServer, variables: cheaper)
        try await harness.destroy(imageServer, variables: cheaper)
        try await checkOnlyTheKeyIsLeft(harness, service: service, ids: ids)
    }

    func testFederationNeedsItsDomainAndCallbackAndHalfACredentialIsRefused() throws {
        let harness = try StackHarness(region: region)
        XCTAssertThrowsError(try harness.evaluate(imageServer, variables: ["google_client_id": "id", "google_client_secret": "secret"])) { error in
            XCTAssertTrue("\(error)".contains("var.auth_domain") && "\(error)".contains("var.callback_url"), "\(error)")
        }
        XCTAssertThrowsError(try harness.evaluate(imageServer, variables: ["facebook_client_id": "app"])) { error in
            XCTAssertTrue("\(error)".contains("var.facebook_client_id"), "\(error)")
        }
        let federated = try harness.evaluate(imageServer, variables: [
            "google_client_id": "id", "google_client_secret": "secret", "auth_domain": "images-auth",
            "callback_url": "https://d111111abcdef8.cloudfront.net/",
        ])
        let addresses = federated.definition.resources.map(\.address.description)
        XCTAssertTrue(addresses.contains("cognito.identity_provider.google"), "\(addresses)")
        XCTAssertTrue(addresses.contains("cognito.user_pool_domain.users"), "\(addresses)")
        XCTAssertFalse(addresses.contains("cognito.identity_provider.facebook"), "\(addresses)")
    }

    func testTheStackPlansWithNoVariablesAndIsTheDefault() throws {
        let harness = try StackHarness(region: region)
        let evaluation = try harness.evaluate(imageServer)
        XCTAssertEqual(evaluation.variables["bucket_name"], "image-server-images")
        XCTAssertEqual(evaluation.variables["identity_pool_name"], "image_server_identities")
        XCTAssertEqual(ShippedStacks.defaultName, "image-server")
    }

    // MARK: - Checks through the AWS API

    /// The ids the stack recorded.
    private struct Deployed {
        let keyID: String
        let keyARN: String
        let bucket: String
        let distribution: String
        let distributionARN: String
        let userPool: String
        let client: String
        let identityPool: String
        let function: String

        init(_ harness: StackHarness) async throws {
            func snapshot(_ address: String) async throws -> ResourceSnapshot {
                let found = try await harness.snapshot(address)
                return try XCTUnwrap(found, "\(address) is recorded")
            }
            let key = try await snapshot("kms.key.images")
            keyID = key.id
            keyARN = key.attributes["arn"]?.stringValue ?? ""
            bucket = try await snapshot("s3.bucket.images").id
            let site = try await snapshot("cloudfront.distribution.site")
            distribution = site.id
            distributionARN = site.attributes["arn"]?.stringValue ?? ""
            userPool = try await snapshot("cognito.user_pool.users").id
            client = try await snapshot("cognito.user_pool_client.web").id
            identityPool = try await snapshot("cognito.identity_pool.identities").id
            function = try await snapshot("lambda.function.edge-auth").id
        }
    }

    private func checkStorage(_ harness: StackHarness, service: String, ids: Deployed) async throws {
        let s3 = harness.aws.s3(region: region)
        XCTAssertEqual(ids.bucket, "\(service)-images")
        let encryption = try await s3.bucketEncryption(ids.bucket)
        XCTAssertEqual(encryption?.algorithm, "aws:kms")
        XCTAssertEqual(encryption?.kmsKeyID, ids.keyARN, "encrypted with the stack's customer managed key")
        let block = try await s3.publicAccessBlock(ids.bucket)
        XCTAssertEqual(block?.restrictPublicBuckets, true)
        XCTAssertEqual(block?.blockPublicPolicy, true)

        let policyText = try await s3.bucketPolicy(ids.bucket)
        let bucketPolicy = try Engine.Value(jsonText: try XCTUnwrap(policyText))
        let cloudFront = try XCTUnwrap(bucketPolicy["Statement"].listValue?.first { $0["Sid"] == "CloudFrontReadsAndWrites" })
        XCTAssertEqual(cloudFront["Principal"]["Service"], ["cloudfront.amazonaws.com"])
        XCTAssertEqual(cloudFront["Condition"]["StringEquals"]["AWS:SourceArn"], [.string(ids.distributionARN)],
                       "only this distribution reaches the bucket")

        let keyPolicy = try Engine.Value(jsonText: try await harness.aws.kms(region: region).keyPolicy(ids.keyID))
        let decrypt = try XCTUnwrap(keyPolicy["Statement"].listValue?.first { $0["Sid"] == "CloudFrontUsesKey" })
        XCTAssertEqual(decrypt["Condition"]["StringEquals"]["AWS:SourceArn"], [.string(ids.distributionARN)])
        XCTAssertEqual(decrypt["Action"], ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"])

        let keys = try await s3.listObjects(ids.bucket, prefix: "").map(\.key)
        XCTAssertTrue(keys.contains("index.html"), "\(keys)")
        XCTAssertTrue(keys.contains("config.js"), "\(keys)")
        let config = try await s3.storedObject(ids.bucket, key: "config.js")
        let text = String(decoding: try XCTUnwrap(config?.body), as: UTF8.self)
        for value in [ids.userPool, ids.client, ids.identityPool, ids.bucket, region] {
            XCTAssertTrue(text.contains("\"\(value)\""), "config.js names \(value): \(text)")
        }
        let domain = try await harness.aws.cloudFront.getDistribution(ids.distribution).domainName
        XCTAssertTrue(text.contains("\"cloudFrontDomain\": \"\(domain)\""), text)
    }

    private func checkIdentity(_ harness: StackHarness, service: String, ids: Deployed) async throws {
        let client = try await harness.aws.cognitoIdentityProvider(region: region).describeUserPoolClient(pool: ids.userPool, client: ids.client)
        XCTAssertEqual(Set(client?.explicitAuthFlows ?? []), ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
        let pool = try await harness.aws.cognitoIdentity(region: region).describeIdentityPool(ids.identityPool)
        XCTAssertEqual(pool?.allowUnauthenticatedIdentities, true)
        let roles = try await harness.aws.cognitoIdentity(region: region).identityPoolRoles(ids.identityPool)
        XCTAssertEqual(roles?.roles["authenticated"], "arn:aws:iam::123456789012:role/\(service)-user")
        XCTAssertEqual(roles?.roles["unauthenticated"], "arn:aws:iam::123456789012:role/\(service)-guest")

        let iam = harness.aws.iam
        let guestPolicies = try await iam.rolePolicyNames("\(service)-guest")
        XCTAssertEqual(guestPolicies, ["read-images"], "guests may only read")
        let guestRead = try await iam.rolePolicy(role: "\(service)-guest", name: "read-images")
        XCTAssertFalse(guestRead.contains("s3:PutObject") || guestRead.contains("s3:DeleteObject"), guestRead)
        let write = try await iam.rolePolicy(role: "\(service)-user", name: "write-own-images")
        let document = try Engine.Value(jsonText: write)
        let own = try XCTUnwrap(document["Statement"].listValue?.first { $0["Sid"] == "WriteOwnImages" })
        XCTAssertEqual(own["Resource"], [.string("arn:aws:s3:::\(ids.bucket)/${cognito-identity.amazonaws.com:sub}/*")],
                       "signed-in users write only under their own prefix")
        let userRole = try await iam.role("\(service)-user")
        let trust = try XCTUnwrap(userRole).assumeRolePolicy
        XCTAssertTrue(trust.contains(ids.identityPool) && trust.contains("\"authenticated\""), trust)
    }

    private func checkEdgeAndDistribution(_ harness: StackHarness, service: String, ids: Deployed) async throws {
        XCTAssertEqual(ids.function, "\(service)-edge-auth")
        let found = try await harness.aws.lambda(region: edgeRegion).function(ids.function)
        let (function, _) = try XCTUnwrap(found, "the edge function lives in us-east-1")
        let elsewhere = try await harness.aws.lambda(region: region).function(ids.function)
        XCTAssertNil(elsewhere)
        XCTAssertEqual(function.timeout, 5)
        XCTAssertEqual(function.runtime, "nodejs20.x")
        let source = ImageServerTestFiles.edgeAuthSource
        let config = "{\"region\": \"\(region)\", \"userPoolId\": \"\(ids.userPool)\", \"clientId\": \"\(ids.client)\", "
            + "\"identityPoolId\": \"\(ids.identityPool)\"}\n"
        let package = try DeploymentPackage.zipping(directory: source.path, adding: ["config.json": Data(config.utf8)])
        XCTAssertEqual(function.codeSHA256, package.sha256, "the package holds the code and its config.json")
        let edgeRole = try await harness.aws.iam.role("\(service)-edge-auth")
        let edgeTrust = try XCTUnwrap(edgeRole).assumeRolePolicy
        XCTAssertTrue(edgeTrust.contains("edgelambda.amazonaws.com"), edgeTrust)

        let distribution = try await harness.aws.cloudFront.getDistribution(ids.distribution)
        let behavior = distribution.config.defaultCacheBehavior
        let recorded = try await harness.snapshot("lambda.function.edge-auth")
        let version = try XCTUnwrap(recorded?.attributes["qualifiedARN"]?.stringValue)
        XCTAssertTrue(version.hasSuffix(":1"), "a numbered version: \(version)")
        XCTAssertEqual(behavior.lambdaFunctionAssociations.map(\.arn), [version])
        XCTAssertEqual(behavior.lambdaFunctionAssociations.map(\.eventType), ["viewer-request"])
        XCTAssertEqual(behavior.viewerProtocolPolicy, "redirect-to-https")
        XCTAssertEqual(Set(behavior.allowedMethods), ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"])
        XCTAssertEqual(distribution.config.defaultRootObject, "index.html")
        XCTAssertEqual(distribution.config.origins.first?.domainName, "\(ids.bucket).s3.\(region).amazonaws.com")
        XCTAssertFalse(distribution.config.origins.first?.originAccessControlID.isEmpty ?? true, "the origin is signed by an OAC")
        let cors = try await harness.aws.cloudFront.responseHeadersPolicies.list().first { $0.config.name == "\(service)-cors-with-preflight" }
        XCTAssertEqual(behavior.responseHeadersPolicyID, cors?.id)
        let siteHeaders = try XCTUnwrap(cors?.config.securityHeaders)
        XCTAssertNotNil(siteHeaders.contentTypeOptions, "nosniff on the site")
        XCTAssertTrue(siteHeaders.contentSecurityPolicy?.value.contains("script-src 'self'") ?? false, "\(siteHeaders)")
        // Uploaded objects: their own behaviour, the same edge function, a policy forbidding script.
        let uploads = try XCTUnwrap(distribution.config.cacheBehaviors.first { $0.pathPattern == "/*/*" })
        XCTAssertEqual(uploads.lambdaFunctionAssociations.map(\.arn), [version])
        XCTAssertEqual(Set(uploads.allowedMethods), ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"])
        let uploadsPolicy = try await harness.aws.cloudFront.responseHeadersPolicies.list().first { $0.config.name == "\(service)-uploads" }
        XCTAssertEqual(uploads.responseHeadersPolicyID, uploadsPolicy?.id)
        let uploadHeaders = try XCTUnwrap(uploadsPolicy?.config.securityHeaders)
        XCTAssertNotNil(uploadHeaders.contentTypeOptions, "nosniff on uploads")
        let csp = try XCTUnwrap(uploadHeaders.contentSecurityPolicy?.value)
        XCTAssertTrue(csp.contains("default-src 'none'") && csp.contains("sandbox") && !csp.contains("script-src"), csp)
    }

    private func checkMonitoring(_ harness: StackHarness, service: String, ids: Deployed) async throws {
        let topic = "arn:aws:sns:\(edgeRegion):123456789012:\(service)-alarms"
        let attributes = try await harness.aws.sns(region: edgeRegion).topicAttributes(topic)
        XCTAssertNotNil(attributes, "the topic is in us-east-1 beside the alarms")
        for (name, metric) in [("edge-errors", "Errors"), ("edge-throttles", "Throttles"), ("edge-duration", "Duration"),
                               ("cloudfront-4xx", "4xxErrorRate"), ("cloudfront-5xx", "5xxErrorRate")] {
            let found = try await harness.aws.cloudWatch(region: edgeRegion).metricAlarm("\(service)-\(name)")
            let alarm = try XCTUnwrap(found, name)
            XCTAssertEqual(alarm.metricName, metric)
            XCTAssertEqual(alarm.alarmActions, [topic], name)
            if metric.hasSuffix("Rate") {
                XCTAssertEqual(alarm.dimensions, ["DistributionId": ids.distribution, "Region": "Global"])
            } else {
                XCTAssertEqual(alarm.dimensions, ["FunctionName": "us-east-1.\(ids.function)"])
            }
        }
        let duration = try await harness.aws.cloudWatch(region: edgeRegion).metricAlarm("\(service)-edge-duration")
        XCTAssertEqual(duration?.threshold, 4000, "80% of the 5 s timeout")
    }

    private func checkOnlyTheKeyIsLeft(_ harness: StackHarness, service: String, ids: Deployed) async throws {
        let aws = harness.aws
        let buckets = try await aws.s3.listBuckets().map(\.name)
        XCTAssertFalse(buckets.contains(ids.bucket))
        let function = try await aws.lambda(region: edgeRegion).function(ids.function)
        XCTAssertNil(function)
        let distributions = try await aws.cloudFront.listDistributions().map(\.id)
        XCTAssertFalse(distributions.contains(ids.distribution))
        let controls = try await aws.cloudFront.originAccessControls.list().map(\.config.name)
        XCTAssertFalse(controls.contains("\(service)-images"))
        let policies = try await aws.cloudFront.responseHeadersPolicies.list().map(\.config.name)
        XCTAssertFalse(policies.contains("\(service)-cors-with-preflight"))
        XCTAssertFalse(policies.contains("\(service)-uploads"))
        let userPools = try await aws.cognitoIdentityProvider(region: region).listUserPools().map(\.id)
        XCTAssertFalse(userPools.contains(ids.userPool))
        let identityPools = try await aws.cognitoIdentity(region: region).listIdentityPools().map(\.id)
        XCTAssertFalse(identityPools.contains(ids.identityPool))
        for role in ["guest", "user", "edge-auth"] {
            let found = try await aws.iam.role("\(service)-\(role)")
            XCTAssertNil(found, role)
        }
        let alarm = try await aws.cloudWatch(region: edgeRegion).metricAlarm("\(service)-edge-errors")
        XCTAssertNil(alarm)
        let topic = try await aws.sns(region: edgeRegion).topicAttributes("arn:aws:sns:\(edgeRegion):123456789012:\(service)-alarms")
        XCTAssertNil(topic)
        let aliases = try await aws.kms(region: region).listAliases().map(\.name)
        XCTAssertFalse(aliases.contains("alias/\(service)-images"))

        let key = try await aws.kms(region: region).describeKey(ids.keyID)
        XCTAssertEqual(key.keyState, "PendingDeletion", "the key is the one thing left, waiting out its 7 days")
        let state = try await harness.state
        XCTAssertTrue(state.resources.isEmpty, "state is empty: \(state.resources.map(\.address))")
    }
}
