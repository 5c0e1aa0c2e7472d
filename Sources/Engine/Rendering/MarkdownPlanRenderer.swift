import Foundation

/// Renders a plan as Markdown for a pull-request comment or a CI step summary: the summary
/// line, a table of changed resources, and the full human plan in a collapsible `diff` block.
public struct MarkdownPlanRenderer: Sendable {
    /// Creates a renderer.
    public init() {}

    /// The Markdown text.
    public func render(_ plan: Plan) -> String {
        let counts = plan.counts
        var lines = ["### imgstack \(plan.isDestroy ? "destroy plan" : "plan"): `\(plan.stack)`", ""]
        for warning in plan.warnings { lines.append("> [!WARNING]"); lines.append("> \(warning)"); lines.append("") }
        if !plan.drift.isEmpty {
            lines.append("**Changed outside imgstack:** " + plan.drift.map { "`\($0.address)`" + ($0.deleted ? " (deleted)" : "") }.joined(separator: ", "))
            lines.append("")
        }
        guard plan.hasChanges else {
            lines.append("**No changes.** The infrastructure matches the configuration.")
            return lines.joined(separator: "\n") + "\n"
        }
        lines.append("**Plan:** \(counts.add) to add, \(counts.change) to change, \(counts.destroy) to destroy.")
        lines.append("")
        let actionable = plan.actionable
        if !actionable.isEmpty {
            lines.append("| Action | Resource | Type | Changed |")
            lines.append("| --- | --- | --- | --- |")
            for change in actionable {
                let changed = change.action == .create || change.action == .delete ? ""
                    : change.changedProperties.map { name in
                        change.replacePaths.contains(name) ? "`\(name)` (forces replacement)" : "`\(name)`"
                    }.joined(separator: ", ")
                lines.append("| \(label(change)) | `\(change.address)` | `\(change.terraformType)` | \(changed) |")
            }
            lines.append("")
        }
        lines.append("<details><summary>Full plan</summary>")
        lines.append("")
        lines.append("```diff")
        lines.append(diffFriendly(HumanPlanRenderer(style: .plain).render(plan)))
        lines.append("```")
        lines.append("")
        lines.append("</details>")
        return lines.joined(separator: "\n") + "\n"
    }

    private func label(_ change: ResourceChange) -> String {
        switch change.action {
        case .create: return "➕ create"
        case .update: return "🔄 update"
        case .delete: return "🗑️ destroy"
        case .replace: return change.replaceOrder == .deleteBeforeCreate ? "♻️ replace (destroy first)" : "♻️ replace"
        case .noop: return "no-op"
        }
    }

    /// Moves each line's `+`, `-` or `~` marker to the first column so a `diff` code block
    /// colours it, as Terraform plan comments commonly do.
    private func diffFriendly(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let trimmed = line.drop { $0 == " " }
            guard let first = trimmed.first, "+-~".contains(first) else { return String(line) }
            let marker = first == "~" ? "!" : String(first)
            return marker + String(line.dropFirst())
        }.joined(separator: "\n").trimmingCharacters(in: .newlines)
    }
}
