import AWS
import Engine
import Foundation
import ImgStack
import Stacks
import TestSupport
import XCTest

/// The CI deploy role stack against the emulator, checked through the AWS API.
final class DeployRoleTests: XCTestCase {
    func testRoleIsTrustedOnlyByOneBranchAndScopedToTheStack() async throws {
        let harness = try StackHarness()
        let prefix = "dr-\(UUID().uuidString.prefix(6).lowercased())"
        let variables: [String: Engine.Value] = ["account_id": "123456789012", "deployed_prefix": .string(prefix),
                                                 "github_repository": "acme/images", "branch": "main"]
        try await harness.apply(deployRole, variables: variables)

        let found = try await harness.aws.iam.role("\(prefix)-deploy")
        let role = try XCTUnwrap(found)
        XCTAssertTrue(role.assumeRolePolicy.contains("repo:acme/images:ref:refs/heads/main"), role.assumeRolePolicy)
        XCTAssertTrue(role.assumeRolePolicy.contains("oidc-provider/token.actions.githubusercontent.com"), role.assumeRolePolicy)

        let arn = "arn:aws:iam::123456789012:policy/\(prefix)-deploy"
        let policy = try await harness.aws.iam.policy(arn)
        let document = try await harness.aws.iam.policyDocument(arn, version: policy?.defaultVersionID ?? "v1")
        let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any])
        let statements = try XCTUnwrap(parsed["Statement"] as? [[String: Any]])
        // The policy is the one `imgstack policy` generates for the quickstart stack: the same
        // statements, `*` only in the statements of actions AWS grants on no resource.
        let quickstartDefinition = try quickstart.evaluate(variables: ["prefix": .string(prefix)], region: "eu-west-1").definition
        let expected = try DeployPolicy(quickstartDefinition, backend: .s3(bucket: "image-stacks-state", key: "quickstart/"),
                                        account: "123456789012", for: .all)
        XCTAssertEqual(statements.compactMap { $0["Sid"] as? String }, expected.statements.map(\.sid))
        for statement in statements {
            let resources = (statement["Resource"] as? [String]) ?? [(statement["Resource"] as? String) ?? ""]
            if resources.contains("*") {
                XCTAssertTrue((statement["Sid"] as? String)?.hasSuffix("NoResource") == true, "only actions without resource-level permissions get *")
            }
        }
        let sids = Set(statements.compactMap { $0["Sid"] as? String })
        XCTAssertTrue(sids.isSuperset(of: ["StateObjects", "S3BucketData", "KmsKeyData", "IamRoleReader"]), "\(sids.sorted())")
        let attached = try await harness.aws.iam.attachedRolePolicies("\(prefix)-deploy")
        XCTAssertEqual(attached, [arn])

        let again = try await harness.plan(deployRole, variables: variables)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))
        try await harness.assertDestroyReadsOnlyWhatDeletingNeeds(deployRole, variables: variables)
        try await harness.destroy(deployRole, variables: variables)
        let gone = try await harness.aws.iam.role("\(prefix)-deploy")
        XCTAssertNil(gone)
    }
}
