/// Options that shape a plan.
public struct PlanOptions: Sendable {
    /// Limit the plan to these resources and what they depend on (`--target`).
    public var targets: [Address]
    /// Replace these resources even if nothing changed (`--replace`).
    public var forceReplace: [Address]
    /// Plan to destroy everything recorded (or the targets and their dependents).
    public var destroy: Bool

    /// Creates options.
    public init(targets: [Address] = [], forceReplace: [Address] = [], destroy: Bool = false) {
        self.targets = targets
        self.forceReplace = forceReplace
        self.destroy = destroy
    }
}

/// Diffs a stack's desired resources against refreshed state, attribute by attribute.
public struct Planner: Sendable {
    /// The stack as declared.
    public let stack: StackDefinition
    /// Plan shaping.
    public let options: PlanOptions
    /// What the stack's lookups read before planning, by address; a declared lookup missing
    /// here is read during apply.
    public let lookups: [Address: LookupRecord]

    /// Creates a planner.
    public init(stack: StackDefinition, options: PlanOptions = PlanOptions(), lookups: [Address: LookupRecord] = [:]) {
        self.stack = stack
        self.options = options
        self.lookups = lookups
    }

    /// Makes the plan.
    /// - Parameters:
    ///   - prior: the state after refresh.
    ///   - drift: what refresh found changed outside imgstack, shown with the plan.
    ///   - variables: the variable values, saved with the plan.
    /// - Throws: `DependencyCycleError` (validation normally catches cycles first).
    public func plan(prior: StateFile, drift: [Drift] = [], variables: [String: Value] = [:]) throws -> Plan {
        let changes = options.destroy ? destroyChanges(prior) : try applyChanges(prior)
        let outputs = options.destroy
            ? prior.outputs.keys.sorted().map { OutputChange(name: $0, before: prior.outputs[$0]?.value, after: nil, sensitive: prior.outputs[$0]?.sensitive ?? false) }
            : outputChanges(prior: prior, changes: changes)
        // Sorted by key, then gathered: a change is a large value, and a sort moves what it sorts.
        let order = changes.indices.sorted { (changes[$0].address, changes[$0].deposedID ?? "") < (changes[$1].address, changes[$1].deposedID ?? "") }
        var plan = Plan(stack: stack.name, isDestroy: options.destroy, prior: prior, variables: variables,
                        changes: order.map { changes[$0] }, drift: drift, outputs: outputs,
                        warnings: stack.warnings, targets: options.targets, forceReplace: options.forceReplace)
        if !options.destroy, !stack.lookups.isEmpty {
            plan.lookups = plannedLookups(prior: prior, changes: changes, outputs: outputs)
        }
        return plan
    }

    // MARK: - Apply plans

    private func applyChanges(_ prior: StateFile) throws -> [ResourceChange] {
        let graph = DependencyGraph(Dictionary(uniqueKeysWithValues: stack.resources.map { ($0.address, $0.dependencies) }))
        let order = try graph.topologicalOrder()
        let included = options.targets.isEmpty ? Set(order) : graph.closure(of: options.targets)
        var planned: [Address: ResourceChange] = [:]
        // Looked up once per resource: the first declaration and record of each address (by
        // position, so no declaration or record is copied).
        let declarations = Dictionary(stack.resources.indices.map { (stack.resources[$0].address, $0) }, uniquingKeysWith: { first, _ in first })
        let records = Dictionary(prior.resources.indices.map { (prior.resources[$0].address, $0) }, uniquingKeysWith: { first, _ in first })
        planned.reserveCapacity(stack.resources.count)

        for address in order where included.contains(address) {
            guard let declaration = declarations[address] else { continue }
            planned[address] = try change(for: stack.resources[declaration], current: records[address].map { prior.resources[$0] },
                                          prior: prior, planned: planned)
        }
        let declared = Set(stack.resources.map(\.address))
        for record in prior.resources where !declared.contains(record.address) {
            guard options.targets.isEmpty || options.targets.contains(record.address) else { continue }
            planned[record.address] = deletion(of: record, unconfigured: true)
        }
        let deposed = prior.deposed.map { deletion(of: $0, deposed: true) }
        return Array(planned.values) + deposed
    }

