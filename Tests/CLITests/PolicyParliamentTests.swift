import Foundation
import TestSupport
import XCTest

/// Every policy document `imgstack policy` generates for a shipped stack passes `parliament` (PyPI), the
/// IAM policy linter with its own copy of the Service Authorization Reference: no unknown
/// action or service, no action granted on a resource type it does not take, no malformed ARN,
/// statement id or document.
final class PolicyParliamentTests: XCTestCase {
    /// The findings that fail the test. Left out: `RESOURCE_STAR` (a `*` AWS itself requires is
    /// named with its reason in the output) and `RESOURCE_POLICY_PRIVILEGE_ESCALATION`
    /// (`s3:PutBucketPolicy` without the object actions is what a stack with a bucket policy needs).
    private static let failing: Set<String> = [
        "MALFORMED_JSON", "MALFORMED", "DUPLICATE_SID", "UNKNOWN_ACTION", "UNKNOWN_PREFIX", "INVALID_SID", "INVALID_ARN",
        "NO_VERSION", "INVALID_VERSION", "OLD_VERSION", "RESOURCE_MISMATCH", "MISMATCHED_TYPE",
    ]

    func testEveryShippedStacksPolicyPassesParliament() async throws {
        guard let parliament = ProcessRunner.which("parliament") else {
            let isCI = ProcessInfo.processInfo.environment["CI"].map { !["", "0", "false"].contains($0.lowercased()) } ?? false
            if isCI { XCTFail("parliament is not installed; run: python3 -m pip install parliament") }
            throw XCTSkip("parliament is not installed; run: python3 -m pip install parliament")
        }
        let stacks: [(String, [String])] = [
            ("image-server", []), ("quickstart", []), ("microservice-storage", []), ("s3-proxy", []), ("upload-api", []),
            ("file-upload-app", []),
            ("deploy-role", ["--var", "account_id=123456789012"]),
        ]
        let cli = try CLI()
        for (stack, variables) in stacks {
            for purpose in ["plan", "apply", "destroy", "all"] {
                let arguments = ["policy", "--json", "--stack", stack, "--for", purpose, "--account", "123456789012",
                                 "--backend", "s3://acme-state/\(stack)/?kms_key=alias/state"] + variables
                let result = try await cli.run(arguments)
                XCTAssertEqual(result.status, 0, "\(stack) \(purpose): \(result.standardError)")
                let output = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
                for document in try XCTUnwrap(output["policies"] as? [[String: Any]]) {
                    let text = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
                    let lint = try await ProcessRunner(executable: parliament, arguments: ["--json"], standardInput: text).run(timeout: 120)
                    let findings = lint.standardOutput.split(separator: "\n").compactMap {
                        try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
                    }
                    for finding in findings where Self.failing.contains(finding["issue"] as? String ?? "") {
                        XCTFail("\(stack) --for \(purpose): \(finding["issue"] ?? "") \(finding["detail"] ?? "")")
                    }
                }
            }
        }
    }
}
