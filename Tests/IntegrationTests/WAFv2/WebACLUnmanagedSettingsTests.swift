import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// WAF writes a web ACL whole (`UpdateWebACL`). A setting added outside imgstack that the
/// stack's form cannot express — a scope-down statement, a pinned rule group version, a custom
/// response, rule labels, a rule's own sampling flag, another kind of statement, custom response
/// bodies, a CAPTCHA setting, a default action's request handling — is named in the plan as
/// drift, and the next apply writes the stack's web ACL back.
final class WebACLUnmanagedSettingsTests: XCTestCase {
    private func declare(_ name: String) -> Stack {
        Stack("waf-unmanaged-settings") { stack in
            stack.add(ImgStack.WAFv2.WebACL("edge", name: Text(name), scope: .cloudFront, rules: [
                .managedRuleGroup("AWSManagedRulesCommonRuleSet", priority: 0),
                .rateLimit(name: "per-ip", priority: 1, limit: 500),
            ], metricName: "unmanaged"))
        }
    }

    /// One change made outside imgstack, as an edit of the web ACL `GetWebACL` returns.
    private struct Console {
        var name: String
        var property: String
        var named: String
        var edit: (inout [String: Any]) -> Void
    }

    private static func editRule(_ acl: inout [String: Any], _ index: Int, _ edit: (inout [String: Any]) -> Void) {
        var rules = acl["Rules"] as? [[String: Any]] ?? []
        edit(&rules[index])
        acl["Rules"] = rules
    }

    private static func editStatement(_ acl: inout [String: Any], _ index: Int, _ kind: String, _ member: String, _ value: Any) {
        editRule(&acl, index) { rule in
            var statement = rule["Statement"] as? [String: Any] ?? [:]
            var inner = statement[kind] as? [String: Any] ?? [:]
            inner[member] = value
            statement[kind] = inner
            rule["Statement"] = statement
        }
    }

    private static var byteMatch: [String: Any] { [
        "ByteMatchStatement": ["SearchString": Data("/admin".utf8).base64EncodedString(), "FieldToMatch": ["UriPath": [String: Any]()],
                               "TextTransformations": [["Priority": 0, "Type": "NONE"]], "PositionalConstraint": "STARTS_WITH"],
    ] }

    private let changes = [
        Console(name: "a scope-down statement on the managed group", property: "rules", named: "Statement/ManagedRuleGroupStatement/ScopeDownStatement") {
            editStatement(&$0, 0, "ManagedRuleGroupStatement", "ScopeDownStatement", byteMatch)
        },
        Console(name: "a pinned rule group version", property: "rules", named: "Statement/ManagedRuleGroupStatement/Version") {
            editStatement(&$0, 0, "ManagedRuleGroupStatement", "Version", "Version_1.4")
        },
        Console(name: "a scope-down statement on the rate rule", property: "rules", named: "Statement/RateBasedStatement/ScopeDownStatement") {
            editStatement(&$0, 1, "RateBasedStatement", "ScopeDownStatement", byteMatch)
        },
        Console(name: "a custom response on the rate rule's block", property: "rules", named: "Action/Block/CustomResponse") {
            editRule(&$0, 1) { $0["Action"] = ["Block": ["CustomResponse": ["ResponseCode": 429]]] }
        },
        Console(name: "labels on a rule", property: "rules", named: "RuleLabels") {
            editRule(&$0, 1) { $0["RuleLabels"] = [["Name": "upload:throttled"]] }
        },
        Console(name: "a rule's sampling switched off", property: "rules", named: "VisibilityConfig/SampledRequestsEnabled") {
            editRule(&$0, 0) { rule in
                var visibility = rule["VisibilityConfig"] as? [String: Any] ?? [:]
                visibility["SampledRequestsEnabled"] = false
                rule["VisibilityConfig"] = visibility
            }
        },
        Console(name: "a rule with another kind of statement", property: "rules", named: "Statement/ByteMatchStatement") { acl in
            var rules = acl["Rules"] as? [[String: Any]] ?? []
            rules.append(["Name": "admin", "Priority": 2, "Statement": byteMatch, "Action": ["Block": [String: Any]()],
                          "VisibilityConfig": ["SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "admin"]])
            acl["Rules"] = rules
        },
        Console(name: "custom response bodies", property: "unmanagedByImgstack", named: "CustomResponseBodies") {
            $0["CustomResponseBodies"] = ["slow-down": ["ContentType": "TEXT_PLAIN", "Content": "slow down"]]
        },
        Console(name: "a CAPTCHA immunity time", property: "unmanagedByImgstack", named: "CaptchaConfig") {
            $0["CaptchaConfig"] = ["ImmunityTimeProperty": ["ImmunityTime": 60]]
        },
        Console(name: "a header inserted by the default action", property: "unmanagedByImgstack", named: "DefaultAction/Allow/CustomRequestHandling") {
            $0["DefaultAction"] = ["Allow": ["CustomRequestHandling": ["InsertHeaders": [["Name": "checked", "Value": "yes"]]]]]
        },
    ]

    private static func call(_ aws: AWSClient, _ operation: String, _ body: [String: Any]) async throws -> [String: Any] {
        let response = try await aws.rest(.wafv2, operation, method: "POST", path: "/",
                                          headers: ["X-Amz-Target": "AWSWAF_20190729.\(operation)", "Content-Type": "application/x-amz-json-1.1"],
                                          body: try JSONSerialization.data(withJSONObject: body), region: "us-east-1")
        return try JSONSerialization.jsonObject(with: response.body) as? [String: Any] ?? [:]
    }

    private func change(_ key: [String: Any], _ console: Console, aws: AWSClient) async throws {
        let current = try await Self.call(aws, "GetWebACL", key)
        var acl = current["WebACL"] as? [String: Any] ?? [:]
        console.edit(&acl)
        var update = key
        for member in ["DefaultAction", "Description", "Rules", "VisibilityConfig", "CustomResponseBodies", "CaptchaConfig"] {
            update[member] = acl[member]
        }
        update["LockToken"] = current["LockToken"]
        _ = try await Self.call(aws, "UpdateWebACL", update)
    }

    func testSettingsTheStackCannotExpressShowAsDriftAndAreWrittenBack() async throws {
        let harness = try StackHarness(region: "eu-west-2")
        let stack = declare("unmanaged-\(UUID().uuidString.prefix(8))")
        try await harness.apply(stack)
        let recorded = try await harness.snapshot("wafv2.web_acl.edge")
        let key: [String: Any] = ["Name": try XCTUnwrap(recorded?.properties["name"]?.stringValue), "Scope": "CLOUDFRONT", "Id": try XCTUnwrap(recorded?.id)]

        for console in changes {
            try await change(key, console, aws: harness.aws)
            try await harness.assertUnmanagedDriftIsShownAndRepaired(stack, "wafv2.web_acl.edge", property: console.property,
                                                                     named: [console.named], console.name)
        }
        // Written back whole: nothing the console added is left.
        let acl = try await harness.aws.wafv2(region: "us-east-1").webACL(name: key["Name"] as? String ?? "", scope: "CLOUDFRONT", id: recorded?.id ?? "")
        XCTAssertEqual(acl.webACL.unmodeled, [])
        XCTAssertEqual(acl.webACL.rules?.flatMap(\.unmodeled), [])
        XCTAssertEqual(acl.webACL.rules?.count, 2)
        try await harness.destroy(stack)
    }
}
