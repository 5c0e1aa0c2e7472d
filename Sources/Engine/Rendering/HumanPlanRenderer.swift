/// Renders a plan for people, in the shape Terraform users know: `+` create, `~` update,
/// `-/+` replace, `-` destroy, with each changed attribute as `old -> new`.
///
/// The text is written into one string as it is made (a plan of 100,000 resources has millions
/// of attribute lines; a string per line and a join cost a quarter of planning).
public struct HumanPlanRenderer: Sendable {
    /// Colours, or none.
    public var style: TerminalStyle

    /// Creates a renderer.
    public init(style: TerminalStyle = .plain) {
        self.style = style
    }

    /// The indent of a value's continuation lines under an attribute.
    private static let valueIndent = "        "

    /// The whole plan as text, ending with the summary line.
    public func render(_ plan: Plan) -> String {
        var out = ""
        for read in plan.stackReferences ?? [] {
            line(style.dim("Read \(Address(type: Address.stackReferenceType, name: read.name)): outputs of stack \(read.stack) at serial \(read.serial) (\(read.location))"), into: &out)
        }
        if plan.stackReferences?.isEmpty == false { out += "\n" }
        for warning in plan.warnings { line(style.yellow("Warning: ") + warning, into: &out); out += "\n" }
        if !plan.drift.isEmpty {
            line(style.bold("Note: Objects have changed outside of imgstack"), into: &out)
            out += "\n"
            for drift in plan.drift { writeDrift(drift, into: &out); out += "\n" }
        }
        guard plan.hasChanges else {
            line(style.bold("No changes.") + " Your infrastructure matches the configuration.", into: &out)
            return out
        }
        let actionable = plan.actionable
        if !actionable.isEmpty {
            out.reserveCapacity(out.utf8.count + actionable.count * 400)
            line("imgstack will perform the following actions:", into: &out)
            out += "\n"
            for lookup in plan.lookups ?? [] where lookup.feedsChange {
                if writeLookup(lookup, into: &out) { out += "\n" }
            }
            for change in actionable { writeChange(change, into: &out); out += "\n" }
        }
        let counts = plan.counts
        line(style.bold("Plan:") + " \(counts.add) to add, \(counts.change) to change, \(counts.destroy) to destroy.", into: &out)
        let outputs = plan.outputs.filter(\.changes)
        if !outputs.isEmpty {
            out += "\n"
            line("Changes to Outputs:", into: &out)
            for output in outputs { writeOutput(output, into: &out) }
        }
        return out
    }

    private func line(_ text: String, into out: inout String) {
        out += text
        out += "\n"
    }

    // MARK: - Resources

    /// Appends the lines of one resource's change.
    private func writeChange(_ change: ResourceChange, into out: inout String) {
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
        let address = change.address.description
        let name = address + (change.deposedID.map { " (deposed object \($0))" } ?? "")
        line("  " + style.bold("# \(name)") + " " + header, into: &out)
        if let reason = change.reason { line("  # (\(reason))", into: &out) }
        if let note = change.deletionNote { line("  # (\(note))", into: &out) }
        line("\(symbol) \(address) {", into: &out)
        writeAttributes(of: change, into: &out)
        line("    }", into: &out)
    }

    private func writeAttributes(of change: ResourceChange, into out: inout String) {
        let before = change.before ?? [:]
        let after = change.after ?? [:]
        let names = before.isEmpty ? after.keys.sorted() : after.isEmpty ? before.keys.sorted() : Set(before.keys).union(after.keys).sorted()
        let width = names.reduce(0) { max($0, ValueFormatter.width(of: $1)) }
        let sensitive = change.sensitiveNames
        var hidden = 0
        for name in names {
            let old = before[name]
            let new = after[name]
            switch change.action {
            case .create:
                guard let new, new != .null else { continue }
                writeAttribute(style.green("+"), name, width, new, sensitive, into: &out)
            case .delete:
                guard let old, old != .null else { continue }
                writeAttribute(style.red("-"), name, width, old, sensitive, into: &out)
            case .update, .replace, .noop:
                let changed = change.changedProperties.contains(name) || old != new
                if !changed {
                    if name == "id" || change.action == .noop {
                        out += "        "
                        writeAttribute(nil, name, width, old ?? .null, sensitive, into: &out)
                    } else {
                        hidden += 1
                    }
                    continue
                }
                let forces = change.replacePaths.contains(name) ? style.red(" # forces replacement") : ""
                switch (old, new) {
                case (nil, let new?), (.some(.null), let new?):
                    writeAttribute(style.green("+"), name, width, new, sensitive, suffix: forces, into: &out)
                case (let old?, nil), (let old?, .some(.null)):
                    writeAttribute(style.red("-"), name, width, old, sensitive, suffix: forces, into: &out)
                case (let old?, let new?):
                    writeAttribute(style.yellow("~"), name, width, old, sensitive, then: new, suffix: forces, into: &out)
                default:
                    continue
                }
            }
        }
        if hidden > 0 { line(style.dim("        # (\(hidden) unchanged attribute\(hidden == 1 ? "" : "s") hidden)"), into: &out) }
    }

