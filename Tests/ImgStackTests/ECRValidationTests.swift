import AWS
import Engine
import ImgStack
import XCTest

private typealias Repository = ImgStack.ECR.Repository
private typealias LifecyclePolicy = ImgStack.ECR.LifecyclePolicy

/// ECR repositories and lifecycle policies with bad input: each rule reports the resource's
/// address and the property.
final class ECRValidationTests: XCTestCase {
    // MARK: - Repository

    func testRepositoryNamesOutsideBotocoresPatternAreRefused() {
        for bad in ["App", "app_", "-app", "team//app", "team/", "app..v2", "app___x", "app name", "app:latest"] {
            assertOneIssue(Repository("app", name: Text(bad)), property: "name", containing: "lowercase letters and digits")
        }
    }

    func testRepositoryNameLengthIsTwoTo256() {
        assertOneIssue(Repository("app", name: "a"), property: "name", containing: "2 to 256 characters")
        assertOneIssue(Repository("app", name: Text(String(repeating: "a", count: 257))), property: "name", containing: "2 to 256 characters")
        XCTAssertEqual(validationIssues(Repository("app", name: Text(String(repeating: "a", count: 256)))), [])
    }

    func testValidRepositoryNamesPassAndReferencesWaitForApply() {
        for good in ["ab", "team/app", "team/app-api", "a.b_c__d---e", "org/team/app.v2", "0x"] {
            XCTAssertEqual(validationIssues(Repository("app", name: Text(good))), [], good)
        }
        let other = Repository("other", name: "other")
        XCTAssertEqual(validationIssues(Repository("app", name: "\(other.id)-copy")), [])
    }

    func testRepositoryTagsFollowTheTagRules() {
        assertOneIssue(Repository("app", name: "app", tags: ["aws:owner": "me"]), property: "tags", containing: "reserved by AWS")
        assertOneIssue(Repository("app", name: "app", tags: ["imgstack:intent": "x"]), property: "tags", containing: "reserved by imgstack")
        let many = Dictionary(uniqueKeysWithValues: (0..<50).map { ("k\($0)", Text("v")) })
        assertOneIssue(Repository("app", name: "app", tags: many), property: "tags", containing: "at most 49")
    }

    func testRepositoryEncryptionIsDeclaredAsTypeAndKey() {
        let plain = Repository("app", name: "app").properties
        XCTAssertEqual(plain["encryptionType"]?.literal, "AES256")
        XCTAssertNil(plain["kmsKey"], "unset: not compared")
        let kms = Repository("app", name: "app", encryption: .kms(key: "arn:aws:kms:eu-west-1:111122223333:key/k")).properties
        XCTAssertEqual(kms["encryptionType"]?.literal, "KMS")
        XCTAssertEqual(kms["kmsKey"]?.literal, "arn:aws:kms:eu-west-1:111122223333:key/k")
        assertOneIssue(Repository("app", name: "app", encryption: .kms(key: "")), property: "kmsKey", containing: "1 to 2048")
        let schema = Repository.makeType().schema
        XCTAssertEqual(schema.property("encryptionType")?.forcesReplacement, true)
        XCTAssertEqual(schema.property("kmsKey")?.forcesReplacement, true)
        XCTAssertEqual(schema.property("imageTagMutability")?.forcesReplacement, false)
        XCTAssertEqual(schema.property("forceDelete")?.defaultValue, false)
    }

    // MARK: - Lifecycle policy

    func testLifecyclePolicyNeedsAtLeastOneRule() {
        assertOneIssue(LifecyclePolicy("app", repositoryName: "app", rules: []), property: "policy", containing: "at least one rule")
    }

    func testLifecycleCountsMustBeAtLeastOne() {
        assertOneIssue(LifecyclePolicy("app", repositoryName: "app", rules: [.keepLast(0)]), property: "policy",
                       containing: "rule 1: the count must be at least 1, not 0")
        assertOneIssue(LifecyclePolicy("app", repositoryName: "app", rules: [.expireUntagged(afterDays: -3)]), property: "policy",
                       containing: "not -3")
    }

