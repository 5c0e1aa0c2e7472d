import Engine
import XCTest

final class DependencyGraphTests: XCTestCase {
    /// a <- b <- d, a <- c <- d, e alone.
    private let diamond = DependencyGraph([
        .thing("d"): [.thing("b"), .thing("c")],
        .thing("b"): [.thing("a")],
        .thing("c"): [.thing("a")],
        .thing("a"): [],
        .thing("e"): [],
    ])

    func testTopologicalOrderPutsDependenciesFirstAndBreaksTiesByAddress() throws {
        XCTAssertEqual(try diamond.topologicalOrder(), [.thing("a"), .thing("e"), .thing("b"), .thing("c"), .thing("d")])
    }

    func testDependenciesOnUnknownNodesAreDropped() throws {
        let graph = DependencyGraph([.thing("a"): [.thing("elsewhere")]])
        XCTAssertEqual(graph.dependencies[.thing("a")], [])
        XCTAssertEqual(try graph.topologicalOrder(), [.thing("a")])
    }

    func testCycleIsReportedFromItsSmallestNode() {
        let graph = DependencyGraph([
            .thing("z"): [.thing("b")],
            .thing("b"): [.thing("c")],
            .thing("c"): [.thing("b")],
            .thing("a"): [],
        ])
        XCTAssertThrowsError(try graph.topologicalOrder()) { error in
            let cycle = error as? DependencyCycleError
            XCTAssertEqual(cycle?.cycle, [.thing("b"), .thing("c"), .thing("b")])
            XCTAssertEqual(cycle?.description, "dependency cycle: memory.thing.b -> memory.thing.c -> memory.thing.b")
        }
    }

    func testSelfDependencyIsACycle() {
        XCTAssertThrowsError(try DependencyGraph([.thing("a"): [.thing("a")]]).topologicalOrder()) { error in
            XCTAssertEqual((error as? DependencyCycleError)?.cycle, [.thing("a"), .thing("a")])
        }
    }

    func testClosureHoldsTargetsAndEverythingTheyDependOn() {
        XCTAssertEqual(diamond.closure(of: [.thing("b")]), [.thing("a"), .thing("b")])
        XCTAssertEqual(diamond.closure(of: [.thing("d"), .thing("e")]), Set(diamond.nodes))
    }

    func testDependentsDirectAndTransitive() {
        XCTAssertEqual(diamond.dependents(of: .thing("a")), [.thing("b"), .thing("c")])
        XCTAssertEqual(diamond.allDependents(of: .thing("a")), [.thing("b"), .thing("c"), .thing("d")])
        XCTAssertEqual(diamond.allDependents(of: .thing("d")), [])
    }

    func testDotOutputListsNodesThenEdgesSorted() {
        let graph = DependencyGraph([.thing("b"): [.thing("a")], .thing("a"): []])
        XCTAssertEqual(graph.dot(name: "test"), """
            digraph "test" {
              rankdir = "RL";
              "memory.thing.a";
              "memory.thing.b";
              "memory.thing.b" -> "memory.thing.a";
            }

            """)
    }

    func testDeclarationDependenciesJoinReferencesAndDependsOnWithoutItself() {
        let harness = Harness()
        let declaration = harness.thing("a", ["target": .concat([.ref("c", "arn"), .ref("a", "name")]), "label": .ref("b", "id")],
                                        dependsOn: [.thing("c"), .thing("d")])
        XCTAssertEqual(declaration.dependencies, [.thing("b"), .thing("c"), .thing("d")])
    }

    func testAddressParsesTheLastComponentAsName() {
        XCTAssertEqual(Address(parsing: "s3.bucket.images"), Address(type: "s3.bucket", name: "images"))
        XCTAssertNil(Address(parsing: "nodot"))
        XCTAssertNil(Address(parsing: "s3.bucket."))
        XCTAssertNil(Address(parsing: ".images"))
    }
}
