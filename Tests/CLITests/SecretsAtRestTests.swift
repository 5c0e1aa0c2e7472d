import Engine
import Foundation
import ImgStack
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
        var envelope = try XCTUnwrap(JSONSerialization.jsonObject(with: planFile) as? [String: Any])
        var ciphertext = try XCTUnwrap(Data(base64Encoded: try XCTUnwrap(envelope["ciphertext"] as? String)))
        ciphertext[ciphertext.count / 2] ^= 0x01
        envelope["ciphertext"] = ciphertext.base64EncodedString()
        try JSONSerialization.data(withJSONObject: envelope).write(to: URL(fileURLWithPath: cli.path("tampered.plan")))
        let tampered = try await cli.run(["apply", "tampered.plan"] + stack.prefix(4), environment: changed)
        XCTAssertEqual(tampered.status, 1)
        XCTAssertTrue(tampered.standardError.contains("cannot open the plan tampered.plan: it was changed after imgstack wrote it, or sealed with another key; make a new plan"),
                      tampered.standardError)
        let appliedPlan = try await cli.run(["apply", "rotate.plan"] + stack.prefix(4), environment: changed)
        printed.append(appliedPlan)
        XCTAssertEqual(appliedPlan.status, 0, appliedPlan.standardError)

        let shown = try await cli.run(["state", "show", "cognito.identity_provider.google"] + stack, environment: changed)
        printed.append(shown)
        XCTAssertTrue(shown.standardOutput.split(separator: "\n").contains { $0.hasPrefix("clientSecret ") && $0.hasSuffix(" = (sensitive value)") },
                      shown.standardOutput + shown.standardError)

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

    /// The key is lost: `state list` still reads the state (addresses are never sealed), every
    /// command that needs a secret says what to do, and `state rekey --forget-secrets` drops the
    /// sealed values so the stack runs again.
    func testALostKeyLeavesTheListReadableAndRekeyCanForgetTheSecrets() async throws {
        let cli = try CLI()
        let directory = cli.path(".imgstack")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let lost = StateSealer(masterKey: Data(repeating: 7, count: 32))
        var state = StateFile(stack: "quickstart", lineage: "l-1")
        state.upsert(ResourceRecord(address: Address(type: "s3.bucket", name: "site"), region: "us-east-1",
                                    snapshot: ResourceSnapshot(id: "site-bucket", properties: ["bucket": "site-bucket"]), dependencies: []))
        state.outputs["token"] = OutputRecord(value: try lost.seal(.string(secret)), sensitive: true)
        state.sealing = StateSealing(scheme: "key-file", keyCheck: lost.keyCheck)
        try state.encoded().write(to: URL(fileURLWithPath: directory + "/quickstart.state.json"))

        let listed = try await cli.run(["state", "list", "--stack", "quickstart"])
        XCTAssertEqual(listed.status, 0, listed.standardError)
        XCTAssertEqual(listed.standardOutput, "s3.bucket.site\n")
        let output = try await cli.run(["output", "--stack", "quickstart"])
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.standardError.contains("imgstack state rekey --forget-secrets"), output.standardError)

        let rekeyed = try await cli.run(["state", "rekey", "--forget-secrets", "--stack", "quickstart"])
        XCTAssertEqual(rekeyed.status, 0, rekeyed.standardError)
        XCTAssertTrue(rekeyed.standardOutput.contains("Dropped 1 sealed value(s)"), rekeyed.standardOutput)
        let after = try StateFile.decode(try XCTUnwrap(FileManager.default.contents(atPath: directory + "/quickstart.state.json")), origin: "state")
        XCTAssertEqual(after.outputs["token"]?.value, .null)
        XCTAssertNil(after.sealing)
        XCTAssertEqual(after.serial, state.serial + 1)
        let readable = try await cli.run(["output", "--stack", "quickstart"])
        XCTAssertEqual(readable.status, 0, readable.standardError)
    }

    /// `state rekey` with a passphrase re-seals a key-file state under it (scrypt, a new salt);
    /// the key file is then no longer needed.
    func testRekeyMovesALocalStateFromItsKeyFileToAPassphrase() async throws {
        let cli = try CLI()
        let directory = cli.path(".imgstack")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let keyBytes = Data(repeating: 9, count: 32)
        try Data((keyBytes.base64EncodedString() + "\n").utf8).write(to: URL(fileURLWithPath: directory + "/quickstart.state.key"))
        let fileSealer = StateSealer(masterKey: keyBytes)
        var state = StateFile(stack: "quickstart", lineage: "l-2")
        state.outputs["token"] = OutputRecord(value: try fileSealer.seal(.string(secret)), sensitive: true)
        state.sealing = StateSealing(scheme: "key-file", keyCheck: fileSealer.keyCheck)
        try state.encoded().write(to: URL(fileURLWithPath: directory + "/quickstart.state.json"))

        let passphrase = ["IMGSTACK_STATE_KEY": "a passphrase for the quickstart state"]
        let rekeyed = try await cli.run(["state", "rekey", "--stack", "quickstart"], environment: passphrase)
        XCTAssertEqual(rekeyed.status, 0, rekeyed.standardError)
        XCTAssertTrue(rekeyed.standardOutput.contains("Re-sealed the secrets of quickstart with IMGSTACK_STATE_KEY"), rekeyed.standardOutput)
        try FileManager.default.removeItem(atPath: directory + "/quickstart.state.key")
        let pulled = try await cli.run(["state", "pull", "--show-sensitive", "--stack", "quickstart"], environment: passphrase)
        XCTAssertEqual(pulled.status, 0, pulled.standardError)
        XCTAssertTrue(pulled.standardOutput.contains(secret), "opens with the passphrase alone")
        let stored = try XCTUnwrap(FileManager.default.contents(atPath: directory + "/quickstart.state.json"))
        XCTAssertNil(stored.range(of: Data(secret.utf8)))
        XCTAssertEqual(try Engine.Value(jsonText: String(decoding: stored, as: UTF8.self))["sealing"]["scheme"], "passphrase")
    }
}
