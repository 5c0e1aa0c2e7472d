/// The address of a resource in a stack: its type name and its name, written `s3.bucket.images`.
public struct Address: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The resource type name, e.g. `s3.bucket`.
    public var type: String
    /// The resource's name within the stack, e.g. `images`.
    public var name: String

    /// Creates an address.
    public init(type: String, name: String) {
        self.type = type
        self.name = name
    }

    /// Parses `type.name` where the name is the last dot-separated component.
    /// - Returns: nil when there is no dot, or either part is empty.
    public init?(parsing text: String) {
        guard let dot = text.lastIndex(of: "."), dot != text.startIndex else { return nil }
        let type = String(text[..<dot])
        let name = String(text[text.index(after: dot)...])
        guard !type.isEmpty, !name.isEmpty else { return nil }
        self.init(type: type, name: name)
    }

    public var description: String { "\(type).\(name)" }

    /// The order of the descriptions (`type.name`). Sorting a large stack compares addresses
    /// millions of times, so their descriptions are never built: addresses whose types are the
    /// same bytes (most comparisons) are in the order of their names, both descriptions beginning
    /// with the same `type.`; ASCII addresses of different types are compared byte by byte, for
    /// ASCII `String`'s order being the order of the bytes. (Types only canonically equivalent,
    /// `é` and `e\u{301}`, take the general path: their descriptions need not compare as the names.)
    public static func < (lhs: Address, rhs: Address) -> Bool {
        if lhs.type.utf8.elementsEqual(rhs.type.utf8) { return lhs.name < rhs.name }
        guard lhs.isASCII, rhs.isASCII else { return lhs.description < rhs.description }
        var left = lhs.descriptionBytes
        var right = rhs.descriptionBytes
        while true {
            switch (left.next(), right.next()) {
            case let (leftByte?, rightByte?): if leftByte != rightByte { return leftByte < rightByte }
            case (nil, _?): return true
            case (_, nil): return false
            }
        }
    }

    private var isASCII: Bool { type.utf8.allSatisfy { $0 < 0x80 } && name.utf8.allSatisfy { $0 < 0x80 } }

    /// The UTF-8 bytes of ``description``: the type's, a dot, the name's.
    private var descriptionBytes: DescriptionBytes { DescriptionBytes(type: type.utf8.makeIterator(), name: name.utf8.makeIterator()) }

    private struct DescriptionBytes: IteratorProtocol {
        var type: String.UTF8View.Iterator
        var name: String.UTF8View.Iterator
        var dotGiven = false

        mutating func next() -> UInt8? {
            if let byte = type.next() { return byte }
            if !dotGiven {
                dotGiven = true
                return UInt8(ascii: ".")
            }
            return name.next()
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = Address(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a resource address: \(text)"))
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// True when `name` is a valid resource name: letters, digits, `_` and `-`, starting with a letter.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }
    }
}
