import Foundation
import TestSupport
import XCTest

/// A run checks the state's account against its credentials' before any other call. Role
/// credentials (GitHub OIDC here, a `role_arn` profile alike) name their account in the
/// session's ARN, so a plan or an apply with them makes no STS `GetCallerIdentity`: its first
/// calls after the credentials are the refresh's reads, as the read floor counts them.
final class RoleCredentialsAccountTests: XCTestCase {
    private let mine = ["AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/imgstack-ci"]

    /// The CLI with web identity credentials and no keys; the role is given per run.
    private func webIdentityCLI(_ emulator: Emulator) throws -> CLI {
        var cli = try CLI.withEmulator(emulator)
        cli.environment["AWS_ACCESS_KEY_ID"] = nil
        cli.environment["AWS_SECRET_ACCESS_KEY"] = nil
        try "header.payload.signature".write(toFile: cli.path("oidc-token"), atomically: true, encoding: .utf8)
        cli.environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = cli.path("oidc-token")
        cli.environment["AWS_ROLE_SESSION_NAME"] = "ci-run"
        return cli
    }

    func testRoleCredentialsNameTheirAccountAndAnotherAccountIsStillRefused() async throws {
        let emulator = try Emulator.shared()
        let cli = try webIdentityCLI(emulator)
        let stack = ["--stack", "quickstart", "--var", "prefix=rc-\(UUID().uuidString.prefix(8).lowercased())"]

        try await emulator.resetCalls()
        let applied = try await cli.run(["apply", "--auto-approve"] + stack, environment: mine)
        XCTAssertEqual(applied.status, 0, applied.standardError)
        let planned = try await cli.run(["plan", "--detailed-exitcode"] + stack, environment: mine)
        XCTAssertEqual(planned.status, 0, planned.standardOutput + planned.standardError)
        let calls = try await emulator.calls()
        XCTAssertNil(calls["sts:GetCallerIdentity"], "the session names its account: \(calls)")
        XCTAssertEqual(calls["sts:AssumeRoleWithWebIdentity"], 2, "one session a run: \(calls)")
        let state = try XCTUnwrap(FileManager.default.contents(atPath: cli.path(".imgstack/quickstart.state.json")))
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: state) as? [String: Any])
        XCTAssertEqual(document["account"] as? [String: String], ["id": "123456789012", "partition": "aws"], "recorded from the session's ARN")

        // A role of another account: refused before any read, the state left as it was.
        try await emulator.resetCalls()
        let refused = try await cli.run(["plan"] + stack, environment: ["AWS_ROLE_ARN": "arn:aws:iam::111122223333:role/imgstack-ci"])
        XCTAssertEqual(refused.status, 1, refused.standardOutput)
        XCTAssertTrue(refused.standardError.contains("was applied to account 123456789012 (aws), but the credentials are for account 111122223333 (aws)"),
                      refused.standardError)
        let refusedCalls = try await emulator.calls()
        XCTAssertEqual(refusedCalls, ["sts:AssumeRoleWithWebIdentity": 1], "no read before the refusal")
        XCTAssertEqual(FileManager.default.contents(atPath: cli.path(".imgstack/quickstart.state.json")), state)

        let destroyed = try await cli.run(["destroy", "--auto-approve"] + stack, environment: mine)
        XCTAssertEqual(destroyed.status, 0, destroyed.standardError)
    }

    func testWithStateInS3TheSessionIsMadeOnceAndNamesTheAccount() async throws {
        let emulator = try Emulator.shared()
        let cli = try webIdentityCLI(emulator)
        let bucket = "imgstack-rc-\(UUID().uuidString.prefix(8).lowercased())"
        try await emulator.client().s3.createBucket(bucket)
        let stack = ["--stack", "quickstart", "--var", "prefix=rs-\(UUID().uuidString.prefix(8).lowercased())", "--backend", "s3://\(bucket)/"]
        let applied = try await cli.run(["apply", "--auto-approve"] + stack, environment: mine)
        XCTAssertEqual(applied.status, 0, applied.standardError)
        try await emulator.resetCalls()
        let planned = try await cli.run(["plan", "--detailed-exitcode"] + stack, environment: mine)
        XCTAssertEqual(planned.status, 0, planned.standardOutput + planned.standardError)
        let calls = try await emulator.calls()
        XCTAssertEqual(calls["sts:AssumeRoleWithWebIdentity"], 1, "the lock, the versioning check and the refresh share one session: \(calls)")
        XCTAssertNil(calls["sts:GetCallerIdentity"], "\(calls)")
        let destroyed = try await cli.run(["destroy", "--auto-approve"] + stack, environment: mine)
        XCTAssertEqual(destroyed.status, 0, destroyed.standardError)
    }
}
