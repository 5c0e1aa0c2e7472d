import AWS
import Engine
import Foundation
import ImgStack
import Stacks
import XCTest

/// The shipped `upload-api` stack against the emulator behind the verifying proxy: applied from
/// nothing and read back through the AWS API, an empty re-plan, a change to the upload method
/// that redeploys the stage and changes nothing else, and a destroy that leaves nothing behind —
/// log groups included.
final class UploadAPIStackTests: XCTestCase {
    private static let region = "eu-west-2"
    private static let account = "123456789012"
    private static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../Stacks/UploadAPI/README.md").standardized

    private func variables(_ service: String, callerAuth: String = "cognito") -> [String: Engine.Value] {
        ["service": .string(service), "account_id": .string(Self.account), "github_repository": "acme/uploads",
         "caller_auth": .string(callerAuth)]
    }

    private func id(_ harness: StackHarness, _ address: String) async throws -> String {
        let snapshot = try await harness.snapshot(address)
        return try XCTUnwrap(snapshot?.id, "no \(address) in state")
    }

    func testApplyRedeployOnAMethodChangeAndDestroyLeavingNothing() async throws {
        // The harness signs for another region than the stack's: every resource still goes to
        // var.region (eu-west-2), the web ACL to us-east-1.
        let harness = try StackHarness(region: "us-east-1")
        let service = "up-\(UUID().uuidString.prefix(6).lowercased())"
        let names = Names(service: service)
        try await harness.apply(uploadAPI, variables: variables(service))

        let gateway = harness.aws.apiGateway(region: Self.region)
        let apiID = try await id(harness, "apigateway.rest_api.upload")
        let api = try await gateway.restAPI(apiID)
        XCTAssertEqual(api.name, service)
        XCTAssertEqual(api.binaryMediaTypes, ["image/*"])
        let uploadID = try await id(harness, "apigateway.resource.upload")
        let post = try await gateway.method(api: apiID, resource: uploadID, httpMethod: "POST")
        XCTAssertEqual(post.authorizationType, "COGNITO_USER_POOLS")
        let authorizerID = try await id(harness, "apigateway.authorizer.users")
        XCTAssertEqual(post.authorizerId, authorizerID)
        let poolID = try await id(harness, "cognito.user_pool.users")
        let pool = try await harness.aws.cognitoIdentityProvider(region: Self.region).describeUserPool(poolID)
        let authorizer = try await gateway.authorizer(api: apiID, id: authorizerID)
        XCTAssertEqual(authorizer.providerARNs, [try XCTUnwrap(pool?.arn)])
        let integration = try await gateway.integration(api: apiID, resource: uploadID, httpMethod: "POST")
        XCTAssertEqual(integration.type, "AWS_PROXY")
        XCTAssertTrue(integration.uri?.hasSuffix("function:\(names.function)/invocations") ?? false, integration.uri ?? "")
        let stage = try await gateway.stage(api: apiID, name: "prod")
        XCTAssertEqual(stage.accessLogSettings?.destinationArn,
                       "arn:aws:logs:\(Self.region):\(Self.account):log-group:\(names.accessLogs)")

        let lambda = harness.aws.lambda(region: Self.region)
        let found = try await lambda.function(names.function)
        let (function, _) = try XCTUnwrap(found, "the function is in var.region")
        XCTAssertEqual(function.runtime, "python3.12")
        XCTAssertEqual(function.handler, "upload.handler")
        let policyText = try await lambda.policy(function: names.function, qualifier: nil)
        let policy = try Engine.Value(jsonText: try XCTUnwrap(policyText))
        let statement = try XCTUnwrap(policy["Statement"].listValue?.first)
        XCTAssertEqual(statement["Condition"]["ArnLike"]["AWS:SourceArn"],
                       .string("arn:aws:execute-api:\(Self.region):\(Self.account):\(apiID)/prod/POST/upload"))

        let logs = harness.aws.cloudWatchLogs(region: Self.region)
        for group in [names.functionLogs, names.accessLogs] {
            let found = try await logs.logGroup(group)
            XCTAssertEqual(found?.retentionInDays, 30, group)
        }

        let aclID = try await id(harness, "wafv2.web_acl.edge")
        let acl = try await harness.aws.wafv2(region: "us-east-1").webACL(name: service, scope: "CLOUDFRONT", id: aclID).webACL
        XCTAssertEqual(acl.rules?.map(\.name), ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet",
                                               "AWSManagedRulesAmazonIpReputationList", "per-ip"])
        let distributionID = try await id(harness, "cloudfront.distribution.api")
        let config = try await harness.aws.cloudFront.getDistribution(distributionID).config
        XCTAssertEqual(config.origins.map(\.domainName), ["\(apiID).execute-api.\(Self.region).amazonaws.com"])
        XCTAssertEqual(config.origins.map(\.originPath), ["/prod"])
        XCTAssertEqual(config.webACLID, acl.arn)

        try await assertDeployPolicyIsScoped(harness, service: service)

