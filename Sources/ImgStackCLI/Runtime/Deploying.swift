import ArgumentParser
import Engine
import Foundation
import ImgStack

extension Session {
    /// Runs the engine's deployment pipeline for `plan`, `apply` and `destroy`, printing what it
    /// reports: recovered creates, the refresh, the plan (before the confirmation), progress,
    /// then the summary and outputs. With the state in S3, the bucket's versioning and whose the
    /// credentials are (``ImgStack/AWSClient/callerAccount()``) are asked as the run starts,
    /// beside the lock; the versioning warning is printed before the plan is shown for approval,
    /// or after a plan-only run.
    /// - Parameters:
    ///   - showPlan: print the plan as soon as it is made (apply and destroy); `plan` prints its own.
    ///   - question: the confirmation asked before applying; nil with `--auto-approve`.
    ///   - json: print how the run ended as one JSON document on standard output
    ///     (`JSONApplyRenderer`); the plan and progress then go to standard error.
    ///   - events: `--events=json`: report the run on this stream only (``EventStream``): the
    ///     refresh, the plan, each operation, how it ended.
    /// - Returns: the run's result; a lock the run could not release is in its
    ///   ``Engine/Deployment/Result/lockLeft``, for the command to throw once it has printed
    ///   everything else.
    /// - Throws: the pipeline's errors; `ExitCode.failure` when an operation failed or the run
    ///   was interrupted.
    func deploy(_ evaluation: Stack.Evaluation, _ options: Deployment.Options, showPlan: Bool = true,
                question: String? = nil, json: Bool = false, events: EventStream? = nil) async throws -> Deployment.Result {
        // A question that cannot be asked is refused first: before the lock (which creates the
        // state directory), the refresh and the plan, so nothing is called or left behind.
        if question != nil, !console.canPrompt { throw Self.noTerminalForApproval }
        try backend.checkCanSeal(evaluation.definition)
        let client = aws.client
        let console = self.console
        // With the state in S3, the run calls AWS before its refresh anyway (the lock, the state),
        // so the bucket's versioning and whose the credentials are go out beside the lock, not each
        // a round trip before the refresh; the account is still compared before any call on the
        // stack's resources.
        let notice = BackendNotice(backend, console: console)
        let earlyAccount = backend.inner is S3StateBackend ? Task { try await client.callerAccount() } : nil
        defer { earlyAccount?.cancel() }
        let printer = ProgressPrinter(console: console, toStandardError: json)
        let stream = events?.named(by: evaluation.definition.knownTypes.values.map(\.schema))
        let stateDirectory = self.options.stateDirectory
        let sensitivity = self.sensitivity
        let environment = self.environment
        var options = options
        // An interrupted create is looked for as long as its request may still land.
        options.landingTime = IntentRecovery.landingTime(requestTimeout: client.configuration.timeout)
        let deployment = Deployment(
            stack: evaluation.definition, variables: evaluation.variables, backend: backend, client: aws.client, options: options,
            account: {
                if let earlyAccount { return try await earlyAccount.value }
                return try await client.callerAccount()
            },
            stackReferenceBackend: { reference in
                let choice = try reference.backend.map { try BackendSelection.parse($0, from: reference.address.description) } ?? .local
                return BackendSelection.backend(for: choice, stack: reference.stack, stateDirectory: stateDirectory, client: client,
                                                sensitivity: sensitivity, environment: environment)
            },
            events: { event in
                InterruptHandler.shared.follow(event)
                if case .resolved(let definition) = event { sensitivity.add(definition) }
                if let stream { return stream.follow(event) }
                switch event {
                case .waitingForLock(let report): console.lockWait(report)
                case .waitingForInterruptedCreate(let address, let seconds):
                    console.err(console.style.yellow("Recovering: ") + "\(address): an interrupted apply's create is not found yet and its "
                        + "request may still land; looking again for up to \(Int(seconds.rounded(.up))) s before creating it anew")
                case .recovered(let outcome): console.err(console.style.yellow("Recovered: ") + outcome.description)
                case .refreshing(let count): console.err(console.style.dim("Refreshing \(count) resource\(count == 1 ? "" : "s")..."))
                case .operation(let progress): printer.handle(progress)
                default: break
                }
            },
            review: { plan in
                // Before the plan and its question: the warning bears on whether to apply.
                await notice.print()
                if let stream {
                    stream.emit(stream.renderer.planned(plan))
                } else if showPlan {
                    let text = HumanPlanRenderer(style: console.style).render(plan)
                    if json { console.err(text) } else { console.write(text); console.out() }
                }
                if let question { try confirm(question) }
                return true
            })
        // A run that fails before its plan is shown leaves the warning unsaid: the error is what matters.
        let result = try await deployment.run()
        // A plan-only run is not held up for it: it is printed after, as Terraform prints its warnings.
        await notice.print()
        do {
            try present(result, showPlan: showPlan && options.savedPlan == nil, json: json, stream: stream)
        } catch {
            // Applying failed as well: the lock it left is said too.
            if let left = result.lockLeft { console.error(CommandRunner.message(for: left)) }
            throw error
        }
        return result
    }

    /// Prints how the run ended: the plan when asked and nothing was applied, then what applying
    /// did (on `stream`, as JSON, or for a reader).
    /// - Throws: `ExitCode.failure` when an operation failed or the run was interrupted.
    private func present(_ result: Deployment.Result, showPlan: Bool, json: Bool, stream: EventStream?) throws {
        if let stream {
            guard let summary = result.summary else {
                stream.emit(stream.renderer.planned(result.plan))
                return
            }
            stream.emit(stream.renderer.applied(result.plan, summary, state: result.state))
            guard summary.succeeded else { throw ExitCode.failure }
            return
        }
        if showPlan, result.summary == nil {
            let text = HumanPlanRenderer(style: console.style).render(result.plan)
            if json { console.err(text) } else { console.write(text) }
        }
        if json {
            let summary = result.summary ?? .nothingToDo
            console.out(JSONApplyRenderer().render(result.plan, summary, state: result.state))
            guard summary.succeeded else { throw ExitCode.failure }
        } else if let summary = result.summary {
            try report(summary, plan: result.plan, state: result.state)
        }
    }

    /// The refusal of an `apply` or `destroy` that would have to ask but has no terminal.
    static let noTerminalForApproval = CLIError(
        "no terminal to ask for approval; run with --auto-approve (or apply a saved plan) to proceed without a prompt")

    /// Asks for `yes` on a terminal; refuses without a terminal.
    /// - Throws: `CLIError` when not approved.
    private func confirm(_ question: String) throws {
        guard console.canPrompt else { throw Self.noTerminalForApproval }
        console.out(console.style.bold(question))
        console.out("  Only 'yes' will be accepted to approve.")
        console.out()
        guard console.ask("  Enter a value: ")?.trimmingCharacters(in: .whitespaces) == "yes" else {
            throw CLIError("cancelled; nothing was changed")
        }
        console.out()
    }

    /// Prints how applying ended, then the outputs.
    /// - Throws: `ExitCode.failure` when any operation failed or the run was interrupted.
    private func report(_ summary: ExecutionSummary, plan: Plan, state: StateFile) throws {
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
            printOutputs(state)
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

    /// Parses `--target` and `--replace` addresses (whether the stack or state knows them is the
    /// deployment's check).
    /// - Throws: `CLIError` for a malformed address.
    func addresses(_ texts: [String], flag: String) throws -> [Address] {
        try texts.map { text in
            guard let address = Address(parsing: text) else {
                throw CLIError("\(flag) \(text): expected an address such as s3.bucket.site")
            }
            return address
        }
    }
}