    private func change(for declaration: ResourceDeclaration, current: ResourceRecord?, prior: StateFile,
                        planned: [Address: ResourceChange]) throws -> ResourceChange {
        let type = declaration.type
        let schema = type.schema
        let region = declaration.region ?? stack.region
        // A local function, not a closure value: handed to `resolve` without a context copied
        // to the heap (with this planner's every field retained) per resource.
        func lookup(_ reference: Reference) -> Value {
            reference.address.isLookup ? lookupValue(reference, planned: planned) : Planner.value(of: reference, planned: planned)
        }
        var desired: [String: Value] = [:]
        for property in schema.properties {
            if let expression = declaration.properties[property.name] {
                desired[property.name] = type.normalize(property.name, expression.resolve(lookup))
            } else if let fallback = property.defaultValue {
                desired[property.name] = type.normalize(property.name, fallback)
            }
        }
        let sensitive = declaration.sensitiveProperties.isEmpty ? schema.sensitiveNames
            : Set(schema.sensitiveNames).union(declaration.sensitiveProperties).sorted()

        // A record pending deletion that refresh still found is taken back below, never created
        // anew beside it (which would collide with it or adopt it).
        guard let current else {
            var after = desired
            for property in schema.properties where after[property.name] == nil { after[property.name] = .unknown }
            for attribute in schema.attributes { after[attribute.name] = .unknown }
            after["id"] = .unknown
            return ResourceChange(address: declaration.address, terraformType: schema.terraformType, action: .create,
                                  region: region, id: nil, before: nil, after: after,
                                  changedProperties: desired.keys.sorted(), sensitiveNames: sensitive,
                                  dependencies: declaration.dependencies, declaredReferences: declaration.propertyReferences)
        }

        let actual = current.snapshot.properties
        var changed: [String] = []
        for (name, value) in desired where schema.property(name)?.local != true {
            if comparesDigests(name, desired: desired, actual: actual, schema: schema) { continue }
            // A defaulted property the stack never declared is not recorded (and not read): it
            // stands at its default.
            let now = type.normalize(name, actual[name] ?? schema.property(name)?.defaultValue ?? .null)
            let refersToReplaced = declaration.propertyReferences[name]?.contains { planned[$0.address]?.action == .replace } ?? false
            // A property that refers to a replaced resource is applied again even when its value
            // stays the same (a policy on a bucket re-created under the same name).
            if value.containsUnknown || !type.equivalent(name, value, now) || refersToReplaced { changed.append(name) }
        }
        changed.sort()
        let forced = options.forceReplace.contains(declaration.address)
        let replacePaths = changed.filter { schema.property($0)?.forcesReplacement ?? false }
        let regionMoved = current.region != region
        let action: ChangeAction
        if forced || !replacePaths.isEmpty || regionMoved {
            action = .replace
        } else {
            // Taking back a pending deletion is an update even with nothing to change: it ends the
            // deletion the record stands for.
            action = changed.isEmpty && !current.deletionPending ? .noop : .update
        }

        var before = actual
        // A property the record leaves out stands at its default (above): shown so, not as added.
        for name in desired.keys where before[name] == nil && schema.property(name)?.local != true {
            let sameDigest = comparesDigests(name, desired: desired, actual: actual, schema: schema)
                && !changed.contains(schema.property(name)?.digest ?? "")
            before[name] = sameDigest ? desired[name] : type.normalize(name, schema.property(name)?.defaultValue ?? .null)
        }
        before.merge(current.snapshot.attributes) { property, _ in property }
        before["id"] = .string(current.snapshot.id)
        var after = actual.merging(desired) { _, new in new }
        for attribute in schema.attributes {
            switch action {
            case .replace: after[attribute.name] = .unknown
            case .update where attribute.changes(updating: changed): after[attribute.name] = .unknown
            default: after[attribute.name] = current.snapshot.attributes[attribute.name] ?? .unknown
            }
        }
        after["id"] = action == .replace ? .unknown : .string(current.snapshot.id)

        var order: ReplaceOrder?
        if action == .replace {
            order = .createBeforeDestroy
            let names = schema.uniqueNameProperties
            let keepsName = !names.isEmpty && names.allSatisfy { property in
                guard let name = desired[property], !name.containsUnknown else { return false }
                return name == type.normalize(property, actual[property] ?? .null)
            }
            if keepsName { order = .deleteBeforeCreate }
        }
        if current.deletionPending, order == .deleteBeforeCreate {
            throw PendingDeletionError(address: declaration.address, id: current.snapshot.id, replacePaths: forced ? ["--replace"] : replacePaths)
        }
        var reason: String?
        if forced {
            reason = "requested with --replace"
        } else if regionMoved {
            reason = "region changes from \(current.region) to \(region)"
        } else if action == .replace {
            let refreshed = Dictionary(uniqueKeysWithValues: actual.map { ($0.key, type.normalize($0.key, $0.value)) })
            reason = type.replacementReason(before: refreshed, after: desired)
        }
        if action != .noop, let fed = lookupReason(declaration, changed: changed, prior: prior, planned: planned) {
            reason = [reason, fed].compactMap { $0 }.joined(separator: "; ")
        }
        if current.deletionPending {
            let takeBack = action == .replace
                ? "deletion pending since an earlier run: the old object's deletion goes on after the new one is created"
                : "deletion pending since an earlier run: taken back — the deletion stops and the object is kept and updated in place"
            reason = [reason, takeBack].compactMap { $0 }.joined(separator: "; ")
        }
        let actionReason: ActionReason? = action != .replace ? nil : forced ? .replaceByRequest : .replaceBecauseCannotUpdate
        return ResourceChange(address: declaration.address, terraformType: schema.terraformType, action: action,
                              replaceOrder: order, region: region, id: current.snapshot.id, before: before, after: after,
                              changedProperties: changed, replacePaths: replacePaths, sensitiveNames: sensitive,
                              reason: reason, actionReason: actionReason,
                              deletionNote: action == .replace ? type.deletionNote(actual) : nil,
                              dependencies: declaration.dependencies, declaredReferences: declaration.propertyReferences)
    }

