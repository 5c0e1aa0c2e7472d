import ArgumentParser
import Engine

/// `imgstack output`: prints the stack's outputs from state.
struct OutputCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "output",
        abstract: "Print the outputs recorded by the last apply.",
        discussion: "Sensitive outputs are redacted in the list; asking for one by name prints it.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Print only this output's value (strings unquoted).")
    var name: String?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() async throws {
        try await CommandRunner.run(global) { session in
            let outputs = try await session.readStoredState()?.outputs ?? [:]
            let console = session.console
            if let name {
                guard let output = outputs[name] else {
                    let known = outputs.isEmpty ? "the state records no outputs (the stack has not been applied, or declares none)"
                        : "outputs: \(outputs.keys.sorted().joined(separator: ", "))"
                    throw CLIError("no output named \"\(name)\"; \(known)")
                }
                if json {
                    console.out(output.value.canonicalJSON)
                } else {
                    console.out(output.value.stringValue ?? output.value.canonicalJSON)
                }
                return
            }
            if json {
                let entries = outputs.mapValues { output -> Value in
                    .map(["sensitive": .bool(output.sensitive), "value": output.sensitive ? .null : output.value])
                }
                console.out(JSONPlanRenderer().pretty(.map(entries)))
                return
            }
            guard !outputs.isEmpty else {
                console.err("No outputs. Run `imgstack apply` first.")
                return
            }
            session.printOutputs(StateFile(stack: session.stack.name).with(outputs: outputs))
        }
    }
}

extension StateFile {
    /// A copy with `outputs` replaced.
    func with(outputs: [String: OutputRecord]) -> StateFile {
        var copy = self
        copy.outputs = outputs
        return copy
    }
}
