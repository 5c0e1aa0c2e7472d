import Engine
import ImgStack
import XCTest

/// Every form the IAM policy grammar (IAM User Guide, "IAM JSON policy elements reference")
/// makes equal compares equal through each type that holds a policy, and a genuine change
/// still differs.
final class PolicyEquivalenceTests: XCTestCase {
    /// A property holding a policy document, and whether its policies name principals
    /// (resource and trust policies do; identity policies cannot).
    private struct Holder {
        var type: String
        var property: String
        var namesPrincipals: Bool
        /// The property's value for one document (inline policies are a map of them).
        var wrap: (Value) -> Value = { $0 }
    }

    private let holders = [
        Holder(type: "iam.role", property: "assumeRolePolicy", namesPrincipals: true),
        Holder(type: "iam.role", property: "inlinePolicies", namesPrincipals: false, wrap: { .map(["inline": $0]) }),
        Holder(type: "iam.policy", property: "document", namesPrincipals: false),
        Holder(type: "s3.bucket_policy", property: "policy", namesPrincipals: true),
        Holder(type: "kms.key", property: "policy", namesPrincipals: true),
        Holder(type: "kms.key_policy", property: "policy", namesPrincipals: true),
    ]

    /// One equivalence: the statement as a stack declares it and as AWS may hold it.
    private struct Case {
        var name: String
        var declared: String
        var stored: String
        var aboutPrincipals = false
    }

    private static let version = #""Version": "2012-10-17""#

