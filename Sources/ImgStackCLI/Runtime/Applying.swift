import ArgumentParser
import Engine
import Foundation
import ImgStack

extension Session {
    /// Asks for `yes` on a terminal; refuses without a terminal unless auto-approved.
    /// - Throws: `CLIError` when not approved.
    func confirm(_ question: String, autoApprove: Bool) throws {
        guard !autoApprove else { return }
        guard console.canPrompt else {
            throw CLIError("no terminal to ask for approval; run with --auto-approve (or apply a saved plan) to proceed without a prompt")
        }
        console.out(console.style.bold(question))
        console.out("  Only 'yes' will be accepted to approve.")
        console.out()
        guard console.ask("  Enter a value: ")?.trimmingCharacters(in: .whitespaces) == "yes" else {
            throw CLIError("cancelled; nothing was changed")
        }
        console.out()
    }

    /// Carries out `plan`, printing progress, then the summary and outputs.
    /// - Throws: `ExitCode.failure` when any operation failed or the run was interrupted.
    func execute(_ plan: Plan, stack definition: StackDefinition, store: StateStore, parallelism: Int) async throws {
        let flag = CancellationFlag()
        let printer = ProgressPrinter(console: console)
        let summary = await InterruptHandler.shared.executing(flag) {
            await Executor(stack: definition, plan: plan, client: aws.client, parallelism: parallelism, events: printer.handle).run(store, cancellation: flag)
        }
        let counts = plan.counts
        console.out()
        for failure in summary.failures {
            console.error("\(failure.address): \(failure.operation.noun) failed: \(failure.error)")
        }
        for skipped in summary.skipped {
            console.err("  skipped \(skipped.operation.noun) of \(skipped.address) because \(skipped.cause) failed")
        }
        for pending in summary.deletionPending {
            console.err(console.style.yellow("Pending: ") + "\(pending) is kept in state as \"deletion pending\"; the next apply or destroy finishes it")
        }
        if summary.interrupted {
            console.err("Interrupted: \(summary.notStarted.count) operation\(summary.notStarted.count == 1 ? "" : "s") not started; state was saved. Run the command again to continue.")
        }
        guard summary.succeeded else {
            if !summary.failures.isEmpty {
                console.err("\(plan.isDestroy ? "Destroy" : "Apply") failed: \(summary.failures.count) operation\(summary.failures.count == 1 ? "" : "s") failed, \(summary.completed) completed. State records what was done.")
            }
            throw ExitCode.failure
        }
        if plan.isDestroy {
            console.out(console.style.green("Destroy complete!") + " Resources: \(counts.destroy) destroyed.")
        } else {
            console.out(console.style.green("Apply complete!") + " Resources: \(counts.add) added, \(counts.change) changed, \(counts.destroy) destroyed.")
            printOutputs(await store.state)
        }
    }

    /// Prints outputs with sensitive ones redacted.
    func printOutputs(_ state: StateFile) {
        guard !state.outputs.isEmpty else { return }
        console.out()
        console.out("Outputs:")
        console.out()
        for (name, output) in state.outputs.sorted(by: { $0.key < $1.key }) {
            console.out("\(name) = " + (output.sensitive ? "(sensitive value)" : output.value.canonicalJSON))
        }
    }
}
