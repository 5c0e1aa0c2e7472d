import ArgumentParser
import Engine

/// `imgstack force-unlock ID`: removes a lock left by a run that died.
struct ForceUnlockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "force-unlock",
        abstract: "Remove a state lock left by a run that died, given the lock id the error message names.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The lock id.")
    var id: String

    func run() async throws {
        try await CommandRunner.run(global) { session in
            try await session.backend.forceUnlock(id: id)
            session.console.out("Lock \(id) removed from \(session.backend.location).")
        }
    }
}
