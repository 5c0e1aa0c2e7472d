import AWS
import Engine
import ImgStack
import XCTest

private typealias Parameter = ImgStack.SSM.Parameter

/// SSM parameters and lookups with bad input: each rule names the address and the property.
final class SSMValidationTests: XCTestCase {
    func testParameterNamesFollowAWSRules() {
        assertOneIssue(Parameter("p", name: "app/db", value: "v"), property: "name", containing: "must start with \"/\"")
        assertOneIssue(Parameter("p", name: "/app/db url", value: "v"), property: "name", containing: "holds \" \"")
        assertOneIssue(Parameter("p", name: "/aws/mine", value: "v"), property: "name", containing: "reserved")
        assertOneIssue(Parameter("p", name: "SSM-thing", value: "v"), property: "name", containing: "reserved")
        assertOneIssue(Parameter("p", name: Text("/" + (1...16).map { "l\($0)" }.joined(separator: "/")), value: "v"), property: "name",
                       containing: "more than 15 levels")
        assertOneIssue(Parameter("p", name: Text("/" + String(repeating: "a", count: 1011)), value: "v"), property: "name",
                       containing: "1 to 1011 characters")
        for name in ["db-url", "/app/db/url", "/app/v1.2/key_name", Text("/" + String(repeating: "a", count: 1010))] {
            XCTAssertEqual(validationIssues(Parameter("p", name: name, value: "v")), [], "\(name)")
        }
    }

    func testValueSizeDependsOnTheTier() {
        let big = Text(String(repeating: "x", count: 4097))
        assertOneIssue(Parameter("p", name: "/a", value: big), property: "value", containing: "the Standard tier takes at most 4096")
        XCTAssertEqual(validationIssues(Parameter("p", name: "/a", value: big, tier: .advanced)), [])
        assertOneIssue(Parameter("p", name: "/a", value: Text(String(repeating: "x", count: 8193)), tier: .advanced), property: "value",
                       containing: "at most 8192")
        assertOneIssue(Parameter("p", name: "/a", type: .secureString, value: big), property: "secureValue", containing: "at most 4096")
        assertOneIssue(Parameter("p", name: "/a", value: ""), property: "value", containing: "must not be empty")
    }

    func testAKMSKeyIsOnlyForSecureStrings() {
        assertOneIssue(Parameter("p", name: "/a", value: "v", keyID: "alias/k"), property: "keyID", containing: "only for SecureString")
        XCTAssertEqual(validationIssues(Parameter("p", name: "/a", type: .secureString, value: "v", keyID: "alias/k")), [])
    }

    func testDescriptionAndTagsFollowAWSLimits() {
        assertOneIssue(Parameter("p", name: "/a", value: "v", description: Text(String(repeating: "d", count: 1025))), property: "description",
                       containing: "at most 1024")
        assertOneIssue(Parameter("p", name: "/a", value: "v", tags: ["aws:team": "x"]), property: "tags", containing: "reserved by AWS")
    }

    func testASecureValueIsSensitiveAndComparedAsADigest() {
        let type = Parameter.makeType()
        XCTAssertEqual(type.schema.property("secureValue")?.sensitive, true)
        XCTAssertEqual(type.schema.property("value")?.sensitive, false)
        let digest = type.normalize("secureValue", "s3cret")
        XCTAssertEqual(digest, "sha256:1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0", "SHA-256 of the UTF-8 bytes")
        XCTAssertFalse(digest.stringValue?.contains("s3cret") ?? true, "the secret is never recorded")
        XCTAssertEqual(type.normalize("secureValue", digest), digest, "the digest form is stable")
        XCTAssertNotEqual(type.normalize("secureValue", "s3cret!"), digest)
        XCTAssertEqual(type.normalize("value", "plain"), "plain")
        // Secure values declared through the DSL land in the sensitive property only.
        let properties = Parameter("p", name: "/a", type: .secureString, value: "s3cret").properties
        XCTAssertNil(properties["value"])
        XCTAssertNotNil(properties["secureValue"])
    }

    func testKeyLookupNeedsAnAliasAndParameterLookupARealName() throws {
        let evaluation = { (alias: Text) in
            try Stack("t") { stack in stack.lookup(KMS.KeyLookup("shared", alias: alias)) }.evaluate(variables: [:], region: "eu-west-1")
        }
        XCTAssertThrowsError(try evaluation("shared")) { error in
            XCTAssertTrue("\(error)".contains("lookup.kms.key.shared: property alias: \"shared\" must start with \"alias/\""), "\(error)")
        }
        XCTAssertNoThrow(try evaluation("alias/shared"))
        let ami = SSM.ParameterLookup.latestAmazonLinux2023AMI("al2023")
        XCTAssertEqual(ami.address.description, "lookup.ssm.parameter.al2023")
        XCTAssertEqual(ami.arguments["parameterName"]?.literal, "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")
    }
}
