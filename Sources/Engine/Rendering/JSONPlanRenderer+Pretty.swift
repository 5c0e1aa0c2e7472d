extension JSONPlanRenderer {
    /// Pretty JSON with two-space indents and sorted keys.
    public func pretty(_ value: Value, indent: String = "") -> String {
        var text = ""
        write(value, indent: indent, to: &text)
        return text
    }

    /// Appends `value` as pretty JSON to `text`: one buffer for the whole document, not a string
    /// per nested value copied into its parent's.
    private func write(_ value: Value, indent: String, to text: inout String) {
        let inner = indent + "  "
        switch value {
        case .list(let items) where !items.isEmpty:
            text += "[\n"
            for (index, item) in items.enumerated() {
                if index > 0 { text += ",\n" }
                text += inner
                write(item, indent: inner, to: &text)
            }
            text += "\n" + indent + "]"
        case .map(let entries) where !entries.isEmpty:
            text += "{\n"
            for (index, entry) in entries.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { text += ",\n" }
                text += inner + Value.quoted(entry.key) + ": "
                write(entry.value, indent: inner, to: &text)
            }
            text += "\n" + indent + "}"
        default:
            text += value.canonicalJSON
        }
    }
}
