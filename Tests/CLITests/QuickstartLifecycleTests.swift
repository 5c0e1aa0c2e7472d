import AWS
import Foundation
import TestSupport
import XCTest

/// The quickstart stack through the `imgstack` binary against the emulator behind the
/// verifying proxy: apply, an empty plan, an update in place, a replacement, a removed
/// resource, destroy — each checked through the AWS API, not through imgstack's state.
final class QuickstartLifecycleTests: XCTestCase {
    private func uniquePrefix() -> String { "qs-\(UUID().uuidString.prefix(8).lowercased())" }

    func testFullLifecycleIsCheckedThroughTheAWSAPI() async throws {
        let emulator = try Emulator.shared()
        let cli = try CLI.withEmulator(emulator)
        let prefix = uniquePrefix()
        let probe = QuickstartProbe(emulator: emulator, prefix: prefix)
        let stack = ["--stack", "quickstart", "--var", "prefix=\(prefix)"]

        // Apply from nothing.
        let applied = try await cli.run(["apply", "--auto-approve"] + stack)
        XCTAssertEqual(applied.status, 0, applied.standardError)
        XCTAssertTrue(applied.standardOutput.contains("Apply complete! Resources: 7 added, 0 changed, 0 destroyed."), applied.standardOutput)
        XCTAssertTrue(applied.standardOutput.contains("s3.bucket.data: Creating..."), applied.standardOutput)
        XCTAssertTrue(applied.standardOutput.contains("s3.bucket.data: Created in "), applied.standardOutput)
        let bucketExists = try await probe.bucketExists()
        XCTAssertTrue(bucketExists)
        let versioning = try await probe.versioning()
        XCTAssertEqual(versioning, "Enabled")
        let hello = try await probe.hello()
        XCTAssertEqual(hello, "Hello from imgstack\n")
        let keys = try await probe.liveKeys()
        XCTAssertEqual(keys.count, 1)
        let aliasTarget = try await probe.aliasTarget()
        XCTAssertEqual(aliasTarget, keys.first?.keyID)
        let attached = try await probe.attachedPolicies()
        XCTAssertEqual(attached, ["arn:aws:iam::123456789012:policy/\(prefix)-read"])

        // Plan again: empty, exit 0 with --detailed-exitcode.
        let empty = try await cli.run(["plan", "--detailed-exitcode"] + stack)
        XCTAssertEqual(empty.status, 0, empty.standardOutput + empty.standardError)
        XCTAssertTrue(empty.standardOutput.contains("No changes."), empty.standardOutput)

        // A property change is an update in place.
        let changed = stack + ["--var", "greeting=Changed"]
        let updatePlan = try await cli.run(["plan", "--detailed-exitcode", "--json"] + changed)
        XCTAssertEqual(updatePlan.status, 2, updatePlan.standardError)
        XCTAssertEqual(try actions(in: updatePlan.standardOutput)["aws_s3_object.hello"], ["update"])
        XCTAssertEqual(try actions(in: updatePlan.standardOutput)["aws_s3_bucket.data"], ["no-op"])
        let update = try await cli.run(["apply", "--auto-approve"] + changed)
        XCTAssertEqual(update.status, 0, update.standardError)
        let changedHello = try await probe.hello()
        XCTAssertEqual(changedHello, "Changed\n")

        // A force-new change is a replacement; the role keeps its policy through it.
        let replacePlan = try await cli.run(["plan", "--json", "--replace", "iam.role.reader"] + changed)
        XCTAssertEqual(try actions(in: replacePlan.standardOutput)["aws_iam_role.reader"], ["delete", "create"],
                       "the role keeps its name, so the old one goes first")
        XCTAssertEqual(try actions(in: replacePlan.standardOutput)["aws_iam_role_policy_attachment.read"], ["delete", "create"],
                       "the attachment refers to the replaced role, is replaced with it, and keeps its identity")
        let replaced = try await cli.run(["apply", "--auto-approve", "--replace", "iam.role.reader"] + changed)
        XCTAssertEqual(replaced.status, 0, replaced.standardOutput + replaced.standardError)
        let attachedAfterReplace = try await probe.attachedPolicies()
        XCTAssertEqual(attachedAfterReplace, ["arn:aws:iam::123456789012:policy/\(prefix)-read"])
        let afterReplace = try await cli.run(["plan", "--detailed-exitcode"] + changed)
        XCTAssertEqual(afterReplace.status, 0, afterReplace.standardOutput)

        // A resource removed from the stack is deleted.
        let withoutObject = changed + ["--var", "with_object=false"]
        let removal = try await cli.run(["apply", "--auto-approve"] + withoutObject)
        XCTAssertEqual(removal.status, 0, removal.standardError)
        XCTAssertTrue(removal.standardOutput.contains("s3.object.hello: Destroyed"), removal.standardOutput)
        let goneHello = try await probe.hello()
        XCTAssertNil(goneHello)

        // Destroy leaves nothing but the key pending deletion.
        let destroyed = try await cli.run(["destroy", "--auto-approve"] + withoutObject)
        XCTAssertEqual(destroyed.status, 0, destroyed.standardError)
        XCTAssertTrue(destroyed.standardOutput.contains("scheduled for deletion in 7 days"), destroyed.standardOutput)
        let bucketAfter = try await probe.bucketExists()
        XCTAssertFalse(bucketAfter)
        let roleAfter = try await probe.roleExists()
        XCTAssertFalse(roleAfter)
        let policyAfter = try await probe.policyExists()
        XCTAssertFalse(policyAfter)
        let aliasAfter = try await probe.aliasTarget()
        XCTAssertNil(aliasAfter)
        let liveKeysAfter = try await probe.liveKeys()
        XCTAssertTrue(liveKeysAfter.isEmpty)
        let pending = try await probe.keysPendingDeletion()
        XCTAssertEqual(pending, 1)

        let list = try await cli.run(["state", "list"] + stack)
        XCTAssertEqual(list.standardOutput, "")
    }

