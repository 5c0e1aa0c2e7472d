import AWS
import Engine
import Foundation
import ImgStack
import Stacks
import TestSupport
import XCTest

/// The microservice-storage stack (seed 004) against the emulator, checked through the AWS API.
final class MicroserviceStorageTests: XCTestCase {
    func testApplyGivesEncryptedLockedBucketsAndALeastPrivilegeRole() async throws {
        let harness = try StackHarness()
        let service = "ms-\(UUID().uuidString.prefix(6).lowercased())"
        let variables: [String: Engine.Value] = ["service": .string(service), "allowed_cidr": "10.20.0.0/16"]
        try await harness.apply(microserviceStorage, variables: variables)
        let s3 = harness.aws.s3(region: "us-east-1")
        let keySnapshot = try await harness.snapshot("kms.key.storage")
        let keyARN = try XCTUnwrap(keySnapshot?.attributes["arn"]?.stringValue)

        for stage in ["initial", "final"] {
            let bucket = "\(service)-\(stage)-storage"
            let encryption = try await s3.bucketEncryption(bucket)
            XCTAssertEqual(encryption?.kmsKeyID, keyARN, "\(stage) is encrypted with the stack's key")
            XCTAssertEqual(encryption?.bucketKeyEnabled, true)
            let versioning = try await s3.bucketVersioning(bucket)
            XCTAssertEqual(versioning, "Enabled")
            let policyValue = try await s3.bucketPolicy(bucket)
            let policyText = try XCTUnwrap(policyValue)
            XCTAssertTrue(policyText.contains("10.20.0.0/16") && policyText.contains("aws:SecureTransport"), policyText)
        }

        let attached = try await harness.aws.iam.attachedRolePolicies("\(service)-storage")
        XCTAssertEqual(attached.count, 1)
        let found = try await harness.aws.iam.policy(try XCTUnwrap(attached.first))
        let policy = try XCTUnwrap(found)
        let document = try await harness.aws.iam.policyDocument(policy.arn, version: policy.defaultVersionID)
        XCTAssertFalse(document.contains("\"*\""), "no wildcard resource: \(document)")
        XCTAssertTrue(document.contains(keyARN), document)
        let profile = try await harness.aws.iam.instanceProfile("\(service)-storage")
        XCTAssertEqual(profile?.roles, ["\(service)-storage"])

        let again = try await harness.plan(microserviceStorage, variables: variables)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        try await harness.assertDestroyReadsOnlyWhatDeletingNeeds(microserviceStorage, variables: variables)
        try await harness.destroy(microserviceStorage, variables: variables)
        let buckets = try await s3.listBuckets().map(\.name)
        XCTAssertFalse(buckets.contains("\(service)-initial-storage"))
        let role = try await harness.aws.iam.role("\(service)-storage")
        XCTAssertNil(role)
    }

    func testOpenCIDRWarnsAndABadCIDRIsRefused() throws {
        let harness = try StackHarness()
        let open = try harness.evaluate(microserviceStorage)
        XCTAssertTrue(open.definition.warnings.contains { $0.contains("0.0.0.0/0") })
        XCTAssertThrowsError(try harness.evaluate(microserviceStorage, variables: ["allowed_cidr": "10.0.0/8"])) { error in
            XCTAssertTrue("\(error)".contains("var.allowed_cidr"), "\(error)")
        }
    }
}
