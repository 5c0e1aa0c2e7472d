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

    @Option(name: .long, help: "How many operations run at once.")
    var parallelism = 10

    @Option(name: .long, help: ArgumentHelp("Destroy only this resource and what depends on it (repeatable).", valueName: "ADDRESS"))
    var target: [String] = []

    @Option(name: .long, help: "Read every recorded resource from AWS first.")
    var refresh = true

    func run() async throws {
        try await CommandRunner.run(global) { session in
            let evaluation = try session.evaluate()
            try await session.withLock("destroy") {
                let state = try await session.backend.read()
                let options = PlanOptions(targets: try session.addresses(target, flag: "--target", evaluation: evaluation, state: state), destroy: true)
                let (plan, _) = try await session.makePlan(evaluation, options, refresh: refresh, commit: true)
                session.console.write(HumanPlanRenderer(style: session.console.style).render(plan))
                guard plan.hasChanges else { return }
                session.console.out()
                try session.confirm("Do you really want to destroy these resources? There is no undo.", autoApprove: autoApprove)
                let store = StateStore(state: plan.prior, backend: session.backend)
                try await session.execute(plan, stack: evaluation.definition, store: store, parallelism: parallelism)
            }
        }
    }
}
