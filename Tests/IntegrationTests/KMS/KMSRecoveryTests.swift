import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// KMS behaviour the lifecycle test does not reach: a key found again by its intent tag after a
/// crash, deletion that is already scheduled, and an alias retargeted in place.
final class KMSRecoveryTests: XCTestCase {
    func testKeyCreatedBeforeACrashIsFoundByItsIntentTagAndTheTagStaysHidden() async throws {
        let harness = try StackHarness()
        let type = ImgStack.KMS.Key.makeType()
        let address = Address(type: "kms.key", name: "data")
        let intent = UUID().uuidString
        let properties: [String: Engine.Value] = [
            "description": .string("recovered \(intent)"), "enableKeyRotation": false, "deletionWindowInDays": 7,
            "keyUsage": "ENCRYPT_DECRYPT", "keySpec": "SYMMETRIC_DEFAULT", "tags": ["team": "images"],
        ]
        let created = try await type.create(properties, context: OperationContext(address: address, region: harness.region, intentID: intent, client: harness.aws))
        let tags = try await harness.aws.kms.keyTags(created.id)
        XCTAssertTrue(tags.contains(AWS.KMS.Tag(key: "imgstack:intent", value: intent)), "\(tags)")

        let found = try await type.findCreated(from: properties, context: OperationContext(address: address, region: harness.region, intentID: intent, client: harness.aws))
        XCTAssertEqual(found?.id, created.id)
        XCTAssertEqual(found?.properties["tags"], ["team": "images"], "the intent tag never shows as drift")
        XCTAssertEqual(found?.properties["description"], .string("recovered \(intent)"))
        let other = try await type.findCreated(from: properties, context: OperationContext(address: address, region: harness.region,
                                                                                           intentID: UUID().uuidString, client: harness.aws))
        XCTAssertNil(other, "a create that never happened finds nothing")

        let context = OperationContext(address: address, region: harness.region, client: harness.aws)
        try await type.delete(created, context: context)
        let metadata = try await harness.aws.kms.describeKey(created.id)
        XCTAssertEqual(metadata.keyState, "PendingDeletion")
        let read = try await type.read(created, context: context)
        XCTAssertNil(read, "a key pending deletion reads as gone")
        // Deleting again (a destroy retried after a crash) finds the deletion already scheduled.
        try await type.delete(created, context: context)
    }

    func testAliasIsRetargetedInPlace() async throws {
        let harness = try StackHarness()
        let name = "alias/retarget-\(UUID().uuidString.prefix(8).lowercased())"
        func declare(target: String) -> Stack {
            Stack("kms-alias-test") { stack in
                let blue = stack.add(ImgStack.KMS.Key("blue", deletionWindowInDays: 7))
                let green = stack.add(ImgStack.KMS.Key("green", deletionWindowInDays: 7))
                stack.add(ImgStack.KMS.Alias("current", name: Text(name), targetKeyID: target == "blue" ? blue.keyID : green.keyID))
            }
        }
        try await harness.apply(declare(target: "blue"))
        let blue = try await harness.snapshot("kms.key.blue")
        let green = try await harness.snapshot("kms.key.green")
        let blueID = try XCTUnwrap(blue).id
        let greenID = try XCTUnwrap(green).id
        let before = try await harness.aws.kms.listAliases().first { $0.name == name }
        XCTAssertEqual(before?.targetKeyID, blueID)

        let plan = try await harness.apply(declare(target: "green"))
        XCTAssertEqual(StackHarness.action(plan, "kms.alias.current"), .update)
        let after = try await harness.aws.kms.listAliases().first { $0.name == name }
        XCTAssertEqual(after?.targetKeyID, greenID)
        let again = try await harness.plan(declare(target: "green"))
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        let destroy = try await harness.destroy(declare(target: "green"))
        XCTAssertEqual(StackHarness.action(destroy, "kms.key.blue"), .delete)
        let gone = try await harness.aws.kms.listAliases().first { $0.name == name }
        XCTAssertNil(gone)
        for keyID in [blueID, greenID] {
            let state = try await harness.aws.kms.describeKey(keyID).keyState
            XCTAssertEqual(state, "PendingDeletion")
        }
    }
}
