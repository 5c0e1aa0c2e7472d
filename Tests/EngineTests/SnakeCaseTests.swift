import Engine
import XCTest

/// Terraform attribute names derived from imgstack's property names.
final class SnakeCaseTests: XCTestCase {
    func testCamelCaseBecomesTheProvidersSnakeCase() {
        let cases = [
            "kmsMasterKeyID": "kms_master_key_id", "URLPath": "url_path", "callbackURLs": "callback_urls",
            "logoutURLs": "logout_urls", "subnetIDs": "subnet_ids", "securityGroupIDs": "security_group_ids",
            "targetGroupARNs": "target_group_arns", "IDsOfThings": "ids_of_things", "isIPV6Enabled": "is_ipv6_enabled",
            "cors": "cors", "s3Key": "s3_key",
        ]
        for (name, expected) in cases {
            XCTAssertEqual(name.snakeCased, expected, name)
        }
    }
}
