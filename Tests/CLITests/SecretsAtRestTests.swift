import Engine
import Foundation
import TestSupport
import XCTest

/// A secret given to a stack (image-server's Google client secret, from the environment as its
/// README advises) is in no file imgstack writes — state, its backup, a saved plan — and in no
/// output it prints, unless `state pull --show-sensitive` asks for it; and the sealed state still
/// plans without changes and applies a saved plan.
final class SecretsAtRestTests: XCTestCase {
    private let secret = "gsecret-\(UUID().uuidString)"

    func testASecretVariableIsSealedInStateAndSavedPlansAndPrintedNowhere() async throws {
        let emulator = try Emulator.shared()
        let cli = try CLI.withEmulator(emulator, region: "eu-west-1")
        let service = "sec-\(UUID().uuidString.prefix(6).lowercased())"
        let stack = ["--stack", "image-server", "--region", "eu-west-1", "--var", "service=\(service)",
                     "--var", "google_client_id=client.apps.example", "--var", "auth_domain=\(service)",
                     "--var", "callback_url=https://example.test/"]
        let environment = ["IMGSTACK_VAR_google_client_secret": secret]
        var printed: [ProcessRunner.Result] = []

        let applied = try await cli.run(["apply", "--auto-approve"] + stack, environment: environment)
        printed.append(applied)
        XCTAssertEqual(applied.status, 0, applied.standardError)
        let state = try String(contentsOfFile: cli.path(".imgstack/image-server.state.json"), encoding: .utf8)
        XCTAssertTrue(state.contains("\"imgstack_sealed\""), "the secret is recorded sealed")
        XCTAssertEqual(try Engine.Value(jsonText: state)["sealing"]["scheme"], "key-file")

        let plan = try await cli.run(["plan", "--detailed-exitcode"] + stack, environment: environment)
        printed.append(plan)
        XCTAssertEqual(plan.status, 0, "the sealed secret reads back equal: " + plan.standardOutput + plan.standardError)

        // A changed secret, saved as a plan and applied from the file.
        let changed = ["IMGSTACK_VAR_google_client_secret": secret + "-rotated"]
        let saved = try await cli.run(["plan", "--out", "rotate.plan"] + stack, environment: changed)
        printed.append(saved)
        XCTAssertEqual(saved.status, 0, saved.standardError)
        let planFile = try XCTUnwrap(FileManager.default.contents(atPath: cli.path("rotate.plan")))
        XCTAssertNotNil(String(decoding: planFile, as: UTF8.self).range(of: "imgstack_sealed_plan"))
        let appliedPlan = try await cli.run(["apply", "rotate.plan"] + stack.prefix(4), environment: changed)
        printed.append(appliedPlan)
        XCTAssertEqual(appliedPlan.status, 0, appliedPlan.standardError)

        let shown = try await cli.run(["state", "show", "cognito.identity_provider.google"] + stack, environment: changed)
        printed.append(shown)
        XCTAssertTrue(shown.standardOutput.contains("clientSecret = (sensitive value)"), shown.standardOutput + shown.standardError)

        let pulled = try await cli.run(["state", "pull"] + stack.prefix(4))
        printed.append(pulled)
        XCTAssertEqual(pulled.status, 0, pulled.standardError)
        XCTAssertTrue(pulled.standardOutput.contains("imgstack_sealed"))
        let asked = try await cli.run(["state", "pull", "--show-sensitive"] + stack.prefix(4))
        XCTAssertTrue(asked.standardOutput.contains(secret + "-rotated"), "printed when asked for explicitly")

        for result in printed {
            XCTAssertFalse((result.standardOutput + result.standardError).contains(secret), "a command printed the secret")
        }
        for file in try FileManager.default.subpathsOfDirectory(atPath: cli.directory.url.path) {
            guard let data = FileManager.default.contents(atPath: cli.path(file)) else { continue }
            XCTAssertNil(data.range(of: Data(secret.utf8)), "\(file) holds the secret in clear")
        }
        let keyFile = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: cli.path(".imgstack/image-server.state.key")))
        XCTAssertEqual((keyFile[.posixPermissions] as? NSNumber)?.intValue, 0o600, "the key file is owner-only")

        let destroyed = try await cli.run(["destroy", "--auto-approve"] + stack, environment: changed)
        XCTAssertEqual(destroyed.status, 0, destroyed.standardError)
    }

    func testAValueFedByAnotherStacksSensitiveOutputIsSealedToo() async throws {
        // The cluster stack's issuer is a secret there; s3-proxy builds its pod role's trust
        // policy from it, so that policy is a secret in s3-proxy's state as well.
        let emulator = try Emulator.shared()
        let cli = try CLI.withEmulator(emulator)
        let issuer = "ISSUER\(UUID().uuidString.prefix(8))"
        let cluster = #"{"format_version": 1, "lineage": "c-1", "serial": 3, "stack": "eks-cluster", "resources": [], "outputs": {"#
            + #""cluster_oidc_issuer_url": {"value": "https://oidc.eks.us-east-1.amazonaws.com/id/"# + issuer + #"", "sensitive": true}, "#
            + #""oidc_provider_arn": {"value": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/X", "sensitive": false}}}"#
        try FileManager.default.createDirectory(atPath: cli.path(".imgstack"), withIntermediateDirectories: true)
        try Data(cluster.utf8).write(to: URL(fileURLWithPath: cli.path(".imgstack/eks-cluster.state.json")))
        let service = "sp-\(UUID().uuidString.prefix(6).lowercased())"
        let stack = ["--stack", "s3-proxy", "--var", "cluster_stack=eks-cluster", "--var", "s3_bucket_prefix=\(service)",
                     "--var", "docker_image_name=\(service)"]

        let applied = try await cli.run(["apply", "--auto-approve"] + stack)
        XCTAssertEqual(applied.status, 0, applied.standardError)
        XCTAssertFalse((applied.standardOutput + applied.standardError).contains(issuer))
        let state = try XCTUnwrap(FileManager.default.contents(atPath: cli.path(".imgstack/s3-proxy.state.json")))
        XCTAssertNil(state.range(of: Data(issuer.utf8)), "the trust policy built from the secret is sealed")
        XCTAssertNotNil(state.range(of: Data("imgstack_sealed".utf8)))
        let again = try await cli.run(["plan", "--detailed-exitcode"] + stack)
        XCTAssertEqual(again.status, 0, again.standardOutput + again.standardError)

        let destroyed = try await cli.run(["destroy", "--auto-approve"] + stack)
        XCTAssertEqual(destroyed.status, 0, destroyed.standardError)
    }

    func testASealedStateWithoutItsKeyIsRefusedNamingTheKey() async throws {
        let cli = try CLI()
        let directory = cli.path(".imgstack")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // A state whose secret was sealed with a key file that is not beside it any more.
        let state = """
        {"format_version":1,"lineage":"l-1","serial":3,"stack":"quickstart","resources":[],"intents":[],"deposed":[],
         "outputs":{"token":{"sensitive":true,"value":{"imgstack_sealed":"aes-256-gcm","ciphertext":"AAAA","hmac_sha256":"00"}}},
         "sealing":{"scheme":"key-file","key_check":"00"}}
        """
        try Data(state.utf8).write(to: URL(fileURLWithPath: directory + "/quickstart.state.json"))
        let result = try await cli.run(["output", "--stack", "quickstart"])
        XCTAssertEqual(result.status, 1, result.standardError)
        XCTAssertTrue(result.standardError.contains("key file"), result.standardError)
    }
}
