import AWS
import Foundation
import TestSupport

/// Looks at the quickstart stack's resources through the AWS API — never through imgstack's
/// state — so tests check what really exists.
struct QuickstartProbe {
    let aws: AWSClient
    let prefix: String

    init(emulator: Emulator, prefix: String) {
        aws = emulator.client(region: "us-east-1")
        self.prefix = prefix
    }

    var bucket: String { "\(prefix)-data-bucket" }

    func bucketExists() async throws -> Bool {
        try await aws.s3.listBuckets().contains { $0.name == bucket }
    }

    func versioning() async throws -> String? {
        try await aws.s3(region: "us-east-1").bucketVersioning(bucket)
    }

    /// hello.txt's text, nil when absent.
    func hello() async throws -> String? {
        do {
            let response = try await aws.s3("GetObject", method: "GET", bucket: bucket, key: "hello.txt")
            return String(decoding: response.body, as: UTF8.self)
        } catch let error as AWSError where error.code == "NoSuchKey" || error.code == "NoSuchBucket" {
            return nil
        }
    }

    /// The keys described as this prefix's data key that are not pending deletion.
    func liveKeys() async throws -> [AWS.KMS.KeyMetadata] {
        var live: [AWS.KMS.KeyMetadata] = []
        for entry in try await aws.kms.listKeys() {
            let metadata = try await aws.kms.describeKey(entry.keyID)
            if metadata.description == "\(prefix) data key", metadata.keyState != "PendingDeletion" { live.append(metadata) }
        }
        return live
    }

    /// Keys of this prefix pending deletion.
    func keysPendingDeletion() async throws -> Int {
        var count = 0
        for entry in try await aws.kms.listKeys() {
            let metadata = try await aws.kms.describeKey(entry.keyID)
            if metadata.description == "\(prefix) data key", metadata.keyState == "PendingDeletion" { count += 1 }
        }
        return count
    }

    func aliasTarget() async throws -> String? {
        try await aws.kms.listAliases().first { $0.name == "alias/\(prefix)-data" }?.targetKeyID
    }

    func roleExists() async throws -> Bool {
        try await aws.iam.role("\(prefix)-reader") != nil
    }

    func attachedPolicies() async throws -> [String] {
        guard try await roleExists() else { return [] }
        return try await aws.iam.attachedRolePolicies("\(prefix)-reader")
    }

    func policyExists() async throws -> Bool {
        try await aws.iam.policy("arn:aws:iam::123456789012:policy/\(prefix)-read") != nil
    }
}
