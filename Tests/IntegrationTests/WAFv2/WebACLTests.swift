import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// WAF web ACLs against the emulator: a CLOUDFRONT web ACL created in us-east-1 from a stack in
/// eu-west-2, read back through the AWS API, empty plan, updates with the lock token (after a
/// change outside imgstack moved it on), drift repaired, replacement, import, destroy. The retry
/// on a stale lock token is in `WebACLLockTokenTests` (a race the emulator cannot stage).
final class WebACLTests: XCTestCase {
    private struct Settings: Sendable {
        var name: String
        var scope: ImgStack.WAFv2.WebACL.Scope = .cloudFront
        var defaultAction: ImgStack.WAFv2.RuleAction = .allow
        var limit = 500
        var overrides: [String: ImgStack.WAFv2.RuleAction] = ["SizeRestrictions_BODY": .count]
        var tags: [String: Text] = ["app": "upload"]
    }

    private func declare(_ settings: Settings) -> Stack {
        Stack("waf-test") { stack in
            stack.add(ImgStack.WAFv2.WebACL("edge", name: Text(settings.name), scope: settings.scope, defaultAction: settings.defaultAction,
                                            description: "upload API firewall", rules: [
                                                .managedRuleGroup("AWSManagedRulesCommonRuleSet", priority: 0, overrides: settings.overrides),
                                                .rateLimit(name: "per-ip", priority: 1, limit: settings.limit),
                                            ], metricName: "upload-api", tags: settings.tags))
        }
    }

    private func live(_ waf: AWS.WAFV2, _ harness: StackHarness, scope: String = "CLOUDFRONT") async throws -> AWS.WAFV2.Versioned {
        let snapshot = try await harness.snapshot("wafv2.web_acl.edge")
        let id = try XCTUnwrap(snapshot?.id)
        let name = try XCTUnwrap(snapshot?.properties["name"]?.stringValue)
        return try await waf.webACL(name: name, scope: scope, id: id)
    }

