import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// App clients, hosted UI domains and identity providers of a user pool against the emulator.
final class UserPoolClientTests: XCTestCase {
    private struct Settings {
        var clientName = "web"
        var generateSecret = true
        var callbackURLs: [Text] = ["https://example.com/callback", "https://app.example.com/callback"]
        var scopes = ["openid", "email"]
        var accessTokenValidity = 60
        var domain: String
        var providerType = "Google"
        var clientID = "1234.apps.googleusercontent.com"
    }

    private func stack(_ poolName: String, _ settings: Settings) -> Stack {
        Stack("cognito-client") { stack in
            let pool = stack.add(Cognito.UserPool("users", poolName: Text(poolName)))
            stack.add(Cognito.UserPoolDomain("login", domain: Text(settings.domain), userPoolID: pool.id))
            stack.add(Cognito.IdentityProvider("google", userPoolID: pool.id, providerName: "Google", providerType: settings.providerType,
                                               providerDetails: ["client_id": Text(settings.clientID)], clientSecret: "google-secret-value",
                                               authorizeScopes: ["profile", "openid", "email"], attributeMapping: ["email": "email"]))
            stack.add(Cognito.UserPoolClient("web", userPoolID: pool.id, clientName: Text(settings.clientName),
                                             generateSecret: settings.generateSecret, allowedOAuthFlows: ["code"],
                                             allowedOAuthScopes: settings.scopes, allowedOAuthFlowsUserPoolClient: true,
                                             callbackURLs: settings.callbackURLs, logoutURLs: ["https://example.com/"],
                                             supportedIdentityProviders: ["COGNITO"], explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
                                             accessTokenValidity: settings.accessTokenValidity))
        }
    }

    func testClientDomainAndProviderLifecycle() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        let poolName = "clients-\(tag)"
        var settings = Settings(domain: "login-\(tag)")
        try await harness.apply(stack(poolName, settings))
        let idp = harness.aws.cognitoIdentityProvider
        let poolID = try await harness.recorded("cognito.user_pool.users").id
        let clientSnapshot = try await harness.recorded("cognito.user_pool_client.web")

