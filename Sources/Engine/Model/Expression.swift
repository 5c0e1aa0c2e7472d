/// A reference to an attribute of another resource: `bucket.arn` in a stack.
public struct Reference: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The resource referred to.
    public var address: Address
    /// The property or computed attribute name, e.g. `arn`, `id`, `name`.
    public var attribute: String

    /// Creates a reference.
    public init(address: Address, attribute: String) {
        self.address = address
        self.attribute = attribute
    }

    public var description: String { "\(address).\(attribute)" }
}

/// A property value as a stack declares it: literal values, references to other resources,
/// and strings built from both. The planner resolves it to a `Value`, unknown where a
/// referenced resource is not yet created.
public indirect enum Expression: Sendable, Hashable, Codable {
    /// A literal value.
    case value(Value)
    /// The value of another resource's attribute.
    case reference(Reference)
    /// String interpolation: the parts' values joined as text.
    case concat([Expression])
    /// A list whose items may hold references.
    case list([Expression])
    /// A map whose values may hold references.
    case map([String: Expression])
    /// A string with `prefix` removed where it starts with it (Terraform's `trimprefix`): an
    /// OIDC issuer URL as IAM names its provider (`https://oidc.eks…` → `oidc.eks…`).
    case trimPrefix(Expression, String)

    /// Every reference inside this expression.
    public var references: [Reference] {
        switch self {
        case .value: return []
        case .reference(let reference): return [reference]
        case .concat(let parts), .list(let parts): return parts.flatMap(\.references)
        case .trimPrefix(let text, _): return text.references
        case .map(let entries): return entries.keys.sorted().flatMap { entries[$0].map(\.references) ?? [] }
        }
    }

    /// Resolves the expression, asking `lookup` for each reference's value.
    /// - Parameter lookup: the value of a reference, `.unknown` when not yet known.
    /// - Returns: the value; a string interpolation with an unknown part is unknown.
    public func resolve(_ lookup: (Reference) throws -> Value) rethrows -> Value {
        switch self {
        case .value(let value):
            return value
        case .reference(let reference):
            return try lookup(reference)
        case .concat(let parts):
            var text = ""
            for part in parts {
                let value = try part.resolve(lookup)
                switch value {
                case .unknown: return .unknown
                case .string(let piece): text += piece
                case .int(let number): text += String(number)
                case .double(let number): text += String(number)
                case .bool(let flag): text += flag ? "true" : "false"
                case .null: break
                case .list, .map: text += value.canonicalJSON
                }
            }
            return .string(text)
        case .list(let items):
            return .list(try items.map { try $0.resolve(lookup) })
        case .map(let entries):
            return .map(try entries.mapValues { try $0.resolve(lookup) })
        case .trimPrefix(let text, let prefix):
            let value = try text.resolve(lookup)
            guard case .string(let string) = value, string.hasPrefix(prefix) else { return value }
            return .string(String(string.dropFirst(prefix.count)))
        }
    }

    /// The literal value when the expression holds no reference.
    public var literal: Value? {
        // Spelled out: `Value` is itself nil-literal convertible, so a bare `nil` here
        // would become `Value.null`.
        guard references.isEmpty else { return Optional<Value>.none }
        return resolve { _ in .unknown }
    }
}

extension Expression: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .value(.string(value)) }
    public init(integerLiteral value: Int) { self = .value(.int(value)) }
    public init(booleanLiteral value: Bool) { self = .value(.bool(value)) }
}
