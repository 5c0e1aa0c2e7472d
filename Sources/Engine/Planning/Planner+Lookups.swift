extension Planner {
    /// The planned value of a lookup's attribute: what the lookup read, `.unknown` when it is
    /// read during apply.
    func lookupValue(_ reference: Reference, planned: [Address: ResourceChange]) -> Value {
        guard let record = lookups[reference.address], !waitsForChange(reference.address, planned: planned) else { return .unknown }
        return record.attributes[reference.attribute] ?? .null
    }

    /// True when a resource the lookup's arguments depend on changes in this plan: the lookup
    /// is then read after that change, during apply, as Terraform defers a data source that
    /// depends on a resource with pending changes.
    func waitsForChange(_ address: Address, planned: [Address: ResourceChange]) -> Bool {
        StackDefinition.resourceDependencies(ofLookup: address, in: stack.lookups).contains { dependency in
            planned[dependency].map { $0.action != .noop } ?? false
        }
    }

    /// Why a changing resource changes when a lookup feeds one of its changed properties: the
    /// lookup reads another value than at the last apply, or is read during apply.
    func lookupReason(_ declaration: ResourceDeclaration, changed: [String], prior: StateFile,
                      planned: [Address: ResourceChange]) -> String? {
        var attributesByLookup: [Address: Set<String>] = [:]
        for name in changed {
            for reference in declaration.properties[name]?.references ?? [] where reference.address.isLookup {
                attributesByLookup[reference.address, default: []].insert(reference.attribute)
            }
        }
        var reasons: [String] = []
        for (address, attributes) in attributesByLookup.sorted(by: { $0.key < $1.key }) {
            guard let record = lookups[address], !waitsForChange(address, planned: planned) else {
                reasons.append("\(address) is read during apply")
                continue
            }
            guard let recorded = prior.lookup(address) else { continue }
            let moved = attributes.filter { recorded.attributes[$0] != record.attributes[$0] }.sorted()
            if !moved.isEmpty { reasons.append("\(address) changed: \(moved.joined(separator: ", "))") }
        }
        return reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }

    /// Every declared lookup as the plan reads it, marking those that feed a change.
    func plannedLookups(prior: StateFile, changes: [ResourceChange], outputs: [OutputChange]) -> [PlannedLookup] {
        let planned = Dictionary(changes.filter { $0.deposedID == nil }.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        var feeding: Set<Address> = []
        for change in changes where change.action != .noop {
            for name in change.changedProperties {
                for reference in stack.resource(change.address)?.properties[name]?.references ?? [] where reference.address.isLookup {
                    feeding.insert(reference.address)
                }
            }
        }
        for output in outputs where output.changes {
            for reference in stack.outputs.first(where: { $0.name == output.name })?.value.references ?? [] where reference.address.isLookup {
                feeding.insert(reference.address)
            }
        }
        // A lookup that feeds another feeding lookup feeds the change too.
        var pending = Array(feeding)
        while let next = pending.popLast() {
            for dependency in stack.lookup(next)?.dependencies ?? [] where dependency.isLookup && !feeding.contains(dependency) {
                feeding.insert(dependency)
                pending.append(dependency)
            }
        }
        return stack.lookups.sorted { $0.address < $1.address }.map { lookup in
            let read = waitsForChange(lookup.address, planned: planned) ? nil : lookups[lookup.address]
            return PlannedLookup(address: lookup.address, terraformType: lookup.type.schema.terraformType,
                                 region: lookup.region ?? stack.region, arguments: read?.arguments,
                                 before: prior.lookup(lookup.address)?.attributes, after: read?.attributes,
                                 feedsChange: feeding.contains(lookup.address))
        }
    }
}
