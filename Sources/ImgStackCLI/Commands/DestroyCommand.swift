import ArgumentParser
import Engine
import ImgStack

/// `imgstack destroy`: deletes every resource of the stack.
struct DestroyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destroy",
        abstract: "Delete every resource of the stack (or the targets and what depends on them).")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .customLong("auto-approve"), help: "Do not ask for confirmation.")
    var autoApprove = false

    @Flag(name: .long, help: "Print how the run ended as one JSON document (failures with their AWS error code and request id); the plan and progress go to standard error.")
    var json = false

    @OptionGroup var parallelism: ParallelismOption

    @Option(name: .long, help: ArgumentHelp("Destroy only this resource and what depends on it (repeatable).", valueName: "ADDRESS"))
    var target: [String] = []

    @Option(name: .long, help: "Read every recorded resource from AWS first.")
    var refresh = true

    @OptionGroup var events: EventsOption

    func validate() throws {
        if events.events != nil {
            if json {
                throw ValidationError("--events=json and --json cannot be used together: choose the stream of messages or the one document")
            }
            // As Terraform's `apply -json`: a stream cannot carry a question.
            guard autoApprove else { throw ValidationError("--events=json cannot ask for approval; add --auto-approve") }
        }
    }

    func run() async throws {
        try await CommandRunner.run(global, events: events) { session, stream in
            session.readStateAhead()
            let evaluation = try session.evaluate()
            let options = Deployment.Options(operation: .destroy, refresh: refresh, targets: try session.addresses(target, flag: "--target"),
                                             parallelism: parallelism.parallelism, lockTimeout: try session.options.lockTimeoutSeconds())
            let result = try await session.deploy(evaluation, options,
                                                  question: autoApprove ? nil : "Do you really want to destroy these resources? There is no undo.",
                                                  json: json, events: stream)
            if let left = result.lockLeft { throw left }
        }
    }
}
