import Foundation

/// Renders a plan in Terraform's JSON plan format, the document `terraform show -json` writes
/// for a saved plan (developer.hashicorp.com/terraform/internals/json-format), so tools built on
/// it — checkov, trivy, conftest, Infracost — read imgstack's plans as they read Terraform's.
///
/// Every imgstack resource is projected onto the Terraform AWS provider's resources and attribute
/// names by its properties' ``TerraformAttribute`` declarations (an `S3.Bucket` is an
/// `aws_s3_bucket` plus its `aws_s3_bucket_versioning`, …): `planned_values`, `prior_state`,
/// `resource_changes` (Terraform addresses, action arrays, `action_reason`), `resource_drift`,
/// `output_changes`, `configuration` (each attribute's `constant_value` or `references`),
/// `relevant_attributes`, `applyable`, `complete`, `errored`.
///
/// Secrets are never written: a sensitive value is `null`, marked `true` in `before_sensitive`,
/// `after_sensitive` or `sensitive_values` (Terraform itself writes them in clear). Values known
/// only after apply are `null` in `after`, `true` in `after_unknown`, and left out of
/// `planned_values`. imgstack's own address of each resource is kept in `imgstack_address`, a
/// member Terraform's format lets readers ignore.
public struct JSONPlanRenderer: Sendable {
    /// The Terraform JSON plan format version this output follows.
    public static let formatVersion = "1.2"
    /// The `terraform_version` written: the first Terraform release whose `show -json` carries
    /// every member written here (`applyable` and `complete` came with 1.8). imgstack is not
    /// Terraform; readers that check the version see one whose format this document follows.
    public static let terraformVersion = "1.8.0"
    /// The provider every resource belongs to.
    static let providerName = "registry.terraform.io/hashicorp/aws"

    let projection: TerraformProjection

    /// Creates a renderer.
    /// - Parameter schemas: the schemas of the types the plan holds, whose declarations project
    ///   them onto the provider's resources; a type missing here is written with its own names.
    public init(schemas: [ResourceSchema] = []) {
        projection = TerraformProjection(schemas: Dictionary(schemas.map { ($0.typeName, $0) }) { first, _ in first })
    }

    /// The plan as pretty-printed JSON with sorted keys.
    public func render(_ plan: Plan) -> String {
        var writer = JSONWriter()
        write(plan, into: &writer)
        return writer.text
    }

    /// Writes the plan as ``render(_:)`` gives it, handing `output` the UTF-8 text in pieces of
    /// about `pieceBytes` bytes, in order. The document is made one top-level member at a time
    /// and written as it is made, so a plan of 100,000 resources is never held whole, as text
    /// or as a `Value`.
    public func render(_ plan: Plan, pieceBytes: Int = 1 << 20, to output: @escaping ([UInt8]) -> Void) {
        var writer = JSONWriter(pieceBytes: pieceBytes, output: output)
        write(plan, into: &writer)
        writer.finish()
    }

    private func write(_ plan: Plan, into writer: inout JSONWriter) {
        writer.appendPrettyObject(members(plan), indent: 0, key: \.key, value: { $0.value() })
    }

    /// The document's members in key order, each made when asked for.
    private func members(_ plan: Plan) -> [(key: String, value: () -> Value)] {
        let pairs = plan.changes.map(projected)
        var members: [(key: String, value: () -> Value)] = [
            ("format_version", { .string(Self.formatVersion) }),
            ("terraform_version", { .string(Self.terraformVersion) }),
            ("imgstack_stack", { .string(plan.stack) }),
            ("planned_values", {
                .map([
                    "root_module": .map(["resources": .list(pairs.flatMap { $0.after }.map { stateResource($0, dropUnknown: true) })]),
                    "outputs": plannedOutputs(plan.outputs),
                ])
            }),
            ("prior_state", {
                .map([
                    "format_version": "1.0",
                    "terraform_version": .string(Self.terraformVersion),
                    "values": .map([
                        "root_module": .map(["resources": .list(pairs.flatMap { $0.before }.map { stateResource($0, dropUnknown: false) })]),
                        "outputs": priorOutputs(plan.outputs),
                    ]),
                ])
            }),
            ("resource_changes", {
                .list(zip(plan.changes, pairs).flatMap { resourceChanges($0, $1) } + (plan.lookups ?? []).filter(\.readDuringApply).map(deferredRead))
            }),
            ("resource_drift", {
                // Each drifted resource's change, found by address once, not by a search per drift.
                let changes = Dictionary(plan.changes.map { ($0.address, $0) }) { first, _ in first }
                return .list(plan.drift.flatMap { drift($0, change: changes[$0.address]) })
            }),
            ("output_changes", { .map(Dictionary(uniqueKeysWithValues: plan.outputs.map { ($0.name, outputChange($0)) })) }),
            ("configuration", {
                TerraformConfiguration(projection: projection).configuration(plan, pairs: zip(plan.changes, pairs).map { ($0, $1.after) })
            }),
            ("relevant_attributes", { TerraformConfiguration(projection: projection).relevantAttributes(plan) }),
            ("applyable", { .bool(plan.hasChanges) }),
            ("complete", { .bool(plan.targets.isEmpty) }),
            ("errored", { false }),
        ]
        if !plan.warnings.isEmpty { members.append(("warnings", { .list(plan.warnings.map(Value.string)) })) }
        return members.sorted { $0.key < $1.key }
    }

