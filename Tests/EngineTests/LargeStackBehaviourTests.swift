import Engine
import XCTest

/// The engine's large-stack paths (graph order, record lookups, address order) answer exactly as
/// the simple whole-list algorithms they replaced: each is checked against that algorithm,
/// written out here, on many generated inputs. Nothing here is timed.
final class LargeStackBehaviourTests: XCTestCase {
    // MARK: - Graph order

    /// Round by round: every node whose dependencies are all placed, sorted by address; the
    /// cycle is walked from the smallest node left, along its smallest dependency left.
    private func referenceOrder(_ graph: DependencyGraph) -> (order: [Address]?, cycle: [Address]?) {
        var remaining = graph.dependencies
        var order: [Address] = []
        while !remaining.isEmpty {
            let ready = remaining.filter { $0.value.isEmpty }.map(\.key).sorted()
            guard !ready.isEmpty else {
                var current = remaining.keys.min()!
                var path: [Address] = []
                while !path.contains(current) {
                    path.append(current)
                    guard let next = remaining[current]?.min() else { return (nil, path) }
                    current = next
                }
                return (nil, Array(path[path.firstIndex(of: current)!...]) + [current])
            }
            for address in ready { remaining[address] = nil }
            for key in remaining.keys { remaining[key]?.subtract(ready) }
            order += ready
        }
        return (order, nil)
    }

    private func generatedGraph(nodes: Int, edges: Int, acyclic: Bool, using random: inout some RandomNumberGenerator) -> DependencyGraph {
        // Names of varied length, so address order is not node number order.
        let names = (0..<nodes).map { "n\(Int.random(in: 0..<1000, using: &random))-\($0)" }
        var dependencies = Dictionary(uniqueKeysWithValues: names.map { (Address.thing($0), [Address]()) })
        for _ in 0..<edges {
            let from = Int.random(in: 0..<nodes, using: &random), to = Int.random(in: 0..<nodes, using: &random)
            guard !acyclic || to < from else { continue }
            dependencies[.thing(names[from])]?.append(.thing(names[to]))
        }
        dependencies[.thing(names[0])]?.append(Address(type: "memory.thing", name: "undeclared"))
        return DependencyGraph(dependencies)
    }

    func testTopologicalOrderIsTheRoundByRoundOrder() throws {
        var random = SeededGenerator(seed: 13)
        for trial in 0..<200 {
            let graph = generatedGraph(nodes: 1 + trial % 40, edges: trial % 90, acyclic: trial % 3 != 0, using: &random)
            let expected = referenceOrder(graph)
            if let order = expected.order {
                XCTAssertEqual(try graph.topologicalOrder(), order, "trial \(trial)")
            } else {
                XCTAssertThrowsError(try graph.topologicalOrder(), "trial \(trial)") { error in
                    XCTAssertEqual((error as? DependencyCycleError)?.cycle, expected.cycle, "trial \(trial)")
                }
            }
        }
    }

    func testDependentsAreEveryNodeNamingTheAddressSorted() {
        var random = SeededGenerator(seed: 7)
        for trial in 0..<50 {
            let graph = generatedGraph(nodes: 1 + trial, edges: trial * 2, acyclic: trial % 2 == 0, using: &random)
            for node in graph.nodes {
                XCTAssertEqual(graph.dependents(of: node), graph.dependencies.filter { $0.value.contains(node) }.map(\.key).sorted())
            }
        }
    }

    // MARK: - Records

    func testRecordsFoundAddedAndRemovedAsBySearchingAndSortingTheWholeList() {
        var random = SeededGenerator(seed: 3)
        var state = StateFile(stack: "s")
        var reference: [ResourceRecord] = []
        for step in 0..<600 {
            let name = "r\(Int.random(in: 0..<60, using: &random))"
            if step % 150 == 0 {
                // A list put out of order from outside (a state edited by hand) still works.
                reference.shuffle(using: &random)
                state.resources = reference
            }
            if Int.random(in: 0..<3, using: &random) == 0 {
                let expected = reference.firstIndex { $0.address == .thing(name) }.map { reference.remove(at: $0) }
                XCTAssertEqual(state.remove(.thing(name)), expected, "step \(step)")
            } else {
                let new = record(name, id: "\(name)-\(step)")
                reference.removeAll { $0.address == new.address }
                reference.append(new)
                reference.sort { $0.address < $1.address }
                state.upsert(new)
            }
            XCTAssertEqual(state.resources, reference, "step \(step)")
            let probe = Address.thing("r\(Int.random(in: 0..<60, using: &random))")
            XCTAssertEqual(state.resource(probe), reference.first { $0.address == probe }, "step \(step)")
        }
    }

    // MARK: - Address order

    func testAddressOrderIsTheOrderOfTheirDescriptions() {
        let parts = ["a", "a-b", "a.b", "b", "s3.bucket", "s3.bucket_policy", "s3", "A", "z9", "é", "e\u{301}", "ä-x", "_", ""]
        let addresses = parts.flatMap { type in parts.map { Address(type: type, name: $0) } }
        for left in addresses {
            for right in addresses {
                XCTAssertEqual(left < right, left.description < right.description, "\(left) < \(right)")
            }
        }
    }
}

/// A reproducible generator (SplitMix64), so a failing trial can be run again.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