    func testLifecyclePrioritiesMustBeUniqueAndPositive() {
        assertOneIssue(LifecyclePolicy("app", repositoryName: "app", rules: [
            .expireUntagged(afterDays: 7, priority: 2), .keepLast(5, tagStatus: .tagged(prefixes: ["v"])),
        ]), property: "policy", containing: "rule 2: priority 2 is also rule 1's")
        assertOneIssue(LifecyclePolicy("app", repositoryName: "app", rules: [.expireUntagged(afterDays: 7, priority: 0)]), property: "policy",
                       containing: "at least 1")
    }

    func testTaggedRulesNeedNonEmptyPrefixes() {
        assertOneIssue(LifecyclePolicy("app", repositoryName: "app", rules: [.keepLast(5, tagStatus: .tagged(prefixes: []))]),
                       property: "policy", containing: "at least one tag prefix")
        assertOneIssue(LifecyclePolicy("app", repositoryName: "app", rules: [.keepLast(5, tagStatus: .tagged(prefixes: ["v", ""]))]),
                       property: "policy", containing: "must not be empty")
    }

    func testAnAnyRuleMustBeEvaluatedLast() {
        assertOneIssue(LifecyclePolicy("app", repositoryName: "app", rules: [.keepLast(100), .expireUntagged(afterDays: 14)]),
                       property: "policy", containing: "rule 1: a rule for any image must have the highest priority")
        XCTAssertEqual(validationIssues(LifecyclePolicy("app", repositoryName: "app", rules: [.expireUntagged(afterDays: 14), .keepLast(100)])), [])
    }

    func testRulesRenderToECRsPolicyJSONWithPrioritiesInDeclarationOrder() throws {
        let policy = LifecyclePolicy("app", repositoryName: "app", rules: [
            .expireUntagged(afterDays: 14, description: "untagged"),
            .keepLast(30, tagStatus: .tagged(prefixes: ["v", "release-"])),
            .expire(olderThanDays: 365, tagStatus: .any, priority: 10),
        ])
        XCTAssertEqual(validationIssues(policy), [])
        let document = try XCTUnwrap(policy.properties["policy"]?.literal)
        XCTAssertEqual(document.canonicalJSON, """
            {"rules":[\
            {"action":{"type":"expire"},"description":"untagged","rulePriority":1,"selection":{"countNumber":14,"countType":"sinceImagePushed","countUnit":"days","tagStatus":"untagged"}},\
            {"action":{"type":"expire"},"rulePriority":2,"selection":{"countNumber":30,"countType":"imageCountMoreThan","tagPrefixList":["v","release-"],"tagStatus":"tagged"}},\
            {"action":{"type":"expire"},"rulePriority":10,"selection":{"countNumber":365,"countType":"sinceImagePushed","countUnit":"days","tagStatus":"any"}}\
            ]}
            """)
    }

    func testECRsPolicyTextNormalisesToTheStacksDocument() throws {
        let type = LifecyclePolicy.makeType()
        let declared = try XCTUnwrap(LifecyclePolicy("app", repositoryName: "app", rules: [
            .expireUntagged(afterDays: 14), .keepLast(30),
        ]).properties["policy"]?.literal)
        // As ECR might give it back: other whitespace and key order, rules in another order.
        let text = """
            {"rules": [{"selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 30}, "rulePriority": 2, "action": {"type": "expire"}},
                       {"rulePriority": 1, "action": {"type": "expire"}, "selection": {"countUnit": "days", "countNumber": 14, "countType": "sinceImagePushed", "tagStatus": "untagged"}}]}
            """
        XCTAssertEqual(type.normalize("policy", .string(text)), type.normalize("policy", declared))
    }

    func testLifecyclePolicyOfARepositoryInTheStackDependsOnIt() {
        let repository = Repository("app", name: "app")
        let policy = LifecyclePolicy("app", repository: repository, rules: [.keepLast(5)])
        XCTAssertEqual(policy.properties["repository"]?.references.map(\.address), [repository.address])
    }
}
