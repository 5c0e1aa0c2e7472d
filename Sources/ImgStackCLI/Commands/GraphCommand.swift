import ArgumentParser
import Engine

/// `imgstack graph`: the dependency graph in Graphviz DOT.
struct GraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print the stack's dependency graph in Graphviz DOT (pipe into `dot -Tsvg`).")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await CommandRunner.run(global) { session in
            let definition = try session.evaluate().definition
            let graph = DependencyGraph(Dictionary(uniqueKeysWithValues: definition.resources.map { ($0.address, $0.dependencies) }))
            session.console.write(graph.dot(name: definition.name))
        }
    }
}
