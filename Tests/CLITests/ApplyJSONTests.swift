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

        let destroyed = try await cli.run(["destroy", "--auto-approve", "--json"] + stack)
        XCTAssertEqual(destroyed.status, 0, destroyed.standardError)
        let summary = try Engine.Value(jsonText: destroyed.standardOutput)
        XCTAssertEqual(summary["operation"], "destroy")
        XCTAssertEqual(summary["succeeded"], true)
        XCTAssertEqual(summary["failures"], [])
        // The failed create's intent made the destroy adopt the same-named role and delete it
        // (intent recovery finds a role by name); delete it here in case that changes.
        _ = try? await probe.aws.iam.deleteRole("\(prefix)-reader")
    }

    private static let trustPolicy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
}
