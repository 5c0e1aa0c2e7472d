import ArgumentParser
import Engine
import Foundation
import ImgStack

/// `imgstack plan`: shows what apply would change.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what apply would change, attribute by attribute.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "Save the plan to FILE for `imgstack apply FILE`.")
    var out: String?

    @Flag(name: .customLong("detailed-exitcode"), help: "Exit 0 when there is nothing to do, 2 when there are changes, 1 on error.")
    var detailedExitCode = false

    @Flag(name: .long, help: "Print the plan in Terraform's JSON plan format (as `terraform show -json` writes it), for checkov and its kin.")
    var json = false

    @Flag(name: .long, help: "Print the plan as Markdown (also appended to $GITHUB_STEP_SUMMARY when set).")
    var markdown = false

    @Option(name: .long, help: ArgumentHelp("Plan only this resource and what it depends on (repeatable).", valueName: "ADDRESS"))
    var target: [String] = []

    @Option(name: .long, help: ArgumentHelp("Replace this resource even if nothing changed (repeatable).", valueName: "ADDRESS"))
    var replace: [String] = []

    @Option(name: .long, help: "Read every recorded resource from AWS first (--refresh=false plans from state alone; lookups are read either way).")
    var refresh = true

    @Flag(name: .long, help: "Plan to destroy every resource of the stack.")
    var destroy = false

    @OptionGroup var parallelism: ParallelismOption

    @OptionGroup var events: EventsOption

    func validate() throws {
        if json && markdown { throw ValidationError("--json and --markdown cannot be used together") }
        if events.events != nil, json || markdown {
            throw ValidationError("--events=json writes the run as a stream of messages on standard output; "
                                  + "it cannot be used with --\(json ? "json" : "markdown")")
        }
    }

    func run() async throws {
        try await CommandRunner.run(global, events: events) { session, stream in
            if let out { try SavedPlanFile.checkWritable(out) }
            session.readStateAhead()
            let evaluation = try session.evaluate()
            let options = Deployment.Options(operation: destroy ? .destroyPlan : .plan, refresh: refresh,
                                             targets: try session.addresses(target, flag: "--target"),
                                             replacements: try session.addresses(replace, flag: "--replace"),
                                             parallelism: parallelism.parallelism, lockTimeout: try session.options.lockTimeoutSeconds())
            let result = try await session.deploy(evaluation, options, showPlan: false, events: stream)
            let plan = result.plan
            let console = session.console
            if stream != nil {
                // The stream has reported the plan.
            } else if json {
                console.outJSON(plan, JSONPlanRenderer(schemas: evaluation.definition.knownTypes.values.map(\.schema)))
            } else if markdown {
                let text = MarkdownPlanRenderer().render(plan)
                console.out(text)
                try StepSummary.append(text, environment: session.environment)
            } else {
                console.write(HumanPlanRenderer(style: console.style).render(plan))
            }
            if let out {
                // Sealed, and owner-only like the state: a saved plan holds the variables and the
                // prior state, secrets included.
                var saved = plan
                saved.provider = session.aws.provider
                try await SavedPlanFile.write(saved, to: out, stack: evaluation.definition, backend: session.backend)
                if !json, stream == nil { console.err("Saved the plan to \(out). Apply exactly this plan with: imgstack apply \(out)") }
            }
            if let left = result.lockLeft { throw left }
            if detailedExitCode && plan.hasChanges { throw ExitCode(2) }
        }
    }
}

/// Appends Markdown to GitHub Actions' step summary file when `GITHUB_STEP_SUMMARY` is set.
enum StepSummary {
    static func append(_ text: String, environment: [String: String]) throws {
        guard let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return }
        guard let handle = FileHandle(forWritingAtPath: path) ?? {
            FileManager.default.createFile(atPath: path, contents: nil) ? FileHandle(forWritingAtPath: path) : nil
        }() else {
            throw CLIError("cannot write the step summary to \(path)")
        }
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        handle.write(Data((text + "\n").utf8))
    }
}
