import Engine
import ImgStack
import XCTest

/// Every resource type checks the form of an `imgstack import` id before any call: an id of the
/// documented form is accepted, one that cannot name a resource of the type is refused with the
/// form it should have. The type registry is iterated, so a type added without a check (or
/// without a row in ``ImportIDExamples``) fails here.
final class ImportIDTests: XCTestCase {
    private let types = ResourceCatalog.types()

    func testEveryRegisteredTypeHasExamples() {
        XCTAssertEqual(Set(ImportIDExamples.byType.keys), Set(types.keys),
                       "ImportIDExamples.byType lists exactly the registered types (add a row for a new type)")
    }

    func testTheDocumentedFormIsAccepted() {
        for (name, example) in ImportIDExamples.byType.sorted(by: { $0.key < $1.key }) {
            guard let type = types[name] else { continue }
            XCTAssertNil(type.validateImportID(example.valid), "\(name) refuses its documented form \(example.valid.debugDescription)")
        }
    }

    func testMalformedIDsAreRefusedNamingTheExpectedForm() {
        for (name, example) in ImportIDExamples.byType.sorted(by: { $0.key < $1.key }) {
            guard let type = types[name] else { continue }
            XCTAssertFalse(example.malformed.isEmpty, name)
            for id in example.malformed {
                guard let problem = type.validateImportID(id) else {
                    XCTFail("\(name) accepts \(id.debugDescription)")
                    continue
                }
                XCTAssertFalse(problem.isEmpty, name)
            }
        }
    }

    /// Ids no type can take: nothing, a newline (a pasted id with its line end), another control
    /// character. A new type inherits no default, and must refuse these too.
    func testEveryRegisteredTypeRefusesBlankAndMultiLineIDs() {
        for (name, type) in types.sorted(by: { $0.key < $1.key }) {
            let valid = ImportIDExamples.byType[name]?.valid ?? "x"
            for id in ["", "\n", valid + "\n", "\n" + valid, valid + "\nmore", valid + "\r", valid + "\u{0}"] {
                XCTAssertNotNil(type.validateImportID(id), "\(name) accepts \(id.debugDescription)")
            }
        }
    }

    /// The refusals say how the type is imported, in the words of the issue that asked for them.
    func testRefusalsNameTheExpectedForm() {
        let expected: [(type: String, id: String, message: String)] = [
            ("sns.topic", "not-an-arn", #"an SNS topic is imported by its ARN (arn:aws:sns:REGION:ACCOUNT:NAME), not "not-an-arn""#),
            ("iam.role", "arn:aws:iam::123:role/x/",
             #"an IAM role is imported by its name (1 to 64 letters, digits and +=,.@_-), not "arn:aws:iam::123:role/x/""#),
            ("lambda.function", "image resize",
             #"a Lambda function is imported by its name (1 to 64 letters, digits, - and _), not "image resize""#),
            ("ec2.security_group", "sg-xyz",
             #"a security group is imported by its id (sg- and 8 or 17 hex digits, such as sg-0123456789abcdef0), not "sg-xyz""#),
            ("cloudfront.distribution", "e2qwruhexample",
             #"a CloudFront distribution is imported by its id (upper-case letters and digits, such as E2QWRUHEXAMPLE), not "e2qwruhexample""#),
            ("apigateway.stage", "prod", #"a stage is imported as <api id>/<stage name>, not "prod""#),
            ("s3.bucket", "ab", #"an S3 bucket is imported by its name (bucket names are 3 to 63 characters long; "ab" has 2), not "ab""#),
            ("cloudwatch.metric_alarm", "errors\n", #"a CloudWatch alarm is imported by its name (1 to 255 characters, no control characters), not "errors\n""#),
        ]
        for (name, id, message) in expected {
            XCTAssertEqual(types[name]?.validateImportID(id), message, name)
        }
    }
}
