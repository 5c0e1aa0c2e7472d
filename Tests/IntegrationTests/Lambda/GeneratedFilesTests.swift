import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// Files a stack writes into a Lambda package (a Lambda@Edge function's settings, which it
/// cannot get from environment variables): their references are resolved at apply, a change
/// of a referenced value uploads the code again, and code changed outside imgstack shows.
final class GeneratedFilesTests: XCTestCase {
    private static let trust = PolicyDocument([
        Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service(["lambda.amazonaws.com", "edgelambda.amazonaws.com"])),
    ])

    private func sourceDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edge-src-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        try Data("const config = require('./config.json');\nexports.handler = async (e) => e;\n".utf8)
            .write(to: directory.appendingPathComponent("index.js"))
        return directory
    }

    private func declare(_ tag: String, roleName: String, source: URL) -> Stack {
        Stack("lambda-files") { stack in
            let role = stack.add(IAM.Role("edge", name: Text(roleName), assumeRolePolicy: Self.trust))
            stack.add(Lambda.Function("auth", functionName: Text("auth-\(tag)"), source: source, runtime: "nodejs20.x",
                                      handler: "index.handler", role: role.arn, timeout: 5,
                                      files: ["config.json": "{\"role\": \"\(role.arn)\"}\n"], edge: true))
        }
    }

    private func expectedSHA(_ source: URL, roleName: String) throws -> String {
        let config = "{\"role\": \"arn:aws:iam::123456789012:role/\(roleName)\"}\n"
        return try DeploymentPackage.zipping(directory: source.path, adding: ["config.json": Data(config.utf8)]).sha256
    }

    func testGeneratedFileIsZippedWithResolvedReferencesAndFollowsThem() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        let source = try sourceDirectory()
        let first = declare(tag, roleName: "edge-\(tag)", source: source)

        let plan = try await harness.plan(first)
        let planned = try XCTUnwrap(plan.changes.first { $0.address.description == "lambda.function.auth" })
        XCTAssertEqual(planned.after?["files"]?["config.json"], .unknown, "the role's ARN is known only after apply")

        try await harness.apply(first)
        let live = try await harness.aws.lambda(region: "us-east-1").function("auth-\(tag)")
        XCTAssertEqual(live?.0.codeSHA256, try expectedSHA(source, roleName: "edge-\(tag)"),
                       "the package holds the source and config.json with the role's ARN")
        let again = try await harness.plan(first)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        // A new role (new ARN) changes config.json: the code is uploaded again, in place.
        let second = declare(tag, roleName: "edge2-\(tag)", source: source)
        let update = try await harness.apply(second)
        XCTAssertEqual(StackHarness.action(update, "iam.role.edge"), .replace)
        XCTAssertEqual(StackHarness.action(update, "lambda.function.auth"), .update)
        let updated = try await harness.aws.lambda(region: "us-east-1").function("auth-\(tag)")
        XCTAssertEqual(updated?.0.codeSHA256, try expectedSHA(source, roleName: "edge2-\(tag)"))
        let settled = try await harness.plan(second)
        XCTAssertFalse(settled.hasChanges, HumanPlanRenderer().render(settled))

        // Code uploaded by someone else: the plan shows it and puts the stack's back.
        let foreign = try DeploymentPackage.zipping(directory: source.path, adding: ["config.json": Data("{}".utf8)])
        _ = try await harness.aws.lambda(region: "us-east-1").updateFunctionCode("auth-\(tag)", zipFile: foreign.zip, architectures: ["x86_64"],
                                                                                  publish: false)
        let drift = try await harness.plan(second)
        let change = try XCTUnwrap(drift.changes.first { $0.address.description == "lambda.function.auth" })
        XCTAssertEqual(change.action, .update)
        XCTAssertEqual(change.changedProperties, ["sourceHash"])
        try await harness.apply(second)
        let restored = try await harness.aws.lambda(region: "us-east-1").function("auth-\(tag)")
        XCTAssertEqual(restored?.0.codeSHA256, try expectedSHA(source, roleName: "edge2-\(tag)"))

        try await harness.destroy(second)
        let gone = try await harness.aws.lambda(region: "us-east-1").function("auth-\(tag)")
        XCTAssertNil(gone)
    }
}
