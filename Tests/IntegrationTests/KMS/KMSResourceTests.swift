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

    /// The new policy goes first: it may be what allows the key's other calls (terraform-provider-aws
    /// 44422, 44685); the description, rotation and tags then go out together.
    func testAKeysNewPolicyComesFirstAndItsOtherChangesGoTogether() async throws {
        let harness = try StackHarness()
        func declare(_ sid: String, description: String, rotation: Bool, team: String) -> Stack {
            stack { stack in
                stack.add(KMS.Key("data", description: Text(description), policy: PolicyDocument([
                    Statement(sid: sid, effect: .allow, actions: ["kms:*"], resources: ["*"], principal: .aws("arn:aws:iam::123456789012:root")),
                ]), enableKeyRotation: rotation, tags: ["team": Text(team)]))
            }
        }
        try await harness.apply(declare("Before", description: "first", rotation: false, team: "a"))
        let others = ["UpdateKeyDescription", "EnableKeyRotation", "TagResource"]
        let order = OrderTransport()
        let together = WatchingTransport(holdUntilInFlight: others.count, watching: { others.contains(OrderTransport.operation($0)) },
                                         inner: order)
        let changed = declare("After", description: "second", rotation: true, team: "b")
        let plan = try await harness.apply(changed, through: together)
        XCTAssertEqual(StackHarness.action(plan, "kms.key.data"), .update)
        let events = order.events
        let policyPut = try XCTUnwrap(events.firstIndex(of: "answered PutKeyPolicy"), "\(events)")
        for operation in others {
            let sent = try XCTUnwrap(events.firstIndex(of: "sent \(operation)"), "\(events)")
            XCTAssertLessThan(policyPut, sent, "\(operation) went out before the new policy was in force: \(events)")
        }
        XCTAssertEqual(together.mostInFlight, others.count, "the description, rotation and tags were not written together")
        let again = try await harness.plan(changed)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))
        try await harness.destroy(changed)
    }
}

/// Sends through a real transport and notes, in order, when each KMS call went out and when its
/// answer came.
private final class OrderTransport: HTTPTransport, @unchecked Sendable {
    private let inner = HTTPClientTransport()
    private let lock = NSLock()
    private var noted: [String] = []

    /// The KMS operation of `request` (`TrentService.PutKeyPolicy` → `PutKeyPolicy`), or "".
    static func operation(_ request: HTTPRequest) -> String {
        guard let target = request.headers["X-Amz-Target"], target.hasPrefix("TrentService.") else { return "" }
        return String(target.dropFirst("TrentService.".count))
    }

    /// "sent Operation" and "answered Operation", in the order they happened.
    var events: [String] { lock.withLock { noted } }

    func send(_ request: HTTPRequest, timeout: TimeInterval) async throws -> HTTPResponse {
        let operation = Self.operation(request)
        if !operation.isEmpty { lock.withLock { noted.append("sent \(operation)") } }
        let response = try await inner.send(request, timeout: timeout)
        if !operation.isEmpty { lock.withLock { noted.append("answered \(operation)") } }
        return response
    }
}
