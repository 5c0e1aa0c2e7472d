import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// SSM parameters against the emulator behind the verifying proxy: create, read back through
/// the AWS API, empty plan, update in place, a secret's drift found by digest and repaired
/// without printing it, replacement, import, destroy.
final class ParameterTests: XCTestCase {
    private func unique(_ prefix: String) -> String { "/imgstack-test/\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }

    private func stack(_ build: @escaping @Sendable (StackBuilder) -> Void) -> Stack { Stack("ssm-test", body: build) }

    func testStringAndSecureStringLifecycle() async throws {
        let harness = try StackHarness()
        let ssm = harness.aws.ssm(region: harness.region)
        let plainName = unique("plain")
        let secretName = unique("secret")
        func declare(plain: String, secret: String, description: String, tags: [String: Text], secretType: ImgStack.SSM.Parameter.ParameterType = .secureString) -> Stack {
            stack { stack in
                let key = stack.add(KMS.Key("params", description: "parameters"))
                stack.add(ImgStack.SSM.Parameter("plain", name: Text(plainName), type: .stringList, value: Text(plain), description: Text(description),
                                        tags: tags))
                stack.add(ImgStack.SSM.Parameter("secret", name: Text(secretName), type: secretType, value: Text(secret),
                                        keyID: secretType == .secureString ? key.arn : nil))
            }
        }
        let first = declare(plain: "a,b", secret: "s3cret-one", description: "first", tags: ["team": "web"])
        let created = try await harness.apply(first)
        XCTAssertFalse(HumanPlanRenderer().render(created).contains("s3cret-one"), "the secret is never shown")

        let plain = try await ssm.getParameter(plainName)
        XCTAssertEqual(plain.type, "StringList")
        XCTAssertEqual(plain.value, "a,b")
        let plainMetadata = try await ssm.describeParameter(plainName)
        XCTAssertEqual(plainMetadata?.description, "first")
        XCTAssertEqual(plainMetadata?.tier, "Standard")
        let plainTags = try await ssm.tags(ofParameter: plainName).filter { !$0.key.hasPrefix("imgstack:") }
        XCTAssertEqual(plainTags, [AWS.SSM.Tag(key: "team", value: "web")])
        let secret = try await ssm.getParameter(secretName, withDecryption: true)
        XCTAssertEqual(secret.type, "SecureString")
        XCTAssertEqual(secret.value, "s3cret-one")
        let keyARN = try await harness.snapshot("kms.key.params")?.attributes["arn"]?.stringValue
        let secretMetadata = try await ssm.describeParameter(secretName)
        XCTAssertEqual(secretMetadata?.keyID.map { keyARN?.hasSuffix($0) == true || $0 == keyARN }, true, "\(secretMetadata?.keyID ?? "")")

        let state = try await harness.state
        let recorded = state.resource(Address(type: "ssm.parameter", name: "secret"))?.snapshot.properties["secureValue"]?.stringValue ?? ""
        XCTAssertTrue(recorded.hasPrefix("sha256:"), recorded)
        XCTAssertFalse(try state.encoded().contains(Data("s3cret-one".utf8)), "state never holds the secret in clear")

        let again = try await harness.plan(first)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        // In place: the values, the description, the tags.
        let second = declare(plain: "a,b,c", secret: "s3cret-two", description: "second", tags: ["team": "ops"])
        let updated = try await harness.apply(second)
        XCTAssertEqual(StackHarness.action(updated, "ssm.parameter.plain"), .update)
        XCTAssertEqual(StackHarness.action(updated, "ssm.parameter.secret"), .update)
        XCTAssertFalse(HumanPlanRenderer().render(updated).contains("s3cret-two"))
        let plainAfter = try await ssm.getParameter(plainName).value
        XCTAssertEqual(plainAfter, "a,b,c")
        let secretAfter = try await ssm.getParameter(secretName, withDecryption: true).value
        XCTAssertEqual(secretAfter, "s3cret-two")
        let descriptionAfter = try await ssm.describeParameter(plainName)?.description
        XCTAssertEqual(descriptionAfter, "second")
        let tagsAfter = try await ssm.tags(ofParameter: plainName).filter { !$0.key.hasPrefix("imgstack:") }
        XCTAssertEqual(tagsAfter, [AWS.SSM.Tag(key: "team", value: "ops")])

        // A secret changed outside imgstack: drift found by digest, shown redacted, written back.
        try await ssm.putParameter(.init(name: secretName, value: "changed-outside", type: "SecureString", description: nil, keyID: keyARN,
                                         tier: nil, overwrite: true, tags: nil))
        let drifted = try await harness.plan(second)
        let text = HumanPlanRenderer().render(drifted)
        XCTAssertEqual(drifted.changes.first { $0.address.description == "ssm.parameter.secret" }?.changedProperties, ["secureValue"], text)
        XCTAssertEqual(drifted.drift.first?.changes.map { $0.name }, ["secureValue"])
        XCTAssertFalse(text.contains("changed-outside") || text.contains("s3cret-two"), text)
        try await harness.apply(second)
        let repaired = try await ssm.getParameter(secretName, withDecryption: true).value
        XCTAssertEqual(repaired, "s3cret-two")
        let clean = try await harness.plan(second)
        XCTAssertFalse(clean.hasChanges, HumanPlanRenderer().render(clean))

        // The type forces a new parameter under the same name.
        let third = declare(plain: "a,b,c", secret: "s3cret-two", description: "second", tags: ["team": "ops"], secretType: .string)
        let replaced = try await harness.apply(third)
        XCTAssertEqual(StackHarness.action(replaced, "ssm.parameter.secret"), .replace)
        let retyped = try await ssm.getParameter(secretName)
        XCTAssertEqual(retyped.type, "String")

        try await harness.destroy(third)
        for name in [plainName, secretName] {
            do {
                _ = try await ssm.getParameter(name)
                XCTFail("\(name) is still there")
            } catch let error as AWSError {
                XCTAssertEqual(error.code, .parameterNotFound)
            }
        }
    }

    func testImportReadsEveryPropertyAndRecoveryAdoptsOnlyItsOwnParameter() async throws {
        let harness = try StackHarness()
        let ssm = harness.aws.ssm(region: harness.region)
        let name = unique("imported")
        try await ssm.putParameter(.init(name: name, value: "v1", type: "String", description: "made outside", keyID: nil, tier: "Standard",
                                         overwrite: false, tags: [.init(key: "team", value: "ops")]))
        let context = OperationContext(address: Address(type: "ssm.parameter", name: "p"), region: harness.region, intentID: "intent-1",
                                       client: harness.aws)
        let type = ImgStack.SSM.Parameter.makeType()
        let imported = try await type.checkedImport(id: name, context: context)
        XCTAssertEqual(imported?.id, name)
        XCTAssertEqual(imported?.properties["type"], "String")
        XCTAssertEqual(imported?.properties["value"], "v1")
        XCTAssertEqual(imported?.properties["description"], "made outside")
        XCTAssertEqual(imported?.properties["tier"], "Standard")
        XCTAssertEqual(imported?.properties["tags"], ["team": "ops"])
        let missing = try await type.checkedImport(id: unique("missing"), context: context)
        XCTAssertNil(missing)
        let foreign = try await type.findCreated(from: ["name": .string(name), "value": "v1"], context: context)
        XCTAssertNil(foreign, "a same-named parameter without this create's intent tag is not adopted")
        XCTAssertEqual(type.validateImportID("no/leading-slash"), "\"no/leading-slash\" has levels, so it must start with \"/\"")
        try await ssm.deleteParameter(name)
    }
}
