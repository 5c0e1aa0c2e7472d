import ArgumentParser
import Engine
import Foundation
import ImgStack

/// `imgstack state rekey`: re-seals the state's secrets with the key configured now, or drops
/// them when the old key is lost (`--forget-secrets`).
///
/// The old key is the one the state's sealing header names: its KMS data key (opened with KMS
/// `Decrypt`), the local key file, or a passphrase — `IMGSTACK_STATE_KEY`, else
/// `IMGSTACK_STATE_KEY_PREVIOUS` (OpenTofu's fallback key, for rotating a passphrase). The new
/// key is found as every run finds it: `IMGSTACK_STATE_KEY`, the backend's `kms_key`, the local
/// key file.
struct StateRekeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rekey",
        abstract: "Re-seal the state's secrets with the key configured now (or drop them when the old key is lost).",
        discussion: """
            To rotate a passphrase, set IMGSTACK_STATE_KEY to the new one and IMGSTACK_STATE_KEY_PREVIOUS \
            to the old one. To move from a passphrase or key file to the S3 backend's KMS key, unset \
            IMGSTACK_STATE_KEY and name kms_key in the backend. A state written before imgstack sealed \
            secrets, or sealed from a passphrase before imgstack stretched it with scrypt, is re-sealed \
            the same way. With --forget-secrets no key is needed: every sealed value is dropped, the next \
            plan reads the resources again from AWS and shows the secrets the stack sets as changes, and \
            the next apply writes and seals them again. A local state's .backup keeps the previous copy, \
            sealed with the old key, until the next write.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: .customLong("forget-secrets"), help: "The old key is lost: drop every sealed value instead of opening it.")
    var forgetSecrets = false

    func run() async throws {
        try await CommandRunner.run(global) { session in
            try await session.withLock("state rekey") {
                guard var state = try await session.readSealedState() else { throw CLIError("the stack has no state yet") }
                state.serial += 1
                if forgetSecrets {
                    let forgotten = SealedStateBackend.forgettingSecrets(state)
                    try await session.backend.inner.write(forgotten.state)
                    session.console.out("Dropped \(forgotten.dropped) sealed value(s) of \(session.stack.name); the next plan reads the "
                        + "resources again and shows the secrets the stack sets as changes, and the next apply seals them with the key "
                        + "configured then.")
                } else {
                    let sealing = try await session.backend.writeResealed(state)
                    session.console.out("Re-sealed the secrets of \(session.stack.name) with \(Self.describe(sealing)).")
                }
            }
        }
    }

    /// The key a header names, in the README's words.
    static func describe(_ sealing: StateSealing) -> String {
        switch sealing.scheme {
        case "kms": return "a new data key under KMS key \(sealing.kmsKeyARN ?? "?")"
        case "passphrase": return "\(StateKeySource.environmentVariable) (scrypt, a new salt)"
        default: return "the local key file"
        }
    }
}
