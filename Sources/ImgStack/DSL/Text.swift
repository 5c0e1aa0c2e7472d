import Engine

/// A string property that may hold references: a literal (`"images"`), an attribute of
/// another resource (`bucket.arn`), or an interpolation of both (`"\(bucket.arn)/*"`).
public struct Text: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The expression the planner resolves.
    public let expression: Expression

    /// Wraps an expression.
    public init(_ expression: Expression) {
        self.expression = expression
    }

    /// A literal string.
    public init(_ literal: String) {
        self.expression = .value(.string(literal))
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public init(stringInterpolation: Interpolation) {
        let parts = stringInterpolation.parts
        let joined = Expression.concat(parts)
        if parts.count == 1, let only = parts.first {
            self.expression = only
        } else {
            self.expression = joined.literal.map(Expression.value) ?? joined
        }
    }

    /// The text without `prefix` where it starts with it (Terraform's `trimprefix`), resolved
    /// once the value is known: `cluster.output("oidc_issuer").trimmingPrefix("https://")`.
    public func trimmingPrefix(_ prefix: String) -> Text {
        if let literal { return Text(literal.hasPrefix(prefix) ? String(literal.dropFirst(prefix.count)) : literal) }
        return Text(.trimPrefix(expression, prefix))
    }

    /// The literal text when the value holds no reference.
    public var literal: String? { expression.literal?.stringValue }

    /// Builds a `Text` from literal pieces and references.
    public struct Interpolation: StringInterpolationProtocol {
        var parts: [Expression] = []

        public init(literalCapacity: Int, interpolationCount: Int) {}

        public mutating func appendLiteral(_ literal: String) {
            guard !literal.isEmpty else { return }
            parts.append(.value(.string(literal)))
        }

        /// Interpolates a reference or another `Text`.
        public mutating func appendInterpolation(_ text: Text) {
            parts.append(text.expression)
        }

        /// Interpolates a plain string, such as a variable's value.
        public mutating func appendInterpolation(_ value: String) {
            parts.append(.value(.string(value)))
        }

        /// Interpolates a number.
        public mutating func appendInterpolation(_ value: Int) {
            parts.append(.value(.string(String(value))))
        }
    }

    public var description: String {
        literal ?? "\(expression)"
    }
}
