import Foundation
import XCTest

@testable import AWS

final class SharedConfigTests: XCTestCase {
    var home: TemporaryHome!

    override func setUpWithError() throws {
        home = try TemporaryHome()
    }

    override func tearDown() {
        home.remove()
    }

    func testConfigFileReadsDefaultAndProfileSectionsAndSkipsOtherSections() throws {
        let text = """
            # a comment
            ; another
            [default]
            region = eu-west-1
            output=json

            [profile dev]
            Region = us-west-2   # inline comment
            endpoint_url = http://localhost:4566
            s3 =
              addressing_style = path
              max_concurrent_requests = 10
            role_arn = arn:aws:iam::123456789012:role/dev

            [sso-session corp]
            sso_region = us-east-1

            [notaprofile]
            region = ap-south-1
            """
        let file = try SharedConfigFile(contents: text, path: "/x/config", kind: .config)
        XCTAssertEqual(file.profiles["default"], ["region": "eu-west-1", "output": "json"])
        XCTAssertEqual(
            file.profiles["dev"],
            ["region": "us-west-2", "endpoint_url": "http://localhost:4566", "role_arn": "arn:aws:iam::123456789012:role/dev"])
        XCTAssertEqual(Set(file.profiles.keys), ["default", "dev"])
    }

    func testCredentialsFileTreatsEverySectionAsAProfile() throws {
        let text = "[default]\r\naws_access_key_id = AKID\r\naws_secret_access_key = se#cret\r\n[ci]\naws_access_key_id=A2\n"
        let file = try SharedConfigFile(contents: text, path: "/x/credentials", kind: .credentials)
        // `#` without whitespace before it is part of the value, not a comment.
        XCTAssertEqual(file.profiles["default"], ["aws_access_key_id": "AKID", "aws_secret_access_key": "se#cret"])
        XCTAssertEqual(file.profiles["ci"], ["aws_access_key_id": "A2"])
    }

    func testMalformedLineNamesFileAndLine() async {
        await assertClientError(.invalidConfiguration, containing: "/x/config:3:") {
            _ = try SharedConfigFile(contents: "[default]\nregion = a\nthis is not ini\n", path: "/x/config", kind: .config)
        }
        await assertClientError(.invalidConfiguration, containing: "/x/config:1: property") {
            _ = try SharedConfigFile(contents: "region = a\n", path: "/x/config", kind: .config)
        }
        await assertClientError(.invalidConfiguration, containing: "/x/config:2: section header") {
            _ = try SharedConfigFile(contents: "\n[default\n", path: "/x/config", kind: .config)
        }
        await assertClientError(.invalidConfiguration, containing: "/x/config:3: indented line") {
            _ = try SharedConfigFile(contents: "[default]\nregion = a\n  stray = 1\n", path: "/x/config", kind: .config)
        }
    }

    func testCredentialsFileValuesWinOverConfigFileValues() throws {
        try home.write(".aws/config", "[profile p]\nregion = eu-west-1\naws_access_key_id = FROMCONFIG\n")
        try home.write(".aws/credentials", "[p]\naws_access_key_id = FROMCREDENTIALS\n")
        let config = try SharedConfig.load(environment: home.environment)
        XCTAssertEqual(config.profile("p"), ["region": "eu-west-1", "aws_access_key_id": "FROMCREDENTIALS"])
        XCTAssertNil(config.profile("missing"))
    }

    func testFilePathsComeFromTheEnvironment() throws {
        let configPath = try home.write("other-config", "[default]\nregion = sa-east-1\n")
        var environment = home.environment
        environment["AWS_CONFIG_FILE"] = configPath
        environment["AWS_SHARED_CREDENTIALS_FILE"] = home.path + "/does-not-exist"
        let config = try SharedConfig.load(environment: environment)
        XCTAssertEqual(config.profile("default")?["region"], "sa-east-1")
        XCTAssertNil(config.credentialsFile)
    }

    func testRegionOrderIsFlagThenEnvironmentThenProfile() throws {
        try home.write(".aws/config", "[default]\nregion = eu-west-1\n[profile other]\nregion = ap-southeast-2\n")
        var environment = home.environment
        XCTAssertEqual(try RegionResolver(environment: environment).region(), "eu-west-1")
        XCTAssertEqual(try RegionResolver(environment: environment, profile: "other").region(), "ap-southeast-2")
        environment["AWS_DEFAULT_REGION"] = "us-east-2"
        XCTAssertEqual(try RegionResolver(environment: environment).region(), "us-east-2")
        environment["AWS_REGION"] = "us-west-1"
        XCTAssertEqual(try RegionResolver(environment: environment).region(), "us-west-1")
        XCTAssertEqual(try RegionResolver(environment: environment).region(flag: "ca-central-1"), "ca-central-1")
    }

    func testNoRegionAnywhereIsANoRegionError() async {
        await assertClientError(.noRegion, containing: "--region") {
            _ = try RegionResolver(environment: self.home.environment).region()
        }
    }

    func testProfileEndpointURLIsExposed() throws {
        try home.write(".aws/config", "[profile local]\nendpoint_url = http://127.0.0.1:5000\n")
        var environment = home.environment
        environment["AWS_PROFILE"] = "local"
        XCTAssertEqual(try RegionResolver(environment: environment).profileEndpointURL(), "http://127.0.0.1:5000")
        XCTAssertNil(try RegionResolver(environment: home.environment).profileEndpointURL())
    }
}
