/// Renders a plan for people, in the shape Terraform users know: `+` create, `~` update,
/// `-/+` replace, `-` destroy, with each changed attribute as `old -> new`.
public struct HumanPlanRenderer: Sendable {
    /// Colours, or none.
    public var style: TerminalStyle

    /// Creates a renderer.
    public init(style: TerminalStyle = .plain) {
        self.style = style
    }

    /// The whole plan as text, ending with the summary line.
    public func render(_ plan: Plan) -> String {
        var out: [String] = []
        for read in plan.stackReferences ?? [] {
            out.append(style.dim("Read \(Address(type: Address.stackReferenceType, name: read.name)): outputs of stack \(read.stack) at serial \(read.serial) (\(read.location))"))
        }
        if plan.stackReferences?.isEmpty == false { out.append("") }
        for warning in plan.warnings { out.append(style.yellow("Warning: ") + warning); out.append("") }
        if !plan.drift.isEmpty {
            out.append(style.bold("Note: Objects have changed outside of imgstack"))
            out.append("")
            for drift in plan.drift { out += renderDrift(drift); out.append("") }
        }
        guard plan.hasChanges else {
            out.append(style.bold("No changes.") + " Your infrastructure matches the configuration.")
            return out.joined(separator: "\n") + "\n"
        }
        let actionable = plan.actionable
        if !actionable.isEmpty {
            out.append("imgstack will perform the following actions:")
            out.append("")
            for lookup in plan.lookups ?? [] where lookup.feedsChange {
                let lines = renderLookup(lookup)
                if !lines.isEmpty { out += lines; out.append("") }
            }
            for change in actionable { out += renderChange(change); out.append("") }
        }
        let counts = plan.counts
        out.append(style.bold("Plan:") + " \(counts.add) to add, \(counts.change) to change, \(counts.destroy) to destroy.")
        let outputs = plan.outputs.filter(\.changes)
        if !outputs.isEmpty {
            out.append("")
            out.append("Changes to Outputs:")
            for output in outputs { out.append(renderOutput(output)) }
        }
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: - Resources

    /// The lines of one resource's change.
    public func renderChange(_ change: ResourceChange) -> [String] {
        let name = change.address.description + (change.deposedID.map { " (deposed object \($0))" } ?? "")
        var lines: [String] = []
        let header: String
        let symbol: String
        switch change.action {
        case .create:
            header = "will be created"; symbol = style.green("  +")
        case .update:
            header = "will be updated in place"; symbol = style.yellow("  ~")
        case .delete:
            header = "will be destroyed"; symbol = style.red("  -")
        case .replace:
            let order = change.replaceOrder == .deleteBeforeCreate ? "destroy before create" : "create before destroy"
            header = "must be replaced (\(order))"
            symbol = change.replaceOrder == .deleteBeforeCreate ? style.red("-") + "/" + style.green("+") : style.green("+") + "/" + style.red("-")
        case .noop:
            header = "has no changes"; symbol = "   "
        }
        lines.append("  " + style.bold("# \(name)") + " " + header)
        if let reason = change.reason { lines.append("  # (\(reason))") }
        if let note = change.deletionNote { lines.append("  # (\(note))") }
        lines.append("\(symbol) \(change.address) {")
        lines += attributeLines(change)
        lines.append("    }")
        return lines
    }

    private func attributeLines(_ change: ResourceChange) -> [String] {
        let before = change.before ?? [:]
        let after = change.after ?? [:]
        let sensitive = Set(change.sensitiveNames)
        let names = Set(before.keys).union(after.keys).sorted()
        let width = names.map(\.count).max() ?? 0
        var lines: [String] = []
        var hidden = 0
        for name in names {
            let old = before[name]
            let new = after[name]
            let label = ValueFormatter.pad(name, width)
            let indent = "        "
            switch change.action {
            case .create:
                guard let new, new != .null else { continue }
                lines.append("      " + style.green("+") + " \(label) = " + show(new, name, sensitive, indent))
            case .delete:
                guard let old, old != .null else { continue }
                lines.append("      " + style.red("-") + " \(label) = " + show(old, name, sensitive, indent))
            case .update, .replace, .noop:
                let changed = change.changedProperties.contains(name) || old != new
                if !changed {
                    if name == "id" || change.action == .noop { lines.append("        \(label) = " + show(old ?? .null, name, sensitive, indent)) } else { hidden += 1 }
                    continue
                }
                let forces = change.replacePaths.contains(name) ? style.red(" # forces replacement") : ""
                switch (old, new) {
                case (nil, let new?), (.some(.null), let new?):
                    lines.append("      " + style.green("+") + " \(label) = " + show(new, name, sensitive, indent) + forces)
                case (let old?, nil), (let old?, .some(.null)):
                    lines.append("      " + style.red("-") + " \(label) = " + show(old, name, sensitive, indent) + forces)
                case (let old?, let new?):
                    lines.append("      " + style.yellow("~") + " \(label) = " + show(old, name, sensitive, indent) + " -> " + show(new, name, sensitive, indent) + forces)
                default:
                    continue
                }
            }
        }
        if hidden > 0 { lines.append(style.dim("        # (\(hidden) unchanged attribute\(hidden == 1 ? "" : "s") hidden)")) }
        return lines
    }

    private func show(_ value: Value, _ name: String, _ sensitive: Set<String>, _ indent: String) -> String {
        if value == .unknown { return ValueFormatter.unknownText }
        if sensitive.contains(name) { return ValueFormatter.sensitiveText }
        return ValueFormatter.format(value, indent: indent)
    }

    /// A lookup that feeds a change: read during apply, or read anew with other values than
    /// the last apply recorded (Terraform's `<=` for data sources). Nothing when its values
    /// stay as recorded.
    private func renderLookup(_ lookup: PlannedLookup) -> [String] {
        guard let after = lookup.after else {
            return ["  " + style.bold("# \(lookup.address)") + " will be read during apply", "  " + style.dim("<=") + " \(lookup.address)"]
        }
        guard let before = lookup.before, before != after else { return [] }
        let names = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
        let width = names.map(\.count).max() ?? 0
        var lines = ["  " + style.bold("# \(lookup.address)") + " reads other values than at the last apply", "  " + style.dim("<=") + " \(lookup.address) {"]
        for name in names {
            lines.append("      " + style.yellow("~") + " \(ValueFormatter.pad(name, width)) = "
                + show(before[name] ?? .null, name, [], "        ") + " -> " + show(after[name] ?? .null, name, [], "        "))
        }
        lines.append("    }")
        return lines
    }

    // MARK: - Drift and outputs

    private func renderDrift(_ drift: Drift) -> [String] {
        if drift.deleted {
            return ["  " + style.bold("# \(drift.address)") + " has been deleted outside imgstack"]
        }
        var lines = ["  " + style.bold("# \(drift.address)") + " has changed outside imgstack", "  " + style.yellow("~") + " \(drift.address) {"]
        let sensitive = Set(drift.sensitiveNames)
        let width = drift.changes.map(\.name.count).max() ?? 0
        for item in drift.changes {
            lines.append("      " + style.yellow("~") + " \(ValueFormatter.pad(item.name, width)) = "
                + show(item.recorded, item.name, sensitive, "        ") + " -> " + show(item.actual, item.name, sensitive, "        "))
        }
        lines.append("    }")
        return lines
    }

    private func renderOutput(_ output: OutputChange) -> String {
        let hide: (Value) -> String = { value in
            value == .unknown ? ValueFormatter.unknownText
                : output.sensitive ? ValueFormatter.sensitiveText : ValueFormatter.format(value, indent: "    ")
        }
        switch (output.before, output.after) {
        case (nil, let new?): return "  " + style.green("+") + " \(output.name) = " + hide(new)
        case (let old?, nil): return "  " + style.red("-") + " \(output.name) = " + hide(old)
        case (let old?, let new?): return "  " + style.yellow("~") + " \(output.name) = " + hide(old) + " -> " + hide(new)
        case (nil, nil): return "  \(output.name)"
        }
    }
}
