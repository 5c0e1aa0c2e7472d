/// Writes values the way a plan shows them: strings quoted, maps and lists over several lines,
/// `(known after apply)` for unknowns, `(sensitive value)` for secrets.
enum ValueFormatter {
    static let unknownText = "(known after apply)"
    static let sensitiveText = "(sensitive value)"

    /// The value on one line when short, else over several lines indented by `indent`.
    static func format(_ value: Value, indent: String) -> String {
        switch value {
        case .unknown: return unknownText
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .string(let text): return Value.quoted(text)
        case .list(let items):
            if items.isEmpty { return "[]" }
            let inner = indent + "    "
            return "[\n" + items.map { inner + format($0, indent: inner) + "," }.joined(separator: "\n") + "\n" + indent + "]"
        case .map(let entries):
            if entries.isEmpty { return "{}" }
            let inner = indent + "    "
            let width = entries.keys.map { Value.quoted($0).count }.max() ?? 0
            return "{\n" + entries.sorted { $0.key < $1.key }.map { key, item in
                inner + pad(Value.quoted(key), width) + " = " + format(item, indent: inner)
            }.joined(separator: "\n") + "\n" + indent + "}"
        }
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