    /// A change's `before` and `after` projected onto the provider's resources.
    private func projected(_ change: ResourceChange) -> (before: [TerraformInstance], after: [TerraformInstance]) {
        let sensitive = Set(change.sensitiveNames)
        let project = { (values: [String: Value]?, leftToAWS: Set<String>) in
            values.map {
                projection.instances(of: change.address, terraformType: change.terraformType, values: $0, sensitive: sensitive,
                                     leftToAWS: leftToAWS)
            } ?? []
        }
        return (project(change.before, []), project(change.after, Self.leftToAWS(change)))
    }

    /// The properties a created resource leaves to AWS: declared neither by the stack nor by a
    /// default, they are unknown in `after` (AWS picks them). A Terraform configuration leaving
    /// such a setting out has no companion resource for it (no `aws_s3_bucket_ownership_controls`
    /// for a bucket whose ownership the stack does not manage). Empty for a plan saved before
    /// declarations were recorded.
    private static func leftToAWS(_ change: ResourceChange) -> Set<String> {
        guard change.action == .create, let declared = change.declaredReferences, let after = change.after else { return [] }
        return Set(after.filter { $0.value == .unknown && declared[$0.key] == nil }.keys)
    }

    // MARK: - Resources

    /// A resource as `planned_values` and `prior_state` list it.
    private func stateResource(_ instance: TerraformInstance, dropUnknown: Bool) -> Value {
        var values: [String: Value] = [:]
        for (name, value) in instance.values {
            if instance.sensitive.contains(name) { values[name] = .null; continue }
            if dropUnknown, value == .unknown { continue }
            values[name] = dropUnknown ? knownPart(value) : value
        }
        var resource: [String: Value] = [
            "address": .string(instance.address),
            "mode": "managed",
            "type": .string(instance.type),
            "name": .string(instance.name),
            "provider_name": .string(Self.providerName),
            "schema_version": 0,
            "values": .map(values),
            "sensitive_values": sensitivityMarks(instance),
        ]
        if let index = instance.index { resource["index"] = .string(index) }
        return .map(resource)
    }

    private func resourceChanges(_ change: ResourceChange, _ pair: (before: [TerraformInstance], after: [TerraformInstance])) -> [Value] {
        var addresses = pair.before.map(\.address)
        for instance in pair.after where !addresses.contains(instance.address) { addresses.append(instance.address) }
        return addresses.map { address in
            let before = pair.before.first { $0.address == address }
            let after = pair.after.first { $0.address == address }
            let template = after ?? before
            let actions = TerraformProjection.actions(change.action, order: change.replaceOrder, before: before, after: after)
            var entry: [String: Value] = [
                "address": .string(address),
                "imgstack_address": .string(change.address.description),
                "mode": "managed",
                "type": .string(template?.type ?? change.terraformType),
                "name": .string(change.address.name),
                "provider_name": .string(Self.providerName),
                "change": .map([
                    "actions": .list(actions.map(Value.string)),
                    "before": before.map { redacted($0) } ?? .null,
                    "after": after.map { redacted($0) } ?? .null,
                    "after_unknown": after.map { unknownMarks($0.values) } ?? .map([:]),
                    "before_sensitive": before.map(sensitivityMarks) ?? false,
                    "after_sensitive": after.map(sensitivityMarks) ?? false,
                    "replace_paths": .list(replacePaths(change, after).map { .list([.string($0)]) }),
                ]),
            ]
            if let index = template?.index { entry["index"] = .string(index) }
            if let deposed = change.deposedID { entry["deposed"] = .string(deposed) }
            if let reason = change.actionReason, actions.contains("delete") { entry["action_reason"] = .string(reason.rawValue) }
            return .map(entry)
        }
    }

    /// A lookup read during apply, as Terraform lists a deferred data source: address
    /// `data.<type>.<name>`, mode `data`, action `read`, its values unknown.
    private func deferredRead(_ lookup: PlannedLookup) -> Value {
        .map([
            "address": .string("data.\(lookup.terraformType).\(lookup.address.name)"),
            "imgstack_address": .string(lookup.address.description),
            "mode": "data",
            "type": .string(lookup.terraformType),
            "name": .string(lookup.address.name),
            "provider_name": .string(Self.providerName),
            "change": .map(["actions": .list(["read"]), "before": .null, "after": .null, "after_unknown": .bool(true),
                            "before_sensitive": .bool(false), "after_sensitive": .bool(false), "replace_paths": .list([])]),
            "action_reason": "read_because_dependency_pending",
        ])
    }

