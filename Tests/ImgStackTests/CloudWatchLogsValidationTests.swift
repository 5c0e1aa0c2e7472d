import AWS
import Engine
import ImgStack
import XCTest

private typealias LogGroup = ImgStack.CloudWatch.LogGroup

/// Log groups with bad input: each rule reports the resource's address and the property.
final class CloudWatchLogsValidationTests: XCTestCase {
    func testRetentionOutsideAWSsListIsRefusedNamingTheAllowedPeriods() {
        for bad in [2, 4, 10, 31, 366, 3650, -1] {
            assertOneIssue(LogGroup("logs", name: "/app", retentionInDays: bad), property: "retentionInDays",
                           containing: "\(bad) is not a retention CloudWatch Logs accepts: use one of 1, 3, 5, 7, 14, 30")
        }
    }

    func testEveryAllowedRetentionAndForeverPass() {
        for good in AWS.CloudWatchLogs.allowedRetentionDays {
            XCTAssertEqual(validationIssues(LogGroup("logs", name: "/app", retentionInDays: good)), [], "\(good)")
        }
        XCTAssertEqual(validationIssues(LogGroup("logs", name: "/app")), [])
        XCTAssertEqual(LogGroup("logs", name: "/app").properties["retentionInDays"]?.literal, 0, "never expire, as Terraform's default 0")
    }

    func testNamesOutsideBotocoresPatternOrLengthAreRefused() {
        for bad in ["/aws/lambda/my fn", "app:logs", "é", "a*b"] {
            assertOneIssue(LogGroup("logs", name: Text(bad)), property: "name", containing: "may contain only letters, digits")
        }
        assertOneIssue(LogGroup("logs", name: ""), property: "name", containing: "1 to 512 characters")
        assertOneIssue(LogGroup("logs", name: Text(String(repeating: "a", count: 513))), property: "name", containing: "1 to 512 characters")
        for good in ["/aws/lambda/upload", "API-Gateway-Execution-Logs_abc/prod", "a.b#c", String(repeating: "a", count: 512)] {
            XCTAssertEqual(validationIssues(LogGroup("logs", name: Text(good))), [], good)
        }
    }

    func testKMSKeyMustBeAKeyARN() {
        for bad in ["1234abcd-12ab-34cd-56ef-1234567890ab", "alias/logs", "arn:aws:kms:eu-west-2:123456789012:alias/logs"] {
            assertOneIssue(LogGroup("logs", name: "/app", kmsKeyID: Text(bad)), property: "kmsKeyID", containing: "is not a KMS key ARN")
        }
        XCTAssertEqual(validationIssues(LogGroup("logs", name: "/app",
                                                 kmsKeyID: "arn:aws:kms:eu-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")), [])
        let key = KMS.Key("logs")
        XCTAssertEqual(validationIssues(LogGroup("logs", name: "/app", kmsKeyID: key.arn)), [], "a reference waits for apply")
    }

    func testTagsFollowTheTagRules() {
        assertOneIssue(LogGroup("logs", name: "/app", tags: ["aws:owner": "me"]), property: "tags", containing: "reserved by AWS")
        let many = Dictionary(uniqueKeysWithValues: (0..<50).map { ("k\($0)", Text("v")) })
        assertOneIssue(LogGroup("logs", name: "/app", tags: many), property: "tags", containing: "at most 49")
    }

    func testImportIDIsCheckedAsAName() {
        let type = LogGroup.makeType()
        XCTAssertNil(type.validateImportID("/aws/lambda/upload"))
        XCTAssertNotNil(type.validateImportID("arn:aws:logs:eu-west-2:123456789012:log-group:/aws/lambda/upload"))
    }

    func testOnlyTheNameForcesReplacement() {
        let schema = LogGroup.makeType().schema
        XCTAssertEqual(schema.properties.filter(\.forcesReplacement).map(\.name), ["name"])
        XCTAssertEqual(schema.uniqueNameProperties, ["name"])
        XCTAssertEqual(schema.property("kmsKeyID")?.terraformName, "kms_key_id")
    }
}
