import AWS
import Engine
import ImgStack
import XCTest

/// Evaluating a stack: variables, references and validation, all before any network call.
final class StackEvaluationTests: XCTestCase {
    private func evaluate(_ stack: Stack, _ variables: [String: Engine.Value] = [:]) throws -> Stack.Evaluation {
        try stack.evaluate(variables: variables, region: "eu-west-1")
    }

    private func issues(_ stack: Stack, _ variables: [String: Engine.Value] = [:]) -> [ValidationIssue] {
        do {
            _ = try evaluate(stack, variables)
            return []
        } catch let error as StackValidationError {
            return error.issues
        } catch {
            XCTFail("unexpected error \(error)")
            return []
        }
    }

    private let keyStack = Stack("keys") { stack in
        let environment = stack.variable("environment", default: "dev")
        let copies = stack.variable("copies", default: 1)
        let rotate = stack.variable("rotate", default: false)
        for index in 0..<copies {
            stack.add(KMS.Key("key\(index)", description: "\(environment) key", enableKeyRotation: rotate))
        }
    }

    func testVariablesTakeDefaultsAndGivenValuesWithTheirTypes() throws {
        let defaults = try evaluate(keyStack)
        XCTAssertEqual(defaults.definition.resources.count, 1)
        XCTAssertEqual(defaults.variables["environment"], "dev")
        let given = try evaluate(keyStack, ["environment": "prod", "copies": "3", "rotate": "true"])
        XCTAssertEqual(given.definition.resources.count, 3)
        XCTAssertEqual(given.variables["copies"], 3)
        XCTAssertEqual(given.definition.resources.first?.properties["enableKeyRotation"], .value(true))
        XCTAssertEqual(given.definition.resources.first?.properties["description"], .value("prod key"))
    }

    func testResourceRegionPlacesResourcesWithoutARegionOfTheirOwn() throws {
        let stack = Stack("regions") { stack in
            stack.add(KMS.Key("before", description: "declared before the region is chosen"))
            stack.resourceRegion = stack.variable("region", default: "eu-west-2")
            stack.add(KMS.Key("after", description: "in var.region"))
            stack.add(WAFv2.WebACL("edge", name: "edge", scope: .cloudFront, metricName: "edge"))
        }
        let regions = Dictionary(uniqueKeysWithValues: try evaluate(stack).definition.resources.map { ($0.address.name, $0.region) })
        XCTAssertEqual(regions["before"], .some(nil), "the run's region")
        XCTAssertEqual(regions["after"], "eu-west-2")
        XCTAssertEqual(regions["edge"], "us-east-1", "a CLOUDFRONT web ACL keeps its own region")
    }

    /// A lookup reads where the stack's resources go: the default VPC of var.region, not of the
    /// run's region, feeds the security group placed in var.region.
    func testResourceRegionPlacesLookupsWithoutARegionOfTheirOwn() throws {
        let stack = Stack("regions") { stack in
            stack.lookup(STS.CallerIdentity("before"))
            stack.resourceRegion = stack.variable("region", default: "eu-west-2")
            let vpc = stack.lookup(EC2.VPCLookup.defaultVPC("default"))
            stack.lookup(EC2.SubnetsLookup("elsewhere", vpcID: vpc.id, region: "us-west-2"))
        }
        let regions = Dictionary(uniqueKeysWithValues: try evaluate(stack).definition.lookups.map { ($0.address.name, $0.region) })
        XCTAssertEqual(regions["before"], .some(nil), "the run's region")
        XCTAssertEqual(regions["default"], "eu-west-2")
        XCTAssertEqual(regions["elsewhere"], "us-west-2", "a lookup's own region wins")
    }