    /// True when `name` is compared through its digest: the stack declares the digest and the
    /// record holds one (the digest property is compared on its own).
    private func comparesDigests(_ name: String, desired: [String: Value], actual: [String: Value], schema: ResourceSchema) -> Bool {
        guard let digest = schema.property(name)?.digest, let wanted = desired[digest] else { return false }
        return !wanted.containsUnknown && actual[digest] != nil
    }

    /// The planned value of an attribute of another resource: its new value when known,
    /// `.unknown` when it will exist only after apply.
    static func value(of reference: Reference, planned: [Address: ResourceChange]) -> Value {
        guard let change = planned[reference.address], let after = change.after else { return .unknown }
        return after[reference.attribute] ?? .unknown
    }

    // MARK: - Deletions

    /// - Parameter unconfigured: the stack no longer declares it (not a destroy plan).
    private func deletion(of record: ResourceRecord, deposed: Bool = false, unconfigured: Bool = false) -> ResourceChange {
        let type = stack.knownTypes[record.type]
        var before = record.snapshot.properties
        before.merge(record.snapshot.attributes) { property, _ in property }
        before["id"] = .string(record.snapshot.id)
        let schema = type?.schema
        let sensitive = ((schema?.properties.filter(\.sensitive).map(\.name) ?? []) + (schema?.attributes.filter(\.sensitive).map(\.name) ?? [])).sorted()
        // A current object is deleted with the settings of deletion the stack declares now.
        let settings = deposed ? [:] : stack.deletionSettings(for: record)
        let applied = settings.keys.sorted().map { "\($0) = \(settings[$0]?.canonicalJSON ?? "null") from the stack applies to this delete" }
        let reason = deposed ? "old object of a replacement, left by an earlier run"
            : record.deletionPending ? "deletion pending since an earlier run" : nil
        return ResourceChange(address: record.address, terraformType: schema?.terraformType ?? record.type, action: .delete,
                              region: record.region, id: record.snapshot.id, before: before, after: nil,
                              sensitiveNames: sensitive,
                              reason: ([reason].compactMap { $0 } + applied).joined(separator: "; ").nilIfEmpty,
                              actionReason: unconfigured && !deposed ? .deleteBecauseNoResourceConfig : nil,
                              deletionNote: type?.deletionNote(record.snapshot.properties.merging(settings) { _, declared in declared }),
                              dependencies: record.dependencies, deposedID: deposed ? record.snapshot.id : nil)
    }

    private func destroyChanges(_ prior: StateFile) -> [ResourceChange] {
        var selected = Set(prior.resources.map(\.address))
        if !options.targets.isEmpty {
            let graph = DependencyGraph(Dictionary(uniqueKeysWithValues: prior.resources.map { ($0.address, $0.dependencies) }))
            selected = Set(options.targets.filter(selected.contains))
            for target in Array(selected) { selected.formUnion(graph.allDependents(of: target)) }
        }
        return prior.resources.filter { selected.contains($0.address) }.map { deletion(of: $0) }
            + prior.deposed.map { deletion(of: $0, deposed: true) }
    }

    // MARK: - Outputs

    private func outputChanges(prior: StateFile, changes: [ResourceChange]) -> [OutputChange] {
        // Only outputs read the changes by address (a stack without outputs builds no index).
        let planned = stack.outputs.isEmpty ? [:]
            : Dictionary(changes.filter { $0.deposedID == nil }.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        var result: [OutputChange] = []
        for output in stack.outputs {
            let after = output.value.resolve { reference in
                if reference.address.isLookup { return lookupValue(reference, planned: planned) }
                if planned[reference.address] != nil { return Planner.value(of: reference, planned: planned) }
                // Outside the targets: the recorded value, read the way the executor reads it
                // (undeclared properties stand at their default).
                return Executor.liveValue(reference, in: prior, types: stack.knownTypes)
            }
            result.append(OutputChange(name: output.name, before: prior.outputs[output.name]?.value, after: after, sensitive: output.sensitive))
        }
        let declared = Set(stack.outputs.map(\.name))
        for (name, record) in prior.outputs where !declared.contains(name) {
            result.append(OutputChange(name: name, before: record.value, after: nil, sensitive: record.sensitive))
        }
        return result.sorted { $0.name < $1.name }
    }
}

private extension String {
    /// Nil for the empty string.
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
