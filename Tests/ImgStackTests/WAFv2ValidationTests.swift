import Engine
import ImgStack
import XCTest

private typealias WebACL = ImgStack.WAFv2.WebACL

/// Web ACLs with bad input: each rule reports the resource's address and the property.
final class WAFv2ValidationTests: XCTestCase {
    private func acl(name: Text = "upload-api", scope: WebACL.Scope = .cloudFront, description: String = "",
                     rules: [ImgStack.WAFv2.Rule] = [], metricName: String = "upload-api", region: String? = nil) -> WebACL {
        WebACL("edge", name: name, scope: scope, description: description, rules: rules, metricName: metricName, region: region)
    }

    func testCloudFrontScopeIsOnlyInUSEast1() {
        assertOneIssue(acl(region: "eu-west-2"), property: "region", containing: "must be created in us-east-1, not eu-west-2")
        XCTAssertEqual(acl().region, "us-east-1", "a CLOUDFRONT web ACL goes to us-east-1 whatever the stack's region")
        XCTAssertEqual(validationIssues(acl(region: "us-east-1")), [])
        XCTAssertEqual(acl(scope: .regional, region: "eu-west-2").region, "eu-west-2")
        XCTAssertNil(acl(scope: .regional).region, "a REGIONAL web ACL is in the stack's region")
        XCTAssertEqual(validationIssues(acl(scope: .regional, region: "eu-west-2")), [])
    }

    func testNamesMetricsAndDescriptionFollowBotocoresShapes() {
        assertOneIssue(acl(name: "upload api"), property: "name", containing: "1 to 128 letters")
        assertOneIssue(acl(name: Text(String(repeating: "a", count: 129))), property: "name", containing: "1 to 128 letters")
        assertOneIssue(acl(metricName: "upload api"), property: "metricName", containing: "1 to 255 letters")
        assertOneIssue(acl(description: " leading space"), property: "description", containing: "up to 256")
        XCTAssertEqual(validationIssues(acl(description: "Upload API firewall, v2")), [])
    }

    func testRulesNeedUniqueNamesAndPrioritiesAndWAFsLimits() {
        let common = ImgStack.WAFv2.Rule.managedRuleGroup("AWSManagedRulesCommonRuleSet", priority: 0)
        assertOneIssue(acl(rules: [common, .rateLimit(name: "AWSManagedRulesCommonRuleSet", priority: 1, limit: 100)]),
                       property: "rules", containing: "is used twice; names are unique")
        assertOneIssue(acl(rules: [common, .rateLimit(name: "per-ip", priority: 0, limit: 100)]), property: "rules",
                       containing: "priority 0 is used twice")
        assertOneIssue(acl(rules: [.rateLimit(name: "per-ip", priority: 1, limit: 9)]), property: "rules", containing: "10 to 2,000,000,000")
        assertOneIssue(acl(rules: [.rateLimit(name: "per-ip", priority: 1, limit: 100, evaluationWindowSec: 30)]), property: "rules",
                       containing: "60, 120, 300 or 600 seconds")
        assertOneIssue(acl(rules: [.rateLimit(name: "per ip", priority: 1, limit: 100, metricName: "ip")]), property: "rules",
                       containing: "rule name \"per ip\"")
        assertOneIssue(acl(rules: [.managedRuleGroup("", name: "empty", priority: 1)]), property: "rules", containing: "needs a name")
        XCTAssertEqual(validationIssues(acl(rules: [common, .managedRuleGroup("AWSManagedRulesKnownBadInputsRuleSet", priority: 1,
                                                                              overrides: ["Log4JRCE": .count], countOnly: true),
                                                    .rateLimit(name: "per-ip", priority: 2, limit: 500, evaluationWindowSec: 60)])), [])
    }

    func testRulesCompareInPriorityOrderAndOnlyNameAndScopeForceReplacement() {
        let type = WebACL.makeType()
        let first: Value = ["name": "a", "priority": 0]
        let second: Value = ["name": "b", "priority": 1]
        XCTAssertEqual(type.normalize("rules", [second, first]), type.normalize("rules", [first, second]))
        XCTAssertEqual(Set(type.schema.properties.filter(\.forcesReplacement).map(\.name)), ["name", "scope", "region"])
        XCTAssertNil(type.validateImportID("0fb1d8f5-689b-4c77-a141-7e844608d687/upload-api/CLOUDFRONT"))
        XCTAssertNotNil(type.validateImportID("0fb1d8f5/upload-api/GLOBAL"))
    }
}
