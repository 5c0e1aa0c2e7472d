/// A directed graph of resource addresses, edges pointing from a resource to what it depends on.
public struct DependencyGraph: Sendable {
    /// Each node's dependencies.
    public private(set) var dependencies: [Address: Set<Address>]

    /// Creates a graph from each node's dependencies. Dependencies on addresses that are not
    /// nodes are kept out.
    public init(_ dependencies: [Address: [Address]]) {
        let nodes = Set(dependencies.keys)
        self.dependencies = dependencies.mapValues { Set($0).intersection(nodes) }
    }

    /// All nodes, sorted.
    public var nodes: [Address] { dependencies.keys.sorted() }

    /// The nodes that depend on `address` directly.
    public func dependents(of address: Address) -> [Address] {
        dependencies.filter { $0.value.contains(address) }.map(\.key).sorted()
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

    /// The nodes in an order where each comes after its dependencies; ties broken by address.
    /// - Throws: `DependencyCycleError` naming one cycle.
    public func topologicalOrder() throws -> [Address] {
        var remaining = dependencies
        var order: [Address] = []
        while !remaining.isEmpty {
            let ready = remaining.filter { $0.value.isEmpty }.map(\.key).sorted()
            guard !ready.isEmpty else { throw DependencyCycleError(cycle: findCycle(in: remaining)) }
            for address in ready { remaining[address] = nil }
            for key in remaining.keys { remaining[key]?.subtract(ready) }
            order.append(contentsOf: ready)
        }
        return order
    }

    /// Walks dependencies from the smallest remaining node until a node repeats.
    private func findCycle(in remaining: [Address: Set<Address>]) -> [Address] {
        guard var current = remaining.keys.min() else { return [] }
        var path: [Address] = []
        while !path.contains(current) {
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
