import Engine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The CLI's output layer: everything imgstack prints goes through here, so colour, TTY and
/// prompt decisions are made in one place.
struct Console: Sendable {
    /// Whether standard output is a terminal.
    let outputIsTerminal: Bool
    /// Whether standard input is a terminal (prompts are possible).
    let inputIsTerminal: Bool
    /// The style for standard output.
    let style: TerminalStyle

    /// Decides from the environment and flags: colour only on a terminal, never with
    /// `NO_COLOR`, `--no-color` or in CI.
    init(noColor: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) {
        outputIsTerminal = isatty(STDOUT_FILENO) == 1
        inputIsTerminal = isatty(STDIN_FILENO) == 1
        let ci = ["true", "1"].contains(environment["CI"]?.lowercased() ?? "")
        let colored = outputIsTerminal && !noColor && environment["NO_COLOR"] == nil && !ci
        style = TerminalStyle(colored: colored)
    }

    /// True when the user can be asked a question.
    var canPrompt: Bool { inputIsTerminal && outputIsTerminal }

    /// Writes a line to standard output.
    func out(_ text: String = "") {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Writes text to standard output without adding a newline.
    func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes a JSON plan to standard output as it is made, then a newline (a large plan is
    /// never held whole; see ``JSONPlanRenderer/render(_:pieceBytes:to:)``).
    func outJSON(_ plan: Plan, _ renderer: JSONPlanRenderer) {
        renderer.render(plan, to: { FileHandle.standardOutput.write(Data($0)) })
        out()
    }

    /// Writes a line to standard error.
    func err(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Writes an error in the shape every command uses: `Error: …`.
    func error(_ message: String) {
        err(style.red("Error: ") + message)
    }

    /// Tells a run waiting for the state lock (`--lock-timeout`) who holds it, then that it
    /// still waits.
    func lockWait(_ report: LockWaitReporter.Report) {
        switch report {
        case .held(let holder):
            err(style.dim("Waiting for the state lock, held by \(holder.summary)..."))
        case .stillWaiting(let seconds, let holder):
            err(style.dim("Still waiting for the state lock (\(seconds)s so far; held by \(holder.who)@\(holder.host), pid \(holder.pid))..."))
        }
    }

    /// Asks a question on the terminal and returns the answer, nil at end of input.
    func ask(_ question: String) -> String? {
        write(question)
        return readLine(strippingNewline: true)
    }
}