    /// Appends `      ± name = value[ -> then]suffix`: with a marker, the marker's indent; without
    /// one, just the padded name (the caller wrote the indent).
    private func writeAttribute(_ marker: String?, _ name: String, _ width: Int, _ value: Value, _ sensitive: [String],
                                then next: Value? = nil, suffix: String = "", into out: inout String) {
        if let marker {
            out += "      "
            out += marker
            out += " "
        }
        ValueFormatter.pad(name, to: width, into: &out)
        out += " = "
        writeValue(value, name, sensitive, into: &out)
        if let next {
            out += " -> "
            writeValue(next, name, sensitive, into: &out)
        }
        out += suffix
        out += "\n"
    }

    private func writeValue(_ value: Value, _ name: String, _ sensitive: [String], into out: inout String) {
        if value == .unknown { out += ValueFormatter.unknownText; return }
        if sensitive.contains(name) { out += ValueFormatter.sensitiveText; return }
        ValueFormatter.write(value, indent: Self.valueIndent, into: &out)
    }

    /// Appends a lookup that feeds a change: read during apply, or read anew with other values
    /// than the last apply recorded (Terraform's `<=` for data sources). Nothing when its values
    /// stay as recorded.
    /// - Returns: whether anything was written.
    private func writeLookup(_ lookup: PlannedLookup, into out: inout String) -> Bool {
        guard let after = lookup.after else {
            line("  " + style.bold("# \(lookup.address)") + " will be read during apply", into: &out)
            line("  " + style.dim("<=") + " \(lookup.address)", into: &out)
            return true
        }
        guard let before = lookup.before, before != after else { return false }
        let names = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
        let width = names.reduce(0) { max($0, ValueFormatter.width(of: $1)) }
        line("  " + style.bold("# \(lookup.address)") + " reads other values than at the last apply", into: &out)
        line("  " + style.dim("<=") + " \(lookup.address) {", into: &out)
        for name in names {
            writeAttribute(style.yellow("~"), name, width, before[name] ?? .null, [], then: after[name] ?? .null, into: &out)
        }
        line("    }", into: &out)
        return true
    }

    // MARK: - Drift and outputs

    private func writeDrift(_ drift: Drift, into out: inout String) {
        if drift.deleted {
            line("  " + style.bold("# \(drift.address)") + " has been deleted outside imgstack", into: &out)
            return
        }
        line("  " + style.bold("# \(drift.address)") + " has changed outside imgstack", into: &out)
        line("  " + style.yellow("~") + " \(drift.address) {", into: &out)
        let width = drift.changes.reduce(0) { max($0, ValueFormatter.width(of: $1.name)) }
        for item in drift.changes {
            writeAttribute(style.yellow("~"), item.name, width, item.recorded, drift.sensitiveNames, then: item.actual, into: &out)
        }
        line("    }", into: &out)
    }

    private func writeOutput(_ output: OutputChange, into out: inout String) {
        let hide: (Value) -> String = { value in
            value == .unknown ? ValueFormatter.unknownText
                : output.sensitive ? ValueFormatter.sensitiveText : ValueFormatter.format(value, indent: "    ")
        }
        switch (output.before, output.after) {
        case (nil, let new?): line("  " + style.green("+") + " \(output.name) = " + hide(new), into: &out)
        case (let old?, nil): line("  " + style.red("-") + " \(output.name) = " + hide(old), into: &out)
        case (let old?, let new?): line("  " + style.yellow("~") + " \(output.name) = " + hide(old) + " -> " + hide(new), into: &out)
        case (nil, nil): line("  \(output.name)", into: &out)
        }
    }
}