    private let equal: [Case] = [
        Case(name: "account id and the account's root ARN (the issue's example)",
             declared: #"{\#(version), "Statement": [{"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "s3:GetObject", "Resource": "*"}]}"#,
             stored: #"{\#(version), "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "s3:GetObject", "Resource": "*"}]}"#,
             aboutPrincipals: true),
        Case(name: "account id and root ARN in another partition, among other principals",
             declared: #"{\#(version), "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws-cn:iam::111122223333:root", "arn:aws:iam::123456789012:role/r"]}, "Action": "kms:*", "Resource": "*"}]}"#,
             stored: #"{\#(version), "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::123456789012:role/r", "111122223333"]}, "Action": "kms:*", "Resource": "*"}]}"#,
             aboutPrincipals: true),
        Case(name: "Principal \"*\" and {\"AWS\": \"*\"}",
             declared: #"{\#(version), "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}"#,
             stored: #"{\#(version), "Statement": [{"Effect": "Deny", "Principal": {"AWS": ["*"]}, "Action": "s3:*", "Resource": "*"}]}"#,
             aboutPrincipals: true),
        Case(name: "a principal string and a one-item list",
             declared: #"{\#(version), "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
             stored: #"{\#(version), "Statement": [{"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com"]}, "Action": ["sts:AssumeRole"]}]}"#,
             aboutPrincipals: true),
        Case(name: "Action, NotAction, Resource and NotResource as a string and a one-item list",
             declared: #"{\#(version), "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}, {"Effect": "Deny", "NotAction": "s3:Get*", "NotResource": "arn:aws:s3:::b/*"}]}"#,
             stored: #"{\#(version), "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::b/*"]}, {"Effect": "Deny", "NotAction": ["s3:Get*"], "NotResource": ["arn:aws:s3:::b/*"]}]}"#),
        Case(name: "list order and duplicates",
             declared: #"{\#(version), "Statement": [{"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject", "s3:GetObject"], "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::b"]}]}"#,
             stored: #"{\#(version), "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]}]}"#),
        Case(name: "statement order",
             declared: #"{\#(version), "Statement": [{"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, {"Sid": "B", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}"#,
             stored: #"{\#(version), "Statement": [{"Sid": "B", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}, {"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#),
        Case(name: "the case of an action's service prefix and name",
             declared: #"{\#(version), "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
             stored: #"{\#(version), "Statement": [{"Effect": "Allow", "Action": "S3:getobject", "Resource": "*"}]}"#),
        Case(name: "Version absent and 2008-10-17",
             declared: #"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
             stored: #"{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#),
        Case(name: "Sid absent and empty",
             declared: #"{\#(version), "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
             stored: #"{\#(version), "Statement": [{"Sid": "", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#),
        Case(name: "one Statement object and a one-statement list",
             declared: #"{\#(version), "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#,
             stored: #"{\#(version), "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#),
        Case(name: "condition values as booleans and numbers or strings, one or a list",
             declared: #"{\#(version), "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": false}, "NumericLessThan": {"s3:TlsVersion": 1.2, "s3:max-keys": 10}}}]}"#,
             stored: #"{\#(version), "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": ["false"]}, "NumericLessThan": {"s3:TlsVersion": "1.2", "s3:max-keys": ["10"]}}}]}"#),
        Case(name: "a URL-encoded document as IAM returns it",
             declared: #"{\#(version), "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
             stored: "%7B%22Version%22%3A%20%222012-10-17%22%2C%20%22Statement%22%3A%20%5B%7B%22Effect%22%3A%20%22Allow%22%2C%20"
                 + "%22Action%22%3A%20%22s3%3AGetObject%22%2C%20%22Resource%22%3A%20%22%2A%22%7D%5D%7D"),
    ]

    private let different: [Case] = [
        Case(name: "another account",
             declared: #"{\#(version), "Statement": [{"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "s3:GetObject", "Resource": "*"}]}"#,
             stored: #"{\#(version), "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "*"}]}"#,
             aboutPrincipals: true),
        Case(name: "a user of the account rather than the account",
             declared: #"{\#(version), "Statement": [{"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "s3:GetObject", "Resource": "*"}]}"#,
             stored: #"{\#(version), "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:user/root"}, "Action": "s3:GetObject", "Resource": "*"}]}"#,
             aboutPrincipals: true),
        Case(name: "Principal \"*\" and a service",
             declared: #"{\#(version), "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}"#,
             stored: #"{\#(version), "Statement": [{"Effect": "Allow", "Principal": {"Service": "*"}, "Action": "s3:GetObject", "Resource": "*"}]}"#,
             aboutPrincipals: true),
        Case(name: "an action added",
             declared: #"{\#(version), "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
             stored: #"{\#(version), "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"}]}"#),
        Case(name: "the case of a resource (ARNs are case-sensitive)",
             declared: #"{\#(version), "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/Key"}]}"#,
             stored: #"{\#(version), "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/key"}]}"#),
        Case(name: "Version 2012-10-17 and absent (2008-10-17)",
             declared: #"{\#(version), "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
             stored: #"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#),
        Case(name: "another Sid",
             declared: #"{\#(version), "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
             stored: #"{\#(version), "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#),
        Case(name: "a condition value changed",
             declared: #"{\#(version), "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": false}}}]}"#,
             stored: #"{\#(version), "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}"#),
        Case(name: "the case of a condition value",
             declared: #"{\#(version), "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "Web"}}}]}"#,
             stored: #"{\#(version), "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "web"}}}]}"#),
    ]

    private func normalized(_ holder: Holder, _ text: String) throws -> Value {
        let type = try XCTUnwrap(ResourceCatalog.types()[holder.type], holder.type)
        return type.normalize(holder.property, holder.wrap(.string(text)))
    }

    /// Whether the planner and refresh see the two documents as the same policy.
    private func same(_ holder: Holder, _ declared: String, _ stored: String) throws -> Bool {
        let type = try XCTUnwrap(ResourceCatalog.types()[holder.type], holder.type)
        return type.equivalent(holder.property, try normalized(holder, declared), try normalized(holder, stored))
    }

    func testEveryEquivalentFormComparesEqualInEveryPolicyHolder() throws {
        for holder in holders {
            for form in equal where holder.namesPrincipals || !form.aboutPrincipals {
                XCTAssertTrue(try same(holder, form.declared, form.stored), "\(holder.type).\(holder.property): \(form.name)")
            }
        }
    }

    func testAGenuineChangeStillDiffersInEveryPolicyHolder() throws {
        for holder in holders {
            for change in different where holder.namesPrincipals || !change.aboutPrincipals {
                XCTAssertFalse(try same(holder, change.declared, change.stored), "\(holder.type).\(holder.property): \(change.name)")
            }
        }
    }

    /// The plan shows actions as the stack writes them, while comparing them without case.
    func testThePlanKeepsTheCaseOfActionsAsWritten() throws {
        let type = try XCTUnwrap(ResourceCatalog.types()["iam.policy"])
        let written = type.normalize("document", #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#)
        XCTAssertEqual(written["Statement"].listValue?.first?["Action"], ["s3:GetObject"])
    }

    func testTheCanonicalFormIsItsOwnCanonicalForm() throws {
        for holder in holders {
            for form in equal + different where holder.namesPrincipals || !form.aboutPrincipals {
                let once = try normalized(holder, form.stored)
                let type = try XCTUnwrap(ResourceCatalog.types()[holder.type])
                XCTAssertEqual(type.normalize(holder.property, once), once, "\(holder.type).\(holder.property): \(form.name)")
            }
        }
    }

    /// Lambda writes an account principal of `AddPermission` as the account's root ARN.
    func testLambdaPermissionPrincipalAsAccountIDOrRootARN() throws {
        let type = try XCTUnwrap(ResourceCatalog.types()["lambda.permission"])
        XCTAssertEqual(type.normalize("principal", "arn:aws:iam::123456789012:root"), type.normalize("principal", "123456789012"))
        XCTAssertNotEqual(type.normalize("principal", "arn:aws:iam::111122223333:root"), type.normalize("principal", "123456789012"))
        XCTAssertEqual(type.normalize("principal", "sns.amazonaws.com"), "sns.amazonaws.com")
    }
}
