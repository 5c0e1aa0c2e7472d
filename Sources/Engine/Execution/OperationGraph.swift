/// The operations of a plan and the order they must run in.
///
/// Creates and updates follow dependencies; deletions run in reverse (a resource is deleted
/// only after everything that depended on it has moved off or gone). A create-before-destroy
/// replacement creates the new object, lets dependents update to it, then deletes the old one;
/// delete-before-create deletes first. A resource that captures its dependencies (an API
/// Gateway deployment) is created after the deletion of a dependency the stack dropped.
struct OperationGraph: Sendable {
    /// Every operation.
    private(set) var nodes: [OperationNode] = []
    /// What each operation waits for.
    private(set) var dependencies: [OperationNode: Set<OperationNode>] = [:]

    /// - Parameter capturing: the resources whose type captures its dependencies
    ///   (``ResourceSchema/capturesDependencies``).
    init(plan: Plan, prior: StateFile, capturing: Set<Address> = []) {
        var applyNode: [Address: OperationNode] = [:]
        var deleteNodes: [Address: [OperationNode]] = [:]
        var changesByAddress: [Address: ResourceChange] = [:]

        for change in plan.changes where change.action != .noop {
            let address = change.address
            switch change.action {
            case .create:
                applyNode[address] = add(OperationNode(address: address, kind: .create))
            case .update:
                applyNode[address] = add(OperationNode(address: address, kind: .update))
            case .delete:
                deleteNodes[address, default: []].append(add(OperationNode(address: address, kind: .delete, deposedID: change.deposedID)))
            case .replace:
                let create = add(OperationNode(address: address, kind: .create))
                applyNode[address] = create
                if change.replaceOrder == .deleteBeforeCreate {
                    let delete = add(OperationNode(address: address, kind: .delete))
                    deleteNodes[address, default: []].append(delete)
                    dependencies[create, default: []].insert(delete)
                } else {
                    let delete = add(OperationNode(address: address, kind: .delete, deposedID: change.id))
                    deleteNodes[address, default: []].append(delete)
                    dependencies[delete, default: []].insert(create)
                }
            case .noop:
                break
            }
            if change.deposedID == nil { changesByAddress[address] = change }
        }

        // Creates and updates wait for the creates and updates of what they depend on.
        for (address, node) in applyNode {
            for dependency in changesByAddress[address]?.dependencies ?? [] {
                if let upstream = applyNode[dependency] { dependencies[node, default: []].insert(upstream) }
            }
        }

        // A deletion waits until everything that depends (or depended) on the resource is
        // done with it: their deletions, and their updates or creates when they move to the
        // replacement.
        var recordedDependents: [Address: Set<Address>] = [:]
        for record in prior.resources + prior.deposed {
            for dependency in record.dependencies { recordedDependents[dependency, default: []].insert(record.address) }
        }
        for change in plan.changes where change.action != .noop && change.action != .delete {
            for dependency in change.dependencies { recordedDependents[dependency, default: []].insert(change.address) }
        }
        for (address, nodesToDelete) in deleteNodes {
            let dropped = changesByAddress[address]?.action == .delete
            for delete in nodesToDelete {
                for dependent in recordedDependents[address] ?? [] where dependent != address {
                    // A new snapshot must not hold what the stack dropped: it waits for the
                    // deletion, which need not wait for it (nor for its old object).
                    if dropped, capturing.contains(dependent), let snapshot = applyNode[dependent] {
                        dependencies[snapshot, default: []].insert(delete)
                        continue
                    }
                    for other in deleteNodes[dependent] ?? [] { dependencies[delete, default: []].insert(other) }
                    // Moving a dependent onto a new object must happen before the old goes,
                    // unless the old must go first (delete-before-create keeps the same name).
                    if delete.deposedID != nil || changesByAddress[address]?.action == .delete,
                       let upstream = applyNode[dependent], !(dependencies[upstream]?.contains(delete) ?? false) {
                        dependencies[delete, default: []].insert(upstream)
                    }
                }
            }
        }
        breakCycles()
    }

    private mutating func add(_ node: OperationNode) -> OperationNode {
        nodes.append(node)
        dependencies[node] = dependencies[node] ?? []
        return node
    }

    /// Drops the wait edges of deletions that would close a cycle: the rules above can
    /// conflict when a replaced resource and its dependents replace in opposite orders, and a
    /// finished run matters more than the order of one deletion.
    private mutating func breakCycles() {
        for node in nodes where node.kind == .delete {
            for dependency in dependencies[node] ?? [] where reaches(from: dependency, to: node) {
                dependencies[node]?.remove(dependency)
            }
        }
    }

    private func reaches(from start: OperationNode, to target: OperationNode) -> Bool {
        var seen = Set<OperationNode>()
        var stack = [start]
        while let next = stack.popLast() {
            if next == target { return true }
            guard seen.insert(next).inserted else { continue }
            stack.append(contentsOf: dependencies[next] ?? [])
        }
        return false
    }

    /// Operations that wait for `node` directly.
    func dependents(of node: OperationNode) -> [OperationNode] {
        nodes.filter { dependencies[$0]?.contains(node) ?? false }
    }

    /// Operations that wait for `node`, directly or not.
    func transitiveDependents(of node: OperationNode) -> [OperationNode] {
        var seen = Set<OperationNode>()
        var stack = [node]
        var result: [OperationNode] = []
        while let next = stack.popLast() {
            for dependent in dependents(of: next) where seen.insert(dependent).inserted {
                result.append(dependent)
                stack.append(dependent)
            }
        }
        return result
    }
}
