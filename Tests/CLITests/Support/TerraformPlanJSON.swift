import Engine
import Foundation
import ImgStack
import TestSupport

/// A stack's Terraform-format plan made in process, with no state and no AWS: what
/// `imgstack plan --json` prints for a first apply.
enum TerraformPlanJSON {
    /// The variables a shipped stack cannot be planned without.
    static let requiredVariables: [String: [String: Value]] = ["deploy-role": ["account_id": "123456789012"]]

    /// The plan of `stack` as Terraform's JSON plan document.
    static func render(_ stack: Stack, region: String = "us-east-1") throws -> String {
        let evaluation = try stack.evaluate(variables: requiredVariables[stack.name] ?? [:], region: region)
        let plan = try Planner(stack: evaluation.definition)
            .plan(prior: StateFile(stack: stack.name, lineage: "terraform-plan-json"), variables: evaluation.variables)
        return JSONPlanRenderer(schemas: evaluation.definition.knownTypes.values.map(\.schema)).render(plan)
    }

    /// The document as nested Foundation values.
    static func parse(_ text: String) throws -> [String: Any] {
        guard let document = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw CocoaError(.coderInvalidValue)
        }
        return document
    }

    /// The addresses in `planned_values.root_module.resources`.
    static func plannedAddresses(_ document: [String: Any]) -> [String] {
        let planned = document["planned_values"] as? [String: Any]
        let module = planned?["root_module"] as? [String: Any]
        return (module?["resources"] as? [[String: Any]] ?? []).compactMap { $0["address"] as? String }
    }
}

/// checkov (PyPI `checkov`), run offline on JSON plans as `checkov -f plan.json --framework terraform_plan`.
struct Checkov: Sendable {
    /// One evaluated check.
    struct Finding: Hashable, Comparable, Sendable {
        var result: String
        var checkID: String
        var resource: String
        var line: String { "\(result) \(checkID) \(resource)" }
        static func < (lhs: Finding, rhs: Finding) -> Bool { (lhs.resource, lhs.checkID, lhs.result) < (rhs.resource, rhs.checkID, rhs.result) }
    }

    /// What one scan of several plans found.
    struct Report: Sendable {
        /// The checks evaluated, by the name of the plan they were evaluated in.
        var findings: [String: [Finding]]
        /// How many resources checkov read, over every plan.
        var resourceCount: Int

        /// The result of `checkID` on `resource` in plan `name`, nil when not evaluated.
        func result(_ checkID: String, _ resource: String, in name: String) -> String? {
            findings[name]?.first { $0.checkID == checkID && $0.resource == resource }?.result
        }
    }

    let executable: URL

    /// checkov from `IMGSTACK_CHECKOV`, the virtual environment `.ci/run` makes
    /// (`.build/checkov-venv`), or the PATH; nil when none is installed.
    static func find() -> Checkov? {
        let environment = ProcessInfo.processInfo.environment
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        var candidates = [root.appendingPathComponent(".build/checkov-venv/bin/checkov").path]
        if let given = environment["IMGSTACK_CHECKOV"] { candidates.insert(given, at: 0) }
        candidates += (environment["PATH"] ?? "").split(separator: ":").map { "\($0)/checkov" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }.map { Checkov(executable: URL(fileURLWithPath: $0)) }
    }

    /// Scans `plans` (name → Terraform's JSON plan format) with every built-in check, offline,
    /// in one run (checkov takes a minute to start on a busy machine).
    func scan(_ plans: [String: String]) async throws -> Report {
        let directory = try TemporaryDirectory(prefix: "imgstack-checkov")
        var arguments: [String] = []
        for (name, plan) in plans.sorted(by: { $0.key < $1.key }) {
            let file = directory.appending("\(name).json")
            try Data(plan.utf8).write(to: file)
            arguments += ["-f", file.path]
        }
        var environment = ProcessInfo.processInfo.environment
        // Nothing from the Bridgecrew platform: no mapping download, no policy download.
        environment["BC_SKIP_MAPPING"] = "TRUE"
        let runner = ProcessRunner(executable: executable,
                                   arguments: arguments + ["--framework", "terraform_plan", "--skip-download", "--output", "json",
                                                           "--compact", "--soft-fail"],
                                   environment: environment, currentDirectory: directory.url)
        let result = try await runner.run(timeout: 900)
        guard result.status == 0, let document = try? JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any] else {
            throw CheckovError(message: "checkov exited \(result.status): \(result.standardError.suffix(2000)) \(result.standardOutput.prefix(2000))")
        }
        let results = document["results"] as? [String: Any] ?? [:]
        var findings: [String: [Finding]] = [:]
        for (key, label) in [("passed_checks", "PASSED"), ("failed_checks", "FAILED")] {
            for check in results[key] as? [[String: Any]] ?? [] {
                let file = URL(fileURLWithPath: check["file_path"] as? String ?? "").deletingPathExtension().lastPathComponent
                findings[file, default: []].append(Finding(result: label, checkID: check["check_id"] as? String ?? "?",
                                                           resource: check["resource"] as? String ?? "?"))
            }
        }
        let summary = document["summary"] as? [String: Any] ?? [:]
        return Report(findings: findings.mapValues { $0.sorted() }, resourceCount: summary["resource_count"] as? Int ?? 0)
    }
}

struct CheckovError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
