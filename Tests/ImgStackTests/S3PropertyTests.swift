import AWS
import Engine
import Foundation
@testable import ImgStack
import XCTest

final class S3PropertyTests: XCTestCase {
    private let type = BucketType()

    /// A tag change on a bucket whose record leaves its defaulted settings out is that change
    /// alone: no `+ cors = []` for a default, and the website endpoint stays known (it changes
    /// with `website`, not with tags).
    func testATagChangeShowsOnlyTheTagsAndKeepsTheWebsiteEndpoint() throws {
        let definition = try Stack("tags") { stack in
            stack.add(ImgStack.S3.Bucket("data", bucket: "tagged-bucket", tags: ["stack": "tags"]))
        }.evaluate(variables: [:], region: "us-east-1").definition
        var prior = StateFile(stack: "tags")
        prior.upsert(ResourceRecord(address: Address(type: "s3.bucket", name: "data"), region: "us-east-1", snapshot: ResourceSnapshot(
            id: "tagged-bucket", properties: ["bucket": "tagged-bucket", "versioning": false, "tags": .map(["stack": "other"])],
            attributes: ["arn": "arn:aws:s3:::tagged-bucket", "region": "us-east-1", "websiteEndpoint": ""]), dependencies: []))
        let plan = try Planner(stack: definition).plan(prior: prior)
        let change = try XCTUnwrap(plan.changes.first)
        XCTAssertEqual(change.action, .update)
        XCTAssertEqual(change.changedProperties, ["tags"])
        XCTAssertEqual(change.after?["websiteEndpoint"], "", "the endpoint changes with the website only")
        let shown = HumanPlanRenderer(style: .plain).render(plan)
        for name in ["cors", "lifecycle", "website", "websiteEndpoint"] {
            XCTAssertNil(shown.range(of: "[+~] \(name) ", options: .regularExpression), "\(name) is not shown as changing:\n\(shown)")
        }
    }

    func testCORSOrderWithinARuleDoesNotCountButRuleOrderDoes() {
        let declared = ImgStack.S3.Bucket("b", cors: [S3.CORSRule(allowedMethods: ["PUT", "GET"], allowedOrigins: ["https://b", "https://a"])])
        let fromAWS = BucketConfiguration.value([AWS.S3.CORSRule(allowedMethods: ["GET", "PUT"], allowedOrigins: ["https://a", "https://b"])])
        let desired = declared.properties["cors"]?.literal ?? .null
        XCTAssertEqual(type.normalize("cors", desired), type.normalize("cors", fromAWS))

        let two = BucketConfiguration.value([AWS.S3.CORSRule(allowedMethods: ["GET"], allowedOrigins: ["*"]),
                                             AWS.S3.CORSRule(allowedMethods: ["PUT"], allowedOrigins: ["*"])])
        let swapped = BucketConfiguration.value([AWS.S3.CORSRule(allowedMethods: ["PUT"], allowedOrigins: ["*"]),
                                                 AWS.S3.CORSRule(allowedMethods: ["GET"], allowedOrigins: ["*"])])
        XCTAssertNotEqual(type.normalize("cors", two), type.normalize("cors", swapped))
    }

    func testLifecycleRulesCompareByIDWhateverTheirOrder() {
        let declared = ImgStack.S3.Bucket("b", lifecycle: [S3.LifecycleRule(id: "z", expirationDays: 3),
                                                           S3.LifecycleRule(id: "a", prefix: "tmp/", abortIncompleteMultipartUploadDays: 1)])
        let fromAWS = BucketConfiguration.value([
            AWS.S3.LifecycleRule(id: "a", prefix: "tmp/", abortIncompleteMultipartUploadDays: 1),
            AWS.S3.LifecycleRule(id: "z", expirationDays: 3),
        ])
        XCTAssertEqual(type.normalize("lifecycle", declared.properties["lifecycle"]?.literal ?? .null), type.normalize("lifecycle", fromAWS))
    }

    func testKMSEncryptionRoundTripsThroughTheAWSShape() {
        let declared = ImgStack.S3.Bucket("b", encryption: .kms(kmsKeyID: "arn:aws:kms:us-east-1:123456789012:key/k", bucketKey: true))
        let value = declared.properties["encryption"]?.literal ?? .null
        let shape = BucketConfiguration.encryption(value)
        XCTAssertEqual(shape, AWS.S3.ServerSideEncryption(algorithm: "aws:kms", kmsKeyID: "arn:aws:kms:us-east-1:123456789012:key/k", bucketKeyEnabled: true))
        XCTAssertEqual(type.normalize("encryption", BucketConfiguration.value(shape)), type.normalize("encryption", value))
    }

    func testEncryptionKeyFromAReferenceStaysAnExpression() {
        let key = ImgStack.S3.Bucket("other")
        let declared = ImgStack.S3.Bucket("b", encryption: .kms(kmsKeyID: key.arn))
        XCTAssertFalse(declared.properties["encryption"]?.references.isEmpty ?? true)
        XCTAssertEqual(declared.properties["encryption"]?.references.map(\.description), ["s3.bucket.other.arn"])
    }

    func testContentTypeFollowsTheExtension() {
        XCTAssertEqual(ContentType.forPath("site/index.HTML"), "text/html")
        XCTAssertEqual(ContentType.forPath("a/b/app.js"), "text/javascript")
        XCTAssertEqual(ContentType.forPath("logo.svg"), "image/svg+xml")
        XCTAssertEqual(ContentType.forPath("favicon.ico"), "image/x-icon")
        XCTAssertEqual(ContentType.forPath("README"), "binary/octet-stream")
        XCTAssertEqual(ContentType.forPath(".hidden"), "binary/octet-stream")
    }

    func testObjectDeclaresItsMD5AndAGuessedContentType() {
        let object = S3.Object("page", bucket: "site-bucket", key: "index.html", content: "hello")
        // MD5("hello"), a published digest.
        XCTAssertEqual(object.properties["md5"]?.literal, "5d41402abc4b2a76b9719d911017c592")
        XCTAssertEqual(object.properties["contentType"]?.literal, "text/html")
        let typed = S3.Object("data", bucket: "site-bucket", key: "data.bin", content: "x", contentType: "application/x-custom")
        XCTAssertEqual(typed.properties["contentType"]?.literal, "application/x-custom")
    }

    func testObjectsMapsEveryVisibleFileToItsMD5UnderThePrefix() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("css"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("hello".utf8).write(to: directory.appendingPathComponent("index.html"))
        try Data("".utf8).write(to: directory.appendingPathComponent("css/site.css"))
        try Data("secret".utf8).write(to: directory.appendingPathComponent(".env"))
        let objects = S3.Objects("site", bucket: "site-bucket", directory: directory, prefix: "web/")
        XCTAssertEqual(objects.properties["files"]?.literal, .map([
            "web/index.html": "5d41402abc4b2a76b9719d911017c592",
            "web/css/site.css": "d41d8cd98f00b204e9800998ecf8427e",
        ]))
    }

    func testGeneratedNameIsRecordedAndAttributesFollowTheRegion() {
        let bucket = ImgStack.S3.Bucket("b", website: S3.Website())
        XCTAssertNil(bucket.properties["bucket"])
        XCTAssertEqual(bucket.bucketName.expression.references.map(\.description), ["s3.bucket.b.bucket"])
        XCTAssertEqual(bucket.websiteEndpoint.expression.references.map(\.description), ["s3.bucket.b.websiteEndpoint"])
    }
}
