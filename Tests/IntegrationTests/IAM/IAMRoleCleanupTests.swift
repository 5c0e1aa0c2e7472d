import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// IAM behaviour the lifecycle test does not reach, because a stack deletes attachments and
/// profiles before their role: deleting a role that others still hang on (made outside the
/// stack), importing by id, and deleting what is already gone.
final class IAMRoleCleanupTests: XCTestCase {
    private static let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
    private static let logs = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"*"}]}"#

    func testDeletingARoleFirstDetachesPoliciesAndLeavesInstanceProfiles() async throws {
        let harness = try StackHarness()
        let iam = harness.aws.iam
        let name = "cleanup-\(UUID().uuidString.prefix(8).lowercased())"
        _ = try await iam.createRole(name: name, path: "/", assumeRolePolicy: Self.trust, description: nil, maxSessionDuration: 3600, tags: [:])
        let policy = try await iam.createPolicy(name: name, path: "/", document: Self.logs, description: nil, tags: [:])
        try await iam.attachRolePolicy(role: name, policyARN: policy.arn)
        try await iam.putRolePolicy(role: name, name: "logs", document: Self.logs)
        _ = try await iam.createInstanceProfile(name: name, path: "/")
        try await iam.addRoleToInstanceProfile(name, role: name)

        // What holds the role is listed at once and removed at once (each watched call waits
        // until its group is all in flight: sent one after another, they never are), and the
        // delete reads nothing else.
        let lists = WatchingTransport(holdUntilInFlight: 3,
                                      watching: WatchingTransport.action("ListAttachedRolePolicies", "ListRolePolicies", "ListInstanceProfilesForRole"))
        let removals = WatchingTransport(holdUntilInFlight: 3, watching: WatchingTransport.action(
            "DetachRolePolicy", "DeleteRolePolicy", "RemoveRoleFromInstanceProfile"), inner: lists)
        let reads = WatchingTransport(watching: WatchingTransport.action("GetRole"), inner: removals)
        let type = ImgStack.IAM.Role.makeType()
        let watched = OperationContext(address: Address(type: "iam.role", name: "app"), region: harness.region,
                                       client: harness.emulator.client(transport: reads))
        try await type.delete(ResourceSnapshot(id: name, properties: ["name": .string(name)]), context: watched)
        XCTAssertEqual(lists.mostInFlight, 3, "the role's attachments, inline policies and profiles were not listed together")
        XCTAssertEqual(removals.mostInFlight, 3, "what holds the role was not removed together")
        XCTAssertEqual(reads.sent, 0, "the delete read the role, which its lists already answer")

        let role = try await iam.role(name)
        XCTAssertNil(role)
        let profile = try await iam.instanceProfile(name)
        XCTAssertEqual(profile?.roles, [], "the profile stays, without the role")
        let kept = try await iam.policy(policy.arn)
        XCTAssertNotNil(kept, "the managed policy itself is not the role's to delete")
        // Deleting a role that is already gone succeeds.
        let context = OperationContext(address: Address(type: "iam.role", name: "app"), region: harness.region, client: harness.aws)
        try await type.delete(ResourceSnapshot(id: name, properties: ["name": .string(name)]), context: context)

        try await iam.deleteInstanceProfile(name)
        try await iam.deletePolicy(policy.arn)
    }

    func testImportReadsEveryPropertyOfARoleAndAnAttachment() async throws {
        let harness = try StackHarness()
        let iam = harness.aws.iam
        let name = "import-\(UUID().uuidString.prefix(8).lowercased())"
        _ = try await iam.createRole(name: name, path: "/imported/", assumeRolePolicy: Self.trust, description: "imported",
                                     maxSessionDuration: 7200, tags: ["team": "images"])
        try await iam.putRolePolicy(role: name, name: "logs", document: Self.logs)
        let policy = try await iam.createPolicy(name: name, path: "/", document: Self.logs, description: nil, tags: [:])
        try await iam.attachRolePolicy(role: name, policyARN: policy.arn)
        let context = OperationContext(address: Address(type: "iam.role", name: "app"), region: harness.region, client: harness.aws)

        let role = try await ImgStack.IAM.Role.makeType().checkedImport(id: name, context: context)
        let imported = try XCTUnwrap(role)
        XCTAssertEqual(imported.properties["path"], "/imported/")
        XCTAssertEqual(imported.properties["description"], "imported")
        XCTAssertEqual(imported.properties["maxSessionDuration"], 7200)
        XCTAssertEqual(imported.properties["tags"], ["team": "images"])
        XCTAssertEqual(imported.properties["assumeRolePolicy"], PolicyNormalizer.normalize(.string(Self.trust)))
        XCTAssertEqual(imported.properties["inlinePolicies"], .map(["logs": PolicyNormalizer.normalize(.string(Self.logs))]))
        XCTAssertEqual(imported.attributes["arn"], .string("arn:aws:iam::123456789012:role/imported/\(name)"))

        let attachments = ImgStack.IAM.RolePolicyAttachment.makeType()
        let attachment = try await attachments.checkedImport(id: "\(name)/\(policy.arn)", context: context)
        XCTAssertEqual(attachment?.properties["policyARN"], .string(policy.arn))
        XCTAssertEqual(attachment?.properties["role"], .string(name))
        let missing = try await attachments.checkedImport(id: "\(name)/arn:aws:iam::123456789012:policy/none", context: context)
        XCTAssertNil(missing)

        try await ImgStack.IAM.Role.makeType().delete(imported, context: context)
        try await iam.deletePolicy(policy.arn)
        let gone = try await ImgStack.IAM.Role.makeType().read(imported, context: context)
        XCTAssertNil(gone)
    }
}