    func testSavedPlanIsAppliedExactlyAndRefusedOnceStateMoved() async throws {
        let emulator = try Emulator.shared()
        let cli = try CLI.withEmulator(emulator)
        let prefix = uniquePrefix()
        let stack = ["--stack", "quickstart", "--var", "prefix=\(prefix)"]

        let saved = try await cli.run(["plan", "--out", "first.plan"] + stack)
        XCTAssertEqual(saved.status, 0, saved.standardError)
        let stale = try await cli.run(["plan", "--out", "stale.plan"] + stack)
        XCTAssertEqual(stale.status, 0, stale.standardError)

        // The plan file names its stack: no --stack needed (the default stack is another one).
        let applied = try await cli.run(["apply", "first.plan"])
        XCTAssertEqual(applied.status, 0, applied.standardOutput + applied.standardError)
        XCTAssertTrue(applied.standardOutput.contains("7 added"), applied.standardOutput)

        let otherStack = try await cli.run(["apply", "stale.plan", "--stack", "image-server"])
        XCTAssertEqual(otherStack.status, 1)
        XCTAssertTrue(otherStack.standardError.contains("stale.plan is a plan for stack quickstart, not image-server"), otherStack.standardError)

        for arguments in [["apply", "stale.plan", "--stack", "quickstart"], ["apply", "stale.plan"]] {
            let refused = try await cli.run(arguments)
            XCTAssertEqual(refused.status, 1, arguments.joined(separator: " "))
            XCTAssertTrue(refused.standardError.contains("run `imgstack plan` again"), refused.standardError)
        }

        let destroyed = try await cli.run(["destroy", "--auto-approve"] + stack)
        XCTAssertEqual(destroyed.status, 0, destroyed.standardError)
    }

