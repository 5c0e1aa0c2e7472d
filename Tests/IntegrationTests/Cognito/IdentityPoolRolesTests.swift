import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// Rule-based role mappings of an identity pool against the emulator (roles through the test
/// support's SetIdentityPoolRoles / GetIdentityPoolRoles patch).
final class IdentityPoolRolesTests: XCTestCase {
    private func stack(_ tag: String, claimValue: String) -> Stack {
        Stack("cognito-rules") { stack in
            let users = stack.add(Cognito.UserPool("users", name: Text("rules-\(tag)")))
            let app = stack.add(Cognito.UserPoolClient("app", userPoolID: users.poolID, name: "app"))
            let identities = stack.add(Cognito.IdentityPool("ids", name: Text("rules_\(tag)"),
                                                            cognitoIdentityProviders: [.init(providerName: users.endpoint, clientID: app.clientID)]))
            stack.add(Cognito.IdentityPoolRoles(
                "roles", identityPoolID: identities.poolID, authenticatedRole: "arn:aws:iam::123456789012:role/user-\(tag)",
                roleMappings: [.init(identityProvider: "\(users.endpoint):\(app.clientID)", type: "Rules", ambiguousRoleResolution: "Deny",
                                     rules: [.init(claim: "cognito:groups", matchType: "Contains", value: claimValue,
                                                   roleARN: "arn:aws:iam::123456789012:role/admin-\(tag)"),
                                             .init(claim: "isGuest", value: "true", roleARN: "arn:aws:iam::123456789012:role/user-\(tag)")])]))
        }
    }

    func testRulesMappingIsSetReadBackAndUpdated() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        try await harness.apply(stack(tag, claimValue: "admins"))
        let poolID = try await harness.snapshot("cognito.identity_pool.ids")?.id ?? ""
        let userPoolID = try await harness.snapshot("cognito.user_pool.users")?.id ?? ""
        let clientID = try await harness.snapshot("cognito.user_pool_client.app")?.id ?? ""
        let provider = "cognito-idp.us-east-1.amazonaws.com/\(userPoolID):\(clientID)"

        let roles = try await harness.aws.cognitoIdentity.identityPoolRoles(poolID)
        let mapping = roles?.roleMappings?[provider]
        XCTAssertEqual(mapping?.type, "Rules")
        XCTAssertEqual(mapping?.ambiguousRoleResolution, "Deny")
        XCTAssertEqual(mapping?.rules, [
            CognitoIdentity.MappingRule(claim: "cognito:groups", matchType: "Contains", value: "admins", roleARN: "arn:aws:iam::123456789012:role/admin-\(tag)"),
            CognitoIdentity.MappingRule(claim: "isGuest", matchType: "Equals", value: "true", roleARN: "arn:aws:iam::123456789012:role/user-\(tag)"),
        ], "rules keep their order: the first match wins")
        let again = try await harness.plan(stack(tag, claimValue: "admins"))
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        let update = try await harness.apply(stack(tag, claimValue: "owners"))
        XCTAssertEqual(StackHarness.action(update, "cognito.identity_pool_roles.roles"), .update)
        let updated = try await harness.aws.cognitoIdentity.identityPoolRoles(poolID)
        XCTAssertEqual(updated?.roleMappings?[provider]?.rules?.first?.value, "owners")
        let afterUpdate = try await harness.plan(stack(tag, claimValue: "owners"))
        XCTAssertFalse(afterUpdate.hasChanges, HumanPlanRenderer().render(afterUpdate))

        try await harness.destroy(stack(tag, claimValue: "owners"))
        let state = try await harness.state
        XCTAssertTrue(state.resources.isEmpty)
    }
}
