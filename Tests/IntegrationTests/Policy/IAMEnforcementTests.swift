import AWS
import Foundation
import TestSupport
import XCTest

/// The emulator that enforces IAM (`Emulator.enforcingIAM()`) authorizes a call the way AWS
/// does: on the ARN of the resource it acts on (a KMS alias resolved to its key), with the IAM
/// action's own name (`PutBucketEncryption` is `s3:PutEncryptionConfiguration`), `*` only for
/// actions that take no resource, and answers the service's AccessDenied otherwise. moto's own
/// enforcement checks KMS and most other actions against `*` alone, so a scoped policy that
/// AWS accepts would be refused there.
final class IAMEnforcementTests: XCTestCase {
    private func user(_ emulator: Emulator, _ statements: [[String: Any]]) async throws -> AWSClient {
        try await emulator.reset()
        let document = try JSONSerialization.data(withJSONObject: ["Version": "2012-10-17", "Statement": statements])
        let credentials = try await emulator.createUser(named: "tester", policies: [String(decoding: document, as: UTF8.self)])
        return emulator.client(region: "eu-west-1", credentials: credentials)
    }

    private func assertDenied(_ action: String, _ call: () async throws -> Void, file: StaticString = #filePath, line: UInt = #line) async {
        do {
            try await call()
            XCTFail("\(action) was allowed", file: file, line: line)
        } catch let error as AWSError {
            XCTAssertEqual(error.statusCode, 403, "\(error)", file: file, line: line)
            XCTAssertTrue(error.code.rawValue.hasPrefix("AccessDenied"), "\(error)", file: file, line: line)
            XCTAssertTrue(error.message.contains("not authorized to perform: \(action) "), "\(error)", file: file, line: line)
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
    }

    func testAScopedGrantAllowsItsARNOnlyAndUsesTheIAMActionsName() async throws {
        let emulator = try Emulator.enforcingIAM()
        let client = try await user(emulator, [
            ["Effect": "Allow", "Action": ["s3:CreateBucket", "s3:PutEncryptionConfiguration"], "Resource": "arn:aws:s3:::acme-allowed"],
            ["Effect": "Allow", "Action": ["s3:PutBucketEncryption"], "Resource": "arn:aws:s3:::acme-allowed"],
        ])
        try await client.s3.createBucket("acme-allowed")
        try await client.s3.putBucketEncryption("acme-allowed", S3.ServerSideEncryption(algorithm: "AES256"))
        await assertDenied("s3:CreateBucket") { try await client.s3.createBucket("acme-other") }
        await assertDenied("s3:GetEncryptionConfiguration") { _ = try await client.s3.bucketEncryption("acme-allowed") }
        // The account's root user (the static test key) is not bound by identity policies.
        try await emulator.client(region: "eu-west-1").s3.createBucket("acme-other")
    }

    func testAKMSAliasIsAuthorizedOnTheKeyItNamesAndCreateKeyOnStar() async throws {
        let emulator = try Emulator.enforcingIAM()
        let untagged = try await user(emulator, [["Effect": "Allow", "Action": ["kms:CreateKey"], "Resource": "*"]])
        await assertDenied("kms:TagResource") {
            _ = try await untagged.kms.createKey(description: "k", keyUsage: "ENCRYPT_DECRYPT", keySpec: "SYMMETRIC_DEFAULT", policy: nil,
                                                 tags: [KMS.Tag(key: "team", value: "images")])
        }
        let client = try await user(emulator, [
            ["Effect": "Allow", "Action": ["kms:CreateKey", "kms:TagResource"], "Resource": "*"],
        ])
        let key = try await client.kms.createKey(description: "k", keyUsage: "ENCRYPT_DECRYPT", keySpec: "SYMMETRIC_DEFAULT", policy: nil,
                                                 tags: [KMS.Tag(key: "team", value: "images")])
        await assertDenied("kms:DescribeKey") { _ = try await client.kms.describeKey(key.keyID) }

        let scoped = try await user(emulator, [
            ["Effect": "Allow", "Action": ["kms:DescribeKey"], "Resource": "arn:aws:kms:eu-west-1:123456789012:key/*"],
        ])
        await assertDenied("kms:CreateKey") {
            _ = try await scoped.kms.createKey(description: "k", keyUsage: "ENCRYPT_DECRYPT", keySpec: "SYMMETRIC_DEFAULT", policy: nil, tags: [])
        }
        let key2 = try await emulator.client(region: "eu-west-1").kms.createKey(description: "k", keyUsage: "ENCRYPT_DECRYPT",
                                                                                 keySpec: "SYMMETRIC_DEFAULT", policy: nil, tags: [])
        try await emulator.client(region: "eu-west-1").kms.createAlias("alias/images", targetKeyID: key2.keyID)
        let described = try await scoped.kms.describeKey("alias/images")
        XCTAssertEqual(described.keyID, key2.keyID)
    }
}
