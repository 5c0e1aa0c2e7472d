import ArgumentParser
import BuildInfo
import Engine

/// The formats `--events` takes.
enum EventFormat: String, ExpressibleByArgument, CaseIterable {
    /// Terraform's machine-readable UI (`terraform apply -json`): one JSON object a line.
    case json
}

/// `--events`, taken by `plan`, `apply` and `destroy`.
struct EventsOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Report the run as JSON objects, one a line on standard output, as Terraform's `-json` UI writes them "
            + "(not the plan document `plan --json` prints).",
        valueName: "json"))
    var events: EventFormat?

    /// The stream to write to, nil without `--events=json`.
    func stream(_ console: Console) -> EventStream? {
        events == .json ? EventStream(console: console) : nil
    }
}

/// Writes a run as Terraform's machine-readable UI (``JSONUIRenderer``) on standard output; with
/// it, nothing else is written there.
struct EventStream: Sendable {
    let console: Console
    /// Names resources by their Terraform types once the stack is known (``named(by:)``).
    var renderer = JSONUIRenderer(schemas: [])

    /// The stream naming resources by the Terraform types of `schemas`.
    func named(by schemas: [ResourceSchema]) -> EventStream {
        EventStream(console: console, renderer: JSONUIRenderer(schemas: schemas))
    }

    /// Writes each line.
    func emit(_ lines: [String]) {
        for line in lines { console.out(line) }
    }

    /// Writes the `version` message, the stream's first.
    func begin() {
        emit([renderer.version(imgstack: BuildInfo.version)])
    }

    /// Writes a failure as `diagnostic` messages: one per problem of an invalid stack (each
    /// naming the resource and the property), else one with the message.
    func fail(_ error: any Error) {
        if let invalid = error as? StackValidationError {
            emit(invalid.issues.map { renderer.diagnostic($0.description) })
        } else {
            emit([renderer.diagnostic(CommandRunner.message(for: error))])
        }
    }

    /// Writes what the deployment reports as it runs.
    func follow(_ event: DeploymentEvent) {
        switch event {
        case .waitingForLock(let report):
            switch report {
            case .held(let holder): emit([renderer.log("Waiting for the state lock, held by \(holder.summary)...")])
            case .stillWaiting(let seconds, _): emit([renderer.log("Still waiting for the state lock (\(seconds)s so far)...")])
            }
        case .waitingForInterruptedCreate(let address, let seconds):
            emit([renderer.log("\(address): an interrupted apply's create is not found yet; looking again for up to \(Int(seconds.rounded(.up))) s")])
        case .recovered(let outcome): emit([renderer.log("Recovered: \(outcome.description)")])
        case .refresh(let progress): emit([renderer.refresh(progress)])
        case .operation(let progress): emit(renderer.operation(progress))
        default: break
        }
    }
}