        let client = try await idp.describeUserPoolClient(userPoolID: poolID, clientID: clientSnapshot.id)
        XCTAssertEqual(client.settings.clientName, "web")
        XCTAssertEqual(client.settings.allowedOAuthFlows, ["code"])
        XCTAssertEqual(Set(client.settings.allowedOAuthScopes), ["openid", "email"])
        XCTAssertTrue(client.settings.allowedOAuthFlowsUserPoolClient)
        XCTAssertEqual(Set(client.settings.callbackURLs), ["https://example.com/callback", "https://app.example.com/callback"])
        XCTAssertEqual(client.settings.logoutURLs, ["https://example.com/"])
        XCTAssertEqual(client.settings.supportedIdentityProviders, ["COGNITO"])
        XCTAssertEqual(Set(client.settings.explicitAuthFlows ?? []), ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"])
        XCTAssertEqual(client.settings.accessTokenValidity, 60)
        XCTAssertEqual(client.settings.refreshTokenValidity, 30)
        XCTAssertEqual(client.settings.tokenValidityUnits?.refreshToken, "days")
        let secret = try XCTUnwrap(client.clientSecret)
        // The secret lives in state only as a (sensitive) attribute.
        XCTAssertEqual(clientSnapshot.attributes["clientSecret"]?.stringValue, secret)
        XCTAssertFalse(clientSnapshot.properties.values.contains { $0.canonicalJSON.contains(secret) })

        let domain = try await idp.describeUserPoolDomain("login-\(tag)")
        XCTAssertEqual(domain?.userPoolID, poolID)

        let provider = try await idp.describeIdentityProvider(userPoolID: poolID, providerName: "Google")
        XCTAssertEqual(provider.providerType, "Google")
        XCTAssertEqual(provider.providerDetails["client_id"], "1234.apps.googleusercontent.com")
        XCTAssertEqual(provider.providerDetails["client_secret"], "google-secret-value")
        XCTAssertEqual(Set((provider.providerDetails["authorize_scopes"] ?? "").split(separator: " ")), ["openid", "email", "profile"])
        XCTAssertEqual(provider.attributeMapping["email"], "email")

        let again = try await harness.plan(stack(poolName, settings))
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        // In place: client name, scopes, URLs, lifetime; provider client id.
        settings.clientName = "web-2"
        settings.scopes = ["openid"]
        settings.callbackURLs = ["https://example.com/callback"]
        settings.accessTokenValidity = 30
        settings.clientID = "5678.apps.googleusercontent.com"
        let update = try await harness.apply(stack(poolName, settings))
        XCTAssertEqual(StackHarness.action(update, "cognito.user_pool_client.web"), .update)
        XCTAssertEqual(StackHarness.action(update, "cognito.identity_provider.google"), .update)
        let updated = try await idp.describeUserPoolClient(userPoolID: poolID, clientID: clientSnapshot.id)
        XCTAssertEqual(updated.settings.clientName, "web-2")
        XCTAssertEqual(updated.settings.allowedOAuthScopes, ["openid"])
        XCTAssertEqual(updated.settings.callbackURLs, ["https://example.com/callback"])
        XCTAssertEqual(updated.settings.accessTokenValidity, 30)
        XCTAssertEqual(updated.clientSecret, secret, "an update keeps the secret")
        let updatedProvider = try await idp.describeIdentityProvider(userPoolID: poolID, providerName: "Google")
        XCTAssertEqual(updatedProvider.providerDetails["client_id"], "5678.apps.googleusercontent.com")
        XCTAssertEqual(updatedProvider.providerDetails["client_secret"], "google-secret-value")
        let afterUpdate = try await harness.plan(stack(poolName, settings))
        XCTAssertFalse(afterUpdate.hasChanges, HumanPlanRenderer().render(afterUpdate))

        // Force new: generateSecret, the domain prefix, the provider type.
        settings.generateSecret = false
        settings.domain = "login2-\(tag)"
        settings.providerType = "Facebook"
        let replacement = try await harness.apply(stack(poolName, settings))
        XCTAssertEqual(StackHarness.action(replacement, "cognito.user_pool_client.web"), .replace)
        XCTAssertEqual(StackHarness.action(replacement, "cognito.user_pool_domain.login"), .replace)
        XCTAssertEqual(StackHarness.action(replacement, "cognito.identity_provider.google"), .replace)
        let newClientID = try await harness.recorded("cognito.user_pool_client.web").id
        XCTAssertNotEqual(newClientID, clientSnapshot.id)
        let newClient = try await idp.describeUserPoolClient(userPoolID: poolID, clientID: newClientID)
        XCTAssertNil(newClient.clientSecret)
        let oldDomain = try await idp.describeUserPoolDomain("login-\(tag)")
        XCTAssertNil(oldDomain)
        let newDomain = try await idp.describeUserPoolDomain("login2-\(tag)")
        XCTAssertEqual(newDomain?.userPoolID, poolID)
        let replacedProvider = try await idp.describeIdentityProvider(userPoolID: poolID, providerName: "Google")
        XCTAssertEqual(replacedProvider.providerType, "Facebook")
        do {
            _ = try await idp.describeUserPoolClient(userPoolID: poolID, clientID: clientSnapshot.id)
            XCTFail("the replaced client still exists")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "ResourceNotFoundException")
        }

        try await harness.destroy(stack(poolName, settings))
        let goneDomain = try await idp.describeUserPoolDomain("login2-\(tag)")
        XCTAssertNil(goneDomain)
        do {
            _ = try await idp.describeUserPool(poolID)
            XCTFail("the pool still exists")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "ResourceNotFoundException")
        }
        let state = try await harness.state
        XCTAssertTrue(state.resources.isEmpty)
    }

    func testClientSecretAppearsInNoPlanRendering() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        var settings = Settings(domain: "secret-\(tag)")
        try await harness.apply(stack("secret-\(tag)", settings))
        let clientSnapshot = try await harness.recorded("cognito.user_pool_client.web")
        let secret = try XCTUnwrap(clientSnapshot.attributes["clientSecret"]?.stringValue)
        XCTAssertFalse(secret.isEmpty)

        // A plan that replaces the client (its secret goes away) and one that destroys everything.
        settings.generateSecret = false
        let replace = try await harness.plan(stack("secret-\(tag)", settings))
        let destroy = try await harness.plan(stack("secret-\(tag)", settings), options: PlanOptions(destroy: true))
        for plan in [replace, destroy] {
            for rendering in [HumanPlanRenderer().render(plan), JSONPlanRenderer().render(plan), MarkdownPlanRenderer().render(plan)] {
                XCTAssertFalse(rendering.contains(secret), "the client secret leaked into a plan rendering")
                XCTAssertFalse(rendering.contains("google-secret-value"), "the provider secret leaked into a plan rendering")
            }
        }
        try await harness.destroy(stack("secret-\(tag)", settings))
    }
}
