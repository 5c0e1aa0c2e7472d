import AWS
import Engine
import Foundation
@testable import ImgStack
import XCTest

/// Cognito validation rules, checked before any network call; each issue names the address and property.
final class CognitoValidationTests: XCTestCase {
    private let aws = AWSClient(configuration: AWSClient.Configuration(region: "us-east-1", environment: [:]),
                                credentials: { AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret") })

    private func issues<R: Resource>(_ resource: R) -> [ValidationIssue] {
        R.makeType(aws).validate(resource.properties, address: resource.address)
    }

    private func assertIssues<R: Resource>(_ resource: R, _ property: String, count: Int = 1, containing text: String? = nil,
                                           file: StaticString = #filePath, line: UInt = #line) {
        let found = issues(resource)
        XCTAssertEqual(found.count, count, "\(found)", file: file, line: line)
        XCTAssertTrue(found.allSatisfy { $0.subject == resource.address.description && $0.property == property }, "\(found)", file: file, line: line)
        if let text { XCTAssertTrue(found.contains { $0.message.contains(text) }, "\(found)", file: file, line: line) }
    }

    func testValidDeclarationsPass() {
        let pool = Cognito.UserPool("users", poolName: "images users", autoVerifiedAttributes: ["email"], usernameAttributes: ["email"],
                                    mfaConfiguration: "OPTIONAL", schema: [Cognito.SchemaAttribute(name: "tier")], tags: ["team": "images"])
        XCTAssertEqual(issues(pool), [])
        XCTAssertEqual(issues(Cognito.UserPoolClient("web", userPoolID: pool.id, clientName: "web", allowedOAuthFlows: ["code"],
                                                     allowedOAuthScopes: ["openid"], allowedOAuthFlowsUserPoolClient: true)), [])
        XCTAssertEqual(issues(Cognito.UserPoolDomain("login", domain: "images-login", userPoolID: pool.id)), [])
        XCTAssertEqual(issues(Cognito.IdentityPoolRoles("roles", identityPoolID: "us-east-1:x", roles: ["authenticated": "arn:aws:iam::1:role/r"])), [])
    }

    func testPoolNameWithForbiddenCharactersIsRejected() {
        assertIssues(Cognito.UserPool("users", poolName: "users/prod"), "poolName")
        assertIssues(Cognito.IdentityPool("ids", poolName: Text(String(repeating: "a", count: 129))), "poolName")
    }

    func testUnknownMfaModeAndDeletionProtectionAreRejected() {
        assertIssues(Cognito.UserPool("users", poolName: "users", mfaConfiguration: "REQUIRED"), "mfaConfiguration", containing: "REQUIRED")
        assertIssues(Cognito.UserPool("users", poolName: "users", deletionProtection: "ON"), "deletionProtection")
    }

    func testUnknownVerifiedAndUsernameAttributesAreRejected() {
        assertIssues(Cognito.UserPool("users", poolName: "users", autoVerifiedAttributes: ["address"]), "autoVerifiedAttributes")
        assertIssues(Cognito.UserPool("users", poolName: "users", usernameAttributes: ["nickname"]), "usernameAttributes")
    }

    func testPasswordPolicyOutsideAWSLimitsIsRejected() {
        assertIssues(Cognito.UserPool("users", poolName: "users", passwordPolicy: Cognito.PasswordPolicy(minimumLength: 5)),
                     "passwordPolicy", containing: "minimumLength")
        assertIssues(Cognito.UserPool("users", poolName: "users", passwordPolicy: Cognito.PasswordPolicy(temporaryPasswordValidityDays: 366)),
                     "passwordPolicy", containing: "temporaryPasswordValidityDays")
    }

    func testBadSchemaAttributesAreRejected() {
        assertIssues(Cognito.UserPool("users", poolName: "users", schema: [Cognito.SchemaAttribute(name: "custom:tier")]), "schema",
                     containing: "custom:")
        assertIssues(Cognito.UserPool("users", poolName: "users", schema: [Cognito.SchemaAttribute(name: "tier", type: "Text")]), "schema")
        assertIssues(Cognito.UserPool("users", poolName: "users", schema: [Cognito.SchemaAttribute(name: "tier", required: true)]), "schema",
                     containing: "standard")
        assertIssues(Cognito.UserPool("users", poolName: "users", schema: [Cognito.SchemaAttribute(name: "a_very_long_attribute_name")]),
                     "schema", containing: "20")
        assertIssues(Cognito.UserPool("users", poolName: "users", schema: [Cognito.SchemaAttribute(name: "tier"), Cognito.SchemaAttribute(name: "tier")]),
                     "schema", containing: "twice")
    }

    func testReservedTagPrefixIsRejected() {
        assertIssues(Cognito.UserPool("users", poolName: "users", tags: ["imgstack:intent": "x"]), "tags")
        assertIssues(Cognito.IdentityPool("ids", poolName: "ids", tags: ["aws:owner": "x"]), "tags")
    }

    func testClientOAuthRulesAreChecked() {
        assertIssues(Cognito.UserPoolClient("web", userPoolID: "p", clientName: "web", allowedOAuthFlows: ["password"]), "allowedOAuthFlows")
        assertIssues(Cognito.UserPoolClient("web", userPoolID: "p", clientName: "web", allowedOAuthFlows: ["code", "client_credentials"]),
                     "allowedOAuthFlows", containing: "client_credentials")
        let noScopes = issues(Cognito.UserPoolClient("web", userPoolID: "p", clientName: "web", allowedOAuthFlowsUserPoolClient: true))
        XCTAssertEqual(Set(noScopes.map(\.property)), ["allowedOAuthFlows", "allowedOAuthScopes"])
        XCTAssertTrue(noScopes.allSatisfy { $0.subject == "cognito.user_pool_client.web" })
        assertIssues(Cognito.UserPoolClient("web", userPoolID: "p", clientName: "web", explicitAuthFlows: ["ALLOW_EVERYTHING"]), "explicitAuthFlows")
        assertIssues(Cognito.UserPoolClient("web", userPoolID: "p", clientName: "web client/1"), "clientName")
    }

    func testTokenLifetimesOutsideAWSLimitsAreRejected() {
        assertIssues(Cognito.UserPoolClient("web", userPoolID: "p", clientName: "web", accessTokenValidity: 2), "accessTokenValidity")
        assertIssues(Cognito.UserPoolClient("web", userPoolID: "p", clientName: "web", idTokenValidity: 2,
                                            tokenValidityUnits: Cognito.TokenValidityUnits(idToken: "days")), "idTokenValidity")
        assertIssues(Cognito.UserPoolClient("web", userPoolID: "p", clientName: "web",
                                            tokenValidityUnits: Cognito.TokenValidityUnits(refreshToken: "weeks")), "tokenValidityUnits")
    }

    func testDomainPrefixRulesAreChecked() {
        for bad in ["Upper", "-dash", "dash-", "dot.ted", "my-aws-login", "cognito-login", String(repeating: "a", count: 64)] {
            assertIssues(Cognito.UserPoolDomain("login", domain: Text(bad), userPoolID: "p"), "domain")
        }
    }

    func testIdentityProviderSecretsBelongInTheirOwnProperties() {
        assertIssues(Cognito.IdentityProvider("google", userPoolID: "p", providerName: "Google", providerType: "Google",
                                              providerDetails: ["client_id": "1", "client_secret": "x"]), "providerDetails", containing: "clientSecret")
        assertIssues(Cognito.IdentityProvider("google", userPoolID: "p", providerName: "Google", providerType: "Google",
                                              providerDetails: ["authorize_scopes": "openid"]), "providerDetails", containing: "authorizeScopes")
        assertIssues(Cognito.IdentityProvider("google", userPoolID: "p", providerName: "Google", providerType: "Twitter"), "providerType")
        assertIssues(Cognito.IdentityProvider("google", userPoolID: "p", providerName: "My Google", providerType: "Google"), "providerName")
    }

    func testProviderSecretAndClientSecretAreSensitive() {
        let provider = IdentityProviderType(aws: aws).schema
        XCTAssertTrue(provider.isSensitive("clientSecret"))
        XCTAssertFalse(provider.isSensitive("providerDetails"))
        XCTAssertTrue(UserPoolClientType(aws: aws).schema.isSensitive("clientSecret"))
    }

    func testIdentityPoolProviderMustBeAUserPoolEndpoint() {
        assertIssues(Cognito.IdentityPool("ids", poolName: "ids", cognitoIdentityProviders: [
            Cognito.IdentityPoolProvider(clientID: "abc", providerName: "us-east-1_Ab"),
        ]), "cognitoIdentityProviders", containing: "cognito-idp.")
    }

    func testRoleKeysAndMappingsAreChecked() {
        assertIssues(Cognito.IdentityPoolRoles("roles", identityPoolID: "x", roles: ["admin": "arn:aws:iam::1:role/r"]), "roles")
        assertIssues(Cognito.IdentityPoolRoles("roles", identityPoolID: "x", roles: ["authenticated": "arn:aws:iam::1:role/r"], roleMappings: [
            Cognito.RoleMapping(identityProvider: "graph.facebook.com", type: "Rules"),
        ]), "roleMappings", containing: "1 to 25")
        assertIssues(Cognito.IdentityPoolRoles("roles", identityPoolID: "x", roles: ["authenticated": "arn:aws:iam::1:role/r"], roleMappings: [
            Cognito.RoleMapping(identityProvider: "graph.facebook.com", type: "Token", ambiguousRoleResolution: "Allow"),
        ]), "roleMappings", containing: "Allow")
        assertIssues(Cognito.IdentityPoolRoles("roles", identityPoolID: "x", roles: ["authenticated": "arn:aws:iam::1:role/r"], roleMappings: [
            Cognito.RoleMapping(identityProvider: "graph.facebook.com", type: "Rules", rules: [
                Cognito.MappingRule(claim: "isAdmin", matchType: "Matches", value: "true", roleARN: "arn:aws:iam::1:role/r"),
            ]),
        ]), "roleMappings", containing: "Matches")
    }

    func testListsWhoseOrderAWSDoesNotKeepNormaliseSorted() {
        let client = UserPoolClientType(aws: aws)
        XCTAssertEqual(client.normalize("callbackURLs", ["https://b", "https://a"]), ["https://a", "https://b"])
        let pool = UserPoolType(aws: aws)
        XCTAssertEqual(pool.normalize("schema", [["name": "z"], ["name": "a"]]), [["name": "a"], ["name": "z"]])
    }
}
