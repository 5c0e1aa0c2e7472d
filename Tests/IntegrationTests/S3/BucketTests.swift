import AWS
import Engine
import Foundation
import ImgStack
import XCTest

private typealias Bucket = ImgStack.S3.Bucket

final class BucketTests: XCTestCase {
    private func unique(_ base: String) -> String { "\(base)-\(UUID().uuidString.lowercased().prefix(8))" }

    private func stack(_ build: @escaping @Sendable (StackBuilder) -> Void) -> Stack { Stack("s3-test", body: build) }

    func testBucketLifecycleCreateReadNoopUpdateReplaceDestroy() async throws {
        let harness = try StackHarness()
        let name = unique("imgstack-bucket")
        let full = stack { $0.add(Bucket("data", bucket: Text(name), versioning: true,
                                         encryption: .s3Managed, publicAccessBlock: .blockAll, ownership: .bucketOwnerEnforced,
                                         cors: [S3.CORSRule(allowedMethods: ["GET"], allowedOrigins: ["https://example.com"], maxAgeSeconds: 60)],
                                         website: S3.Website(indexDocument: "index.html", errorDocument: "error.html"),
                                         lifecycle: [S3.LifecycleRule(id: "tmp", prefix: "tmp/", expirationDays: 7)],
                                         tags: ["team": "web"])) }
        let created = try await harness.apply(full)
        XCTAssertEqual(StackHarness.action(created, "s3.bucket.data"), .create)

        let s3 = harness.aws.s3(region: "us-east-1")
        let value1 = try await s3.bucketVersioning(name)
        XCTAssertEqual(value1, "Enabled")
        let value2 = try await s3.bucketEncryption(name)?.algorithm
        XCTAssertEqual(value2, "AES256")
        let value3 = try await s3.publicAccessBlock(name)
        XCTAssertEqual(value3,
                       AWS.S3.PublicAccessBlock(blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true))
        let value4 = try await s3.bucketOwnership(name)
        XCTAssertEqual(value4, "BucketOwnerEnforced")
        let value5 = try await s3.bucketCORS(name).first?.allowedOrigins
        XCTAssertEqual(value5, ["https://example.com"])
        let value6 = try await s3.bucketWebsite(name)
        XCTAssertEqual(value6, AWS.S3.Website(indexDocument: "index.html", errorDocument: "error.html"))
        let value7 = try await s3.bucketLifecycle(name).map(\.id)
        XCTAssertEqual(value7, ["tmp"])
        let value8 = try await s3.bucketTags(name)
        XCTAssertEqual(declaredTags(value8), ["team": "web"])
        XCTAssertNotNil(value8["imgstack:intent"], "created with imgstack's intent tag")
        let snapshot = try await harness.snapshot("s3.bucket.data")
        XCTAssertEqual(snapshot?.attributes["arn"], .string("arn:aws:s3:::\(name)"))
        XCTAssertEqual(snapshot?.attributes["websiteEndpoint"], .string("\(name).s3-website-us-east-1.amazonaws.com"))

        let again = try await harness.plan(full)
        XCTAssertEqual(StackHarness.action(again, "s3.bucket.data"), .noop, "\(again.changes.first?.changedProperties ?? [])")

        let changed = stack { $0.add(Bucket("data", bucket: Text(name), versioning: false, tags: ["team": "data"])) }
        let update = try await harness.apply(changed)
        XCTAssertEqual(StackHarness.action(update, "s3.bucket.data"), .update)
        // S3 cannot turn versioning off, only suspend it.
        let value9 = try await s3.bucketVersioning(name)
        XCTAssertEqual(value9, "Suspended")
        let value10 = try await s3.bucketTags(name)
        XCTAssertEqual(value10, ["team": "data"])
        let value11 = try await s3.bucketCORS(name)
        XCTAssertEqual(value11, [])
        let value12 = try await s3.bucketWebsite(name)
        XCTAssertNil(value12)
        let replanned = try await harness.plan(changed)
        XCTAssertEqual(StackHarness.action(replanned, "s3.bucket.data"), .noop)

        let renamed = unique("imgstack-renamed")
        let replace = try await harness.apply(stack { $0.add(Bucket("data", bucket: Text(renamed))) })
        XCTAssertEqual(StackHarness.action(replace, "s3.bucket.data"), .replace)
        let value13 = try await s3.bucketLocation(renamed)
        XCTAssertEqual(value13, "us-east-1")

        try await harness.destroy(stack { _ in })
        for gone in [name, renamed] {
            do {
                _ = try await s3.bucketLocation(gone)
                XCTFail("\(gone) still exists")
            } catch let error as AWSError {
                XCTAssertEqual(error.code, "NoSuchBucket")
            }
        }
    }

