import AWS
import Engine
import Foundation
import ImgStack
import TestSupport
import XCTest

/// IAM roles, policies, attachments, instance profiles and OIDC providers against the emulator:
/// create, read back through the AWS API, empty plan, update in place, replacement, deletion.
final class IAMResourceTests: XCTestCase {
    private func stack(_ build: @escaping @Sendable (StackBuilder) -> Void) -> Stack { Stack("iam-test", body: build) }

    private static func trust(_ service: String) -> PolicyDocument {
        PolicyDocument([Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service(Text(service)))])
    }

    func testRolePolicyAttachmentAndInstanceProfileLifecycle() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        let iam = harness.aws.iam
        func declare(service: String, sessionHours: Int, actions: [Text], path: String = "/") -> Stack {
            stack { stack in
                let role = stack.add(IAM.Role("app", name: "app-\(tag)", assumeRolePolicy: Self.trust(service), path: path,
                                              description: "app role", maxSessionDuration: sessionHours * 3600,
                                              inlinePolicies: ["logs": PolicyDocument([Statement(effect: .allow, actions: ["logs:PutLogEvents"], resources: ["*"])])],
                                              tags: ["team": "images"]))
                let policy = stack.add(IAM.Policy("read", name: "read-\(tag)", document: PolicyDocument([
                    Statement(effect: .allow, actions: actions, resources: ["arn:aws:s3:::bucket-\(tag)/*"]),
                ])))
                stack.add(IAM.RolePolicyAttachment("read", role: role.roleName, policyARN: policy.arn))
                stack.add(IAM.InstanceProfile("app", name: "app-\(tag)", role: role.roleName))
            }
        }
        let first = declare(service: "ec2.amazonaws.com", sessionHours: 1, actions: ["s3:GetObject"])
        try await harness.apply(first)

        let found = try await iam.role("app-\(tag)")
        let role = try XCTUnwrap(found)
        XCTAssertTrue(role.assumeRolePolicy.contains("ec2.amazonaws.com"), role.assumeRolePolicy)
        XCTAssertEqual(role.maxSessionDuration, 3600)
        XCTAssertEqual(role.description, "app role")
        XCTAssertEqual(role.tags.filter { !$0.key.hasPrefix("imgstack:") }, ["team": "images"])
        XCTAssertNotNil(role.tags["imgstack:intent"], "tagged with its create's intent, so a crashed run can tell it from a foreign role")
        let inline = try await iam.rolePolicyNames("app-\(tag)")
        XCTAssertEqual(inline, ["logs"])
        let policyARN = "arn:aws:iam::123456789012:policy/read-\(tag)"
        let attached = try await iam.attachedRolePolicies("app-\(tag)")
        XCTAssertEqual(attached, [policyARN])
        let profile = try await iam.instanceProfile("app-\(tag)")
        XCTAssertEqual(profile?.roles, ["app-\(tag)"])

        let again = try await harness.plan(first)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        // In place: the trust policy, the session length, and the policy document (a new version).
        let second = declare(service: "lambda.amazonaws.com", sessionHours: 2, actions: ["s3:GetObject", "s3:PutObject"])
        let update = try await harness.apply(second)
        XCTAssertEqual(StackHarness.action(update, "iam.role.app"), .update)
        XCTAssertEqual(StackHarness.action(update, "iam.policy.read"), .update)
        let foundAgain = try await iam.role("app-\(tag)")
        let updatedRole = try XCTUnwrap(foundAgain)
        XCTAssertTrue(updatedRole.assumeRolePolicy.contains("lambda.amazonaws.com"))
        XCTAssertEqual(updatedRole.maxSessionDuration, 7200)
        let versions = try await iam.policyVersions(policyARN)
        XCTAssertEqual(versions.count, 2)
        let afterUpdate = try await harness.plan(second)
        XCTAssertFalse(afterUpdate.hasChanges, HumanPlanRenderer().render(afterUpdate))

        // A version made default outside imgstack: the document read by the recorded version
        // alongside GetPolicy is not the one in force, so it is read again by the version
        // GetPolicy names; the plan shows it as drift and apply restores the stack's.
        try await iam.createPolicyVersion(policyARN, document: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"*"}]}"#)
        let outside = try await harness.plan(second)
        XCTAssertEqual(StackHarness.action(outside, "iam.policy.read"), .update, HumanPlanRenderer().render(outside))
        XCTAssertTrue(outside.drift.contains { $0.address.description == "iam.policy.read" && $0.changes.map(\.name) == ["document"] },
                      "\(outside.drift)")
        try await harness.apply(second)
        let restored = try await harness.plan(second)
        XCTAssertFalse(restored.hasChanges, HumanPlanRenderer().render(restored))

        // Five more document changes: IAM keeps at most five versions, imgstack prunes the oldest.
        for round in 0..<5 {
            try await harness.apply(declare(service: "lambda.amazonaws.com", sessionHours: 2, actions: ["s3:GetObject", Text("s3:Action\(round)")]))
        }
        let pruned = try await iam.policyVersions(policyARN)
        XCTAssertEqual(pruned.count, 5)

        // The path forces a new role; the attachment and the profile follow it.
        let third = declare(service: "lambda.amazonaws.com", sessionHours: 2, actions: ["s3:GetObject", "s3:Action4"], path: "/service/")
        let replace = try await harness.apply(third)
        XCTAssertEqual(StackHarness.action(replace, "iam.role.app"), .replace)
        let moved = try await iam.role("app-\(tag)")
        XCTAssertEqual(moved?.path, "/service/")
        let attachedAfter = try await iam.attachedRolePolicies("app-\(tag)")
        XCTAssertEqual(attachedAfter, [policyARN])
        let profileAfter = try await iam.instanceProfile("app-\(tag)")
        XCTAssertEqual(profileAfter?.roles, ["app-\(tag)"])

        try await harness.destroy(third)
        let roleGone = try await iam.role("app-\(tag)")
        XCTAssertNil(roleGone)
        let policyGone = try await iam.policy(policyARN)
        XCTAssertNil(policyGone)
        let profileGone = try await iam.instanceProfile("app-\(tag)")
        XCTAssertNil(profileGone)
    }

    func testARolesInlinePoliciesArePutTogether() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        let names = ["logs", "read", "write"]
        let declared = stack { stack in
            stack.add(IAM.Role("app", name: Text("together-\(tag)"), assumeRolePolicy: Self.trust("ec2.amazonaws.com"),
                               inlinePolicies: Dictionary(uniqueKeysWithValues: names.map { name in
                                   (name, PolicyDocument([Statement(effect: .allow, actions: ["s3:GetObject"],
                                                                    resources: [Text("arn:aws:s3:::\(name)-\(tag)/*")])]))
                               })))
        }
        // Each PutRolePolicy waits until all three are in flight: put one after another, they never are.
        let puts = WatchingTransport(holdUntilInFlight: names.count, watching: WatchingTransport.action("PutRolePolicy"))
        try await harness.apply(declared, through: puts)
        XCTAssertEqual(puts.sent, names.count)
        XCTAssertEqual(puts.mostInFlight, names.count, "the role's inline policies were not put together")
        let listed = try await harness.aws.iam.rolePolicyNames("together-\(tag)")
        XCTAssertEqual(listed.sorted(), names)
        try await harness.destroy(declared)
    }

    func testARolesChangedPartsAreWrittenTogether() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        func declare(_ service: String, description: String, tags: [String: Text], policy: String) -> Stack {
            stack { stack in
                stack.add(IAM.Role("app", name: Text("parts-\(tag)"), assumeRolePolicy: Self.trust(service), description: description,
                                   inlinePolicies: [policy: PolicyDocument([Statement(effect: .allow, actions: ["s3:GetObject"],
                                                                                      resources: [Text("arn:aws:s3:::\(tag)/*")])])],
                                   tags: tags))
            }
        }
        try await harness.apply(declare("ec2.amazonaws.com", description: "first", tags: ["old": "1"], policy: "logs"))
        let changed = declare("lambda.amazonaws.com", description: "second", tags: ["new": "2"], policy: "read")
        // The first write of each changed part (trust policy, description, tags, inline policies)
        // waits until all four are in flight: written one part after another, they never are.
        let writes = WatchingTransport(holdUntilInFlight: 4,
                                       watching: WatchingTransport.action("UpdateAssumeRolePolicy", "UpdateRole", "UntagRole", "DeleteRolePolicy"))
        let plan = try await harness.apply(changed, through: writes)
        XCTAssertEqual(StackHarness.action(plan, "iam.role.app"), .update)
        XCTAssertEqual(writes.mostInFlight, 4, "the role's changed parts were not written together")
        let role = try await harness.aws.iam.role("parts-\(tag)")
        XCTAssertEqual(role?.description, "second")
        XCTAssertTrue(role?.assumeRolePolicy.contains("lambda.amazonaws.com") ?? false, role?.assumeRolePolicy ?? "no role")
        let policies = try await harness.aws.iam.rolePolicyNames("parts-\(tag)")
        XCTAssertEqual(policies, ["read"])
        let again = try await harness.plan(changed)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))
        try await harness.destroy(changed)
    }

    /// One changed part refused: the parts written together with it are still written, the apply
    /// reports the refusal, and the next plan shows only the refused part.
    func testARoleUpdateWithOnePartRefusedWritesTheOthersAndPlansTheRest() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        func declare(description: String, tags: [String: Text], policy: String) -> Stack {
            stack { stack in
                stack.add(IAM.Role("app", name: Text("refused-\(tag)"), assumeRolePolicy: Self.trust("ec2.amazonaws.com"),
                                   description: description,
                                   inlinePolicies: [policy: PolicyDocument([Statement(effect: .allow, actions: ["s3:GetObject"],
                                                                                      resources: [Text("arn:aws:s3:::\(tag)/*")])])],
                                   tags: tags))
            }
        }
        try await harness.apply(declare(description: "first", tags: ["old": "1"], policy: "logs"))
        let changed = declare(description: "second", tags: ["new": "2"], policy: "read")
        try await harness.emulator.inject(Fault(operation: "iam:UntagRole", kind: .status, count: 1, status: 403))
        let summary = try await harness.deploy(changed).summary
        XCTAssertEqual(summary?.failures.map(\.address.description), ["iam.role.app"], "\(summary?.failures ?? [])")
        let role = try await harness.aws.iam.role("refused-\(tag)")
        XCTAssertEqual(role?.description, "second", "the description went out beside the refused tags")
        let policies = try await harness.aws.iam.rolePolicyNames("refused-\(tag)")
        XCTAssertEqual(policies, ["read"], "the inline policies went out beside the refused tags")
        let rest = try await harness.plan(changed)
        XCTAssertEqual(rest.changes.first { $0.address.description == "iam.role.app" }?.changedProperties, ["tags"],
                       HumanPlanRenderer().render(rest))
        try await harness.apply(changed)
        let done = try await harness.plan(changed)
        XCTAssertFalse(done.hasChanges, HumanPlanRenderer().render(done))
        try await harness.destroy(changed)
    }

    func testOpenIDConnectProviderLifecycle() async throws {
        let harness = try StackHarness()
        let host = "oidc-\(UUID().uuidString.prefix(8).lowercased()).example.com"
        func declare(clients: [String]) -> Stack {
            stack { $0.add(IAM.OpenIDConnectProvider("ci", url: "https://\(host)", clientIDs: clients,
                                                     thumbprints: [String(repeating: "a", count: 40)])) }
        }
        try await harness.apply(declare(clients: ["sts.amazonaws.com"]))
        let arn = "arn:aws:iam::123456789012:oidc-provider/\(host)"
        let provider = try await harness.aws.iam.openIDConnectProvider(arn)
        XCTAssertEqual(provider?.clientIDs, ["sts.amazonaws.com"])
        let again = try await harness.plan(declare(clients: ["sts.amazonaws.com"]))
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        let update = try await harness.apply(declare(clients: ["sts.amazonaws.com", "other"]))
        XCTAssertEqual(StackHarness.action(update, "iam.openid_connect_provider.ci"), .update)
        let updated = try await harness.aws.iam.openIDConnectProvider(arn)
        XCTAssertEqual(updated?.clientIDs.sorted(), ["other", "sts.amazonaws.com"])

        try await harness.destroy(declare(clients: ["sts.amazonaws.com", "other"]))
        let gone = try await harness.aws.iam.openIDConnectProvider(arn)
        XCTAssertNil(gone)
    }
}
