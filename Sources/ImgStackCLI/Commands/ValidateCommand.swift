import ArgumentParser
import Engine

/// `imgstack validate`: checks the stack without any AWS call.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check variables, properties, references and dependencies without calling AWS.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await CommandRunner.run(global) { session in
            let evaluation = try session.evaluate()
            for warning in evaluation.definition.warnings {
                session.console.err(session.console.style.yellow("Warning: ") + warning)
            }
            let count = evaluation.definition.resources.count
            session.console.out(session.console.style.green("The stack \(evaluation.definition.name) is valid") + ": \(count) resource\(count == 1 ? "" : "s"), \(evaluation.definition.outputs.count) output\(evaluation.definition.outputs.count == 1 ? "" : "s").")
        }
    }
}
