import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// A setting of how a resource is deleted, changed in the stack since the last apply (a
/// bucket's `forceDestroy` switched on while state recorded it off), is applied by the destroy
/// itself, and the destroy plan says so.
final class DeletionSettingsTests: XCTestCase {
    /// One member of the kind: the stack as applied, the stack as it reads at destroy, what the
    /// destroy plan says, and how to see that the resource is gone afterwards.
    private struct Member {
        var address: String
        var applied: Stack
        var atDestroy: Stack
        var prepare: (StackHarness) async throws -> Void = { _ in }
        var planSays: String
        var noteSays: String?
        /// Whether the resource with this id is gone (or, for a key, scheduled as the stack says).
        var gone: (StackHarness, String) async throws -> Bool
    }

    private func members(_ tag: String) -> [Member] {
        func bucket(forceDestroy: Bool) -> Stack {
            Stack("deletion-settings-bucket") { stack in
                stack.add(S3.Bucket("data", bucket: Text("deletion-\(tag)"), versioning: true, forceDestroy: forceDestroy))
            }
        }
        func pool(protection: String) -> Stack {
            Stack("deletion-settings-pool") { stack in
                stack.add(Cognito.UserPool("users", name: Text("deletion-\(tag)"), deletionProtection: protection))
            }
        }
        func key(days: Int) -> Stack {
            Stack("deletion-settings-key") { stack in
                stack.add(KMS.Key("data", description: "deletion \(tag)", deletionWindowInDays: days))
            }
        }
        return [
            Member(address: "s3.bucket.data", applied: bucket(forceDestroy: false), atDestroy: bucket(forceDestroy: true),
                   prepare: { harness in
                       try await harness.aws.s3.putObject("deletion-\(tag)", key: "kept.txt", body: Data("kept".utf8), attributes: .init())
                   },
                   planSays: "forceDestroy = true from the stack applies to this delete",
                   noteSays: "every object and object version in the bucket is deleted with it (forceDestroy)",
                   gone: { harness, id in try await !harness.aws.s3.listBuckets().contains { $0.name == id } }),
            Member(address: "cognito.user_pool.users", applied: pool(protection: "ACTIVE"), atDestroy: pool(protection: "INACTIVE"),
                   planSays: #"deletionProtection = "INACTIVE" from the stack applies to this delete"#,
                   gone: { harness, id in try await harness.aws.cognitoIdentityProvider.describeUserPool(id) == nil }),
            Member(address: "kms.key.data", applied: key(days: 30), atDestroy: key(days: 7),
                   planSays: "deletionWindowInDays = 7 from the stack applies to this delete",
                   noteSays: "scheduled for deletion in 7 days",
                   gone: { harness, id in
                       let key = try await harness.aws.kms.describeKey(id)
                       let days = key.deletionDate.map { $0.timeIntervalSinceNow / 86400 } ?? 0
                       return key.keyState == "PendingDeletion" && (6...7.1).contains(days)
                   }),
        ]
    }

    func testADestroyAppliesTheStacksDeletionSettingsAndSaysSo() async throws {
        let tag = UUID().uuidString.prefix(8).lowercased()
        for member in members(String(tag)) {
            let harness = try StackHarness()
            try await harness.apply(member.applied)
            try await member.prepare(harness)

            let plan = try await harness.deploy(member.atDestroy, options: PlanOptions(destroy: true), planOnly: true).plan
            let change = plan.changes.first { $0.address.description == member.address }
            XCTAssertTrue(change?.reason?.contains(member.planSays) == true, "\(member.address): \(change?.reason ?? "no reason")")
            if let note = member.noteSays {
                XCTAssertTrue(change?.deletionNote?.contains(note) == true, "\(member.address): \(change?.deletionNote ?? "no note")")
            }
            XCTAssertTrue(HumanPlanRenderer().render(plan).contains(member.planSays), HumanPlanRenderer().render(plan))

            let recorded = try await harness.snapshot(member.address)
            let id = try XCTUnwrap(recorded?.id, member.address)
            try await harness.destroy(member.atDestroy)
            let isGone = try await member.gone(harness, id)
            XCTAssertTrue(isGone, "\(member.address) was not deleted")
        }
    }

    func testAStackThatKeepsTheSettingOffIsStillRefusedWithWhatToDo() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        let stack = Stack("deletion-settings-refused") { stack in
            stack.add(S3.Bucket("data", bucket: Text("refused-\(tag)")))
        }
        try await harness.apply(stack)
        try await harness.aws.s3.putObject("refused-\(tag)", key: "kept.txt", body: Data("kept".utf8), attributes: .init())
        let plan = try await harness.deploy(stack, options: PlanOptions(destroy: true), planOnly: true).plan
        XCTAssertNil(plan.changes.first?.reason)
        let summary = try await harness.deploy(stack, options: PlanOptions(destroy: true)).summary
        let failure = try XCTUnwrap(summary?.failures.first.map { "\($0.error)" })
        XCTAssertTrue(failure.contains("set forceDestroy: true on s3.bucket.data and destroy again"), failure)
        try await harness.destroy(Stack("deletion-settings-refused") { stack in
            stack.add(S3.Bucket("data", bucket: Text("refused-\(tag)"), forceDestroy: true))
        })
    }
}