        let again = try await harness.plan(uploadAPI, variables: variables(service))
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        // A change to the method: the API is deployed again and the stage moved to it; nothing else.
        let firstDeployment = try await id(harness, "apigateway.deployment.live")
        let redeploy = try await harness.apply(uploadAPI, variables: variables(service, callerAuth: "iam"))
        let changed = redeploy.changes.filter { $0.action != .noop }
        let rendered = HumanPlanRenderer().render(redeploy)
        XCTAssertEqual(Set(changed.map(\.address.description)),
                       ["apigateway.method.upload_post", "apigateway.deployment.live", "apigateway.stage.live"], rendered)
        let actions: [String: ChangeAction] = Dictionary(changed.filter { $0.deposedID == nil }.map { ($0.address.description, $0.action) },
                                                         uniquingKeysWith: { first, _ in first })
        XCTAssertEqual(actions, ["apigateway.method.upload_post": .update, "apigateway.deployment.live": .replace,
                                 "apigateway.stage.live": .update], rendered)
        let iamPost = try await gateway.method(api: apiID, resource: uploadID, httpMethod: "POST")
        XCTAssertEqual(iamPost.authorizationType, "AWS_IAM")
        let moved = try await gateway.stage(api: apiID, name: "prod")
        XCTAssertNotEqual(moved.deploymentId, firstDeployment)
        let secondDeployment = try await id(harness, "apigateway.deployment.live")
        XCTAssertEqual(moved.deploymentId, secondDeployment)
        await assertGone("the first deployment") { try await gateway.deployment(api: apiID, id: firstDeployment) }

        try await harness.assertDestroyReadsOnlyWhatDeletingNeeds(uploadAPI, variables: variables(service, callerAuth: "iam"))
        try await harness.destroy(uploadAPI, variables: variables(service, callerAuth: "iam"))
        await assertNothingLeft(harness, names: names, apiID: apiID, poolID: poolID, aclID: aclID, distributionID: distributionID)
    }

    /// The stack's names, as the stack derives them from `service`.
    private struct Names {
        var service: String
        var function: String { "\(service)-upload" }
        var functionLogs: String { "/aws/lambda/\(service)-upload" }
        var accessLogs: String { "/aws/apigateway/\(service)-access" }
        var bucket: String { "\(service)-images-eu-west-2" }
    }

    /// Only the statement of actions AWS authorizes on no resource grants `*`.
    private func assertDeployPolicyIsScoped(_ harness: StackHarness, service: String) async throws {
        let arn = "arn:aws:iam::\(Self.account):policy/\(service)-deploy"
        let policy = try await harness.aws.iam.policy(arn)
        let document = try await harness.aws.iam.policyDocument(arn, version: policy?.defaultVersionID ?? "v1")
        let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any])
        let statements = try XCTUnwrap(parsed["Statement"] as? [[String: Any]])
        XCTAssertGreaterThan(statements.count, 5)
        for statement in statements {
            let resources = (statement["Resource"] as? [String]) ?? [(statement["Resource"] as? String) ?? ""]
            if resources.contains("*") {
                XCTAssertEqual(statement["Sid"] as? String, "NoResourceLevelPermissions")
                // The README's blast-radius table names every action granted on `*`.
                let actions = (statement["Action"] as? [String]) ?? [(statement["Action"] as? String) ?? ""]
                let readme = try String(contentsOf: Self.readme, encoding: .utf8)
                let row = try XCTUnwrap(readme.split(separator: "\n").first { $0.hasPrefix("| on `*` |") })
                for action in actions {
                    XCTAssertTrue(row.contains("`\(action)`"), "Stacks/UploadAPI/README.md does not list \(action) on *")
                }
            }
        }
        let role = try await harness.aws.iam.role("\(service)-deploy")
        XCTAssertTrue(role?.assumeRolePolicy.contains("repo:acme/uploads:ref:refs/heads/main") ?? false, role?.assumeRolePolicy ?? "no role")
    }

    /// Every resource of the stack is gone, read through each service's API.
    private func assertNothingLeft(_ harness: StackHarness, names: Names, apiID: String, poolID: String, aclID: String,
                                   distributionID: String) async {
        let aws = harness.aws
        await assertGone("the REST API") { try await aws.apiGateway(region: Self.region).restAPI(apiID) }
        let logs = aws.cloudWatchLogs(region: Self.region)
        for group in [names.functionLogs, names.accessLogs] {
            let left = try? await logs.logGroup(group)
            XCTAssertNil(left ?? nil, "log group \(group) left behind")
        }
        let function = try? await aws.lambda(region: Self.region).function(names.function)
        XCTAssertNil(function ?? nil, "function left behind")
        let pool = try? await aws.cognitoIdentityProvider(region: Self.region).describeUserPool(poolID)
        XCTAssertNil(pool ?? nil, "user pool left behind")
        await assertGone("the web ACL") { try await aws.wafv2(region: "us-east-1").webACL(name: names.service, scope: "CLOUDFRONT", id: aclID) }
        await assertGone("the distribution") { try await aws.cloudFront.getDistribution(distributionID) }
        await assertGone("the bucket") { try await aws.s3(region: Self.region).bucketLocation(names.bucket) }
        for role in [names.function, "\(names.service)-deploy"] {
            let left = try? await aws.iam.role(role)
            XCTAssertNil(left ?? nil, "role \(role) left behind")
        }
        let policy = try? await aws.iam.policy("arn:aws:iam::\(Self.account):policy/\(names.service)-deploy")
        XCTAssertNil(policy ?? nil, "deploy policy left behind")
    }

    /// `read` fails with AWS's not-found answer.
    private func assertGone<T>(_ what: String, _ read: () async throws -> T) async {
        do {
            _ = try await read()
            XCTFail("\(what) is still there")
        } catch let error as AWSError {
            let code = error.code.rawValue
            XCTAssertTrue(code.contains("NotFound") || code.hasPrefix("NoSuch") || code == "WAFNonexistentItemException", "\(what): \(error)")
        } catch {
            XCTFail("\(what): \(error)")
        }
    }
}
