import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// User pool behaviour beyond the lifecycle: deletion protection, MFA with authenticator apps,
/// and settings imgstack does not manage surviving an in-place update.
final class UserPoolSettingsTests: XCTestCase {
    private func stack(_ poolName: String, minimumLength: Int = 8, mfa: String = "OFF", protection: String = "INACTIVE") -> Stack {
        Stack("cognito-settings") { stack in
            stack.add(Cognito.UserPool("users", name: Text(poolName), passwordPolicy: .init(minimumLength: minimumLength),
                                       mfaConfiguration: mfa, deletionProtection: protection))
        }
    }

    private struct Raw: Decodable {
        var userPool: [String: CognitoIdentityProvider.Document]
        enum CodingKeys: String, CodingKey { case userPool = "UserPool" }
    }

    private struct PoolID: Encodable {
        var id: String
        enum CodingKeys: String, CodingKey { case id = "UserPoolId" }
    }

    func testProtectedPoolIsNotDeletedUntilProtectionIsOff() async throws {
        let harness = try StackHarness()
        let name = "protected-\(UUID().uuidString.prefix(8))"
        try await harness.apply(stack(name, protection: "ACTIVE"))
        let id = try await harness.snapshot("cognito.user_pool.users")?.id ?? ""

        let summary = try await harness.deploy(stack(name, protection: "ACTIVE"), options: PlanOptions(destroy: true)).summary ?? .nothingToDo
        XCTAssertEqual(summary.failures.count, 1)
        XCTAssertTrue(summary.failures.first.map { "\($0.error)".contains("deletionProtection") } == true, "\(summary.failures)")
        let kept = try await harness.aws.cognitoIdentityProvider.describeUserPool(id)
        XCTAssertEqual(kept?.deletionProtection, "ACTIVE", "a protected pool is left alone")

        let unprotect = try await harness.apply(stack(name, protection: "INACTIVE"))
        XCTAssertEqual(StackHarness.action(unprotect, "cognito.user_pool.users"), .update)
        try await harness.destroy(stack(name, protection: "INACTIVE"))
        let gone = try await harness.aws.cognitoIdentityProvider.describeUserPool(id)
        XCTAssertNil(gone)
    }

    func testMfaOnFromCreationUsesAuthenticatorApps() async throws {
        let harness = try StackHarness()
        let name = "mfa-\(UUID().uuidString.prefix(8))"
        try await harness.apply(stack(name, mfa: "ON"))
        let id = try await harness.snapshot("cognito.user_pool.users")?.id ?? ""
        let pool = try await harness.aws.cognitoIdentityProvider.describeUserPool(id)
        XCTAssertEqual(pool?.mfaConfiguration, "ON")
        let again = try await harness.plan(stack(name, mfa: "ON"))
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))
        let off = try await harness.apply(stack(name, mfa: "OFF"))
        XCTAssertEqual(StackHarness.action(off, "cognito.user_pool.users"), .update)
        let after = try await harness.aws.cognitoIdentityProvider.describeUserPool(id)
        XCTAssertEqual(after?.mfaConfiguration, "OFF")
        try await harness.destroy(stack(name, mfa: "OFF"))
    }

    func testInPlaceUpdateKeepsSettingsImgstackDoesNotManage() async throws {
        let harness = try StackHarness()
        let name = "keep-\(UUID().uuidString.prefix(8))"
        try await harness.apply(stack(name))
        let id = try await harness.snapshot("cognito.user_pool.users")?.id ?? ""
        // A trigger set outside the stack (by hand, or before an import).
        let trigger = "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up"
        let current = try await harness.aws.json(.cognitoIdentityProvider, "DescribeUserPool", PoolID(id: id), as: Raw.self).userPool
        var body = current.filter { ["Policies", "AutoVerifiedAttributes", "MfaConfiguration", "DeletionProtection", "UserPoolTags"].contains($0.key) }
        body["UserPoolId"] = .string(id)
        body["LambdaConfig"] = .object(["PreSignUp": .string(trigger)])
        _ = try await harness.aws.json(.cognitoIdentityProvider, "UpdateUserPool", body, as: AWSEmpty.self)

        let update = try await harness.apply(stack(name, minimumLength: 12))
        XCTAssertEqual(StackHarness.action(update, "cognito.user_pool.users"), .update)
        let after = try await harness.aws.json(.cognitoIdentityProvider, "DescribeUserPool", PoolID(id: id), as: Raw.self).userPool
        XCTAssertEqual(after["LambdaConfig"], .object(["PreSignUp": .string(trigger)]), "the trigger survives imgstack's update")
        let policy = try await harness.aws.cognitoIdentityProvider.describeUserPool(id)
        XCTAssertEqual(policy?.policies?.passwordPolicy?.minimumLength, 12)
        try await harness.destroy(stack(name, minimumLength: 12))
    }
}