    func testMapVariablesTakeJSONObjectsAndKeyValuePairs() throws {
        let tagged = Stack("tagged") { stack in
            let tags = stack.variable("tags", default: ["team": "web"])
            stack.output("team", Text(tags["team"] ?? "none"))
            stack.output("count", Text("\(tags.count)"))
        }
        XCTAssertEqual(try evaluate(tagged).variables["tags"], ["team": "web"])
        XCTAssertEqual(try evaluate(tagged, ["tags": ["team": "data", "env": "prod"]]).variables["tags"], ["team": "data", "env": "prod"])
        XCTAssertEqual(try evaluate(tagged, ["tags": #"{"team":"ops"}"#]).variables["tags"], ["team": "ops"])
        XCTAssertEqual(try evaluate(tagged, ["tags": "team=ml, env=dev"]).variables["tags"], ["team": "ml", "env": "dev"])
        XCTAssertEqual(issues(tagged, ["tags": "team"]).map(\.description), ["var.tags: expects a map(string), got \"team\""])
    }

    func testUnknownVariableIsAnErrorNamingIt() {
        let found = issues(keyStack, ["enviroment": "prod"])
        XCTAssertEqual(found.map(\.subject), ["var.enviroment"])
        XCTAssertTrue(found.first?.message.contains("declares no variable") ?? false)
    }

    func testIllTypedVariableIsAnErrorNamingIt() {
        let found = issues(keyStack, ["copies": "three", "rotate": "maybe"])
        XCTAssertEqual(Set(found.map(\.subject)), ["var.copies", "var.rotate"])
        XCTAssertTrue(found.contains { $0.message.contains("expects a number") })
    }

    func testMissingRequiredVariableIsAnError() {
        let stack = Stack("required") { stack in
            let name = stack.variable("bucket_name", default: nil as String?)
            stack.add(S3.Bucket("site", bucket: Text(name)))
        }
        let found = issues(stack)
        XCTAssertTrue(found.contains { $0.subject == "var.bucket_name" && $0.message.contains("no value given") }, "\(found)")
    }

    func testAliasWithoutPrefixNamesAddressAndProperty() {
        let stack = Stack("alias") { stack in
            let key = stack.add(KMS.Key("data"))
            stack.add(KMS.Alias("data", name: "images", targetKeyID: key.keyID))
        }
        let found = issues(stack)
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(found.first?.subject, "kms.alias.data")
        XCTAssertEqual(found.first?.property, "name")
        XCTAssertTrue(found.first?.message.contains("alias/") ?? false)
    }

    func testPolicyWithUnknownEffectNamesAddressAndProperty() {
        let stack = Stack("policy") { stack in
            stack.add(IAM.Policy("read", name: "read", document: PolicyDocument(json: """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Permit", "Action": "s3:GetObject", "Resource": "*"}]}
                """)))
        }
        let found = issues(stack)
        XCTAssertEqual(found.first?.subject, "iam.policy.read")
        XCTAssertEqual(found.first?.property, "document")
        XCTAssertTrue(found.first?.message.contains("unknown Effect \"Permit\"") ?? false, "\(found)")
    }

    func testInvalidRoleNameAndSessionDurationAreReported() {
        let stack = Stack("role") { stack in
            stack.add(IAM.Role("app", name: "has spaces", assumeRolePolicy: PolicyDocument([
                Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service("ec2.amazonaws.com")),
            ]), maxSessionDuration: 60))
        }
        let found = issues(stack)
        XCTAssertEqual(Set(found.compactMap(\.property)), ["name", "maxSessionDuration"])
        XCTAssertTrue(found.allSatisfy { $0.subject == "iam.role.app" })
    }

    func testKeyDeletionWindowOutsideSevenToThirtyDaysIsRefused() {
        let stack = Stack("key") { stack in stack.add(KMS.Key("data", deletionWindowInDays: 3)) }
        XCTAssertEqual(issues(stack).map(\.property), ["deletionWindowInDays"])
    }

    func testDuplicateAddressesAreRefused() {
        let stack = Stack("dupes") { stack in
            stack.add(KMS.Key("data"))
            stack.add(KMS.Key("data"))
        }
        XCTAssertTrue(issues(stack).contains { $0.subject == "kms.key.data" && $0.message.contains("declared 2 times") })
    }

    func testDependencyCycleIsNamedInOrder() {
        let stack = Stack("cycle") { stack in
            let first = KMS.Key("first")
            let second = KMS.Key("second").dependsOn(first)
            stack.add(first.dependsOn(second))
            stack.add(second)
        }
        let found = issues(stack)
        XCTAssertTrue(found.contains { $0.message.contains("dependency cycle: kms.key.first -> kms.key.second -> kms.key.first") }, "\(found)")
    }

    func testReferencesInInterpolationBecomeExpressionsNotNull() throws {
        let stack = Stack("refs") { stack in
            let bucket = stack.add(S3.Bucket("site", bucket: "refs-site"))
            stack.add(IAM.Policy("read", name: "read", document: PolicyDocument([
                Statement(effect: .allow, actions: ["s3:GetObject"], resources: ["\(bucket.arn)/*"]),
            ])))
        }
        let evaluation = try evaluate(stack)
        let policy = try XCTUnwrap(evaluation.definition.resource(Address(type: "iam.policy", name: "read")))
        XCTAssertEqual(policy.dependencies, [Address(type: "s3.bucket", name: "site")])
        XCTAssertNil(policy.properties["document"]?.literal)
    }
}
