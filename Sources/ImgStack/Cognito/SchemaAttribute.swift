import Engine

extension Cognito {
    /// A user attribute of a pool: a standard one (`email`) with other settings, or a custom one
    /// (`tier`, which AWS names `custom:tier`). Attributes can never be removed from a pool, so
    /// changing the list replaces the pool.
    public struct SchemaAttribute: Sendable, Hashable, ExpressionConvertible {
        /// 1 to 20 characters, without the `custom:` prefix.
        public var name: String
        /// `String`, `Number`, `DateTime` or `Boolean`.
        public var type: String
        /// Whether users may change the value after sign-up.
        public var mutable: Bool
        /// Whether sign-up must give a value (only standard attributes may be required).
        public var required: Bool

        /// Creates an attribute.
        public init(name: String, type: String = "String", mutable: Bool = true, required: Bool = false) {
            self.name = name
            self.type = type
            self.mutable = mutable
            self.required = required
        }

        public var expression: Expression {
            .value(.map(["name": .string(name), "attributeDataType": .string(type), "mutable": .bool(mutable), "required": .bool(required)]))
        }
    }
}
