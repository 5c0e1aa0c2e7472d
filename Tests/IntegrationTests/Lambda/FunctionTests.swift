import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// Lambda functions and permissions against the emulator: create, read back through the AWS
/// API, empty plan, code and configuration updates in place, replacement, deletion.
final class FunctionTests: XCTestCase {
    private func stack(_ build: @escaping @Sendable (StackBuilder) -> Void) -> Stack { Stack("lambda-test", body: build) }

    private static let trust = PolicyDocument([
        Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service("lambda.amazonaws.com")),
    ])

    /// A directory with an `index.js` returning `body`.
    private func sourceDirectory(_ body: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lambda-src-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        try write(body, to: directory)
        return directory
    }

    private func write(_ body: String, to directory: URL) throws {
        try Data("exports.handler = async () => ({ statusCode: 200, body: \"\(body)\" });\n".utf8)
            .write(to: directory.appendingPathComponent("index.js"))
    }

    func testFunctionAndPermissionLifecycle() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        let source = try sourceDirectory("one")
        func declare(functionName: String, memory: Int, environment: [String: Text], tags: [String: Text]) -> Stack {
            stack { stack in
                let role = stack.add(IAM.Role("fn", name: "fn-\(tag)", assumeRolePolicy: Self.trust))
                let function = stack.add(Lambda.Function("api", functionName: Text(functionName), source: source, runtime: "nodejs20.x",
                                                         handler: "index.handler", role: role.arn, memorySize: memory, timeout: 10,
                                                         environment: environment, tags: tags))
                stack.add(Lambda.Permission("sns", functionName: function.arn, statementID: "AllowSNS", principal: "sns.amazonaws.com",
                                            sourceARN: "arn:aws:sns:us-east-1:123456789012:topic-\(tag)"))
            }
        }
        let first = declare(functionName: "api-\(tag)", memory: 256, environment: ["STAGE": "test"], tags: ["team": "images"])
        try await harness.apply(first)

        let lambda = harness.aws.lambda
        let found = try await lambda.function("api-\(tag)")
        let (configuration, tags) = try XCTUnwrap(found)
        XCTAssertEqual(configuration.runtime, "nodejs20.x")
        XCTAssertEqual(configuration.handler, "index.handler")
        XCTAssertEqual(configuration.memorySize, 256)
        XCTAssertEqual(configuration.timeout, 10)
        XCTAssertEqual(configuration.role, "arn:aws:iam::123456789012:role/fn-\(tag)")
        XCTAssertEqual(configuration.environment?.variables, ["STAGE": "test"])
        XCTAssertEqual(configuration.architectures, ["x86_64"])
        XCTAssertEqual(declaredTags(tags), ["team": "images"])
        XCTAssertNotNil(tags["imgstack:intent"], "created with imgstack's intent tag")
        let package = try DeploymentPackage.zipping(directory: source.path)
        XCTAssertEqual(configuration.codeSHA256, package.sha256)
        let snapshot = try await harness.snapshot("lambda.function.api")
        XCTAssertEqual(snapshot?.attributes["arn"], .string("arn:aws:lambda:us-east-1:123456789012:function:api-\(tag)"))
        XCTAssertEqual(snapshot?.attributes["version"], "$LATEST")
        XCTAssertEqual(snapshot?.properties["sourceHash"], .string(package.sha256))

        let policyText = try await lambda.policy(function: "api-\(tag)", qualifier: nil)
        let policy = try Engine.Value(jsonText: try XCTUnwrap(policyText))
        let statement = try XCTUnwrap(policy["Statement"].listValue?.first { $0["Sid"] == "AllowSNS" })
        XCTAssertEqual(statement["Principal"]["Service"], "sns.amazonaws.com")
        XCTAssertEqual(statement["Condition"]["ArnLike"]["AWS:SourceArn"], .string("arn:aws:sns:us-east-1:123456789012:topic-\(tag)"))

        let again = try await harness.plan(first)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        // New code, memory, environment and tags: one in-place update.
        try write("two", to: source)
        let second = declare(functionName: "api-\(tag)", memory: 512, environment: [:], tags: ["team": "edge"])
        let update = try await harness.apply(second)
        XCTAssertEqual(StackHarness.action(update, "lambda.function.api"), .update)
        XCTAssertEqual(StackHarness.action(update, "lambda.permission.sns"), .noop)
        let changed = try await lambda.function("api-\(tag)")
        let (updated, updatedTags) = try XCTUnwrap(changed)
        XCTAssertEqual(updated.memorySize, 512)
        XCTAssertEqual(updated.environment?.variables ?? [:], [:])
        XCTAssertEqual(declaredTags(updatedTags), ["team": "edge"])
        XCTAssertEqual(updated.codeSHA256, try DeploymentPackage.zipping(directory: source.path).sha256)
        XCTAssertNotEqual(updated.codeSHA256, package.sha256)
        let afterUpdate = try await harness.plan(second)
        XCTAssertFalse(afterUpdate.hasChanges, HumanPlanRenderer().render(afterUpdate))

        // A new name replaces the function, and the permission that refers to its ARN.
        let third = declare(functionName: "api2-\(tag)", memory: 512, environment: [:], tags: ["team": "edge"])
        let replace = try await harness.apply(third)
        XCTAssertEqual(StackHarness.action(replace, "lambda.function.api"), .replace)
        XCTAssertEqual(StackHarness.action(replace, "lambda.permission.sns"), .replace)
        let old = try await lambda.function("api-\(tag)")
        XCTAssertNil(old)
        let replacementPolicy = try await lambda.policy(function: "api2-\(tag)", qualifier: nil)
        XCTAssertTrue(replacementPolicy?.contains("AllowSNS") == true, replacementPolicy ?? "no policy")

        try await harness.destroy(third)
        let gone = try await lambda.function("api2-\(tag)")
        XCTAssertNil(gone)
        let state = try await harness.state
        XCTAssertTrue(state.resources.isEmpty)
    }

    func testEdgeFunctionGoesToUSEast1AndPublishesVersions() async throws {
        let harness = try StackHarness(region: "eu-west-1")
        let tag = UUID().uuidString.prefix(8).lowercased()
        let source = try sourceDirectory("edge")
        let edge = stack { stack in
            let role = stack.add(IAM.Role("edge", name: "edge-\(tag)", assumeRolePolicy: Self.trust))
            let function = stack.add(Lambda.Function("auth", functionName: Text("auth-\(tag)"), source: source, runtime: "nodejs20.x",
                                                     handler: "index.handler", role: role.arn, edge: true))
            stack.output("version", function.qualifiedARN)
        }
        try await harness.apply(edge)
        let east = StackHarness.client(emulator: harness.emulator, region: "us-east-1")
        let found = try await east.lambda.function("auth-\(tag)")
        XCTAssertNotNil(found, "a Lambda@Edge function lives in us-east-1")
        let inStackRegion = try await harness.aws.lambda.function("auth-\(tag)")
        XCTAssertNil(inStackRegion)
        let snapshot = try await harness.snapshot("lambda.function.auth")
        XCTAssertEqual(snapshot?.attributes["version"], "1")
        XCTAssertEqual(snapshot?.attributes["qualifiedARN"], .string("arn:aws:lambda:us-east-1:123456789012:function:auth-\(tag):1"))
        let state = try await harness.state
        let record = state.resources.first { $0.address.description == "lambda.function.auth" }
        XCTAssertEqual(record?.region, "us-east-1")

        let again = try await harness.plan(edge)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        // New code publishes version 2; the plan says the qualified ARN is known after apply.
        try write("edge two", to: source)
        let plan = try await harness.plan(edge)
        let change = try XCTUnwrap(plan.changes.first { $0.address.description == "lambda.function.auth" })
        XCTAssertEqual(change.action, .update)
        XCTAssertEqual(change.after?["qualifiedARN"], .unknown)
        try await harness.apply(edge)
        let updated = try await harness.snapshot("lambda.function.auth")
        XCTAssertEqual(updated?.attributes["version"], "2")

        try await harness.destroy(edge)
        let gone = try await east.lambda.function("auth-\(tag)")
        XCTAssertNil(gone)
    }
}