    func testOutputsAndStateCommands() async throws {
        let emulator = try Emulator.shared()
        let cli = try CLI.withEmulator(emulator)
        let prefix = uniquePrefix()
        let stack = ["--stack", "quickstart", "--var", "prefix=\(prefix)"]
        let applied = try await cli.run(["apply", "--auto-approve"] + stack)
        XCTAssertEqual(applied.status, 0, applied.standardError)

        let bucket = try await cli.run(["output", "bucket"] + stack)
        XCTAssertEqual(bucket.standardOutput, "\(prefix)-data-bucket\n")
        let list = try await cli.run(["state", "list"] + stack)
        XCTAssertTrue(list.standardOutput.contains("kms.key.data"), list.standardOutput)
        let show = try await cli.run(["state", "show", "iam.role.reader"] + stack)
        XCTAssertTrue(show.standardOutput.contains("\(prefix)-reader"), show.standardOutput)
        // The record's region once, even for a type with a region attribute of its own; the
        // names aligned as Terraform aligns them.
        let bucketShown = try await cli.run(["state", "show", "s3.bucket.data"] + stack).standardOutput
        let lines = bucketShown.split(separator: "\n").dropFirst().filter { !$0.hasPrefix("depends on:") }
        XCTAssertEqual(lines.filter { $0.hasPrefix("region ") }.count, 1, bucketShown)
        XCTAssertEqual(Set(lines.compactMap { $0.range(of: " = ")?.lowerBound.utf16Offset(in: $0) }).count, 1, bucketShown)

        // Forget the alias, import it back by its id: the plan is empty again.
        let removed = try await cli.run(["state", "rm", "kms.alias.data"] + stack)
        XCTAssertEqual(removed.status, 0, removed.standardError)
        let imported = try await cli.run(["import", "kms.alias.data", "alias/\(prefix)-data"] + stack)
        XCTAssertEqual(imported.status, 0, imported.standardError)
        // An object is imported without its body: its content compares through its MD5.
        _ = try await cli.run(["state", "rm", "s3.object.hello"] + stack)
        let object = try await cli.run(["import", "s3.object.hello", "\(prefix)-data-bucket/hello.txt"] + stack)
        XCTAssertEqual(object.status, 0, object.standardError)
        let plan = try await cli.run(["plan", "--detailed-exitcode"] + stack)
        XCTAssertEqual(plan.status, 0, plan.standardOutput)

        let graph = try await cli.run(["graph"] + stack)
        XCTAssertTrue(graph.standardOutput.contains("\"kms.alias.data\" -> \"kms.key.data\""), graph.standardOutput)

        // The apply recorded the emulator's account; another account's state is refused before any change.
        let statePath = cli.path(".imgstack/quickstart.state.json")
        let recorded = try XCTUnwrap(FileManager.default.contents(atPath: statePath))
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: recorded) as? [String: Any])
        XCTAssertEqual(document["account"] as? [String: String], ["id": "123456789012", "partition": "aws"])
        let otherAccount = Data(String(decoding: recorded, as: UTF8.self).replacingOccurrences(of: "123456789012\"", with: "111122223333\"").utf8)
        XCTAssertTrue(FileManager.default.createFile(atPath: statePath, contents: otherAccount))
        for command in [["plan"], ["destroy", "--auto-approve"]] {
            let refused = try await cli.run(command + stack)
            XCTAssertEqual(refused.status, 1, refused.standardError)
            XCTAssertTrue(refused.standardError.contains("was applied to account 111122223333 (aws), but the credentials are for account 123456789012 (aws)"),
                          refused.standardError)
            XCTAssertEqual(FileManager.default.contents(atPath: statePath), otherAccount)
        }
        let stillThere = try await QuickstartProbe(emulator: emulator, prefix: prefix).bucketExists()
        XCTAssertTrue(stillThere)
        XCTAssertTrue(FileManager.default.createFile(atPath: statePath, contents: recorded))

        let destroyed = try await cli.run(["destroy", "--auto-approve"] + stack)
        XCTAssertEqual(destroyed.status, 0, destroyed.standardError)
    }

    /// Terraform address → actions from a JSON plan.
    private func actions(in json: String) throws -> [String: [String]] {
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let changes = try XCTUnwrap(document["resource_changes"] as? [[String: Any]])
        var result: [String: [String]] = [:]
        for change in changes {
            guard let address = change["address"] as? String, let body = change["change"] as? [String: Any] else { continue }
            result[address] = body["actions"] as? [String]
        }
        return result
    }
}
