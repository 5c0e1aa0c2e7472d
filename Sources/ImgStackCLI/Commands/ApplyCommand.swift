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

    @Option(name: .long, help: "How many operations run at once.")
    var parallelism = 10

    @Option(name: .long, help: ArgumentHelp("Apply only this resource and what it depends on (repeatable).", valueName: "ADDRESS"))
    var target: [String] = []

    @Option(name: .long, help: ArgumentHelp("Replace this resource even if nothing changed (repeatable).", valueName: "ADDRESS"))
    var replace: [String] = []

    @Option(name: .long, help: "Read every recorded resource from AWS first.")
    var refresh = true

    func validate() throws {
        guard parallelism >= 1 else { throw ValidationError("--parallelism must be at least 1") }
        if planFile != nil, !target.isEmpty || !replace.isEmpty || !global.variables.isEmpty || !global.variableFiles.isEmpty {
            throw ValidationError("a saved plan already fixes targets, replacements and variables; give them to `imgstack plan`")
        }
    }

    func run() async throws {
        try await CommandRunner.run(global) { session in
            if let planFile {
                try await applySaved(planFile, session: session)
            } else {
                try await applyFresh(session: session)
            }
        }
    }

    private func applyFresh(session: Session) async throws {
        let evaluation = try session.evaluate()
        try await session.withLock("apply") {
            let state = try await session.backend.read()
            let options = PlanOptions(targets: try session.addresses(target, flag: "--target", evaluation: evaluation, state: state),
                                      forceReplace: try session.addresses(replace, flag: "--replace", evaluation: evaluation, state: state))
            let (plan, _) = try await session.makePlan(evaluation, options, refresh: refresh, commit: true)
            session.console.write(HumanPlanRenderer(style: session.console.style).render(plan))
            guard plan.hasChanges else { return }
            session.console.out()
            try session.confirm("Do you want to perform these actions?", autoApprove: autoApprove)
            let store = StateStore(state: plan.prior, backend: session.backend)
            try await session.execute(plan, stack: evaluation.definition, store: store, parallelism: parallelism)
        }
    }

    private func applySaved(_ path: String, session: Session) async throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read the plan file \(path)") }
        let saved = try Plan.decode(data, origin: path)
        guard saved.stack == session.stack.name else {
            throw CLIError("\(path) is a plan for stack \(saved.stack), not \(session.stack.name); add --stack \(saved.stack)")
        }
        let evaluation = try session.evaluate(variables: saved.variables)
        try await session.withLock("apply") {
            let current = try await session.backend.read()
            try SavedPlanCheck.verify(saved, against: current, origin: path)
            let replayed = try Planner(stack: evaluation.definition,
                                       options: PlanOptions(targets: saved.targets, forceReplace: saved.forceReplace, destroy: saved.isDestroy))
                .plan(prior: saved.prior, drift: saved.drift, variables: saved.variables)
            guard replayed.changes == saved.changes, replayed.outputs == saved.outputs else {
                throw CLIError("\(path) no longer matches the stack's code (it changed since the plan was made); run `imgstack plan` again")
            }
            let store = StateStore(state: saved.prior, backend: session.backend)
            guard saved.hasChanges else {
                session.console.out("No changes. The saved plan has nothing to do.")
                return
            }
            try await session.execute(saved, stack: evaluation.definition, store: store, parallelism: parallelism)
        }
    }
}

/// The check that a saved plan still fits the state it will be applied to.
enum SavedPlanCheck {
    /// - Throws: `CLIError` when the state moved on (another lineage, another serial).
    static func verify(_ plan: Plan, against state: StateFile?, origin: String) throws {
        guard let state else {
            guard plan.serial == 0, plan.prior.resources.isEmpty else {
                throw CLIError("\(origin) was made against state that no longer exists; run `imgstack plan` again")
            }
            return
        }
        guard state.lineage == plan.lineage else {
            throw CLIError("\(origin) was made for another state (lineage \(plan.lineage), state has \(state.lineage)); run `imgstack plan` again")
        }
        guard state.serial == plan.serial else {
            throw CLIError("\(origin) is stale: the state changed since the plan was made (serial \(plan.serial), now \(state.serial)); run `imgstack plan` again")
        }
    }
}