    /// The attributes of `instance` whose change forces the replacement.
    private func replacePaths(_ change: ResourceChange, _ instance: TerraformInstance?) -> [String] {
        guard let instance else { return [] }
        return instance.sources.filter { change.replacePaths.contains($0.value) }.keys.sorted()
    }

    private func redacted(_ instance: TerraformInstance) -> Value {
        .map(Dictionary(uniqueKeysWithValues: instance.values.map { name, value in
            (name, instance.sensitive.contains(name) ? .null : stripUnknown(value))
        }))
    }

    private func stripUnknown(_ value: Value) -> Value {
        switch value {
        case .unknown: return .null
        case .list(let items): return .list(items.map(stripUnknown))
        case .map(let entries): return .map(entries.mapValues(stripUnknown))
        default: return value
        }
    }

    /// The value with unknown members left out, as `planned_values` writes it.
    private func knownPart(_ value: Value) -> Value {
        switch value {
        case .list(let items): return .list(items.map { $0 == .unknown ? .null : knownPart($0) })
        case .map(let entries): return .map(entries.filter { $0.value != .unknown }.mapValues(knownPart))
        default: return value
        }
    }

    /// `true` where a value is unknown, nested like the value; known leaves are left out.
    private func unknownMarks(_ values: [String: Value]) -> Value {
        .map(values.compactMapValues(unknownMark))
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

    private func sensitivityMarks(_ instance: TerraformInstance) -> Value {
        .map(Dictionary(uniqueKeysWithValues: instance.sensitive.sorted().map { ($0, Value.bool(true)) }))
    }

    // MARK: - Drift

    /// Terraform's `resource_drift`: each resource changed outside imgstack, from what state
    /// recorded to what refresh found.
    /// - Parameter change: the drifted resource's change in the plan, if it has one.
    private func drift(_ drift: Drift, change: ResourceChange?) -> [Value] {
        // A type this build does not know keeps its own name, made a Terraform identifier.
        let terraformType = change?.terraformType ?? projection.schemas[drift.address.type]?.terraformType
            ?? drift.address.type.replacingOccurrences(of: ".", with: "_")
        let sensitive = Set(drift.sensitiveNames)
        let refreshed = drift.deleted ? nil : change?.before
        var recorded = refreshed ?? [:]
        for item in drift.changes { recorded[item.name] = item.recorded }
        let project = { (values: [String: Value]) in
            self.projection.instances(of: drift.address, terraformType: terraformType, values: values, sensitive: sensitive)
        }
        let before = project(recorded)
        let after = refreshed.map(project) ?? []
        return before.compactMap { old in
            let new = after.first { $0.address == old.address }
            guard new?.values != old.values else { return nil }
            return .map([
                "address": .string(old.address),
                "imgstack_address": .string(drift.address.description),
                "mode": "managed",
                "type": .string(old.type),
                "name": .string(old.name),
                "provider_name": .string(Self.providerName),
                "change": .map([
                    "actions": .list([new == nil ? "delete" : "update"]),
                    "before": redacted(old),
                    "after": new.map(redacted) ?? .null,
                    "before_sensitive": sensitivityMarks(old),
                    "after_sensitive": new.map(sensitivityMarks) ?? false,
                ]),
            ])
        }
    }

    // MARK: - Outputs

    private func outputChange(_ output: OutputChange) -> Value {
        let actions: [String]
        switch (output.before, output.after) {
        case (nil, _?): actions = ["create"]
        case (_?, nil): actions = ["delete"]
        default: actions = output.changes ? ["update"] : ["no-op"]
        }
        return .map([
            "actions": .list(actions.map(Value.string)),
            "before": shown(output, output.before),
            "after": shown(output, output.after),
            "after_unknown": .bool(output.after == .unknown),
            "before_sensitive": .bool(output.sensitive),
            "after_sensitive": .bool(output.sensitive),
        ])
    }

    private func shown(_ output: OutputChange, _ value: Value?) -> Value {
        guard let value, !output.sensitive, value != .unknown else { return .null }
        return stripUnknown(value)
    }

    private func plannedOutputs(_ outputs: [OutputChange]) -> Value {
        .map(Dictionary(uniqueKeysWithValues: outputs.compactMap { output -> (String, Value)? in
            guard let after = output.after else { return nil }
            var entry: [String: Value] = ["sensitive": .bool(output.sensitive)]
            if after != .unknown, !output.sensitive { entry["value"] = knownPart(after) }
            return (output.name, .map(entry))
        }))
    }

    private func priorOutputs(_ outputs: [OutputChange]) -> Value {
        .map(Dictionary(uniqueKeysWithValues: outputs.compactMap { output -> (String, Value)? in
            guard let before = output.before else { return nil }
            return (output.name, .map(["sensitive": .bool(output.sensitive), "value": output.sensitive ? .null : before]))
        }))
    }
}
