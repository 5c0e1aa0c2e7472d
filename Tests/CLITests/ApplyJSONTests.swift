import AWS
import Engine
import Foundation
import TestSupport
import XCTest

/// `apply --json`: how a run ended, as one document on standard output, with a failed
/// operation's AWS error kept whole (service, operation, code, request id).
final class ApplyJSONTests: XCTestCase {
    func testAFailedCreateKeepsItsAWSErrorInTheJSONSummary() async throws {
        let emulator = try Emulator.shared()
        let cli = try CLI.withEmulator(emulator)
        let prefix = "qs-\(UUID().uuidString.prefix(8).lowercased())"
        let probe = QuickstartProbe(emulator: emulator, prefix: prefix)
        let stack = ["--stack", "quickstart", "--var", "prefix=\(prefix)"]
        // A role of the same name exists already: CreateRole answers EntityAlreadyExists.
        _ = try await probe.aws.iam.createRole(name: "\(prefix)-reader", path: "/", assumeRolePolicy: Self.trustPolicy, description: nil,
                                               maxSessionDuration: 3600, tags: [:])

        let applied = try await cli.run(["apply", "--auto-approve", "--json"] + stack)
        XCTAssertEqual(applied.status, 1, applied.standardError)
        let document = try Engine.Value(jsonText: applied.standardOutput)
        XCTAssertEqual(document["operation"], "apply")
        XCTAssertEqual(document["succeeded"], false)
        let failure = try XCTUnwrap(document["failures"].listValue?.first { $0["address"] == "iam.role.reader" }, applied.standardOutput)
        XCTAssertEqual(failure["action"], "create")
        XCTAssertEqual(failure["error"]["service"], "iam")
        XCTAssertEqual(failure["error"]["operation"], "CreateRole")
        XCTAssertEqual(failure["error"]["code"], "EntityAlreadyExists")
        XCTAssertNotEqual(failure["error"]["request_id"], .null, "the request id to quote to AWS support")
        XCTAssertTrue(document["skipped"].listValue?.contains { $0["address"] == "iam.role_policy_attachment.read" } == true,
                      "the attachment needs the role")
        XCTAssertTrue(applied.standardError.contains("iam.role.reader: Creating..."),
                      "the plan and progress go to standard error")
        // A create AWS refused made nothing: no record of the attempt is left for a later run
        // to settle by name (which would adopt the foreign role).
        let state = try Engine.Value(jsonText: String(decoding: try Data(contentsOf: cli.directory.appending(".imgstack/quickstart.state.json")), as: UTF8.self))
        XCTAssertEqual(state["intents"].listValue ?? [], [], "no intent left by the refused create")

        let destroyed = try await cli.run(["destroy", "--auto-approve", "--json"] + stack)
        XCTAssertEqual(destroyed.status, 0, destroyed.standardError)
        let summary = try Engine.Value(jsonText: destroyed.standardOutput)
        XCTAssertEqual(summary["operation"], "destroy")
        XCTAssertEqual(summary["succeeded"], true)
        XCTAssertEqual(summary["failures"], [])
        XCTAssertFalse(destroyed.standardError.contains("adopted"), destroyed.standardError)
        let foreign = try await probe.aws.iam.role("\(prefix)-reader")
        XCTAssertNotNil(foreign, "destroy leaves the role the stack never made")
        try await probe.aws.iam.deleteRole("\(prefix)-reader")
    }

    private static let trustPolicy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
}
