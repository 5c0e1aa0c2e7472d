/// A directed graph of resource addresses, edges pointing from a resource to what it depends on.
public struct DependencyGraph: Sendable {
    /// Each node's dependencies.
    public private(set) var dependencies: [Address: Set<Address>]
    /// Each node's direct dependents, sorted: the edges reversed once, so asking for them costs
    /// no walk over the whole graph.
    private var dependentsByNode: [Address: [Address]]

    /// Creates a graph from each node's dependencies. Dependencies on addresses that are not
    /// nodes are kept out.
    public init(_ dependencies: [Address: [Address]]) {
        self.dependencies = dependencies.mapValues { Set($0.filter { dependencies[$0] != nil }) }
        var dependents: [Address: [Address]] = [:]
        for (node, nodeDependencies) in self.dependencies {
            for dependency in nodeDependencies { dependents[dependency, default: []].append(node) }
        }
        self.dependentsByNode = dependents.mapValues { $0.sorted() }
    }

    /// All nodes, sorted.
    public var nodes: [Address] { dependencies.keys.sorted() }

    /// The nodes that depend on `address` directly, sorted.
    public func dependents(of address: Address) -> [Address] {
        dependentsByNode[address] ?? []
    }

    /// `address` and everything it depends on, transitively.
    public func closure(of addresses: [Address]) -> Set<Address> {
        var seen = Set<Address>()
        var stack = addresses
        while let next = stack.popLast() {
            guard seen.insert(next).inserted else { continue }
            stack.append(contentsOf: dependencies[next] ?? [])
        }
        return seen
    }

    /// Everything that depends on `address`, transitively (not including it).
    public func allDependents(of address: Address) -> Set<Address> {
        var seen = Set<Address>()
        var stack = [address]
        while let next = stack.popLast() {
            for dependent in dependents(of: next) where seen.insert(dependent).inserted {
                stack.append(dependent)
            }
        }
        return seen
    }

    /// The nodes in an order where each comes after its dependencies: first those that depend on
    /// nothing, then those whose dependencies all came before, and so on, each such round sorted
    /// by address. O(nodes + edges), plus the sort.
    /// - Throws: `DependencyCycleError` naming one cycle.
    public func topologicalOrder() throws -> [Address] {
        // Kahn's algorithm, round by round: a node's round is one more than its latest dependency's.
        var waitingOn = dependencies.mapValues(\.count)
        var round: [Address] = waitingOn.filter { $0.value == 0 }.map(\.key)
        var rounds: [[Address]] = []
        while !round.isEmpty {
            var next: [Address] = []
            for node in round {
                for dependent in dependentsByNode[node] ?? [] {
                    waitingOn[dependent, default: 0] -= 1
                    if waitingOn[dependent] == 0 { next.append(dependent) }
                }
            }
            rounds.append(round.sorted())
            round = next
        }
        let order = rounds.flatMap { $0 }
        guard order.count == dependencies.count else {
            // What is left is each cycle and what depends on one, with its dependencies among them.
            let placed = Set(order)
            let remaining = dependencies.filter { !placed.contains($0.key) }.mapValues { $0.filter { !placed.contains($0) } }
            throw DependencyCycleError(cycle: findCycle(in: remaining))
        }
        return order
    }

    /// Walks dependencies from the smallest remaining node until a node repeats.
    private func findCycle(in remaining: [Address: Set<Address>]) -> [Address] {
        guard var current = remaining.keys.min() else { return [] }
        var path: [Address] = []
        var onPath = Set<Address>()
        while onPath.insert(current).inserted {
            path.append(current)
            guard let next = remaining[current]?.min() else { return path }
            current = next
        }
        let start = path.firstIndex(of: current) ?? 0
        return Array(path[start...]) + [current]
    }

    /// The graph in Graphviz DOT, edges from a resource to what it depends on.
    public func dot(name: String) -> String {
        var lines = ["digraph \"\(name)\" {", "  rankdir = \"RL\";"]
        let nodes = self.nodes
        for node in nodes { lines.append("  \"\(node)\";") }
        for node in nodes {
            for dependency in (dependencies[node] ?? []).sorted() {
                lines.append("  \"\(node)\" -> \"\(dependency)\";")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Resources that depend on each other in a circle.
public struct DependencyCycleError: Error, Sendable, CustomStringConvertible {
    /// The cycle, first address repeated at the end.
    public var cycle: [Address]

    public var description: String {
        "dependency cycle: " + cycle.map(\.description).joined(separator: " -> ")
    }
}
