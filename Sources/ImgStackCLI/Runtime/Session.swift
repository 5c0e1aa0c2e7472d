import AWS
import Engine
import Foundation
import ImgStack

/// One command's run: the chosen stack evaluated with its variables, the AWS client, and the
/// state backend — everything between parsing flags and calling the engine.
struct Session {
    let console: Console
    let options: GlobalOptions
    let stack: Stack
    let aws: AWSSetup
    let backend: SealedStateBackend
    let environment: [String: String]
    /// Which values are secret, sealed in state: the catalog's types, and the stack once evaluated.
    let sensitivity = SensitivityMap(types: ResourceCatalog.types())

    /// Whether the state backend works in the run's region (an S3 state without `region=`).
    private let backendUsesRunRegion: Bool

    /// Picks the stack and builds the client; prints the region note if the default was taken
    /// and the state backend is in the run's region (otherwise ``evaluate(variables:)`` prints it
    /// when the stack uses the run's region).
    init(options: GlobalOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.console = Console(noColor: options.noColor, environment: environment)
        self.options = options
        self.environment = environment
        self.stack = try StackRegistry.stack(named: options.stack)
        self.aws = try AWSSetup(region: options.region, profile: options.profile, endpointURL: options.endpointURL,
                                skipRegionValidation: options.skipRegionValidation,
                                requestTimeout: try options.requestTimeoutSeconds(), environment: environment)
        if let passphrase = environment[StateKeySource.environmentVariable], !passphrase.isEmpty {
            do { try StateKeySource.check(passphrase: passphrase) } catch { throw CLIError("\(error)") }
        }
        let selection = try BackendSelection(flag: options.backend, environment: environment, stack: stack)
        self.backend = BackendSelection.backend(for: selection.choice, stack: stack.name, stateDirectory: options.stateDirectory,
                                                client: aws.client, sensitivity: sensitivity, environment: environment)
        if case .s3(_, _, nil, _) = selection.choice { backendUsesRunRegion = true } else { backendUsesRunRegion = false }
        if backendUsesRunRegion, let note = aws.regionNote { console.err(console.style.dim("Note: \(note).")) }
    }

    /// Runs the stack's code with the variables of this run, and validates it; prints the region
    /// note when the run defaulted its region and the stack uses it.
    /// - Throws: `ValidationError` listing every problem.
    func evaluate(variables override: [String: Engine.Value]? = nil) throws -> Stack.Evaluation {
        let variables = try override ?? VariableInputs.collect(flags: options.variables, files: options.variableFiles,
                                                               environment: environment)
        let evaluation = try stack.evaluate(variables: variables, region: aws.region, endpoints: aws.endpoints)
        sensitivity.add(evaluation.definition)
        // A stack whose every resource has its own region (`resourceRegion` from a variable)
        // does not use the region the run defaulted to: saying it would mislead.
        if evaluation.usesRunRegion, !backendUsesRunRegion, let note = aws.regionNote {
            console.err(console.style.dim("Note: \(note)."))
        }
        return evaluation
    }

    /// Starts decoding a local state in the background while the stack is evaluated (the state is
    /// read again under the lock, and the early decoding used only if the bytes are the same).
    func readStateAhead() {
        (backend.inner as? LocalStateBackend)?.readAhead()
    }

    /// Holds the state lock while `body` runs, releasing it on success, failure and interruption.
    func withLock<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        let console = self.console
        let waiting = LockWaitReporter { console.lockWait($0) }
        let timeout = try options.lockTimeoutSeconds()
        let notice = BackendNotice(backend, console: console)
        try await backend.lock(LockInfo(operation: operation), timeout: timeout, waiting: { waiting.attemptFound($0) })
        let backend = self.backend
        // Ctrl-C anywhere in `body` gives the lock back before the process ends.
        return try await InterruptHandler.shared.holdingLock(release: { try? await backend.unlock() }) {
            do {
                await notice.print()
                let result = try await body()
                try await backend.unlock()
                return result
            } catch {
                try? await backend.unlock()
                throw error
            }
        }
    }

    /// The recorded state, or a new empty one.
    /// - Throws: `StateError.otherStack` for another stack's state, the backend's errors.
    func readState() async throws -> StateFile {
        try await readStoredState() ?? StateFile(stack: stack.name)
    }

    /// The recorded state as stored, its secrets still sealed (no key needed), nil when none was
    /// written; another stack's state is refused.
    /// - Throws: `StateError.otherStack`, the backend's errors.
    func readSealedState() async throws -> StateFile? {
        let state = try await backend.inner.read()
        try state?.checkBelongs(to: stack.name, origin: backend.location)
        return state
    }

    /// The recorded state, nil when none was written; another stack's state is refused.
    /// - Throws: `StateError.otherStack`, the backend's errors.
    func readStoredState() async throws -> StateFile? {
        let state = try await backend.read()
        try state?.checkBelongs(to: stack.name, origin: backend.location)
        return state
    }
}
