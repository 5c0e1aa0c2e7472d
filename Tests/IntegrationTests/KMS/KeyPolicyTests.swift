import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// A key policy managed apart from its key, naming a resource made after the key (here a
/// role): put, read back through the AWS API, empty plan, update, drift, and reset to the
/// default policy on destroy.
final class KeyPolicyTests: XCTestCase {
    private func declare(_ tag: String, actions: [Text]) -> Stack {
        Stack("kms-key-policy") { stack in
            let key = stack.add(KMS.Key("data", description: "key \(tag)", deletionWindowInDays: 7))
            let role = stack.add(IAM.Role("reader", name: "reader-\(tag)", assumeRolePolicy: PolicyDocument([
                Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service("ec2.amazonaws.com")),
            ])))
            stack.add(KMS.KeyPolicy("data", keyID: key.keyID, policy: PolicyDocument([
                Statement(sid: "AccountAdministersKey", effect: .allow, actions: ["kms:*"], resources: ["*"],
                          principal: .aws("arn:\(key.partition):iam::\(key.accountID):root")),
                Statement(sid: "ReaderDecrypts", effect: .allow, actions: actions, resources: ["*"], principal: .aws(role.arn)),
            ])))
        }
    }

    private func statements(_ harness: StackHarness, _ keyID: String) async throws -> [Engine.Value] {
        try Engine.Value(jsonText: try await harness.aws.kms.keyPolicy(keyID))["Statement"].listValue ?? []
    }

    func testKeyPolicyLifecycle() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        let first = declare(tag, actions: ["kms:Decrypt"])
        try await harness.apply(first)
        let key = try await harness.snapshot("kms.key.data")
        let keyID = try XCTUnwrap(key?.id)

        var live = try await statements(harness, keyID)
        XCTAssertEqual(live.map { $0["Sid"] }, ["AccountAdministersKey", "ReaderDecrypts"])
        XCTAssertEqual(live.first?["Principal"]["AWS"], ["arn:aws:iam::123456789012:root"], "the key's own account, from its ARN")
        XCTAssertEqual(live.last?["Principal"]["AWS"], [.string("arn:aws:iam::123456789012:role/reader-\(tag)")])
        let again = try await harness.plan(first)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        let second = declare(tag, actions: ["kms:Decrypt", "kms:GenerateDataKey"])
        let update = try await harness.apply(second)
        XCTAssertEqual(StackHarness.action(update, "kms.key_policy.data"), .update)
        XCTAssertEqual(StackHarness.action(update, "kms.key.data"), .noop)
        live = try await statements(harness, keyID)
        XCTAssertEqual(live.last?["Action"], ["kms:Decrypt", "kms:GenerateDataKey"])

        // Someone puts another policy: the plan shows it and puts the stack's back.
        try await harness.aws.kms.putKeyPolicy(keyID, policy: """
            {"Version": "2012-10-17", "Statement": [{"Sid": "Other", "Effect": "Allow", \
            "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*", "Resource": "*"}]}
            """)
        let drift = try await harness.plan(second)
        XCTAssertEqual(StackHarness.action(drift, "kms.key_policy.data"), .update)
        try await harness.apply(second)
        live = try await statements(harness, keyID)
        XCTAssertEqual(live.map { $0["Sid"] }, ["AccountAdministersKey", "ReaderDecrypts"])

        try await harness.destroy(second)
        let metadata = try await harness.aws.kms.describeKey(keyID)
        XCTAssertEqual(metadata.keyState, "PendingDeletion")
    }

    func testMovingThePolicyToAnotherKeyReplacesIt() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        func declare(on target: String) -> Stack {
            Stack("kms-key-policy-move") { stack in
                let keys = ["a", "b"].map { stack.add(KMS.Key($0, description: "key \($0) \(tag)", deletionWindowInDays: 7)) }
                let key = target == "a" ? keys[0] : keys[1]
                stack.add(KMS.KeyPolicy("moving", keyID: key.keyID, policy: PolicyDocument([
                    Statement(sid: "AccountAdministersKey", effect: .allow, actions: ["kms:*"], resources: ["*"],
                              principal: .aws("arn:\(key.partition):iam::\(key.accountID):root")),
                    Statement(sid: "Marker", effect: .allow, actions: ["kms:Decrypt"], resources: ["*"],
                              principal: .aws("arn:aws:iam::123456789012:root")),
                ])))
            }
        }
        try await harness.apply(declare(on: "a"))
        let a = try await harness.snapshot("kms.key.a")
        let b = try await harness.snapshot("kms.key.b")
        let keyA = try XCTUnwrap(a?.id), keyB = try XCTUnwrap(b?.id)
        var onA = try await statements(harness, keyA)
        XCTAssertEqual(onA.map { $0["Sid"] }, ["AccountAdministersKey", "Marker"])

        let move = try await harness.apply(declare(on: "b"))
        XCTAssertEqual(StackHarness.action(move, "kms.key_policy.moving"), .replace)
        onA = try await statements(harness, keyA)
        XCTAssertEqual(onA.count, 1, "key a is back on KMS's default policy")
        let onB = try await statements(harness, keyB)
        XCTAssertEqual(onB.map { $0["Sid"] }, ["AccountAdministersKey", "Marker"])
        try await harness.destroy(declare(on: "b"))
    }

    func testRemovingThePolicyAloneRestoresKMSDefault() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        try await harness.apply(declare(tag, actions: ["kms:Decrypt"]))
        let key = try await harness.snapshot("kms.key.data")
        let keyID = try XCTUnwrap(key?.id)

        let keyOnly = Stack("kms-key-policy") { stack in
            stack.add(KMS.Key("data", description: "key \(tag)", deletionWindowInDays: 7))
        }
        let plan = try await harness.apply(keyOnly)
        XCTAssertEqual(StackHarness.action(plan, "kms.key_policy.data"), .delete)
        let live = try await statements(harness, keyID)
        XCTAssertEqual(live.count, 1)
        XCTAssertEqual(live.first?["Principal"]["AWS"], "arn:aws:iam::123456789012:root")
        XCTAssertEqual(live.first?["Action"], "kms:*")
        try await harness.destroy(keyOnly)
    }
}
