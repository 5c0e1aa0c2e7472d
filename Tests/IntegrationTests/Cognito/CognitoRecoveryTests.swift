import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// A crashed apply's creations are found again: pools by name and intent tag, clients by their
/// unique name in the pool, providers and domains by their names.
final class CognitoRecoveryTests: XCTestCase {
    private func context(_ address: Address, intent: String) -> OperationContext {
        OperationContext(address: address, region: "us-east-1", intentID: intent)
    }

    func testUserPoolAndClientAreFoundByIntentAndName() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        let pool = Cognito.UserPool("users", poolName: Text("found-\(tag)"))
        let poolType = Cognito.UserPool.makeType(harness.aws)
        let poolProperties = pool.properties.compactMapValues(\.literal)
        let created = try await poolType.create(poolProperties, context: context(pool.address, intent: "intent-\(tag)"))

        let found = try await poolType.findCreated(from: poolProperties, context: context(pool.address, intent: "intent-\(tag)"))
        XCTAssertEqual(found?.id, created.id)
        XCTAssertEqual(found?.properties["poolName"]?.stringValue, "found-\(tag)")
        let other = try await poolType.findCreated(from: poolProperties, context: context(pool.address, intent: "another-\(tag)"))
        XCTAssertNil(other, "a pool of the same name made by another intent is not adopted")

        let client = Cognito.UserPoolClient("web", userPoolID: Text(created.id), clientName: "web")
        let clientType = Cognito.UserPoolClient.makeType(harness.aws)
        let clientProperties = client.properties.compactMapValues(\.literal)
        let madeClient = try await clientType.create(clientProperties, context: context(client.address, intent: "client-\(tag)"))
        let foundClient = try await clientType.findCreated(from: clientProperties, context: context(client.address, intent: "client-\(tag)"))
        XCTAssertEqual(foundClient?.id, madeClient.id)
        // A second client of the same name makes the match ambiguous: neither is adopted.
        _ = try await clientType.create(clientProperties, context: context(client.address, intent: "client2-\(tag)"))
        let ambiguous = try await clientType.findCreated(from: clientProperties, context: context(client.address, intent: "client2-\(tag)"))
        XCTAssertNil(ambiguous)

        try await poolType.delete(created, context: context(pool.address, intent: "intent-\(tag)"))
        let gone = try await poolType.read(created, context: context(pool.address, intent: "intent-\(tag)"))
        XCTAssertNil(gone)
    }

    func testIdentityPoolIsFoundByIntentAndName() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        let pool = Cognito.IdentityPool("ids", poolName: Text("found \(tag)"), tags: ["team": "images"])
        let type = Cognito.IdentityPool.makeType(harness.aws)
        let properties = pool.properties.compactMapValues(\.literal)
        let created = try await type.create(properties, context: context(pool.address, intent: "intent-\(tag)"))
        let found = try await type.findCreated(from: properties, context: context(pool.address, intent: "intent-\(tag)"))
        XCTAssertEqual(found?.id, created.id)
        XCTAssertEqual(found?.properties["tags"], ["team": "images"], "the intent tag stays hidden")
        let other = try await type.findCreated(from: properties, context: context(pool.address, intent: "other-\(tag)"))
        XCTAssertNil(other)
        try await type.delete(created, context: context(pool.address, intent: "intent-\(tag)"))
        let gone = try await type.read(created, context: context(pool.address, intent: "intent-\(tag)"))
        XCTAssertNil(gone)
    }
}
