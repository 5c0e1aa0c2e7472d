import Engine

/// A Swift value a resource property can hold, turned into an engine expression.
public protocol ExpressionConvertible: Sendable {
    /// The value as an expression.
    var expression: Expression { get }
}

extension Text: ExpressionConvertible {}

extension String: ExpressionConvertible {
    public var expression: Expression { .value(.string(self)) }
}

extension Int: ExpressionConvertible {
    public var expression: Expression { .value(.int(self)) }
}

extension Bool: ExpressionConvertible {
    public var expression: Expression { .value(.bool(self)) }
}

extension Array: ExpressionConvertible where Element: ExpressionConvertible {
    public var expression: Expression {
        let items = map(\.expression)
        return Expression.list(items).literal.map(Expression.value) ?? .list(items)
    }
}

extension Dictionary: ExpressionConvertible where Key == String, Value: ExpressionConvertible {
    public var expression: Expression {
        let entries = mapValues(\.expression)
        return Expression.map(entries).literal.map(Expression.value) ?? .map(entries)
    }
}

/// Collects a resource's declared properties, leaving out the ones not set.
public struct PropertyList: Sendable {
    /// The properties so far.
    public private(set) var values: [String: Expression] = [:]

    /// Creates an empty list.
    public init() {}

    /// Sets `name` when `value` is not nil.
    public mutating func set(_ name: String, _ value: (any ExpressionConvertible)?) {
        if let value { values[name] = value.expression }
    }

    /// Sets `name` to a ready-made expression when it is not nil.
    public mutating func set(_ name: String, expression: Expression?) {
        if let expression { values[name] = expression }
    }
}

extension PropertyList {
    /// Sets `property` when `value` is not nil.
    public mutating func set<T>(_ property: Property<T>, _ value: (any ExpressionConvertible)?) {
        set(property.name, value)
    }

    /// Sets `property` to a ready-made expression when it is not nil.
    public mutating func set<T>(_ property: Property<T>, expression: Expression?) {
        set(property.name, expression: expression)
    }
}
