import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// Lookups against the emulator behind the verifying proxy: the caller's identity (STS
/// `GetCallerIdentity`), a key by alias (KMS `DescribeKey`), the latest Amazon Linux 2023 AMI
/// (SSM `GetParameter` on AWS's public parameter), fed into resources, recorded in state, and
/// never changed or deleted.
final class LookupIntegrationTests: XCTestCase {
    /// A key made outside imgstack, with `alias`.
    private func externalKey(_ harness: StackHarness, alias: String) async throws -> String {
        let key = try await harness.aws.kms.createKey(description: "made outside imgstack", keyUsage: "ENCRYPT_DECRYPT",
                                                      keySpec: "SYMMETRIC_DEFAULT", policy: nil, tags: [])
        try await harness.aws.kms.createAlias(alias, targetKeyID: key.keyID)
        return key.keyID
    }

    private func stack(alias: String, tag: String) -> Stack {
        Stack("lookup-test") { stack in
            let me = stack.lookup(ImgStack.STS.CallerIdentity("current"))
            let ami = stack.lookup(ImgStack.SSM.ParameterLookup.latestAmazonLinux2023AMI("al2023"))
            let shared = stack.lookup(KMS.KeyLookup("shared", alias: Text(alias)))
            stack.add(KMS.Key("own", description: "\(me.accountID) \(me.partition) \(ami.value)"))
            stack.add(KMS.Alias("extra", name: Text("alias/extra-\(tag)"), targetKeyID: shared.keyID))
            stack.output("account", me.accountID)
        }
    }

    func testLookupsFeedResourcesAreRecordedAndAreNeverChanged() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        let alias = "alias/shared-\(tag)"
        let sharedKey = try await externalKey(harness, alias: alias)
        let stack = stack(alias: alias, tag: tag)

        let plan = try await harness.apply(stack)
        XCTAssertFalse(plan.changes.contains { $0.address.isLookup }, "lookups are never created")
        let ami = try await harness.aws.ssm(region: "us-east-1").getParameter(ImgStack.SSM.ParameterLookup.amazonLinux2023x86_64).value
        XCTAssertTrue(ami.hasPrefix("ami-"), ami)
        let ownSnapshot = try await harness.snapshot("kms.key.own")
        let own = try XCTUnwrap(ownSnapshot?.id)
        let description = try await harness.aws.kms.describeKey(own).description
        XCTAssertEqual(description, "123456789012 aws \(ami)", "read back through the AWS API")
        let target = try await harness.aws.kms.listAliases().first { $0.name == "alias/extra-\(tag)" }?.targetKeyID
        XCTAssertEqual(target, sharedKey)

        let state = try await harness.state
        XCTAssertEqual(state.lookups?.map(\.address.description),
                       ["lookup.kms.key.shared", "lookup.ssm.parameter.al2023", "lookup.sts.caller_identity.current"])
        XCTAssertEqual(state.lookup(.lookup("kms.key", "shared"))?.attributes["keyID"], .string(sharedKey))
        XCTAssertEqual(state.outputs["account"]?.value, "123456789012")

        let again = try await harness.plan(stack)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        // The shared alias moves to another key outside imgstack: the alias fed by it follows,
        // and the plan names the lookup as the reason.
        let other = try await harness.aws.kms.createKey(description: "another", keyUsage: "ENCRYPT_DECRYPT", keySpec: "SYMMETRIC_DEFAULT",
                                                        policy: nil, tags: [])
        try await harness.aws.kms.updateAlias(alias, targetKeyID: other.keyID)
        let moved = try await harness.plan(stack)
        let change = try XCTUnwrap(moved.changes.first { $0.address.description == "kms.alias.extra" })
        XCTAssertEqual(change.action, .update)
        XCTAssertEqual(change.reason, "lookup.kms.key.shared changed: keyID")
        try await harness.apply(stack)
        let retargeted = try await harness.aws.kms.listAliases().first { $0.name == "alias/extra-\(tag)" }?.targetKeyID
        XCTAssertEqual(retargeted, other.keyID)

        try await harness.destroy(stack)
        let sharedAfter = try await harness.aws.kms.describeKey(sharedKey)
        XCTAssertEqual(sharedAfter.keyState, "Enabled", "a looked-up key is never deleted")
        let sharedAlias = try await harness.aws.kms.listAliases().first { $0.name == alias }
        XCTAssertEqual(sharedAlias?.targetKeyID, other.keyID, "nor its alias")
        let cleared = try await harness.state
        XCTAssertNil(cleared.lookups)
    }

    func testAnAliasThatDoesNotExistStopsThePlanNamingTheLookup() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        do {
            _ = try await harness.apply(stack(alias: "alias/missing-\(tag)", tag: tag))
            XCTFail("a lookup that finds nothing must stop the run")
        } catch {
            XCTAssertEqual("\(error)", "lookup.kms.key.shared: found nothing: no KMS key has the alias alias/missing-\(tag) in us-east-1")
        }
        let state = try await harness.backend.read()
        XCTAssertNil(state, "nothing was written")
        let aliases = try await harness.aws.kms.listAliases().map(\.name)
        XCTAssertFalse(aliases.contains("alias/extra-\(tag)"), "nothing was created")
    }

    func testAnAliasWithoutItsPrefixIsRefusedBeforeAnyCall() throws {
        let harness = try StackHarness()
        XCTAssertThrowsError(try harness.evaluate(stack(alias: "shared", tag: "x"))) { error in
            XCTAssertTrue("\(error)".contains("lookup.kms.key.shared: property alias: \"shared\" must start with \"alias/\""), "\(error)")
        }
    }
}
