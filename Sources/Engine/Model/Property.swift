/// A Swift type a property's value has, convertible to and from the engine's `Value`.
///
/// `String`, `Int`, `Bool`, `Double`, lists and string-keyed maps of these, and `Value` itself
/// (for structured properties whose shape the type checks on its own) conform.
public protocol PropertyValue: Sendable {
    /// The Swift value of `value`, or nil when `value` is of another kind (or null, or unknown).
    init?(propertyValue value: Value)
    /// The value as the engine holds it.
    var propertyValue: Value { get }
}

extension String: PropertyValue {
    public init?(propertyValue value: Value) {
        guard let text = value.stringValue else { return nil }
        self = text
    }
    public var propertyValue: Value { .string(self) }
}

extension Int: PropertyValue {
    public init?(propertyValue value: Value) {
        guard let number = value.intValue else { return nil }
        self = number
    }
    public var propertyValue: Value { .int(self) }
}

extension Bool: PropertyValue {
    public init?(propertyValue value: Value) {
        guard let flag = value.boolValue else { return nil }
        self = flag
    }
    public var propertyValue: Value { .bool(self) }
}

extension Double: PropertyValue {
    public init?(propertyValue value: Value) {
        switch value {
        case .double(let number): self = number
        case .int(let number): self = Double(number)
        default: return nil
        }
    }
    public var propertyValue: Value { .double(self) }
}

extension Array: PropertyValue where Element: PropertyValue {
    public init?(propertyValue value: Value) {
        guard let items = value.listValue else { return nil }
        var converted: [Element] = []
        for item in items {
            guard let element = Element(propertyValue: item) else { return nil }
            converted.append(element)
        }
        self = converted
    }
    public var propertyValue: Value { .list(map(\.propertyValue)) }
}

extension Dictionary: PropertyValue where Key == String, Value: PropertyValue {
    public init?(propertyValue value: Engine.Value) {
        guard let entries = value.mapValue else { return nil }
        var converted: [String: Value] = [:]
        for (key, entry) in entries {
            guard let element = Value(propertyValue: entry) else { return nil }
            converted[key] = element
        }
        self = converted
    }
    public var propertyValue: Engine.Value { .map(mapValues(\.propertyValue)) }
}

extension Value: PropertyValue {
    /// Any value but null and unknown.
    public init?(propertyValue value: Value) {
        guard !value.isNull, value != .unknown else { return nil }
        self = value
    }
    public var propertyValue: Value { self }
}

/// A property of a resource type, declared once: its name, Swift type, default, whether a change
/// replaces the resource, whether it is secret or local, and the Terraform AWS provider's
/// attribute name for it.
///
/// A resource type lists its properties as the stored members of a ``PropertySet``; the DSL,
/// the schema, validation, create/read/update/import and the renderers all name a property by
/// its declaration, so a misspelt property does not compile:
///
/// ```swift
/// struct Properties: PropertySet {
///     let aliasName = Property<String>("name", forcesReplacement: true)
///     let targetKeyID = Property<String>("targetKeyID", terraform: "target_key_id")
/// }
/// ```
public struct Property<Wrapped: PropertyValue>: PropertyDeclaration {
    /// What the planner needs to know of it.
    public let schema: PropertySchema

    /// Declares a property.
    /// - Parameters:
    ///   - name: the name in state and plans (`targetKeyID`).
    ///   - terraform: where it lands in the Terraform AWS provider's schema (a string literal
    ///     names an attribute of the type's own resource); when nil, `name` in snake case
    ///     (`target_key_id`). A structured property (`Property<Value>`) must say its shape
    ///     (``TerraformAttribute/blocks(_:renamed:)``, ``TerraformAttribute/json(_:)``, …): the
    ///     resource type conformance tests refuse one that does not.
    ///   - forcesReplacement: a change can only be made by replacing the resource.
    ///   - sensitive: secret: redacted in plans, outputs and logs.
    ///   - default: the value AWS gives the resource when a stack does not set it; nil when AWS
    ///     decides (an unset property without a default is not compared).
    ///   - local: a setting of this machine, not of the resource (see ``PropertySchema/local``).
    ///   - appliesAtDeletion: a setting of how the resource is deleted (see ``PropertySchema/appliesAtDeletion``).
    public init(_ name: String, terraform: TerraformAttribute? = nil, forcesReplacement: Bool = false, sensitive: Bool = false,
                default defaultValue: Wrapped? = nil, local: Bool = false, appliesAtDeletion: Bool = false) {
        var attribute = terraform ?? TerraformAttribute()
        // Strings, numbers, lists and maps of them are written as they are; a structured value's
        // shape is the declaration's to say.
        if attribute.shape == nil, Wrapped.self != Value.self { attribute.shape = .value }
        schema = PropertySchema(name, terraform: attribute, forcesReplacement: forcesReplacement, sensitive: sensitive,
                                default: defaultValue?.propertyValue, local: local, appliesAtDeletion: appliesAtDeletion)
    }

