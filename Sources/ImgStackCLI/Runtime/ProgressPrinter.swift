import Engine
import Foundation

/// Prints the executor's events as lines: `s3.bucket.site: Creating...`,
/// `s3.bucket.site: Created in 1.2s [id=...]`, and a still-running line every 10 s.
struct ProgressPrinter: Sendable {
    let console: Console
    /// Print to standard error (standard output carries a JSON document).
    var toStandardError = false

    func handle(_ event: ExecutionEvent) {
        let print = { (line: String) in toStandardError ? console.err(line) : console.out(line) }
        let subject = "\(event.address)\(event.deposed ? " (old object)" : "")"
        let style = console.style
        switch event.kind {
        case .started:
            print(style.bold(subject) + ": \(event.operation.presentParticiple)...")
        case .finished(let elapsed, let id):
            print(style.bold(subject) + ": \(event.operation.pastParticiple) in \(Self.seconds(elapsed))" + (id.map { " [id=\($0)]" } ?? ""))
        case .stillRunning(let elapsed):
            print(style.bold(subject) + ": Still \(event.operation.presentParticiple.lowercased())... [\(Int(elapsed))s elapsed]")
        case .failed(let elapsed, _):
            print(style.bold(subject) + ": " + style.red("\(event.operation.noun) failed") + " after \(Self.seconds(elapsed))")
        case .note(let message):
            print(style.bold(subject) + ": \(message)")
        }
    }

    static func seconds(_ value: Double) -> String {
        String(format: "%.1fs", value)
    }
}
