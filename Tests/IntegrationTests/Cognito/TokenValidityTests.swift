import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// An app client's token lifetimes set outside imgstack in other units compare in the stack's
/// units (`TokenValidityUnits`, with AWS's defaults hours, hours, days when a unit is absent);
/// a lifetime that really differs, the ID token's included, shows as a change.
final class TokenValidityTests: XCTestCase {
    private static func stack(_ tag: String) -> Stack {
        Stack("cognito-token-validity") { stack in
            let users = stack.add(Cognito.UserPool("users", name: "validity-\(tag)"))
            stack.add(Cognito.UserPoolClient("web", userPoolID: users.poolID, name: "web", tokenValidityMinutes: 60,
                                             refreshTokenValidityDays: 30))
        }
    }

    /// Lifetimes as someone sets them in the console or the CLI.
    private struct OutOfBand {
        var name: String
        var access: Int
        var id: Int
        var refresh: Int
        var units: AWS.CognitoIdentityProvider.TokenValidityUnits
        /// The properties the plan must change; empty when the lifetimes equal the stack's.
        var changed: [String]
    }

    private let cases = [
        OutOfBand(name: "the issue's example: one hour, 43,200 minutes", access: 1, id: 1, refresh: 43200,
                  units: .init(accessToken: "hours", idToken: "hours", refreshToken: "minutes"), changed: []),
        OutOfBand(name: "units absent: AWS counts access and ID tokens in hours, refresh tokens in days", access: 1, id: 1, refresh: 30,
                  units: .init(accessToken: nil, idToken: nil, refreshToken: nil), changed: []),
        OutOfBand(name: "seconds and hours", access: 3600, id: 3600, refresh: 720,
                  units: .init(accessToken: "seconds", idToken: "seconds", refreshToken: "hours"), changed: []),
        OutOfBand(name: "the ID token alone made longer", access: 60, id: 2,
                  refresh: 30, units: .init(accessToken: "minutes", idToken: "hours", refreshToken: "days"), changed: ["tokenValidityMinutes"]),
        OutOfBand(name: "the access token made shorter", access: 30, id: 60,
                  refresh: 30, units: .init(accessToken: "minutes", idToken: "minutes", refreshToken: "days"), changed: ["tokenValidityMinutes"]),
        OutOfBand(name: "a refresh lifetime days cannot express", access: 60, id: 60, refresh: 36,
                  units: .init(accessToken: "minutes", idToken: "minutes", refreshToken: "hours"), changed: ["refreshTokenValidityDays"]),
    ]

    func testLifetimesInOtherUnitsCompareInTheStacksUnits() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        let stack = Self.stack(String(tag))
        try await harness.apply(stack)
        let idp = harness.aws.cognitoIdentityProvider
        let clientSnapshot = try await harness.snapshot("cognito.user_pool_client.web")
        let poolSnapshot = try await harness.snapshot("cognito.user_pool.users")
        let clientID = try XCTUnwrap(clientSnapshot?.id)
        let poolID = try XCTUnwrap(poolSnapshot?.id)

        for change in cases {
            let described = try await idp.describeUserPoolClient(pool: poolID, client: clientID)
            var settings = try XCTUnwrap(described)
            settings.accessTokenValidity = change.access
            settings.idTokenValidity = change.id
            settings.refreshTokenValidity = change.refresh
            settings.tokenValidityUnits = change.units
            try await idp.updateUserPoolClient(settings)

            let plan = try await harness.plan(stack)
            let client = plan.changes.first { $0.address.description == "cognito.user_pool_client.web" }
            XCTAssertEqual(client?.action == .noop ? [] : client?.changedProperties ?? [], change.changed,
                           "\(change.name)\n\(HumanPlanRenderer().render(plan))")
            if !change.changed.isEmpty {
                try await harness.apply(stack)
                let repaired = try await harness.plan(stack)
                XCTAssertFalse(repaired.hasChanges, "\(change.name): repaired\n\(HumanPlanRenderer().render(repaired))")
            }
        }
        try await harness.destroy(stack)
    }
}
