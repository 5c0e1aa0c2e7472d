import ArgumentParser
import Engine
import Foundation
import ImgStack

/// `imgstack state migrate --to URL`: moves a stack's state to another backend (local ↔ S3)
/// with both locks held, and checks the copy reads back equal before saying it is done.
struct StateMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy the state to another backend (local or s3://BUCKET/KEY) with both locks held.",
        discussion: """
            The state is read from the backend this run uses (--backend, IMGSTACK_BACKEND, the stack's \
            choice, or local) and written to --to. A destination holding another lineage's state is \
            refused, as is one with a newer serial. The source is left as it was. Afterwards, run with \
            --backend set to the destination (or IMGSTACK_BACKEND, or `backend:` in the stack's Swift code).
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("Where the state goes: local, or s3://BUCKET/KEY[?region=R&kms_key=K].", valueName: "URL"))
    var to: String

    func run() async throws {
        try await CommandRunner.run(global) { session in
            let choice = try BackendSelection.parse(to, from: "--to")
            let destination = BackendSelection.backend(for: choice, stack: session.stack.name, stateDirectory: global.stateDirectory,
                                                       client: session.aws.client, sensitivity: session.sensitivity,
                                                       environment: session.environment)
            let source = session.backend
            guard destination.location != source.location else {
                throw CLIError("the state is already at \(source.location)")
            }
            let copied = try await session.withLock("state migrate") {
                try await destination.lock(LockInfo(operation: "state migrate"), timeout: try global.lockTimeoutSeconds())
                do {
                    let copied = try await copy(session.stack.name, from: source, to: destination)
                    try await destination.unlock()
                    return copied
                } catch {
                    try? await destination.unlock()
                    throw error
                }
            }
            if let remote = destination.inner as? S3StateBackend, let warning = await remote.versioningWarning() {
                session.console.err(session.console.style.yellow("Warning: ") + warning)
            }
            let resources = copied.resources.count
            session.console.out("Copied the state of stack \(session.stack.name) (serial \(copied.serial), \(resources) resource\(resources == 1 ? "" : "s")) from \(source.location) to \(destination.location); it reads back equal.")
            session.console.out("\(source.location) was left as it was; remove it once you no longer need it.")
            session.console.out(guidance(for: choice, stack: session.stack))
        }
    }

    /// Copies stack `stack`'s state and reads it back.
    /// - Returns: the state as copied.
    /// - Throws: `StateError.otherStack` when the source is another stack's state; `CLIError` when there is nothing to copy, the destination belongs to another
    ///   lineage or is newer, or the copy does not read back equal.
    private func copy(_ stack: String, from source: any StateBackend, to destination: SealedStateBackend) async throws -> StateFile {
        guard let state = try await source.read() else {
            throw CLIError("there is no state at \(source.location) to migrate")
        }
        try state.checkBelongs(to: stack, origin: source.location)
        if let existing = try await destination.read(), !existing.isEmpty {
            guard existing.lineage == state.lineage else {
                throw CLIError("\(destination.location) already holds state of another lineage (\(existing.lineage), this one is \(state.lineage)); nothing was written. Move it away first, or pull it and compare.")
            }
            guard existing.serial <= state.serial else {
                throw CLIError("\(destination.location) holds a newer version of this state (serial \(existing.serial), source has \(state.serial)); nothing was written. Migrate from there instead.")
            }
        }
        // Secrets are sealed anew with the destination's key.
        var outgoing = state
        outgoing.sealing = nil
        try await destination.write(outgoing)
        guard var readBack = try await destination.read(), ({ readBack.sealing = nil; return true })(),
              try readBack.encoded() == outgoing.encoded() else {
            throw CLIError("the copy at \(destination.location) does not read back equal to \(source.location); keep using \(source.location)")
        }
        return state
    }

    /// What the user must do so later runs use the new backend: imgstack changes neither the
    /// stack's Swift code nor the user's environment.
    private func guidance(for choice: StateBackendChoice, stack: Stack) -> String {
        if choice == stack.backend {
            return "The stack's code names this backend: runs without --backend or IMGSTACK_BACKEND use it."
        }
        return "From now on run with --backend \(choice) (or IMGSTACK_BACKEND=\(choice)), or write `backend: \(swiftLiteral(choice))` in the stack's Stack(...) call (it names \(stack.backend) now)."
    }

    /// The choice as a stack author writes it in Swift.
    private func swiftLiteral(_ choice: StateBackendChoice) -> String {
        guard case .s3(let bucket, let key, let region, let kmsKeyID) = choice else { return ".local" }
        var arguments = ["bucket: \"\(bucket)\"", "key: \"\(key)\""]
        if let region { arguments.append("region: \"\(region)\"") }
        if let kmsKeyID { arguments.append("kmsKeyID: \"\(kmsKeyID)\"") }
        return ".s3(" + arguments.joined(separator: ", ") + ")"
    }
}
