import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// KMS keys and aliases against the emulator: create, read back through the AWS API, empty plan,
/// update in place, replacement, deletion.
final class KMSResourceTests: XCTestCase {
    private func stack(_ build: @escaping @Sendable (StackBuilder) -> Void) -> Stack { Stack("kms-test", body: build) }

    func testKeyAndAliasLifecycle() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        let policy = PolicyDocument([
            Statement(sid: "Root", effect: .allow, actions: ["kms:*"], resources: ["*"], principal: .aws("arn:aws:iam::123456789012:root")),
        ])
        func declare(description: String, rotation: Bool, alias: String, usage: String = "ENCRYPT_DECRYPT", spec: String = "SYMMETRIC_DEFAULT") -> Stack {
            stack { stack in
                let key = stack.add(KMS.Key("data", description: Text(description), policy: policy, enableKeyRotation: rotation,
                                            keyUsage: usage, keySpec: spec, tags: ["team": "images"]))
                stack.add(KMS.Alias("data", name: Text(alias), targetKeyID: key.keyID))
            }
        }
        let first = declare(description: "key \(tag)", rotation: true, alias: "alias/kms-\(tag)")
        try await harness.apply(first)
        let snapshot = try await harness.snapshot("kms.key.data")
        let keyID = try XCTUnwrap(snapshot?.id)

        let kms = harness.aws.kms
        let metadata = try await kms.describeKey(keyID)
        XCTAssertEqual(metadata.description, "key \(tag)")
        XCTAssertEqual(metadata.keyUsage, "ENCRYPT_DECRYPT")
        let rotation = try await kms.keyRotationEnabled(keyID)
        XCTAssertTrue(rotation)
        let tags = try await kms.keyTags(keyID).filter { !$0.key.hasPrefix("imgstack:") }
        XCTAssertEqual(tags, [AWS.KMS.Tag(key: "team", value: "images")])
        let policyText = try await kms.keyPolicy(keyID)
        XCTAssertTrue(policyText.contains("arn:aws:iam::123456789012:root"), policyText)
        let alias = try await kms.listAliases().first { $0.name == "alias/kms-\(tag)" }
        XCTAssertEqual(alias?.targetKeyID, keyID)

        let again = try await harness.plan(first)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        // In place: description, rotation. The alias name forces a new alias.
        let second = declare(description: "renamed \(tag)", rotation: false, alias: "alias/kms2-\(tag)")
        let plan = try await harness.apply(second)
        XCTAssertEqual(StackHarness.action(plan, "kms.key.data"), .update)
        XCTAssertEqual(StackHarness.action(plan, "kms.alias.data"), .replace)
        let updated = try await kms.describeKey(keyID)
        XCTAssertEqual(updated.description, "renamed \(tag)")
        let rotationAfter = try await kms.keyRotationEnabled(keyID)
        XCTAssertFalse(rotationAfter)
        let aliases = try await kms.listAliases().map(\.name)
        XCTAssertTrue(aliases.contains("alias/kms2-\(tag)"))
        XCTAssertFalse(aliases.contains("alias/kms-\(tag)"))

        // keyUsage and keySpec force a new key (a symmetric key cannot sign: an RSA key can);
        // the alias follows the new key in place.
        let third = declare(description: "renamed \(tag)", rotation: false, alias: "alias/kms2-\(tag)", usage: "SIGN_VERIFY", spec: "RSA_2048")
        let replacement = try await harness.plan(third)
        XCTAssertEqual(StackHarness.action(replacement, "kms.key.data"), .replace)
        XCTAssertEqual(replacement.changes.first { $0.address.description == "kms.key.data" }?.replacePaths.sorted(), ["keySpec", "keyUsage"])
        XCTAssertEqual(StackHarness.action(replacement, "kms.alias.data"), .update)

        try await harness.destroy(second)
        let gone = try await kms.describeKey(keyID)
        XCTAssertEqual(gone.keyState, "PendingDeletion")
        let aliasesAfter = try await kms.listAliases().map(\.name)
        XCTAssertFalse(aliasesAfter.contains("alias/kms2-\(tag)"))
        let state = try await harness.state
        XCTAssertTrue(state.resources.isEmpty)
    }
}
