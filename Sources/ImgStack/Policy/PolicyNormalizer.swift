import Engine
import Foundation

/// Brings policy documents to one canonical form, so a policy compares equal in every form AWS
/// may store it in and in every form the stack may write it in. The equivalences follow the
/// IAM User Guide's "IAM JSON policy elements reference" and "Grammar of the IAM JSON policy
/// language":
///
/// - JSON text is parsed; URL-encoded text (IAM's `GetRolePolicy`, `GetPolicyVersion` and
///   `GetRole` return documents RFC 3986-encoded) is decoded first.
/// - `Version` absent means `"2008-10-17"`; `Sid: ""` means no `Sid`.
/// - A single `Statement` object is a one-statement list; statements are sorted (evaluation
///   does not depend on their order).
/// - `Action`, `NotAction`, `Resource`, `NotResource`, each principal list and each condition
///   value list: a single string is a one-item list; items are sorted and de-duplicated.
/// - Actions compare without regard to case: "the prefix and the action name are case
///   insensitive" (``equivalent(_:_:)``; the canonical form keeps the case written, for plans).
/// - Condition values that are booleans or numbers are their string forms (`true` is `"true"`).
/// - `"Principal": "*"` is `{"AWS": ["*"]}` ("the following are equivalent").
/// - An account's root ARN in an `AWS` principal is the bare account id
///   (`"arn:aws:iam::123456789012:root"` and `"123456789012"`): IAM, S3, KMS, SNS and Lambda
///   store the ARN in place of an id given bare.
///
/// Anything else stays as written, so a genuine change still differs.
public enum PolicyNormalizer {
    /// The canonical form of `value`: a policy as a map, or JSON text of one. Values that are
    /// not policies (null, unparsable text) are returned unchanged.
    public static func normalize(_ value: Engine.Value) -> Engine.Value {
        if case .string(let text) = value {
            guard let parsed = parse(text) else { return value }
            return normalize(parsed)
        }
        guard case .map(var document) = value else { return value }
        if document["Version"] == nil { document["Version"] = "2008-10-17" }
        let statements: [Engine.Value]
        switch document["Statement"] {
        case .map?: statements = [document["Statement"] ?? .null]
        case .list(let items)?: statements = items
        default: return .map(document)
        }
        document["Statement"] = sorted(statements.map { $0.mapValue.map(normalizeStatement) ?? $0 })
        return .map(document)
    }

    /// A policy's JSON text, or its URL-encoded JSON text, parsed; nil when it is neither.
    private static func parse(_ text: String) -> Engine.Value? {
        if let parsed = try? Engine.Value(jsonText: text) { return parsed }
        guard text.hasPrefix("%"), let decoded = text.removingPercentEncoding else { return nil }
        return try? Engine.Value(jsonText: decoded)
    }

    private static func normalizeStatement(_ statement: [String: Engine.Value]) -> Engine.Value {
        var result = statement
        if result["Sid"] == .string("") { result["Sid"] = nil }
        for member in ["Action", "NotAction", "Resource", "NotResource"] {
            if let value = result[member] { result[member] = sortedList(value) }
        }
        for member in ["Principal", "NotPrincipal"] {
            if let value = result[member] { result[member] = principals(value) }
        }
        if case .map(let operators)? = result["Condition"] {
            result["Condition"] = .map(operators.mapValues { keys in
                guard case .map(let entries) = keys else { return keys }
                return .map(entries.mapValues { sortedList($0, canonical: conditionValue) })
            })
        }
        return .map(result)
    }

    /// `"*"` as `{"AWS": ["*"]}`; each principal type's values as a sorted list, account ids
    /// written the one way.
    private static func principals(_ value: Engine.Value) -> Engine.Value {
        switch value {
        case .string("*"): return .map(["AWS": .list(["*"])])
        case .map(let types):
            var result: [String: Engine.Value] = [:]
            for (type, values) in types {
                result[type] = type == "AWS" ? sortedList(values, canonical: accountPrincipal) : sortedList(values)
            }
            return .map(result)
        default: return value
        }
    }

    /// Whether two policies are the same policy: equal canonical forms once what IAM compares
    /// without regard to case (action names) is folded.
    public static func equivalent(_ lhs: Engine.Value, _ rhs: Engine.Value) -> Bool {
        caseFolded(normalize(lhs)) == caseFolded(normalize(rhs))
    }

    /// A canonical document with its actions lowercased and sorted again.
    private static func caseFolded(_ document: Engine.Value) -> Engine.Value {
        guard case .map(var members) = document, case .list(let statements)? = members["Statement"] else { return document }
        members["Statement"] = sorted(statements.map { statement in
            guard case .map(var elements) = statement else { return statement }
            for member in ["Action", "NotAction"] {
                if let actions = elements[member] {
                    elements[member] = sortedList(actions) { $0.stringValue.map { .string($0.lowercased()) } ?? $0 }
                }
            }
            return .map(elements)
        })
        return .map(members)
    }

    /// An `AWS` principal: an account's root ARN in any partition as the bare account id, the
    /// form AWS accepts in its place (IAM User Guide, "AWS account principals").
    public static func accountPrincipal(_ value: Engine.Value) -> Engine.Value {
        guard let text = value.stringValue, text.hasPrefix("arn:"), text.hasSuffix(":root") else { return value }
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 6, fields[2] == "iam", fields[3].isEmpty, fields[4].count == 12,
              fields[4].allSatisfy(\.isASCII), fields[4].allSatisfy(\.isNumber) else { return value }
        return .string(String(fields[4]))
    }

    /// A condition value as the string IAM compares (`true` → `"true"`, `3600` → `"3600"`).
    private static func conditionValue(_ value: Engine.Value) -> Engine.Value {
        switch value {
        case .bool(let flag): return .string(flag ? "true" : "false")
        case .int(let number): return .string(String(number))
        case .double(let number): return .string(number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number))
        default: return value
        }
    }

    private static func sortedList(_ value: Engine.Value, canonical: (Engine.Value) -> Engine.Value = { $0 }) -> Engine.Value {
        switch value {
        case .unknown: return value
        case .list(let items): return sorted(items.map(canonical))
        default: return sorted([canonical(value)])
        }
    }

    /// Items sorted and de-duplicated; a list holding values known only at apply keeps its
    /// order (they cannot be placed yet).
    private static func sorted(_ items: [Engine.Value]) -> Engine.Value {
        guard !items.contains(where: \.containsUnknown) else { return .list(items) }
        return .list(Array(Set(items)).sorted { $0.canonicalJSON < $1.canonicalJSON })
    }

    /// The JSON text to send for a policy value: JSON text as it is (a document built from
    /// values known only at apply resolves to text), anything else rendered as canonical JSON.
    public static func text(_ value: Engine.Value) -> String {
        value.stringValue ?? value.canonicalJSON
    }

    /// Problems in a declared policy that can be seen before apply: a missing or unknown
    /// effect, a statement without actions, an unknown top-level member.
    public static func issues(_ expression: Engine.Expression) -> [String] {
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
    private static func literalStructure(_ expression: Engine.Expression) -> Engine.Value {
        let value = expression.resolve { _ in .unknown }
        if case .string(let text) = value, let parsed = try? Engine.Value(jsonText: text) { return parsed }
        return value
    }
}
