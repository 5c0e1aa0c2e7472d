/// Writes JSON text as UTF-8 bytes into one growing buffer, so a large document (a plan of
/// 100,000 resources, a whole state) is built without a string per nested value copied into its
/// parent's. ``Value/canonicalJSON`` and the pretty JSON of plans both write through it.
///
/// A writer made with an output streams: it hands its text on in pieces as they fill, so a
/// document of hundreds of megabytes is never held whole.
struct JSONWriter {
    /// The text written so far (when streaming: since the last piece handed on).
    private(set) var bytes: [UInt8] = []
    /// Where a streaming writer hands its pieces; nil keeps the whole text in ``bytes``.
    private let output: (([UInt8]) -> Void)?
    /// The size, in bytes, from which a piece is handed on (at the next member or element).
    private let pieceBytes: Int

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
        output = nil
        pieceBytes = .max
    }

    /// A streaming writer: `output` gets the text in pieces of about `pieceBytes` bytes, in
    /// order; ``finish()`` hands on the last one.
    init(pieceBytes: Int, output: @escaping ([UInt8]) -> Void) {
        // A piece ends after the member that fills it, so a little more than its size.
        bytes.reserveCapacity(min(pieceBytes, 1 << 22) / 4 * 5)
        self.output = output
        self.pieceBytes = pieceBytes
    }

    /// Hands what is left to the output of a streaming writer.
    mutating func finish() {
        guard let output, !bytes.isEmpty else { return }
        output(bytes)
        bytes.removeAll(keepingCapacity: false)
    }

    private mutating func handOnFullPiece() {
        guard bytes.count >= pieceBytes, let output else { return }
        output(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    /// The text written, as a string.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(_ ascii: StaticString) {
        ascii.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func append(byte: UInt8) { bytes.append(byte) }

    /// `count` spaces.
    mutating func appendSpaces(_ count: Int) {
        for _ in 0..<count { bytes.append(UInt8(ascii: " ")) }
    }

    /// `value` with sorted keys and no insignificant whitespace.
    mutating func appendCanonical(_ value: Value) {
        switch value {
        case .list(let items):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                appendCanonical(item)
            }
            bytes.append(UInt8(ascii: "]"))
        case .map(let entries):
            bytes.append(UInt8(ascii: "{"))
            for (index, entry) in entries.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                appendQuoted(entry.key)
                bytes.append(UInt8(ascii: ":"))
                appendCanonical(entry.value)
            }
            bytes.append(UInt8(ascii: "}"))
        default:
            appendScalar(value)
        }
    }

    /// `value` pretty-printed: two-space indents, one member per line, sorted keys; `indent` is
    /// the number of spaces of the line `value` starts on.
    mutating func appendPretty(_ value: Value, indent: Int) {
        switch value {
        case .list(let items) where !items.isEmpty:
            append("[\n")
            for (index, item) in items.enumerated() {
                if index > 0 { append(",\n") }
                appendSpaces(indent + 2)
                appendPretty(item, indent: indent + 2)
                handOnFullPiece()
            }
            bytes.append(UInt8(ascii: "\n"))
            appendSpaces(indent)
            bytes.append(UInt8(ascii: "]"))
        case .map(let entries) where !entries.isEmpty:
            appendPrettyObject(entries.sorted(by: { $0.key < $1.key }), indent: indent, key: \.key, value: \.value)
        default:
            appendCanonical(value)
        }
    }

    /// A non-empty object pretty-printed as ``appendPretty(_:indent:)`` writes a map, from
    /// `members` in the order given; each member's value is made only when it is written (a
    /// streamed document makes one member at a time).
    mutating func appendPrettyObject<Member>(_ members: [Member], indent: Int, key: (Member) -> String, value: (Member) -> Value) {
        append("{\n")
        for (index, member) in members.enumerated() {
            if index > 0 { append(",\n") }
            appendSpaces(indent + 2)
            appendQuoted(key(member))
            append(": ")
            appendPretty(value(member), indent: indent + 2)
            handOnFullPiece()
        }
        bytes.append(UInt8(ascii: "\n"))
        appendSpaces(indent)
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func appendScalar(_ value: Value) {
        switch value {
        case .null: append("null")
        case .bool(true): append("true")
        case .bool(false): append("false")
        case .int(let number): bytes.append(contentsOf: String(number).utf8)
        case .double(let number): bytes.append(contentsOf: String(number).utf8)
        case .string(let text): appendQuoted(text)
        case .unknown: append("{\"$unknown\":true}")
        case .list, .map: appendCanonical(value)
        }
    }

    /// A JSON string literal for `text`: `"` and `\` escaped, control characters as `\n`, `\r`,
    /// `\t` or `\u00XX`, everything else (`/` and non-ASCII included) as it is.
    mutating func appendQuoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Bytes of multi-byte characters are all 0x80 or more: only ASCII needs escaping.
            var start = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                start = index + 1
                switch byte {
                case UInt8(ascii: "\""): append("\\\"")
                case UInt8(ascii: "\\"): append("\\\\")
                case UInt8(ascii: "\n"): append("\\n")
                case UInt8(ascii: "\r"): append("\\r")
                case UInt8(ascii: "\t"): append("\\t")
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    append("\\u00")
                    bytes.append(hex[Int(byte >> 4)])
                    bytes.append(hex[Int(byte & 0x0f)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
