import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// Identity pools and their roles against the emulator (roles through the test support's
/// SetIdentityPoolRoles / GetIdentityPoolRoles patch).
final class IdentityPoolTests: XCTestCase {
    private static let trust = PolicyDocument([
        Statement(effect: .allow, actions: ["sts:AssumeRoleWithWebIdentity"], principal: .federated("cognito-identity.amazonaws.com")),
    ])

    private func stack(_ tag: String, guests: Bool = false, google: String = "1234.apps.googleusercontent.com", team: String = "images",
                       mapping: String = "Token") -> Stack {
        Stack("cognito-identity") { stack in
            let pool = stack.add(Cognito.UserPool("users", poolName: Text("ids-\(tag)")))
            let client = stack.add(Cognito.UserPoolClient("app", userPoolID: pool.id, clientName: "app"))
            let signedIn = stack.add(IAM.Role("signed_in", name: Text("signed-in-\(tag)"), assumeRolePolicy: Self.trust))
            let guest = stack.add(IAM.Role("guest", name: Text("guest-\(tag)"), assumeRolePolicy: Self.trust))
            let identities = stack.add(Cognito.IdentityPool(
                "identities", poolName: Text("identities \(tag)"), allowUnauthenticatedIdentities: guests,
                cognitoIdentityProviders: [Cognito.IdentityPoolProvider(clientID: client.id, providerName: pool.endpoint)],
                supportedLoginProviders: ["accounts.google.com": Text(google)], tags: ["team": Text(team)]))
            let rules = mapping == "Rules" ? [Cognito.MappingRule(claim: "isAdmin", matchType: "Equals", value: "true", roleARN: signedIn.arn)] : []
            stack.add(Cognito.IdentityPoolRoles(
                "roles", identityPoolID: identities.id, roles: ["authenticated": signedIn.arn, "unauthenticated": guest.arn],
                roleMappings: [Cognito.RoleMapping(identityProvider: "\(pool.endpoint):\(client.id)", type: mapping,
                                                   ambiguousRoleResolution: "Deny", rules: rules)]))
        }
    }

    func testIdentityPoolAndRolesLifecycle() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        try await harness.apply(stack(tag))
        let identity = harness.aws.cognitoIdentity
        let poolSnapshot = try await harness.recorded("cognito.identity_pool.identities")
        let userPoolID = try await harness.recorded("cognito.user_pool.users").id
        let clientID = try await harness.recorded("cognito.user_pool_client.app").id
        let endpoint = "cognito-idp.us-east-1.amazonaws.com/\(userPoolID)"

        let described = try await identity.describeIdentityPool(poolSnapshot.id)
        XCTAssertEqual(described.identityPoolName, "identities \(tag)")
        XCTAssertFalse(described.allowUnauthenticatedIdentities)
        // moto neither stores nor returns AllowClassicFlow (absent reads as false); its encoding is
        // checked against botocore in CognitoRequestEncodingTests.
        XCTAssertEqual(described.allowClassicFlow ?? false, false)
        XCTAssertEqual(described.cognitoIdentityProviders, [CognitoIdentity.Provider(providerName: endpoint, clientID: clientID)])
        XCTAssertEqual(described.supportedLoginProviders, ["accounts.google.com": "1234.apps.googleusercontent.com"])
        XCTAssertEqual(described.tags?["team"], "images")
        XCTAssertEqual(poolSnapshot.attributes["arn"]?.stringValue,
                       "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/\(poolSnapshot.id)")

        let roles = try await identity.getIdentityPoolRoles(poolSnapshot.id)
        let signedInARN = try await harness.recordedARN("iam.role.signed_in")
        let guestARN = try await harness.recordedARN("iam.role.guest")
        XCTAssertEqual(roles.roles, ["authenticated": signedInARN, "unauthenticated": guestARN])
        XCTAssertEqual(roles.roleMappings["\(endpoint):\(clientID)"], CognitoIdentity.RoleMapping(type: "Token", ambiguousRoleResolution: "Deny"))

