import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// Policies written in one form and stored by AWS in another compare equal: after an apply the
/// next plan has no changes, for every type that holds a policy. The emulator stores account
/// principals as AWS does (`moto_patches.patch_policy_principals`: the account id becomes
/// `arn:aws:iam::ID:root`).
final class PolicyStoredFormTests: XCTestCase {
    /// One policy holder of the stack, and how to read its policy back through the AWS API.
    private struct Holder {
        var address: String
        var read: (StackHarness, String) async throws -> String?
    }

    /// A resource policy in forms AWS rewrites or that mean the same: the issue's account id
    /// principal, one statement object instead of a list, single strings, an empty Sid, a
    /// boolean condition value.
    private static func resourcePolicy(actions: String, resource: String, account: String = "123456789012") -> PolicyDocument {
        PolicyDocument(json: """
            {"Version": "2012-10-17", "Statement": {"Sid": "", "Effect": "Allow", "Principal": {"AWS": "\(account)"},
             "Action": \(actions), "Resource": "\(resource)", "Condition": {"Bool": {"aws:SecureTransport": true}}}}
            """)
    }

    private static func trust(account: String = "123456789012") -> PolicyDocument {
        PolicyDocument(json: """
            {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "\(account)"}, "Action": "sts:AssumeRole"}}
            """)
    }

    private func declare(_ tag: String, bucketPolicyAccount: String = "123456789012") -> Stack {
        Stack("policy-stored-form") { stack in
            stack.add(IAM.Role("trusting", name: "trusting-\(tag)", assumeRolePolicy: Self.trust(), inlinePolicies: [
                "read": PolicyDocument(json: #"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#),
            ]))
            stack.add(IAM.Policy("read", name: "read-\(tag)", document: PolicyDocument(json: """
                {"Version": "2012-10-17", "Statement": [{"Sid": "", "Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObject"],
                 "Resource": "arn:aws:s3:::stored-\(tag)/*"}]}
                """)))
            let bucket = stack.add(S3.Bucket("data", bucket: Text("stored-\(tag)")))
            stack.add(S3.BucketPolicy("data", bucket: bucket.bucketName,
                                      policy: Self.resourcePolicy(actions: #""s3:GetObject""#, resource: "arn:aws:s3:::stored-\(tag)/*",
                                                                  account: bucketPolicyAccount)))
            stack.add(KMS.Key("owned", description: "stored form \(tag)", policy: Self.resourcePolicy(actions: #"["kms:*"]"#, resource: "*"),
                              deletionWindowInDays: 7))
            let managed = stack.add(KMS.Key("managed", description: "managed policy \(tag)", deletionWindowInDays: 7))
            stack.add(KMS.KeyPolicy("managed", keyID: managed.keyID, policy: Self.resourcePolicy(actions: #""kms:*""#, resource: "*")))
        }
    }

    private let holders = [
        Holder(address: "iam.role.trusting") { harness, tag in try await harness.aws.iam.role("trusting-\(tag)")?.assumeRolePolicy },
        Holder(address: "s3.bucket_policy.data") { harness, tag in try await harness.aws.s3.bucketPolicy("stored-\(tag)") },
        Holder(address: "kms.key.owned") { harness, _ in try await harness.aws.kms.keyPolicy(try await harness.keyID("kms.key.owned")) },
        Holder(address: "kms.key_policy.managed") { harness, _ in try await harness.aws.kms.keyPolicy(try await harness.keyID("kms.key.managed")) },
    ]

    func testAccountPrincipalsAndOtherEquivalentFormsPlanNoChanges() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        let stack = declare(tag)
        try await harness.apply(stack)

        for holder in holders {
            let read = try await holder.read(harness, String(tag))
            let text = try XCTUnwrap(read, holder.address)
            let stored = try Engine.Value(jsonText: text)
            let statement = stored["Statement"].listValue?.first ?? stored["Statement"]
            let principal = statement["Principal"]["AWS"]
            XCTAssertEqual(principal.listValue?.first ?? principal, "arn:aws:iam::123456789012:root",
                           "\(holder.address): AWS's stored form, not the declared id")
        }
        let again = try await harness.plan(stack)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        // A genuine change still shows, on the one resource it concerns.
        let otherAccount = declare(tag, bucketPolicyAccount: "111122223333")
        let change = try await harness.plan(otherAccount)
        XCTAssertEqual(change.changes.filter { $0.action != .noop }.map(\.address.description), ["s3.bucket_policy.data"])
        XCTAssertEqual(StackHarness.action(change, "s3.bucket_policy.data"), .update)

        try await harness.destroy(stack)
    }
}

private extension StackHarness {
    /// The id state records for the key at `address`.
    func keyID(_ address: String) async throws -> String {
        let snapshot = try await self.snapshot(address)
        return try XCTUnwrap(snapshot?.id, address)
    }
}