    /// A bucket's group reads say whether it exists (each answers NoSuchBucket for a bucket
    /// gone), so a refresh makes no GetBucketLocation beside them; a bucket deleted outside is
    /// still found gone and planned again.
    func testABucketDeletedOutsideIsFoundGoneByItsGroupReads() async throws {
        let harness = try StackHarness()
        let name = unique("imgstack-gone")
        let declared = stack { $0.add(Bucket("data", bucket: Text(name), versioning: true, encryption: .s3Managed,
                                             publicAccessBlock: .blockAll, tags: ["team": "web"])) }
        try await harness.apply(declared)
        try await harness.emulator.resetCalls()
        let unchanged = try await harness.plan(declared)
        XCTAssertFalse(unchanged.hasChanges, HumanPlanRenderer().render(unchanged))
        let calls = try await harness.emulator.calls()
        XCTAssertNil(calls["s3:GetBucketLocation"], "the group reads say the bucket exists: \(calls)")
        XCTAssertEqual(calls.values.reduce(0, +), 4, "versioning, encryption, public access block, tags: \(calls)")

        try await harness.aws.s3(region: "us-east-1").deleteBucket(name)
        let plan = try await harness.plan(declared)
        XCTAssertEqual(StackHarness.action(plan, "s3.bucket.data"), .create, HumanPlanRenderer().render(plan))
        XCTAssertEqual(plan.drift.map(\.deleted), [true])
        try await harness.apply(declared)
        try await harness.destroy(declared)
    }

    func testGeneratedNameIsRecordedSoThePlanStaysEmpty() async throws {
        let harness = try StackHarness()
        let declared = stack { $0.add(Bucket("logs_store")) }
        try await harness.apply(declared)
        let recorded = try await harness.snapshot("s3.bucket.logs_store")
        let name = try XCTUnwrap(recorded?.properties["bucket"]?.stringValue)
        XCTAssertTrue(name.hasPrefix("imgstack-logs-store-"), name)
        // The intent tag is there for crash recovery but never shows as drift.
        let value14 = try await harness.aws.s3(region: "us-east-1").bucketTags(name)["imgstack:intent"]
        XCTAssertNotNil(value14)
        let replanned = try await harness.plan(declared)
        XCTAssertEqual(StackHarness.action(replanned, "s3.bucket.logs_store"), .noop)
        try await harness.destroy(declared)
    }

    func testBucketInAnotherRegionIsCreatedThere() async throws {
        let harness = try StackHarness(region: "eu-west-1")
        let name = unique("imgstack-eu")
        let declared = stack { $0.add(Bucket("eu", bucket: Text(name))) }
        try await harness.apply(declared)
        let value15 = try await harness.aws.s3(region: "eu-west-1").bucketLocation(name)
        XCTAssertEqual(value15, "eu-west-1")
        let value16 = try await harness.snapshot("s3.bucket.eu")?.attributes["bucketRegionalDomainName"]
        XCTAssertEqual(value16, .string("\(name).s3.eu-west-1.amazonaws.com"))
        try await harness.destroy(declared)
    }

    func testNonEmptyBucketIsNotDestroyedWithoutForceDestroy() async throws {
        let harness = try StackHarness()
        let name = unique("imgstack-full")
        try await harness.apply(stack { $0.add(Bucket("full", bucket: Text(name), versioning: true)) })
        try await harness.aws.s3(region: "us-east-1").putObject(name, key: "a.txt", body: Data("one".utf8), attributes: .init())
        try await harness.aws.s3(region: "us-east-1").putObject(name, key: "a.txt", body: Data("two".utf8), attributes: .init())

        let summary = try await harness.deploy(stack { _ in }, options: PlanOptions(destroy: true)).summary ?? .nothingToDo
        let message = summary.failures.map { String(describing: $0) }.joined()
        XCTAssertTrue(message.contains(name) && message.contains("forceDestroy"), message)
        let value17 = try await harness.aws.s3(region: "us-east-1").bucketLocation(name)
        XCTAssertEqual(value17, "us-east-1")

        try await harness.apply(stack { $0.add(Bucket("full", bucket: Text(name), versioning: true, forceDestroy: true)) })
        try await harness.destroy(stack { _ in })
        do {
            _ = try await harness.aws.s3(region: "us-east-1").bucketLocation(name)
            XCTFail("the bucket survived forceDestroy")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "NoSuchBucket")
        }
    }
}
