import Foundation
@testable import AWS
import XCTest

/// Every KMS call imgstack makes, checked against botocore's `kms` model: the `X-Amz-Target`
/// and JSON version, body members (names, required ones, enum values, limits), and the sample
/// answers the calls decode (whose member names must be the model's too).
final class KMSRequestEncodingTests: XCTestCase {
    private static let model = BotocoreModel.load("kms", "2014-11-01")

    /// Sends one call through a scripted transport answering `answer`, checks the request
    /// against the model and the answer against the output shape; returns the request body.
    @discardableResult
    private func check(_ operation: String, answer: String = "{}", _ call: (AWS.KMS) async throws -> Void,
                       file: StaticString = #filePath, line: UInt = #line) async throws -> [String: Any] {
        let transport = ScriptedTransport(body: answer)
        try await call(scriptedClient(transport).kms)
        let request = try XCTUnwrap(transport.requests.last, file: file, line: line)
        let metadata = Self.model.metadata
        XCTAssertEqual(request.headers["X-Amz-Target"], "\(metadata["targetPrefix"] as? String ?? "?").\(operation)", file: file, line: line)
        XCTAssertEqual(request.headers["Content-Type"], "application/x-amz-json-\(metadata["jsonVersion"] as? String ?? "?")", file: file, line: line)
        XCTAssertEqual(Self.model.jsonProblems(request.body, operation: operation), [], file: file, line: line)
        if answer != "{}" {
            XCTAssertEqual(Self.model.jsonAnswerProblems(answer, operation: operation), [], "sample answer", file: file, line: line)
        }
        return request.bodyJSON
    }

    func testModelLoads() {
        XCTAssertNotNil(Self.model.operations["ScheduleKeyDeletion"], "botocore's kms model was not found")
    }

    func testCreateKeySendsUsageSpecPolicyAndTagsByTheModel() async throws {
        let answer = #"{"KeyMetadata":{"KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab","Arn":"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab","Description":"images","KeyState":"Enabled","KeyUsage":"ENCRYPT_DECRYPT","KeySpec":"SYMMETRIC_DEFAULT","AWSAccountId":"111122223333","Enabled":true}}"#
        var created: AWS.KMS.KeyMetadata?
        let body = try await check("CreateKey", answer: answer) {
            created = try await $0.createKey(description: "images", keyUsage: "ENCRYPT_DECRYPT", keySpec: "SYMMETRIC_DEFAULT",
                                             policy: #"{"Version":"2012-10-17","Statement":[]}"#,
                                             tags: [.init(key: "team", value: "images"), .init(key: "imgstack:intent", value: "i-1")])
        }
        XCTAssertEqual(body["KeyUsage"] as? String, "ENCRYPT_DECRYPT")
        XCTAssertEqual(body["KeySpec"] as? String, "SYMMETRIC_DEFAULT")
        XCTAssertEqual((body["Tags"] as? [[String: String]])?.first, ["TagKey": "team", "TagValue": "images"])
        XCTAssertEqual(created?.keyID, "1234abcd-12ab-34cd-56ef-1234567890ab")
        XCTAssertEqual(created?.keyState, "Enabled")
    }

    func testCreateKeyWithoutPolicyOrTagsLeavesThemOut() async throws {
        let answer = #"{"KeyMetadata":{"KeyId":"k","Arn":"arn:aws:kms:eu-west-1:1:key/k"}}"#
        let body = try await check("CreateKey", answer: answer) {
            _ = try await $0.createKey(description: nil, keyUsage: "SIGN_VERIFY", keySpec: "ECC_NIST_P256", policy: nil, tags: [])
        }
        // Sending an empty Tags list or a null Policy is not the same as leaving them out:
        // KMS applies its default key policy only when Policy is absent.
        XCTAssertNil(body["Policy"])
        XCTAssertNil(body["Tags"])
        XCTAssertNil(body["Description"])
    }

