import ArgumentParser
import Engine
import Foundation
import ImgStack

/// `imgstack apply`: makes AWS match the stack.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Create, update and delete resources so AWS matches the stack.",
        discussion: "With PLANFILE (from `plan --out`), applies exactly that plan, and refuses it if the state changed since.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A plan saved by `imgstack plan --out FILE`.")
    var planFile: String?

    @Flag(name: .customLong("auto-approve"), help: "Do not ask for confirmation.")
    var autoApprove = false

    @Flag(name: .long, help: "Print how the run ended as one JSON document (failures with their AWS error code and request id); the plan and progress go to standard error.")
    var json = false

    @OptionGroup var parallelism: ParallelismOption

    @Option(name: .long, help: ArgumentHelp("Apply only this resource and what it depends on (repeatable).", valueName: "ADDRESS"))
    var target: [String] = []

    @Option(name: .long, help: ArgumentHelp("Replace this resource even if nothing changed (repeatable).", valueName: "ADDRESS"))
    var replace: [String] = []

    @Option(name: .long, help: "Read every recorded resource from AWS first.")
    var refresh = true

    @OptionGroup var events: EventsOption

    func validate() throws {
        if events.events != nil {
            if json {
                throw ValidationError("--events=json and --json cannot be used together: choose the stream of messages or the one document")
            }
            // As Terraform's `apply -json`: a stream cannot carry a question.
            guard autoApprove || planFile != nil else {
                throw ValidationError("--events=json cannot ask for approval; add --auto-approve or apply a saved plan")
            }
        }
        if planFile != nil, !target.isEmpty || !replace.isEmpty || !global.variables.isEmpty || !global.variableFiles.isEmpty {
            throw ValidationError("a saved plan already fixes targets, replacements and variables; give them to `imgstack plan`")
        }
    }

    func run() async throws {
        try await CommandRunner.run(Self.options(global, planFile: planFile), events: events) { session, stream in
            if let planFile {
                try await applySaved(planFile, session: session, stream: stream)
            } else {
                try await applyFresh(session: session, stream: stream)
            }
        }
    }

    private func applyFresh(session: Session, stream: EventStream?) async throws {
        session.readStateAhead()
        let evaluation = try session.evaluate()
        let options = Deployment.Options(operation: .apply, refresh: refresh, targets: try session.addresses(target, flag: "--target"),
                                         replacements: try session.addresses(replace, flag: "--replace"), parallelism: parallelism.parallelism,
                                         lockTimeout: try session.options.lockTimeoutSeconds())
        let result = try await session.deploy(evaluation, options, question: autoApprove ? nil : "Do you want to perform these actions?",
                                              json: json, events: stream)
        if let left = result.lockLeft { throw left }
    }

    /// `options` with the stack a saved plan names when `--stack` was not given: the plan file
    /// says which stack it is for. An unreadable file is reported by ``applySaved(_:session:)``.
    static func options(_ options: GlobalOptions, planFile: String?) -> GlobalOptions {
        guard let planFile, options.stack == nil, let stack = SavedPlanFile.stack(in: planFile) else { return options }
        var chosen = options
        chosen.stack = stack
        return chosen
    }

    /// Refuses a plan made for other endpoints or another region than this run's: made against
    /// an emulator, it must not be applied to AWS (nor the reverse).
    /// - Throws: `CLIError` naming each setting that differs.
    static func checkProvider(of plan: Plan, path: String, current: [String: String]) throws {
        guard let recorded = plan.provider, recorded != current else { return }
        let differences = Set(recorded.keys).union(current.keys).sorted().compactMap { name -> String? in
            guard recorded[name] != current[name] else { return nil }
            return "\(name): \(recorded[name] ?? "not set") in the plan, \(current[name] ?? "not set") now"
        }
        throw CLIError("""
            \(path) was made for other endpoints or another region than this run's (\(differences.joined(separator: "; "))); nothing was done. \
            Apply it with the settings it was made with, or make a new plan.
            """)
    }

    private func applySaved(_ path: String, session: Session, stream: EventStream?) async throws {
        // The stack is named in clear: a plan of another stack is refused before its key is sought.
        try SavedPlanFile.checkStack(of: path, chosen: session.stack.name)
        let saved = try await SavedPlanFile.read(path, backend: session.backend)
        try Self.checkProvider(of: saved, path: path, current: session.aws.provider)
        let evaluation = try session.evaluate(variables: saved.variables)
        let options = Deployment.Options(operation: saved.isDestroy ? .destroy : .apply, parallelism: parallelism.parallelism,
                                         lockTimeout: try session.options.lockTimeoutSeconds(),
                                         savedPlan: Deployment.SavedPlan(saved, origin: path))
        let result = try await session.deploy(evaluation, options, showPlan: false, json: json, events: stream)
        if result.summary == nil, !json, stream == nil { session.console.out("No changes. The saved plan has nothing to do.") }
        if let left = result.lockLeft { throw left }
    }
}
