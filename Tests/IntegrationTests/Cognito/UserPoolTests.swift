import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// User pools against the emulator: create, read back through the AWS API, empty plan, update in
/// place, replacement, deletion protection, deletion.
final class UserPoolTests: XCTestCase {
    private func pool(_ poolName: String, minimumLength: Int = 8, verified: [String] = ["email"], mfa: String = "OFF",
                      usernameAttributes: [String] = [], protection: String = "INACTIVE", team: String = "images") -> Stack {
        Stack("cognito-pool") { stack in
            stack.add(Cognito.UserPool("users", poolName: Text(poolName),
                                       passwordPolicy: Cognito.PasswordPolicy(minimumLength: minimumLength, requireSymbols: false,
                                                                              temporaryPasswordValidityDays: 3),
                                       autoVerifiedAttributes: verified, usernameAttributes: usernameAttributes, mfaConfiguration: mfa,
                                       schema: [Cognito.SchemaAttribute(name: "tier", type: "String", mutable: true),
                                                Cognito.SchemaAttribute(name: "email", required: true)],
                                       deletionProtection: protection, tags: ["team": Text(team)]))
        }
    }

    func testUserPoolLifecycle() async throws {
        let harness = try StackHarness()
        let name = "pool-\(UUID().uuidString.prefix(8))"
        try await harness.apply(pool(name))
        let snapshot = try await harness.recorded("cognito.user_pool.users")
        let idp = harness.aws.cognitoIdentityProvider

        let described = try await idp.describeUserPool(snapshot.id)
        XCTAssertEqual(described.name, name)
        XCTAssertEqual(described.passwordPolicy?.minimumLength, 8)
        XCTAssertEqual(described.passwordPolicy?.requireSymbols, false)
        XCTAssertEqual(described.passwordPolicy?.temporaryPasswordValidityDays, 3)
        XCTAssertEqual(described.autoVerifiedAttributes, ["email"])
        XCTAssertEqual(described.usernameAttributes, [])
        XCTAssertEqual(described.mfaConfiguration, "OFF")
        XCTAssertEqual(described.deletionProtection, "INACTIVE")
        XCTAssertEqual(described.tags["team"], "images")
        XCTAssertNotNil(described.tags["imgstack:intent"], "the create is tagged with its intent")
        let tier = described.schemaAttributes.first { $0.name == "custom:tier" }
        XCTAssertEqual(tier?.attributeDataType, "String")
        XCTAssertEqual(tier?.mutable, true)
        XCTAssertEqual(described.schemaAttributes.first { $0.name == "email" }?.required, true)
        XCTAssertEqual(snapshot.attributes["arn"]?.stringValue, described.arn)
        XCTAssertEqual(snapshot.attributes["endpoint"]?.stringValue, "cognito-idp.us-east-1.amazonaws.com/\(snapshot.id)")
        XCTAssertNil(snapshot.properties["tags"]?["imgstack:intent"].stringValue)

        let again = try await harness.plan(pool(name))
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        // In place: password length, verified attributes, MFA, tags.
        let changed = pool(name, minimumLength: 12, verified: [], mfa: "OPTIONAL", team: "auth")
        let update = try await harness.apply(changed)
        XCTAssertEqual(StackHarness.action(update, "cognito.user_pool.users"), .update)
        let updated = try await idp.describeUserPool(snapshot.id)
        XCTAssertEqual(updated.passwordPolicy?.minimumLength, 12)
        XCTAssertEqual(updated.autoVerifiedAttributes, [])
        XCTAssertEqual(updated.mfaConfiguration, "OPTIONAL")
        XCTAssertEqual(updated.tags["team"], "auth")
        XCTAssertNotNil(updated.tags["imgstack:intent"], "the update keeps imgstack's tag")
        let afterUpdate = try await harness.plan(changed)
        XCTAssertFalse(afterUpdate.hasChanges, HumanPlanRenderer().render(afterUpdate))

        // usernameAttributes cannot change in place.
        let replaced = pool(name, minimumLength: 12, verified: [], mfa: "OPTIONAL", usernameAttributes: ["email"], team: "auth")
        let replacement = try await harness.apply(replaced)
        XCTAssertEqual(StackHarness.action(replacement, "cognito.user_pool.users"), .replace)
        let newID = try await harness.recorded("cognito.user_pool.users").id
        XCTAssertNotEqual(newID, snapshot.id)
        let newPool = try await idp.describeUserPool(newID)
        XCTAssertEqual(newPool.usernameAttributes, ["email"])
        try await assertGone(snapshot.id, idp)
        let afterReplace = try await harness.plan(replaced)
        XCTAssertFalse(afterReplace.hasChanges, HumanPlanRenderer().render(afterReplace))

        try await harness.destroy(replaced)
        try await assertGone(newID, idp)
        let state = try await harness.state
        XCTAssertTrue(state.resources.isEmpty)
    }

    func testProtectedPoolIsNotDeletedUntilProtectionIsOff() async throws {
        let harness = try StackHarness()
        let name = "protected-\(UUID().uuidString.prefix(8))"
        let protected = pool(name, protection: "ACTIVE")
        try await harness.apply(protected)
        let id = try await harness.recorded("cognito.user_pool.users").id

        let plan = try await harness.plan(protected, options: PlanOptions(destroy: true))
        let evaluation = try harness.evaluate(protected)
        let summary = await Executor(stack: evaluation.definition, plan: plan).run(StateStore(state: plan.prior, backend: harness.backend))
        XCTAssertEqual(summary.failures.count, 1)
        XCTAssertTrue(summary.failures.first?.error.contains("deletionProtection: \"INACTIVE\"") == true, "\(summary.failures)")
        let stillThere = try await harness.aws.cognitoIdentityProvider.describeUserPool(id)
        XCTAssertEqual(stillThere.deletionProtection, "ACTIVE")

        // Turning it off is an in-place update; then destroy succeeds.
        let unprotected = pool(name, protection: "INACTIVE")
        let update = try await harness.apply(unprotected)
        XCTAssertEqual(StackHarness.action(update, "cognito.user_pool.users"), .update)
        try await harness.destroy(unprotected)
        try await assertGone(id, harness.aws.cognitoIdentityProvider)
    }

    private func assertGone(_ id: String, _ idp: CognitoIdentityProvider, file: StaticString = #filePath, line: UInt = #line) async throws {
        do {
            _ = try await idp.describeUserPool(id)
            XCTFail("user pool \(id) still exists", file: file, line: line)
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "ResourceNotFoundException", file: file, line: line)
        }
    }
}