    func testCloudFrontWebACLLifecycle() async throws {
        let harness = try StackHarness(region: "eu-west-2")
        let waf = harness.aws.wafv2(region: "us-east-1")
        var settings = Settings(name: "upload-\(UUID().uuidString.prefix(8))")
        try await harness.apply(declare(settings))

        // Read back through the API, in us-east-1 whatever the stack's region.
        var acl = try await live(waf, harness).webACL
        XCTAssertTrue(acl.arn.hasPrefix("arn:aws:wafv2:us-east-1:123456789012:global/webacl/\(settings.name)/"), acl.arn)
        XCTAssertEqual(acl.defaultAction.name, "ALLOW")
        XCTAssertEqual(acl.description, "upload API firewall")
        XCTAssertEqual(acl.visibilityConfig, .init(sampledRequestsEnabled: true, cloudWatchMetricsEnabled: true, metricName: "upload-api"))
        let rules = acl.rules ?? []
        XCTAssertEqual(rules.map(\.name), ["AWSManagedRulesCommonRuleSet", "per-ip"])
        XCTAssertEqual(rules.first?.statement.managedRuleGroupStatement?.ruleActionOverrides,
                       [.init(name: "SizeRestrictions_BODY", actionToUse: .init("COUNT"))])
        XCTAssertEqual(rules.first?.overrideAction?.name, "NONE")
        XCTAssertEqual(rules.last?.statement.rateBasedStatement?.limit, 500)
        XCTAssertEqual(rules.last?.action?.name, "BLOCK")
        var tags = try await waf.tags(acl.arn)
        XCTAssertEqual(tags.filter { !$0.key.hasPrefix("imgstack:") }, [.init(key: "app", value: "upload")])
        XCTAssertTrue(tags.contains { $0.key == "imgstack:intent" }, "created with imgstack's intent tag")
        let snapshot = try await harness.snapshot("wafv2.web_acl.edge")
        XCTAssertEqual(snapshot?.attributes["arn"], .string(acl.arn))
        let state = try await harness.state
        XCTAssertEqual(state.resources.first?.region, "us-east-1")
        var plan = try await harness.plan(declare(settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // In place, with the lock token: default action, rate limit, overrides, tags.
        settings.defaultAction = .block
        settings.limit = 2000
        settings.overrides = [:]
        settings.tags = ["app": "upload", "stage": "prod"]
        plan = try await harness.apply(declare(settings))
        XCTAssertEqual(StackHarness.action(plan, "wafv2.web_acl.edge"), .update)
        acl = try await live(waf, harness).webACL
        XCTAssertEqual(acl.defaultAction.name, "BLOCK")
        XCTAssertEqual(acl.rules?.last?.statement.rateBasedStatement?.limit, 2000)
        XCTAssertNil(acl.rules?.first?.statement.managedRuleGroupStatement?.ruleActionOverrides)
        tags = try await waf.tags(acl.arn)
        XCTAssertEqual(Set(tags.map(\.key).filter { !$0.hasPrefix("imgstack:") }), ["app", "stage"] as Set)
        plan = try await harness.plan(declare(settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // Drift made outside imgstack (which also moves the lock token on) is shown and repaired.
        let outside = try await live(waf, harness)
        let changed = AWS.WAFV2.WebACLSettings(defaultAction: "ALLOW", description: outside.webACL.description, rules: [],
                                               visibilityConfig: outside.webACL.visibilityConfig)
        try await waf.updateWebACL(name: settings.name, scope: "CLOUDFRONT", id: outside.webACL.id, changed, lockToken: outside.lockToken)
        plan = try await harness.plan(declare(settings))
        let drift = plan.changes.first { $0.address.description == "wafv2.web_acl.edge" }
        XCTAssertEqual(drift?.changedProperties, ["defaultAction", "rules"])
        try await harness.apply(declare(settings))
        acl = try await live(waf, harness).webACL
        XCTAssertEqual(acl.defaultAction.name, "BLOCK")
        XCTAssertEqual(acl.rules?.count, 2)

        // A new name replaces the web ACL (names are fixed at creation).
        let oldID = acl.id
        let oldName = settings.name
        settings.name = "upload-\(UUID().uuidString.prefix(8))"
        plan = try await harness.plan(declare(settings))
        XCTAssertEqual(StackHarness.action(plan, "wafv2.web_acl.edge"), .replace)
        try await harness.apply(declare(settings))
        await assertGone(waf, name: oldName, id: oldID)
        plan = try await harness.plan(declare(settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // Import reads every property back.
        acl = try await live(waf, harness).webACL
        let context = OperationContext(address: Address(type: "wafv2.web_acl", name: "edge"), region: "us-east-1", client: harness.aws)
        let imported = try await ImgStack.WAFv2.WebACL.makeType().checkedImport(id: "\(acl.id)/\(settings.name)/CLOUDFRONT", context: context)
        XCTAssertEqual(imported?.properties["defaultAction"], "BLOCK")
        XCTAssertEqual(imported?.properties["rules"]?.listValue?.count, 2)
        XCTAssertEqual(imported?.properties["tags"], ["app": "upload", "stage": "prod"])
        // Made by the apply, not by the create a crash interrupted: never adopted (OwnershipRecoveryTests has both sides).
        let someoneElses = OperationContext(address: context.address, region: context.region, intentID: UUID().uuidString, client: harness.aws)
        let found = try await ImgStack.WAFv2.WebACL.makeType().findCreated(from: ["name": .string(settings.name), "scope": "CLOUDFRONT"],
                                                                            context: someoneElses)
        XCTAssertNil(found, "a same-named web ACL without the intent's tag is not adopted")

        try await harness.destroy(declare(settings))
        await assertGone(waf, name: settings.name, id: acl.id)
        let destroyed = try await harness.state
        XCTAssertTrue(destroyed.resources.isEmpty)
    }

    func testRegionalWebACLStaysInTheStacksRegion() async throws {
        let harness = try StackHarness(region: "eu-west-2")
        let settings = Settings(name: "regional-\(UUID().uuidString.prefix(8))", scope: .regional)
        try await harness.apply(declare(settings))
        let acl = try await live(harness.aws.wafv2(region: "eu-west-2"), harness, scope: "REGIONAL").webACL
        XCTAssertTrue(acl.arn.hasPrefix("arn:aws:wafv2:eu-west-2:123456789012:regional/webacl/"), acl.arn)
        try await harness.destroy(declare(settings))
    }

    /// The emulator refuses what WAF refuses (test support fills it): a CLOUDFRONT web ACL
    /// outside us-east-1, and a stale lock token.
    func testEmulatorRefusesWhatWAFRefuses() async throws {
        let harness = try StackHarness(region: "eu-west-2")
        let visibility = AWS.WAFV2.VisibilityConfig(sampledRequestsEnabled: false, cloudWatchMetricsEnabled: false, metricName: "m")
        let settings = AWS.WAFV2.WebACLSettings(defaultAction: "ALLOW", description: nil, rules: [], visibilityConfig: visibility)
        do {
            _ = try await harness.aws.wafv2(region: "eu-west-2").createWebACL(name: "elsewhere", scope: "CLOUDFRONT", settings, tags: [])
            XCTFail("CLOUDFRONT web ACLs live in us-east-1")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "WAFInvalidParameterException")
        }
        let waf = harness.aws.wafv2(region: "us-east-1")
        let name = "stale-\(UUID().uuidString.prefix(8))"
        let summary = try await waf.createWebACL(name: name, scope: "CLOUDFRONT", settings, tags: [])
        let first = try XCTUnwrap(summary.lockToken)
        try await waf.updateWebACL(name: name, scope: "CLOUDFRONT", id: try XCTUnwrap(summary.id), settings, lockToken: first)
        do {
            try await waf.updateWebACL(name: name, scope: "CLOUDFRONT", id: try XCTUnwrap(summary.id), settings, lockToken: first)
            XCTFail("a used lock token is stale")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, .wafOptimisticLockException)
        }
        let current = try await waf.webACL(name: name, scope: "CLOUDFRONT", id: try XCTUnwrap(summary.id))
        try await waf.deleteWebACL(name: name, scope: "CLOUDFRONT", id: current.webACL.id, lockToken: current.lockToken)
    }

    private func assertGone(_ waf: AWS.WAFV2, name: String, id: String, file: StaticString = #filePath, line: UInt = #line) async {
        do {
            _ = try await waf.webACL(name: name, scope: "CLOUDFRONT", id: id)
            XCTFail("the web ACL \(name) survived", file: file, line: line)
        } catch let error as AWSError {
            XCTAssertEqual(error.code, .wafNonexistentItemException, file: file, line: line)
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
    }
}
