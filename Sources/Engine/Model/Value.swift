import Foundation

/// A JSON-like value of a resource property or attribute, or a value not known until apply.
///
/// State files hold only known values; plans may hold `.unknown` wherever a property depends on
/// a resource that does not exist yet.
public enum Value: Sendable, Hashable {
    /// Absent or JSON `null`.
    case null
    /// A boolean.
    case bool(Bool)
    /// An integer.
    case int(Int)
    /// A non-integral number.
    case double(Double)
    /// A string.
    case string(String)
    /// An ordered list.
    case list([Value])
    /// A map with string keys (rendered with sorted keys).
    case map([String: Value])
    /// Known after apply.
    case unknown

    /// True when this value or anything inside it is unknown.
    public var containsUnknown: Bool {
        switch self {
        case .unknown: return true
        case .list(let items): return items.contains { $0.containsUnknown }
        case .map(let entries): return entries.values.contains { $0.containsUnknown }
        default: return false
        }
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The boolean, when this is a boolean.
    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    /// The integer, when this is an integer (or a double with no fraction).
    public var intValue: Int? {
        switch self {
        case .int(let number): return number
        case .double(let number) where number.rounded() == number: return Int(number)
        default: return nil
        }
    }

    /// The items, when this is a list.
    public var listValue: [Value]? {
        if case .list(let items) = self { return items }
        return nil
    }

    /// The entries, when this is a map.
    public var mapValue: [String: Value]? {
        if case .map(let entries) = self { return entries }
        return nil
    }

    /// True for `.null`.
    public var isNull: Bool { self == .null }

    /// The member of a map, or `.null`.
    public subscript(key: String) -> Value {
        mapValue?[key] ?? .null
    }
}

// MARK: - Equality

extension Value {
    /// Values are equal when they hold the same data. An integral double equals the integer of
    /// the same value: JSON writes `80.0` as `80`, so a number read back from a state file must
    /// still equal what the stack or AWS gave, or every plan would show a change and drift.
    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null), (.unknown, .unknown): return true
        case let (.bool(left), .bool(right)): return left == right
        case let (.int(left), .int(right)): return left == right
        case let (.double(left), .double(right)): return left == right
        case let (.int(integer), .double(number)), let (.double(number), .int(integer)): return Int(exactly: number) == integer
        case let (.string(left), .string(right)): return left == right
        case let (.list(left), .list(right)): return left == right
        case let (.map(left), .map(right)): return left == right
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let flag): hasher.combine(1); hasher.combine(flag)
        case .int(let number): hasher.combine(2); hasher.combine(number)
        case .double(let number):
            // Hashed as the integer it equals, when it equals one.
            if let integer = Int(exactly: number) {
                hasher.combine(2); hasher.combine(integer)
            } else {
                hasher.combine(3); hasher.combine(number)
            }
        case .string(let text): hasher.combine(4); hasher.combine(text)
        case .list(let items): hasher.combine(5); hasher.combine(items)
        case .map(let entries): hasher.combine(6); hasher.combine(entries)
        case .unknown: hasher.combine(7)
        }
    }
}

// MARK: - Literals

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: Value...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, Value)...) {
        self = .map(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}

// MARK: - JSON

extension Value: Codable {
    /// The key of the one-entry object that stands for `.unknown` in saved plans.
    /// State files never contain it.
    static let unknownMarker = "$unknown"

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Each failed attempt costs a thrown error: strings, the most common values of a state
        // or plan, are tried first, then objects (tags, configurations) before lists. A JSON
        // value of one kind never decodes as another, so the order changes no result.
        if container.decodeNil() {
            self = .null
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Int.self) {
            self = .int(number)
        } else if let number = try? container.decode(Double.self) {
            self = .double(number)
        } else if let entries = try? container.decode([String: Value].self) {
            self = entries == [Value.unknownMarker: .bool(true)] ? .unknown : .map(entries)
        } else {
            self = .list(try container.decode([Value].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .int(let number): try container.encode(number)
        case .double(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .list(let items): try container.encode(items)
        case .map(let entries): try container.encode(entries)
        case .unknown: try container.encode([Value.unknownMarker: true])
        }
    }

    /// Parses JSON text into a value.
    /// - Throws: `DecodingError` when the text is not JSON.
    public init(jsonText: String) throws {
        self = try JSONDecoder().decode(Value.self, from: Data(jsonText.utf8))
    }

    /// Canonical JSON text: sorted keys, no insignificant whitespace, `/` not escaped.
    /// - Precondition: the value holds no `.unknown`.
    public var canonicalJSON: String {
        var writer = JSONWriter()
        writer.appendCanonical(self)
        return writer.text
    }

    /// A JSON string literal for `text`.
    static func quoted(_ text: String) -> String {
        var writer = JSONWriter()
        writer.appendQuoted(text)
        return writer.text
    }
}
