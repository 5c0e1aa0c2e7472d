import AWS
import Engine
import ImgStack
import XCTest

/// Cognito property rules, checked before any AWS call, each naming the address and property.
final class CognitoValidationTests: XCTestCase {
    private func issues(_ body: @escaping @Sendable (StackBuilder) -> Void) -> [ValidationIssue] {
        do {
            _ = try Stack("cognito", body: body).evaluate(variables: [:], region: "eu-west-1")
            return []
        } catch let error as StackValidationError {
            return error.issues
        } catch {
            XCTFail("\(error)")
            return []
        }
    }

    func testBadMFASettingNamesThePoolAndProperty() {
        let found = issues { $0.add(Cognito.UserPool("users", name: "users", mfaConfiguration: "SOMETIMES")) }
        XCTAssertEqual(found.map(\.subject), ["cognito.user_pool.users"])
        XCTAssertEqual(found.map(\.property), ["mfaConfiguration"])
    }

    func testUnknownUsernameAttributeAndShortPasswordsAreRefused() {
        let found = issues { $0.add(Cognito.UserPool("users", name: "users", passwordPolicy: .init(minimumLength: 4), usernameAttributes: ["nickname"])) }
        XCTAssertEqual(Set(found.compactMap(\.property)), ["passwordPolicy", "usernameAttributes"])
    }

    func testDomainWithReservedWordIsRefused() {
        let found = issues { stack in
            let pool = stack.add(Cognito.UserPool("users", name: "users"))
            stack.add(Cognito.UserPoolDomain("login", domain: "my-cognito-login", userPoolID: pool.poolID))
        }
        XCTAssertEqual(found.map(\.property), ["domain"])
    }

    func testUnknownOAuthFlowAndTokenValidityAreRefused() {
        let found = issues { stack in
            let pool = stack.add(Cognito.UserPool("users", name: "users"))
            stack.add(Cognito.UserPoolClient("web", userPoolID: pool.poolID, name: "web", allowedOAuthFlows: ["password"], tokenValidityMinutes: 2))
        }
        XCTAssertEqual(Set(found.compactMap(\.property)), ["allowedOAuthFlows", "tokenValidityMinutes"])
        XCTAssertTrue(found.allSatisfy { $0.subject == "cognito.user_pool_client.web" })
    }

    func testIdentityPoolNameWithHyphenIsRefused() {
        let found = issues { $0.add(Cognito.IdentityPool("images", name: "image-server")) }
        XCTAssertEqual(found.map(\.property), ["name"])
    }

    /// Both pools' creates add imgstack's intent tag: 49 tags at most, keys 1–128 characters
    /// without the aws: or imgstack: prefix, values up to 256 — refused before any call, naming
    /// the address and `tags`.
    func testPoolTagsAreCheckedAgainstCognitosLimitsLeavingRoomForTheIntentTag() {
        let fifty = Dictionary(uniqueKeysWithValues: (1...50).map { ("k\($0)", "v" as Text) })
        let bad: [String: Text] = ["aws:owner": "x", String(repeating: "k", count: 129): "x", "long": "\(String(repeating: "v", count: 257))",
                                   "imgstack:intent": "x"]
        for tags in [fifty, bad] {
            let found = issues { stack in
                stack.add(Cognito.UserPool("users", name: "users", tags: tags))
                stack.add(Cognito.IdentityPool("images", name: "images", tags: tags))
            }
            XCTAssertEqual(Set(found.map(\.subject)), ["cognito.user_pool.users", "cognito.identity_pool.images"], "\(found)")
            XCTAssertEqual(Set(found.compactMap(\.property)), ["tags"])
        }
        let fortyNine = Dictionary(uniqueKeysWithValues: (1...49).map { ("k\($0)", "v" as Text) })
        let accepted = issues { stack in
            stack.add(Cognito.UserPool("users", name: "users", tags: fortyNine))
            stack.add(Cognito.IdentityPool("images", name: "images", tags: fortyNine))
        }
        XCTAssertTrue(accepted.isEmpty, "\(accepted)")
    }

    func testProviderSecretIsASensitiveProperty() throws {
        let schema = Cognito.IdentityProvider.makeType().schema
        XCTAssertTrue(schema.isSensitive("clientSecret"))
        XCTAssertTrue(Cognito.UserPoolClient.makeType().schema.isSensitive("clientSecret"))
    }

    func testTypeNamesAreTheOnesStatesHoldAndTerraformTypesTheProvidersOnes() {
        let types: [(any Resource.Type, String, String)] = [
            (Cognito.UserPool.self, "cognito.user_pool", "aws_cognito_user_pool"),
            (Cognito.UserPoolClient.self, "cognito.user_pool_client", "aws_cognito_user_pool_client"),
            (Cognito.UserPoolDomain.self, "cognito.user_pool_domain", "aws_cognito_user_pool_domain"),
            (Cognito.IdentityProvider.self, "cognito.identity_provider", "aws_cognito_identity_provider"),
            (Cognito.IdentityPool.self, "cognito.identity_pool", "aws_cognito_identity_pool"),
            (Cognito.IdentityPoolRoles.self, "cognito.identity_pool_roles", "aws_cognito_identity_pool_roles_attachment"),
        ]
        for (type, name, terraform) in types {
            XCTAssertEqual(type.typeName, name)
            XCTAssertEqual(type.makeType().schema.typeName, name)
            XCTAssertEqual(type.makeType().schema.terraformType, terraform)
        }
    }

    func testRulesMappingWithoutRulesOrWithAnUnknownMatchTypeIsRefused() {
        let found = issues { stack in
            stack.add(Cognito.IdentityPoolRoles("roles", identityPoolID: "us-east-1:x", authenticatedRole: "arn:aws:iam::123456789012:role/r",
                                                roleMappings: [.init(identityProvider: "graph.facebook.com", type: "Rules"),
                                                               .init(identityProvider: "accounts.google.com", type: "Rules",
                                                                     rules: [.init(claim: "hd", matchType: "Matches", value: "example.com",
                                                                                   roleARN: "arn:aws:iam::123456789012:role/r")])]))
        }
        XCTAssertEqual(found.count, 2, "\(found)")
        XCTAssertTrue(found.allSatisfy { $0.subject == "cognito.identity_pool_roles.roles" && $0.property == "roleMappings" }, "\(found)")
        XCTAssertTrue(found.contains { $0.message.contains("1 to 25 rules") }, "\(found)")
        XCTAssertTrue(found.contains { $0.message.contains("Matches") }, "\(found)")
    }

    func testTokenMappingWithRulesOrAnUnknownTypeIsRefused() {
        let found = issues { stack in
            stack.add(Cognito.IdentityPoolRoles("roles", identityPoolID: "us-east-1:x", authenticatedRole: "arn:aws:iam::123456789012:role/r",
                                                roleMappings: [.init(identityProvider: "graph.facebook.com", type: "Token",
                                                                     rules: [.init(claim: "a", value: "b", roleARN: "arn:aws:iam::123456789012:role/r")]),
                                                               .init(identityProvider: "accounts.google.com", type: "Claims")]))
        }
        XCTAssertEqual(found.map(\.property), ["roleMappings", "roleMappings"], "\(found)")
        XCTAssertTrue(found.contains { $0.message.contains("takes no rules") }, "\(found)")
        XCTAssertTrue(found.contains { $0.message.contains("Claims") }, "\(found)")
    }
}
