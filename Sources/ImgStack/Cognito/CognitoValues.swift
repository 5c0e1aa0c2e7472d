import AWS
import Engine

/// Conversions between property values and Cognito's wire values, shared by the Cognito types.
enum CognitoValues {
    /// The strings of a list value, in order.
    static func strings(_ value: Value?) -> [String] {
        (value?.listValue ?? []).compactMap(\.stringValue)
    }

    /// A string map value as a dictionary.
    static func stringMap(_ value: Value?) -> [String: String] {
        (value?.mapValue ?? [:]).compactMapValues(\.stringValue)
    }

    /// A list of strings as a sorted list value, for lists whose order AWS does not keep or use.
    static func sortedList(_ strings: [String]) -> Value {
        .list(strings.sorted().map(Value.string))
    }

    /// A list value sorted, when its items are strings or maps, by `key`.
    static func sorted(_ value: Value, by key: String? = nil) -> Value {
        guard case .list(let items) = value else { return value }
        return .list(items.sorted { sortKey($0, key) < sortKey($1, key) })
    }

    private static func sortKey(_ value: Value, _ key: String?) -> String {
        if let key { return value[key].stringValue ?? value.canonicalJSON }
        return value.stringValue ?? value.canonicalJSON
    }

    /// The visible tags of `value` merged with the `imgstack:` tags AWS already holds, so an
    /// update that replaces all tags keeps the intent tag.
    static func tags(_ value: Value?, keeping current: [String: String]) -> [String: String] {
        current.filter { $0.key.hasPrefix(TagRules.reservedPrefix) }.merging(stringMap(value)) { _, new in new }
    }

    /// The intent tag for a create, when the apply recorded an intent.
    static func intentTag(_ context: OperationContext) -> [String: String] {
        context.intentID.map { [TagRules.reservedPrefix + "intent": $0] } ?? [:]
    }

    /// True when `tags` hold the intent tag of `context`.
    static func hasIntent(_ tags: [String: String]?, _ context: OperationContext) -> Bool {
        guard let intent = context.intentID else { return false }
        return tags?[TagRules.reservedPrefix + "intent"] == intent
    }

    /// True for the error codes Cognito answers for something that does not exist.
    static func isNotFound(_ error: AWSError) -> Bool {
        error.code == "ResourceNotFoundException"
    }

    /// The issue for a string property whose literal value is not one of `allowed`.
    static func enumIssue(_ properties: [String: Expression], _ property: String, _ allowed: [String], address: Address) -> ValidationIssue? {
        guard let text = properties[property]?.literal?.stringValue, !allowed.contains(text) else { return nil }
        return ValidationIssue(subject: address.description, property: property,
                               message: "\"\(text)\" is not one of \(allowed.joined(separator: ", "))")
    }

    /// Issues for each string of a literal list property that is not one of `allowed`.
    static func enumListIssues(_ properties: [String: Expression], _ property: String, _ allowed: [String],
                               address: Address) -> [ValidationIssue] {
        strings(properties[property]?.literal).filter { !allowed.contains($0) }.map {
            ValidationIssue(subject: address.description, property: property, message: "\"\($0)\" is not one of \(allowed.joined(separator: ", "))")
        }
    }

    /// The issue for a literal name that breaks Cognito's `[\w\s+=,.@-]+`, 1 to 128 characters rule.
    static func nameIssue(_ properties: [String: Expression], _ property: String, address: Address) -> ValidationIssue? {
        guard let text = properties[property]?.literal?.stringValue else { return nil }
        let allowed = text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0.isWhitespace || "+=,.@-".contains($0) }
        guard text.isEmpty || text.count > 128 || !allowed else { return nil }
        return ValidationIssue(subject: address.description, property: property,
                               message: "must be 1 to 128 letters, digits, spaces or + = , . @ _ - (\"\(text)\")")
    }

    /// The issue for a literal integer outside `range`.
    static func rangeIssue(_ value: Value?, _ range: ClosedRange<Int>, property: String, what: String, address: Address) -> ValidationIssue? {
        guard let number = value?.intValue, !range.contains(number) else { return nil }
        return ValidationIssue(subject: address.description, property: property,
                               message: "\(what) must be \(range.lowerBound) to \(range.upperBound), not \(number)")
    }
}
