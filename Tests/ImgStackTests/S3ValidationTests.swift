import AWS
import Engine
import Foundation
@testable import ImgStack
import XCTest

private typealias Bucket = ImgStack.S3.Bucket

final class S3ValidationTests: XCTestCase {
    private func issues<R: Resource>(_ resource: R) -> [ValidationIssue] {
        R.makeType().validate(resource.properties, address: resource.address)
    }

    func testInvalidBucketNamesAreRejectedNamingAddressAndProperty() {
        let bad = ["ab", String(repeating: "a", count: 64), "Upper-case", "under_score", "-starts-with-dash", "ends-with-dash-",
                   "two..periods", "192.168.10.20", "xn--punycode", "sthree-bucket", "my-bucket-s3alias", "my-bucket--ol-s3"]
        for name in bad {
            let found = issues(Bucket("images", bucket: Text(name)))
            XCTAssertEqual(found.count, 1, "\(name): \(found)")
            XCTAssertEqual(found.first?.subject, "s3.bucket.images", name)
            XCTAssertEqual(found.first?.property, "bucket", name)
        }
    }

    func testANameOutsideASCIINamesItsFirstForeignCharacterAndCountsCharacters() {
        // The rules are checked on bytes; the messages still speak of characters.
        for (name, foreign) in [("bücket", "ü"), ("cafe\u{301}-logs", "e\u{301}"), ("日本語", "日")] {
            let found = issues(Bucket("images", bucket: Text(name)))
            XCTAssertEqual(found.map(\.message), ["bucket names hold only lowercase letters, digits, '.' and '-'; \"\(name)\" has '\(foreign)'"], name)
        }
        XCTAssertEqual(BucketName.problem("é"), "bucket names are 3 to 63 characters long; \"é\" has 1")
    }

    func testValidBucketNamesPass() {
        for name in ["abc", "my-bucket.logs-2024", String(repeating: "a", count: 63), "1.2.3.bucket"] {
            XCTAssertEqual(issues(Bucket("images", bucket: Text(name))), [], name)
        }
    }

    func testBucketNameFromAReferenceIsNotCheckedBeforeApply() {
        let other = Bucket("other")
        XCTAssertEqual(issues(Bucket("images", bucket: "\(other.bucketName)-copy")), [])
    }

    func testGeneratedBucketNamesFollowTheRulesAndDiffer() {
        let first = BucketName.generate(for: "Very_Long_Resource_Name_That_Goes_On_And_On_Beyond_Any_Limit")
        let second = BucketName.generate(for: "Very_Long_Resource_Name_That_Goes_On_And_On_Beyond_Any_Limit")
        XCTAssertNil(BucketName.problem(first), first)
        XCTAssertLessThanOrEqual(first.count, 63)
        XCTAssertTrue(first.hasPrefix("imgstack-very-long-resource-name"), first)
        XCTAssertNotEqual(first, second)
    }

    func testReservedTagPrefixesAreRejected() {
        let found = issues(Bucket("images", tags: ["aws:owner": "me", "imgstack:intent": "x", "team": "web"]))
        XCTAssertEqual(found.count, 2, "\(found)")
        XCTAssertTrue(found.allSatisfy { $0.property == "tags" && $0.subject == "s3.bucket.images" })
    }

    func testCORSRuleWithUnknownMethodOrNoOriginIsRejected() {
        let found = issues(Bucket("images", cors: [
            S3.CORSRule(allowedMethods: ["GET", "PATCH"], allowedOrigins: ["https://example.com"]),
            S3.CORSRule(allowedMethods: ["GET"], allowedOrigins: []),
        ]))
        XCTAssertEqual(found.map(\.property), ["cors", "cors"])
        XCTAssertTrue(found[0].message.contains("PATCH"), found[0].message)
        XCTAssertTrue(found[1].message.contains("no origin"), found[1].message)
    }

    func testLifecycleRulesNeedAnActionAUniqueIDAndPositiveDays() {
        let found = issues(Bucket("images", lifecycle: [
            S3.LifecycleRule(id: "logs"),
            S3.LifecycleRule(id: "tmp", expirationDays: 0),
            S3.LifecycleRule(id: "tmp", abortIncompleteMultipartUploadDays: 7),
        ]))
        XCTAssertEqual(found.count, 3, "\(found)")
        XCTAssertTrue(found.allSatisfy { $0.property == "lifecycle" })
        XCTAssertTrue(found.contains { $0.message.contains("\"logs\" has no action") })
        XCTAssertTrue(found.contains { $0.message.contains("used twice") })
        XCTAssertTrue(found.contains { $0.message.contains("at least 1") })
    }

    func testWebsiteIndexDocumentMustNotHoldASlash() {
        let found = issues(Bucket("site", website: S3.Website(indexDocument: "docs/index.html")))
        XCTAssertEqual(found.map(\.property), ["website"])
    }

    func testBucketPolicyWithUnknownEffectIsRejectedOnThePolicyProperty() {
        let policy = PolicyDocument(json: #"{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"s3:GetObject","Resource":"*"}]}"#)
        let found = issues(S3.BucketPolicy("images", bucket: "images-bucket", policy: policy))
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(found.first?.subject, "s3.bucket_policy.images")
        XCTAssertEqual(found.first?.property, "policy")
        XCTAssertTrue(found.first?.message.contains("Permit") ?? false)
    }

    func testBucketPolicyOnAnInvalidBucketNameIsRejected() {
        let found = issues(S3.BucketPolicy("images", bucket: "Bad_Bucket", policy: PolicyDocument([Statement(effect: .allow, actions: ["s3:*"])])))
        XCTAssertEqual(found.map(\.property), ["bucket"])
    }

    func testObjectNeedsAReadableSource() {
        let missing = URL(fileURLWithPath: "/nonexistent/\(UUID().uuidString).html")
        let found = issues(S3.Object("page", bucket: "site-bucket", key: "index.html", source: missing))
        XCTAssertEqual(found.map(\.property), ["source"])
        XCTAssertEqual(found.first?.subject, "s3.object.page")
    }

    func testObjectKeyMustNotBeEmpty() {
        let found = issues(S3.Object("page", bucket: "site-bucket", key: "", content: "hello"))
        XCTAssertEqual(found.map(\.property), ["key"])
    }

    func testObjectAllowsAtMostTenTags() {
        let tags = Dictionary(uniqueKeysWithValues: (0..<11).map { ("k\($0)", Text("v")) })
        let found = issues(S3.Object("page", bucket: "site-bucket", key: "a.txt", content: "x", tags: tags))
        XCTAssertEqual(found.map(\.property), ["tags"])
    }

    func testObjectsDirectoryMustExist() {
        let found = issues(S3.Objects("site", bucket: "site-bucket", directory: URL(fileURLWithPath: "/nonexistent/\(UUID().uuidString)")))
        XCTAssertEqual(found.map(\.property), ["directory"])
        XCTAssertEqual(found.first?.subject, "s3.objects.site")
    }
}
