import ImgStack
import XCTest

final class BackendURLTests: XCTestCase {
    func testLocalIsTheLocalBackend() throws {
        XCTAssertEqual(try BackendURL.parse("local"), .local)
    }

    func testBucketAndKeyWithoutOptions() throws {
        XCTAssertEqual(try BackendURL.parse("s3://acme-state/teams/site/prod.state.json"),
                       .s3(bucket: "acme-state", key: "teams/site/prod.state.json"))
    }

    func testRegionAndKMSKeyOptionsArePercentDecoded() throws {
        let arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        let text = "s3://acme-state/site.json?region=eu-west-1&kms_key=arn%3Aaws%3Akms%3Aeu-west-1%3A123456789012%3Akey%2F1234abcd-12ab-34cd-56ef-1234567890ab"
        XCTAssertEqual(try BackendURL.parse(text), .s3(bucket: "acme-state", key: "site.json", region: "eu-west-1", kmsKeyID: arn))
        XCTAssertEqual(try BackendURL.parse("s3://acme-state/site.json?kms_key=\(arn)&region=eu-west-1"),
                       .s3(bucket: "acme-state", key: "site.json", region: "eu-west-1", kmsKeyID: arn))
    }

    func testKeyIsPercentDecoded() throws {
        XCTAssertEqual(try BackendURL.parse("s3://acme-state/my%20stack/state.json"), .s3(bucket: "acme-state", key: "my stack/state.json"))
    }

    func testDescriptionParsesBackToTheSameChoice() throws {
        let choices: [StateBackendChoice] = [
            .local,
            .s3(bucket: "acme-state", key: "a/b.json"),
            .s3(bucket: "acme-state", key: "a/b.json", region: "us-west-2", kmsKeyID: "alias/state key&more"),
        ]
        for choice in choices {
            XCTAssertEqual(try BackendURL.parse(choice.description), choice, choice.description)
        }
    }

    func testPrefixKeyGetsTheStackFileName() {
        XCTAssertEqual(StateBackendChoice.s3(bucket: "acme-state", key: "stacks/").stateKey(stack: "site"), "stacks/site.state.json")
        XCTAssertEqual(StateBackendChoice.s3(bucket: "acme-state", key: "").stateKey(stack: "site"), "site.state.json")
        XCTAssertEqual(StateBackendChoice.s3(bucket: "acme-state", key: "prod.json").stateKey(stack: "site"), "prod.json")
        XCTAssertNil(StateBackendChoice.local.stateKey(stack: "site"))
    }

    func testMalformedURLsAreRefusedWithTheReason() {
        let cases: [(String, String)] = [
            ("file:///tmp/state", "unknown scheme"),
            ("s3:///key.json", "names no bucket"),
            ("s3://ab/key.json", "not 3 to 63 characters"),
            ("s3://Acme_State/key.json", "which S3 refuses"),
            ("s3://acme-state-/key.json", "which S3 refuses"),
            ("s3://acme-state/key.json?regoin=us-east-1", "unknown option regoin"),
            ("s3://acme-state/key.json?region=", "empty or malformed value for region"),
            ("s3://acme-state/key.json?region=US_EAST", "not an AWS region name"),
            ("s3://acme-state/key.json?region=us-east-1&region=eu-west-1", "gives region twice"),
            ("s3://acme-state/key.json.lock", "ending in .lock"),
        ]
        for (text, reason) in cases {
            XCTAssertThrowsError(try BackendURL.parse(text), text) { error in
                let message = (error as? BackendURL.ParseError)?.description ?? "\(error)"
                XCTAssertTrue(message.contains(reason), "\(text): \(message)")
                XCTAssertTrue(message.contains("expected local or s3://BUCKET/KEY"), message)
            }
        }
    }
}