        let again = try await harness.plan(stack(tag))
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        // In place: guests, login provider, tags, the role mapping.
        let changed = stack(tag, guests: true, google: "5678.apps.googleusercontent.com", team: "auth", mapping: "Rules")
        let update = try await harness.apply(changed)
        XCTAssertEqual(StackHarness.action(update, "cognito.identity_pool.identities"), .update)
        XCTAssertEqual(StackHarness.action(update, "cognito.identity_pool_roles.roles"), .update)
        let updated = try await identity.describeIdentityPool(poolSnapshot.id)
        XCTAssertTrue(updated.allowUnauthenticatedIdentities)
        XCTAssertEqual(updated.supportedLoginProviders, ["accounts.google.com": "5678.apps.googleusercontent.com"])
        XCTAssertEqual(updated.tags?["team"], "auth")
        XCTAssertEqual(updated.cognitoIdentityProviders?.count, 1)
        let updatedRoles = try await identity.getIdentityPoolRoles(poolSnapshot.id)
        XCTAssertEqual(updatedRoles.roleMappings["\(endpoint):\(clientID)"]?.rules,
                       [CognitoIdentity.MappingRule(claim: "isAdmin", matchType: "Equals", value: "true", roleARN: signedInARN)])
        let afterUpdate = try await harness.plan(changed)
        XCTAssertFalse(afterUpdate.hasChanges, HumanPlanRenderer().render(afterUpdate))

        try await harness.destroy(changed)
        do {
            _ = try await identity.describeIdentityPool(poolSnapshot.id)
            XCTFail("the identity pool still exists")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "ResourceNotFoundException")
        }
        let state = try await harness.state
        XCTAssertTrue(state.resources.isEmpty)
    }

    func testMovingRolesToAnotherPoolReplacesTheAttachmentAndClearsTheOldPool() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        func declare(onSecond: Bool, poolName: String = "first") -> Stack {
            Stack("cognito-roles") { stack in
                let role = stack.add(IAM.Role("signed_in", name: Text("moving-\(tag)"), assumeRolePolicy: Self.trust))
                let first = stack.add(Cognito.IdentityPool("first", poolName: Text("\(poolName) \(tag)")))
                let second = stack.add(Cognito.IdentityPool("second", poolName: Text("second \(tag)")))
                stack.add(Cognito.IdentityPoolRoles("roles", identityPoolID: onSecond ? second.id : first.id, roles: ["authenticated": role.arn]))
            }
        }
        try await harness.apply(declare(onSecond: false))
        let first = try await harness.recorded("cognito.identity_pool.first").id
        let second = try await harness.recorded("cognito.identity_pool.second").id
        let roleARN = try await harness.recordedARN("iam.role.signed_in")
        let identity = harness.aws.cognitoIdentity
        let before = try await identity.getIdentityPoolRoles(first)
        XCTAssertEqual(before.roles, ["authenticated": roleARN])

        // A pool's name changes in place.
        let rename = try await harness.plan(declare(onSecond: false, poolName: "renamed"))
        XCTAssertEqual(StackHarness.action(rename, "cognito.identity_pool.first"), .update)
        XCTAssertEqual(StackHarness.action(rename, "cognito.identity_pool_roles.roles"), .noop)

        let move = try await harness.apply(declare(onSecond: true))
        XCTAssertEqual(StackHarness.action(move, "cognito.identity_pool_roles.roles"), .replace)
        let moved = try await identity.getIdentityPoolRoles(second)
        XCTAssertEqual(moved.roles, ["authenticated": roleARN])
        let cleared = try await identity.getIdentityPoolRoles(first)
        XCTAssertEqual(cleared.roles, [:])
        let again = try await harness.plan(declare(onSecond: true))
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        try await harness.destroy(declare(onSecond: true))
        let state = try await harness.state
        XCTAssertTrue(state.resources.isEmpty)
    }
}
