import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// Cognito user pools, app clients, domains, federated providers, identity pools and their
/// roles against the emulator: create, read back through the AWS API, empty plan, update,
/// replacement, deletion — and the client secret shown nowhere.
final class CognitoResourceTests: XCTestCase {
    private struct Settings: Sendable {
        var tag: String
        var mfa = "OFF"
        var callback = "https://images.example.com/"
        var guests = true
        var usernameAttributes = ["email"]
        var googleScopes = "openid email"
    }

    private static func stack(_ settings: Settings) -> Stack {
        Stack("cognito-test") { stack in
            let tag = settings.tag
            let users = stack.add(Cognito.UserPool("users", name: "users-\(tag)", passwordPolicy: .init(minimumLength: 10),
                                                   autoVerifiedAttributes: ["email"], usernameAttributes: settings.usernameAttributes,
                                                   mfaConfiguration: settings.mfa,
                                                   schema: [.init(name: "team")], tags: ["team": "images"]))
            let web = stack.add(Cognito.UserPoolClient("web", userPoolID: users.poolID, name: "web", generateSecret: true,
                                                       allowedOAuthFlows: ["code"], allowedOAuthScopes: ["openid", "email"],
                                                       callbackURLs: [Text(settings.callback)], logoutURLs: ["https://images.example.com/bye"],
                                                       supportedIdentityProviders: ["COGNITO"]))
            stack.add(Cognito.UserPoolDomain("login", domain: Text("login-\(tag)"), userPoolID: users.poolID))
            stack.add(Cognito.IdentityProvider("google", userPoolID: users.poolID, providerName: "Google", providerType: "Google",
                                               clientID: "google-client", clientSecret: "google-secret-value",
                                               authorizeScopes: settings.googleScopes, attributeMapping: ["email": "email"]))
            let identities = stack.add(Cognito.IdentityPool("images", name: Text("images_\(tag)"), allowUnauthenticatedIdentities: settings.guests,
                                                            cognitoIdentityProviders: [.init(providerName: users.endpoint, clientID: web.clientID)]))
            stack.add(Cognito.IdentityPoolRoles("images", identityPoolID: identities.poolID,
                                                authenticatedRole: "arn:aws:iam::123456789012:role/signed-in-\(tag)",
                                                unauthenticatedRole: "arn:aws:iam::123456789012:role/guest-\(tag)"))
        }
    }

    func testCognitoLifecycleThroughTheAWSAPI() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        let first = Self.stack(Settings(tag: String(tag)))
        try await harness.apply(first)
        let idp = harness.aws.cognitoIdentityProvider

        let poolSnapshot = try await harness.snapshot("cognito.user_pool.users")
        let poolID = try XCTUnwrap(poolSnapshot?.id)
        let described = try await idp.describeUserPool(poolID)
        let pool = try XCTUnwrap(described)
        XCTAssertEqual(pool.name, "users-\(tag)")
        XCTAssertEqual(pool.policies?.passwordPolicy?.minimumLength, 10)
        XCTAssertEqual(pool.usernameAttributes, ["email"])
        XCTAssertEqual(pool.userPoolTags?["team"], "images")
        XCTAssertTrue(pool.schemaAttributes?.contains { $0.name == "custom:team" } ?? false)

        let clientSnapshot = try await harness.snapshot("cognito.user_pool_client.web")
        let clientID = try XCTUnwrap(clientSnapshot?.id)
        let describedClient = try await idp.describeUserPoolClient(pool: poolID, client: clientID)
        let client = try XCTUnwrap(describedClient)
        XCTAssertEqual(client.callbackURLs, ["https://images.example.com/"])
        XCTAssertEqual(client.allowedOAuthFlows, ["code"])
        let secret = try XCTUnwrap(client.clientSecret)
        XCTAssertEqual(clientSnapshot?.attributes["clientSecret"], .string(secret), "the secret is kept as an attribute")

        let domainPool = try await idp.userPoolOfDomain("login-\(tag)")
        XCTAssertEqual(domainPool, poolID)
        let google = try await idp.describeIdentityProvider(pool: poolID, name: "Google")
        XCTAssertEqual(google?.providerDetails?["client_id"], "google-client")

        let identitySnapshot = try await harness.snapshot("cognito.identity_pool.images")
        let identityPoolID = try XCTUnwrap(identitySnapshot?.id)
        let identityPool = try await harness.aws.cognitoIdentity.describeIdentityPool(identityPoolID)
        XCTAssertEqual(identityPool?.allowUnauthenticatedIdentities, true)
        XCTAssertEqual(identityPool?.cognitoIdentityProviders?.first?.clientID, clientID)
        let roles = try await harness.aws.cognitoIdentity.identityPoolRoles(identityPoolID)
        XCTAssertEqual(roles?.roles["authenticated"], "arn:aws:iam::123456789012:role/signed-in-\(tag)")

        let again = try await harness.plan(first)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        // In place: MFA, the callback URL, guests, the provider's scopes. The secret appears in no rendering.
        var changed = Settings(tag: String(tag))
        changed.mfa = "OPTIONAL"
        changed.callback = "https://images.example.com/signed-in"
        changed.guests = false
        changed.googleScopes = "openid email profile"
        let updatePlan = try await harness.plan(Self.stack(changed))
        for rendering in [HumanPlanRenderer().render(updatePlan), JSONPlanRenderer().render(updatePlan), MarkdownPlanRenderer().render(updatePlan)] {
            XCTAssertFalse(rendering.contains(secret), "the client secret leaked into a plan rendering")
            XCTAssertFalse(rendering.contains("google-secret-value"), "the provider secret leaked into a plan rendering")
        }
        XCTAssertEqual(StackHarness.action(updatePlan, "cognito.user_pool.users"), .update)
        XCTAssertEqual(StackHarness.action(updatePlan, "cognito.user_pool_client.web"), .update)
        try await harness.apply(Self.stack(changed))
        let updatedPool = try await idp.describeUserPool(poolID)
        XCTAssertEqual(updatedPool?.mfaConfiguration, "OPTIONAL")
        let updatedClient = try await idp.describeUserPoolClient(pool: poolID, client: clientID)
        XCTAssertEqual(updatedClient?.callbackURLs, ["https://images.example.com/signed-in"])
        let updatedIdentities = try await harness.aws.cognitoIdentity.describeIdentityPool(identityPoolID)
        XCTAssertEqual(updatedIdentities?.allowUnauthenticatedIdentities, false)
        let afterUpdate = try await harness.plan(Self.stack(changed))
        XCTAssertFalse(afterUpdate.hasChanges, HumanPlanRenderer().render(afterUpdate))

        // usernameAttributes force a new pool; everything that refers to it follows.
        var replaced = changed
        replaced.usernameAttributes = ["phone_number"]
        let replacePlan = try await harness.plan(Self.stack(replaced))
        XCTAssertEqual(StackHarness.action(replacePlan, "cognito.user_pool.users"), .replace)
        XCTAssertEqual(replacePlan.changes.first { $0.address.description == "cognito.user_pool.users" }?.replacePaths, ["usernameAttributes"])
        XCTAssertEqual(StackHarness.action(replacePlan, "cognito.user_pool_client.web"), .replace)

        try await harness.destroy(Self.stack(changed))
        let poolGone = try await idp.describeUserPool(poolID)
        XCTAssertNil(poolGone)
        let identitiesGone = try await harness.aws.cognitoIdentity.describeIdentityPool(identityPoolID)
        XCTAssertNil(identitiesGone)
        let domainGone = try await idp.userPoolOfDomain("login-\(tag)")
        XCTAssertNil(domainGone)
    }
}