    /// The name in state and plans.
    public var name: String { schema.name }

    /// The default as a Swift value, when the property has one.
    public var defaultValue: Wrapped? { schema.defaultValue.flatMap(Wrapped.init(propertyValue:)) }
}

/// A property declaration of any value type.
public protocol PropertyDeclaration: Sendable {
    /// What the planner needs to know of it.
    var schema: PropertySchema { get }
}

/// The properties of one resource type, as the stored members of a struct: each member is a
/// ``Property``, in the order plans list them.
///
/// The schema's property list is read from the members themselves, so a declared property
/// cannot be missing from it.
public protocol PropertySet: Sendable {
    /// Creates the set (every member has its declaration as its initial value).
    init()
}

extension PropertySet {
    /// Every declared property's schema, in declaration order.
    public static var schemas: [PropertySchema] {
        Mirror(reflecting: Self()).children.compactMap { ($0.value as? any PropertyDeclaration)?.schema }
    }
}

// MARK: - Typed access

extension Dictionary where Key == String, Value == Engine.Value {
    /// The value of `property` as its Swift type; nil when it is absent, null, unknown or of
    /// another kind. Setting nil removes it.
    public subscript<T>(property: Property<T>) -> T? {
        get { self[property.name].flatMap(T.init(propertyValue:)) }
        set { self[property.name] = newValue?.propertyValue }
    }

    /// The value of `property`, or its declared default when absent.
    public func value<T>(_ property: Property<T>) -> T? {
        self[property] ?? property.defaultValue
    }

    /// True when `property` is set (to anything, null included).
    public func contains(_ property: some PropertyDeclaration) -> Bool {
        self[property.schema.name] != nil
    }
}

extension Dictionary where Key == String, Value == Expression {
    /// The expression declared for `property`.
    public subscript(property: some PropertyDeclaration) -> Expression? {
        self[property.schema.name]
    }

    /// The value of `property` when the stack gives it as a literal (known before apply), as its
    /// Swift type. Validation checks these; a value that is a reference is checked at apply.
    public func literal<T>(_ property: Property<T>) -> T? {
        self[property.name]?.literal.flatMap(T.init(propertyValue:))
    }
}

extension Set where Element == String {
    /// True when the set names `property` (a property changed by an update).
    public func contains(_ property: some PropertyDeclaration) -> Bool {
        contains(property.schema.name)
    }
}

extension ValidationIssue {
    /// An issue with one property of the resource at `address`.
    public init(_ address: Address, _ property: some PropertyDeclaration, _ message: String) {
        self.init(subject: address.description, property: property.schema.name, message: message)
    }
}

// MARK: - Terraform names

extension String {
    /// `camelCase` as `snake_case`, a run of capitals kept as one word, with its plural `s`
    /// (`kmsMasterKeyID` → `kms_master_key_id`, `URLPath` → `url_path`, `callbackURLs` →
    /// `callback_urls`).
    public var snakeCased: String {
        var words: [String] = []
        var current = ""
        let characters = Array(self)
        for (index, character) in characters.enumerated() {
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            let previous = index > 0 ? characters[index - 1] : nil
            // An acronym's plural: `URLs` at the end or before the next word.
            let plural = next == "s" && (index + 2 == characters.count || characters[index + 2].isUppercase)
            let startsWord = character.isUppercase && !current.isEmpty
                && (previous.map { !$0.isUppercase } ?? false || (next.map(\.isLowercase) ?? false) && !plural)
            if startsWord {
                words.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(current) }
        return words.map { $0.lowercased() }.joined(separator: "_")
    }
}
