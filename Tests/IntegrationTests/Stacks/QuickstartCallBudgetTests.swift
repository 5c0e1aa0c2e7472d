import AWS
import Engine
import Foundation
import ImgStack
import Stacks
import TestSupport
import XCTest

/// A no-op plan reads each declared property group once, and nothing the stack did not declare.
final class QuickstartCallBudgetTests: XCTestCase {
    func testNoOpPlanMakesOneReadPerDeclaredGroup() async throws {
        let harness = try StackHarness()
        let variables: [String: Engine.Value] = ["prefix": .string("budget-\(UUID().uuidString.prefix(6).lowercased())")]
        try await harness.apply(quickstart, variables: variables)

        try await harness.emulator.resetCalls()
        let plan = try await harness.plan(quickstart, variables: variables)
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))
        let calls = try await harness.emulator.calls()

        XCTAssertTrue(calls.values.allSatisfy { $0 == 1 }, "no read is repeated: \(calls)")
        XCTAssertNil(calls["s3:GetBucketLocation"], "the bucket's group reads say whether it exists: \(calls)")
        for undeclared in ["s3:GetBucketCors", "s3:GetBucketWebsite", "s3:GetBucketLifecycle", "iam:ListRolePolicies", "kms:GetKeyPolicy"] {
            XCTAssertNil(calls[undeclared], "\(undeclared) reads a group the stack does not declare")
        }
        for declared in ["s3:GetBucketVersioning", "s3:GetBucketEncryption", "s3:GetPublicAccessBlock", "s3:GetBucketTagging",
                         "kms:DescribeKey", "kms:GetKeyRotationStatus", "iam:GetRole", "iam:GetPolicyVersion"] {
            XCTAssertEqual(calls[declared], 1, "\(declared) in \(calls)")
        }
        XCTAssertTrue(calls.keys.allSatisfy { !$0.contains(":Put") && !$0.contains(":Create") && !$0.contains(":Delete") },
                      "a plan only reads: \(calls)")
        try await harness.assertDestroyReadsOnlyWhatDeletingNeeds(quickstart, variables: variables)
        try await harness.destroy(quickstart, variables: variables)
    }
}