    func testKeyReadsDecodeTheModelsAnswers() async throws {
        let describe = #"{"KeyMetadata":{"KeyId":"k","Arn":"arn:aws:kms:eu-west-1:1:key/k","KeyState":"PendingDeletion","DeletionDate":1700000000,"KeyUsage":"ENCRYPT_DECRYPT","KeySpec":"SYMMETRIC_DEFAULT"}}"#
        var metadata: AWS.KMS.KeyMetadata?
        try await check("DescribeKey", answer: describe) { metadata = try await $0.describeKey("k") }
        XCTAssertEqual(metadata?.keyState, "PendingDeletion")
        XCTAssertEqual(metadata?.deletionDate, Date(timeIntervalSince1970: 1_700_000_000))

        var policy = ""
        let policyBody = try await check("GetKeyPolicy", answer: #"{"Policy":"{\"Version\":\"2012-10-17\"}","PolicyName":"default"}"#) {
            policy = try await $0.keyPolicy("k")
        }
        XCTAssertEqual(policyBody["PolicyName"] as? String, "default")
        XCTAssertEqual(policy, #"{"Version":"2012-10-17"}"#)

        var rotation = false
        try await check("GetKeyRotationStatus", answer: #"{"KeyRotationEnabled":true,"KeyId":"k"}"#) { rotation = try await $0.keyRotationEnabled("k") }
        XCTAssertTrue(rotation)

        var tags: [AWS.KMS.Tag] = []
        try await check("ListResourceTags", answer: #"{"Tags":[{"TagKey":"team","TagValue":"images"}],"Truncated":false}"#) { tags = try await $0.keyTags("k") }
        XCTAssertEqual(tags, [.init(key: "team", value: "images")])
    }

    func testKeyTagsFollowNextMarkerPages() async throws {
        let transport = ScriptedTransport([
            HTTPResponse.xml(200, #"{"Tags":[{"TagKey":"a","TagValue":"1"}],"Truncated":true,"NextMarker":"m2"}"#),
            HTTPResponse.xml(200, #"{"Tags":[{"TagKey":"b","TagValue":"2"}],"Truncated":false}"#),
        ])
        let tags = try await scriptedClient(transport).kms.keyTags("k")
        XCTAssertEqual(tags.map(\.key), ["a", "b"])
        XCTAssertEqual(transport.requests.last?.bodyJSON["Marker"] as? String, "m2")
        XCTAssertEqual(Self.model.jsonProblems(transport.requests.last?.body ?? Data(), operation: "ListResourceTags"), [])
    }

    func testKeyWritesMatchTheModel() async throws {
        let put = try await check("PutKeyPolicy") { try await $0.putKeyPolicy("k", policy: #"{"Version":"2012-10-17","Statement":[]}"#) }
        XCTAssertEqual(put["PolicyName"] as? String, "default")
        try await check("EnableKeyRotation") { try await $0.setKeyRotation("k", enabled: true) }
        try await check("DisableKeyRotation") { try await $0.setKeyRotation("k", enabled: false) }
        try await check("UpdateKeyDescription") { try await $0.updateKeyDescription("k", description: "new") }
        try await check("TagResource") { try await $0.tagKey("k", tags: [.init(key: "team", value: "images")]) }
        let untag = try await check("UntagResource") { try await $0.untagKey("k", keys: ["team", "stage"]) }
        XCTAssertEqual(untag["TagKeys"] as? [String], ["team", "stage"])
    }

    func testScheduleKeyDeletionSendsThePendingWindow() async throws {
        let body = try await check("ScheduleKeyDeletion",
                                   answer: #"{"KeyId":"k","DeletionDate":1700000000,"KeyState":"PendingDeletion","PendingWindowInDays":7}"#) {
            try await $0.scheduleKeyDeletion("k", days: 7)
        }
        XCTAssertEqual(body["PendingWindowInDays"] as? Int, 7)
        XCTAssertEqual(body["KeyId"] as? String, "k")
    }

    func testTheModelCheckCatchesMissingMembersAndOutOfRangeValues() {
        // The checks above are only worth something if they can fail. (The model allows 1–365
        // days; KMS itself takes 7–30, which KMS.Key's validation enforces.)
        let body = Data(#"{"PendingWindowInDays":0,"Days":7}"#.utf8)
        XCTAssertEqual(Self.model.jsonProblems(body, operation: "ScheduleKeyDeletion"), [
            "ScheduleKeyDeletion: required member KeyId missing",
            "ScheduleKeyDeletion: Days is not a member of ScheduleKeyDeletionRequest ([\"KeyId\", \"PendingWindowInDays\"])",
            "ScheduleKeyDeletion.PendingWindowInDays: below 1",
        ])
    }

    func testAliasCallsMatchTheModel() async throws {
        let create = try await check("CreateAlias") { try await $0.createAlias("alias/images", targetKeyID: "k") }
        XCTAssertEqual(create["AliasName"] as? String, "alias/images")
        XCTAssertEqual(create["TargetKeyId"] as? String, "k")
        try await check("UpdateAlias") { try await $0.updateAlias("alias/images", targetKeyID: "k2") }
        try await check("DeleteAlias") { try await $0.deleteAlias("alias/images") }
        var aliases: [AWS.KMS.AliasEntry] = []
        let answer = #"{"Aliases":[{"AliasName":"alias/images","AliasArn":"arn:aws:kms:eu-west-1:1:alias/images","TargetKeyId":"k"},{"AliasName":"alias/aws/s3","AliasArn":"arn:aws:kms:eu-west-1:1:alias/aws/s3"}],"Truncated":false}"#
        try await check("ListAliases", answer: answer) { aliases = try await $0.listAliases() }
        XCTAssertEqual(aliases.map(\.name), ["alias/images", "alias/aws/s3"])
        XCTAssertEqual(aliases.first?.targetKeyID, "k")
        XCTAssertNil(aliases.last?.targetKeyID)
    }

    func testListKeysFollowsPages() async throws {
        let transport = ScriptedTransport([
            HTTPResponse.xml(200, #"{"Keys":[{"KeyId":"a","KeyArn":"arn:aws:kms:eu-west-1:1:key/a"}],"Truncated":true,"NextMarker":"n"}"#),
            HTTPResponse.xml(200, #"{"Keys":[{"KeyId":"b","KeyArn":"arn:aws:kms:eu-west-1:1:key/b"}],"Truncated":false}"#),
        ])
        let keys = try await scriptedClient(transport).kms.listKeys()
        XCTAssertEqual(keys.map(\.keyID), ["a", "b"])
        for request in transport.requests {
            XCTAssertEqual(Self.model.jsonProblems(request.body, operation: "ListKeys"), [])
        }
        XCTAssertEqual(Self.model.jsonAnswerProblems(#"{"Keys":[{"KeyId":"a","KeyArn":"arn:aws:kms:eu-west-1:1:key/a"}],"Truncated":true,"NextMarker":"n"}"#, operation: "ListKeys"), [])
    }
}
