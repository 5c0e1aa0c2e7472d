import Engine

extension Cognito {
    /// A user pool's password rules. The defaults are the ones AWS applies to a new pool.
    public struct PasswordPolicy: Sendable, Hashable, ExpressionConvertible {
        /// 6 to 99 characters.
        public var minimumLength: Int
        /// Require a lower-case letter.
        public var requireLowercase: Bool
        /// Require an upper-case letter.
        public var requireUppercase: Bool
        /// Require a digit.
        public var requireNumbers: Bool
        /// Require one of AWS's symbols (`^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + -`).
        public var requireSymbols: Bool
        /// Days a temporary password set by an administrator stays valid: 0 to 365.
        public var temporaryPasswordValidityDays: Int

        /// Creates password rules.
        public init(minimumLength: Int = 8, requireLowercase: Bool = true, requireUppercase: Bool = true, requireNumbers: Bool = true,
                    requireSymbols: Bool = true, temporaryPasswordValidityDays: Int = 7) {
            self.minimumLength = minimumLength
            self.requireLowercase = requireLowercase
            self.requireUppercase = requireUppercase
            self.requireNumbers = requireNumbers
            self.requireSymbols = requireSymbols
            self.temporaryPasswordValidityDays = temporaryPasswordValidityDays
        }

        /// The rules as a property value.
        public var value: Value {
            .map([
                "minimumLength": .int(minimumLength), "requireLowercase": .bool(requireLowercase),
                "requireUppercase": .bool(requireUppercase), "requireNumbers": .bool(requireNumbers),
                "requireSymbols": .bool(requireSymbols), "temporaryPasswordValidityDays": .int(temporaryPasswordValidityDays),
            ])
        }

        public var expression: Expression { .value(value) }
    }
}
