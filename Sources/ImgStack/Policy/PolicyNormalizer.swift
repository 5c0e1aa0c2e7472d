import Engine

/// Brings policy documents to one canonical form so equal policies compare equal however AWS
/// or the stack wrote them: JSON text parsed, a single string and a one-item list the same,
/// action/resource/principal/condition value lists sorted and de-duplicated.
public enum PolicyNormalizer {
    /// The canonical form of `value`: a policy as a map, or JSON text of one.
    public static func normalize(_ value: Engine.Value) -> Engine.Value {
        if case .string(let text) = value {
            guard let parsed = try? Engine.Value(jsonText: text) else { return value }
            return normalize(parsed)
        }
        guard case .map(var document) = value else { return value }
        if document["Version"] == nil { document["Version"] = "2008-10-17" }
        switch document["Statement"] {
        case .map(let single)?: document["Statement"] = .list([normalizeStatement(single)])
        case .list(let statements)?: document["Statement"] = .list(statements.map { $0.mapValue.map(normalizeStatement) ?? $0 })
        default: break
        }
        return .map(document)
    }

    private static let listMembers = ["Action", "NotAction", "Resource", "NotResource"]

    private static func normalizeStatement(_ statement: [String: Engine.Value]) -> Engine.Value {
        var result = statement
        if result["Sid"] == .string("") { result["Sid"] = nil }
        for member in listMembers {
            if let value = result[member] { result[member] = sortedList(value) }
        }
        for member in ["Principal", "NotPrincipal"] {
            if case .map(let principals)? = result[member] { result[member] = .map(principals.mapValues(sortedList)) }
        }
        if case .map(let operators)? = result["Condition"] {
            result["Condition"] = .map(operators.mapValues { keys in
                guard case .map(let entries) = keys else { return keys }
                return .map(entries.mapValues(sortedList))
            })
        }
        return .map(result)
    }

    private static func sortedList(_ value: Engine.Value) -> Engine.Value {
        switch value {
        case .string, .unknown: return value == .unknown ? value : .list([value])
        case .list(let items):
            guard !items.contains(where: \.containsUnknown) else { return value }
            return .list(Array(Set(items)).sorted { $0.canonicalJSON < $1.canonicalJSON })
        default: return value
        }
    }

    /// The JSON text to send for a policy value: JSON text as it is (a document built from
    /// values known only at apply resolves to text), anything else rendered as canonical JSON.
    public static func text(_ value: Engine.Value) -> String {
        value.stringValue ?? value.canonicalJSON
    }

    /// Problems in a declared policy that can be seen before apply: a missing or unknown
    /// effect, a statement without actions, an unknown top-level member.
    public static func issues(_ expression: Expression) -> [String] {
        let structure = literalStructure(expression)
        // JSON text built from values known only at apply (an OIDC issuer in a condition key):
        // AWS checks it when it is sent.
        if structure == .unknown, case .concat = expression { return [] }
        guard case .map(let document) = structure else {
            return ["is not a policy document (expected an object with Version and Statement)"]
        }
        var problems: [String] = []
        for key in document.keys.sorted() where !["Version", "Id", "Statement"].contains(key) {
            problems.append("unknown policy member \"\(key)\"")
        }
        if case .string(let version)? = document["Version"], !["2012-10-17", "2008-10-17"].contains(version) {
            problems.append("Version must be \"2012-10-17\" or \"2008-10-17\", not \"\(version)\"")
        }
        let statements: [Engine.Value]
        switch document["Statement"] {
        case .list(let items)?: statements = items
        case .map?: statements = [document["Statement"] ?? .null]
        default: return problems + ["has no Statement"]
        }
        if statements.isEmpty { problems.append("has an empty Statement list") }
        for (index, statement) in statements.enumerated() {
            guard case .map(let members) = statement else { problems.append("Statement[\(index)] is not an object"); continue }
            switch members["Effect"] {
            case .string("Allow")?, .string("Deny")?, .unknown?: break
            case .string(let effect)?: problems.append("Statement[\(index)]: unknown Effect \"\(effect)\"; use \"Allow\" or \"Deny\"")
            default: problems.append("Statement[\(index)]: no Effect")
            }
            if members["Action"] == nil, members["NotAction"] == nil {
                problems.append("Statement[\(index)]: no Action or NotAction")
            }
        }
        return problems
    }

    /// The expression with every reference replaced by `.unknown`, to inspect its shape.
    private static func literalStructure(_ expression: Expression) -> Engine.Value {
        let value = expression.resolve { _ in .unknown }
        if case .string(let text) = value, let parsed = try? Engine.Value(jsonText: text) { return parsed }
        return value
    }
}
