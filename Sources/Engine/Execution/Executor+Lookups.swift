extension Executor {
    /// Reads the lookups `expressions` refer to (directly or through other lookups) that state
    /// does not hold yet — those the plan left to be read during apply — in dependency order,
    /// with their arguments resolved against live state, and records each read.
    /// - Throws: ``LookupError``; `ExecutionError.unresolved` when an argument is still unknown.
    func readLookups(referencedBy expressions: [Expression], store: StateStore) async throws {
        var wanted: [Address] = []
        var pending = expressions.flatMap(\.references).map(\.address).filter(\.isLookup)
        while let next = pending.popLast() {
            guard !wanted.contains(next), let lookup = stack.lookup(next) else { continue }
            wanted.append(next)
            pending += lookup.dependencies.filter(\.isLookup)
        }
        guard !wanted.isEmpty else { return }
        let graph = DependencyGraph(Dictionary(wanted.compactMap(stack.lookup).map { ($0.address, $0.dependencies) },
                                               uniquingKeysWith: { first, _ in first }))
        for address in try graph.topologicalOrder() {
            let state = await store.state
            guard state.lookup(address) == nil, let lookup = stack.lookup(address) else { continue }
            var unresolved: [Reference] = []
            let arguments = lookup.arguments.mapValues { expression in
                expression.resolve { reference in
                    let value = Executor.liveValue(reference, in: state, types: stack.knownTypes)
                    if value == .unknown { unresolved.append(reference) }
                    return value
                }
            }
            guard unresolved.isEmpty else { throw ExecutionError.unresolved(address, unresolved) }
            let record = try await Deployment.read(lookup, arguments: arguments, region: lookup.region ?? stack.region, client: client)
            try await store.commit { $0.upsertLookup(record) }
        }
    }
}
