import Foundation

/// Renders a plan as JSON in the shape of `terraform show -json`, so tools that read Terraform
/// plans can read imgstack's: `format_version`, `resource_changes[]` with `address`, `type`
/// (Terraform's type name), `change.actions`, `before`, `after`, `after_unknown`,
/// `before_sensitive`, `after_sensitive`, `replace_paths`; `output_changes`; `resource_drift`.
/// A lookup read during apply is listed as Terraform lists a deferred data source (mode `data`,
/// action `read`).
///
/// Unlike Terraform, sensitive values are never written: they appear as `null`, with
/// `before_sensitive` / `after_sensitive` marking them.
public struct JSONPlanRenderer: Sendable {
    /// The Terraform JSON plan format version this output follows.
    public static let formatVersion = "1.2"

    /// Creates a renderer.
    public init() {}

    /// The plan as pretty-printed JSON with sorted keys.
    public func render(_ plan: Plan) -> String {
        var document: [String: Value] = [
            "format_version": .string(JSONPlanRenderer.formatVersion),
            "imgstack_stack": .string(plan.stack),
            "resource_changes": .list(plan.changes.map(resourceChange) + (plan.lookups ?? []).filter(\.readDuringApply).map(deferredRead)),
            "resource_drift": .list(plan.drift.map(drift)),
            "output_changes": .map(Dictionary(uniqueKeysWithValues: plan.outputs.map { ($0.name, outputChange($0)) })),
            "errored": false,
        ]
        if !plan.warnings.isEmpty { document["warnings"] = .list(plan.warnings.map(Value.string)) }
        return pretty(.map(document))
    }

    private func resourceChange(_ change: ResourceChange) -> Value {
        let sensitive = Set(change.sensitiveNames)
        var entry: [String: Value] = [
            "address": .string(change.address.description),
            "mode": "managed",
            "type": .string(change.terraformType),
            "name": .string(change.address.name),
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": .map([
                "actions": .list(actions(change).map(Value.string)),
                "before": change.before.map { redacted($0, sensitive) } ?? .null,
                "after": change.after.map { redacted($0, sensitive) } ?? .null,
                "after_unknown": unknownMarks(change.after ?? [:]),
                "before_sensitive": sensitivityMarks(change.before, sensitive),
                "after_sensitive": sensitivityMarks(change.after, sensitive),
                "replace_paths": .list(change.replacePaths.map { .list([.string($0)]) }),
            ]),
        ]
        if let deposed = change.deposedID { entry["deposed"] = .string(deposed) }
        if let reason = change.actionReason { entry["action_reason"] = .string(reason.rawValue) }
        return .map(entry)
    }

    /// A lookup read during apply, as Terraform lists a deferred data source: mode `data`,
    /// action `read`, its values unknown.
    private func deferredRead(_ lookup: PlannedLookup) -> Value {
        .map([
            "address": .string(lookup.address.description),
            "mode": "data",
            "type": .string(lookup.terraformType),
            "name": .string(lookup.address.name),
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": .map(["actions": .list(["read"]), "before": .null, "after": .null, "after_unknown": .bool(true),
                            "before_sensitive": .bool(false), "after_sensitive": .bool(false), "replace_paths": .list([])]),
            "action_reason": "read_because_dependency_pending",
        ])
    }

    /// Terraform's action lists: a replacement is `["create","delete"]` or `["delete","create"]`.
    private func actions(_ change: ResourceChange) -> [String] {
        switch change.action {
        case .noop: return ["no-op"]
        case .create: return ["create"]
        case .update: return ["update"]
        case .delete: return ["delete"]
        case .replace: return change.replaceOrder == .deleteBeforeCreate ? ["delete", "create"] : ["create", "delete"]
        }
    }

    private func redacted(_ values: [String: Value], _ sensitive: Set<String>) -> Value {
        var result: [String: Value] = [:]
        for (name, value) in values {
            result[name] = value == .unknown || sensitive.contains(name) ? .null : stripUnknown(value)
        }
        return .map(result)
    }

    private func stripUnknown(_ value: Value) -> Value {
        switch value {
        case .unknown: return .null
        case .list(let items): return .list(items.map(stripUnknown))
        case .map(let entries): return .map(entries.mapValues(stripUnknown))
        default: return value
        }
    }

    /// `true` where a value is unknown, nested like the value; known leaves are left out.
    private func unknownMarks(_ values: [String: Value]) -> Value {
        var result: [String: Value] = [:]
        for (name, value) in values {
            if let marks = unknownMark(value) { result[name] = marks }
        }
        return .map(result)
    }

    private func unknownMark(_ value: Value) -> Value? {
        switch value {
        case .unknown: return true
        case .list(let items) where items.contains(where: \.containsUnknown):
            return .list(items.map { unknownMark($0) ?? false })
        case .map(let entries) where entries.values.contains(where: \.containsUnknown):
            return .map(entries.compactMapValues(unknownMark))
        default: return nil
        }
    }

    private func sensitivityMarks(_ values: [String: Value]?, _ sensitive: Set<String>) -> Value {
        guard let values else { return false }
        return .map(Dictionary(uniqueKeysWithValues: values.keys.filter(sensitive.contains).map { ($0, Value.bool(true)) }))
    }

    private func outputChange(_ output: OutputChange) -> Value {
        let actions: [String]
        switch (output.before, output.after) {
        case (nil, _?): actions = ["create"]
        case (_?, nil): actions = ["delete"]
        default: actions = output.changes ? ["update"] : ["no-op"]
        }
        let hide: (Value?) -> Value = { value in
            guard let value else { return .null }
            return output.sensitive || value == .unknown ? .null : value
        }
        return .map([
            "actions": .list(actions.map(Value.string)),
            "before": hide(output.before),
            "after": hide(output.after),
            "after_unknown": .bool(output.after == .unknown),
            "before_sensitive": .bool(output.sensitive),
            "after_sensitive": .bool(output.sensitive),
        ])
    }

    private func drift(_ drift: Drift) -> Value {
        let sensitive = Set(drift.sensitiveNames)
        var before: [String: Value] = [:]
        var after: [String: Value] = [:]
        for item in drift.changes {
            before[item.name] = sensitive.contains(item.name) ? .null : item.recorded
            after[item.name] = sensitive.contains(item.name) ? .null : item.actual
        }
        return .map([
            "address": .string(drift.address.description),
            "change": .map([
                "actions": .list([drift.deleted ? "delete" : "update"]),
                "before": .map(before),
                "after": drift.deleted ? .null : .map(after),
            ]),
        ])
    }

    /// Pretty JSON with two-space indents and sorted keys.
    public func pretty(_ value: Value, indent: String = "") -> String {
        var text = ""
        write(value, indent: indent, to: &text)
        return text
    }

    /// Appends `value` as pretty JSON to `text`: one buffer for the whole document, not a string
    /// per nested value copied into its parent's.
    private func write(_ value: Value, indent: String, to text: inout String) {
        let inner = indent + "  "
        switch value {
        case .list(let items) where !items.isEmpty:
            text += "[\n"
            for (index, item) in items.enumerated() {
                if index > 0 { text += ",\n" }
                text += inner
                write(item, indent: inner, to: &text)
            }
            text += "\n" + indent + "]"
        case .map(let entries) where !entries.isEmpty:
            text += "{\n"
            for (index, entry) in entries.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { text += ",\n" }
                text += inner + Value.quoted(entry.key) + ": "
                write(entry.value, indent: inner, to: &text)
            }
            text += "\n" + indent + "}"
        default:
            text += value.canonicalJSON
        }
    }
}
