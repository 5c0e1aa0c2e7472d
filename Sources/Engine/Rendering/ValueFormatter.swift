/// Writes values the way a plan shows them: strings quoted, maps and lists over several lines,
/// `(known after apply)` for unknowns, `(sensitive value)` for secrets.
enum ValueFormatter {
    static let unknownText = "(known after apply)"
    static let sensitiveText = "(sensitive value)"

    /// The value on one line when short, else over several lines indented by `indent`.
    static func format(_ value: Value, indent: String) -> String {
        var text = ""
        write(value, indent: indent, into: &text)
        return text
    }

    /// Appends the value as ``format(_:indent:)`` gives it to `out` (a plan is written into one
    /// string, not assembled from a string per value).
    static func write(_ value: Value, indent: String, into out: inout String) {
        switch value {
        case .unknown: out += unknownText
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .int(let number): out += String(number)
        case .double(let number): out += String(number)
        case .string(let text): out += Value.quoted(text)
        case .list(let items):
            guard !items.isEmpty else { out += "[]"; return }
            let inner = indent + "    "
            out += "[\n"
            for item in items {
                out += inner
                write(item, indent: inner, into: &out)
                out += ",\n"
            }
            out += indent
            out += "]"
        case .map(let entries):
            guard !entries.isEmpty else { out += "{}"; return }
            let inner = indent + "    "
            let keys = entries.keys.sorted().map { ($0, Value.quoted($0)) }
            let width = keys.reduce(0) { max($0, ValueFormatter.width(of: $1.1)) }
            out += "{\n"
            for (key, quoted) in keys {
                out += inner
                pad(quoted, to: width, into: &out)
                out += " = "
                write(entries[key] ?? .null, indent: inner, into: &out)
                out += "\n"
            }
            out += indent
            out += "}"
        }
    }

    /// Appends `text` and the spaces that make it `width` characters wide.
    static func pad(_ text: String, to width: Int, into out: inout String) {
        out += text
        let missing = width - self.width(of: text)
        guard missing > 0 else { return }
        // A slice of a string of spaces is appended as bytes; a repeated character, one by one.
        out += missing <= spaces.utf8.count ? spaces.prefix(missing) : Substring(String(repeating: " ", count: missing))
    }

    private static let spaces = String(repeating: " ", count: 64)

    /// How many characters `text` shows as: its byte count when it is ASCII (counting
    /// characters walks grapheme clusters, the slow way, and `\r\n` is one of them).
    static func width(of text: String) -> Int {
        text.utf8.allSatisfy { $0 < 0x80 && $0 != 0x0D } ? text.utf8.count : text.count
    }
}
