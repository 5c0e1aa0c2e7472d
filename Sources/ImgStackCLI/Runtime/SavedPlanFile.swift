import Engine
import Foundation
import ImgStack

/// A plan saved by `plan --out`, sealed whole with the key of the stack's state: it holds the
/// run's variables and the prior state, secrets included. The envelope names the stack and
/// lineage (in clear, to find the key) and the sealing header:
/// ```json
/// {"imgstack_sealed_plan": "aes-256-gcm", "stack": "…", "lineage": "…", "sealing": {…}, "ciphertext": "<base64>"}
/// ```
enum SavedPlanFile {
    private struct Envelope: Codable {
        var cipher: String
        var stack: String
        var lineage: String
        var sealing: StateSealing
        var ciphertext: String
        enum CodingKeys: String, CodingKey {
            case cipher = "imgstack_sealed_plan", stack, lineage, sealing, ciphertext
        }
    }

    /// Writes `plan` sealed, owner-only and durably, as the state is written. A plan of a stack
    /// with no secrets, whose state has no key configured (an S3 state without `kms_key` or
    /// `IMGSTACK_STATE_KEY`), is written unsealed: it holds nothing to hide.
    /// - Throws: `CLIError` when it cannot be sealed or written.
    static func write(_ plan: Plan, to path: String, stack: StackDefinition, backend: SealedStateBackend) async throws {
        do {
            guard backend.canSeal || plan.prior.sealing != nil else {
                try backend.checkCanSeal(stack)
                try LocalStateBackend.writeDurably(try plan.encoded(), to: path)
                return
            }
            let (sealer, sealing) = try await backend.documentSealer(for: plan.prior)
            let envelope = Envelope(cipher: "aes-256-gcm", stack: plan.stack, lineage: plan.lineage, sealing: sealing,
                                    ciphertext: try sealer.sealDocument(try plan.encoded()).base64EncodedString())
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try LocalStateBackend.writeDurably(try encoder.encode(envelope), to: path)
        } catch let error as StateSealingError {
            throw CLIError("cannot seal the plan for \(path): \(error)")
        } catch StateError.io(_, let detail) {
            throw CLIError("cannot write the plan file \(path): \(detail)")
        }
    }

    /// Refuses `--out PATH` before any call when the plan file cannot be written there: its
    /// directory is missing, not a directory, or not writable.
    /// - Throws: `CLIError` naming the plan file's directory.
    static func checkWritable(_ path: String) throws {
        let directory = LocalStateBackend.directory(of: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw CLIError("--out \(path): the plan file's directory \(directory) does not exist")
        }
        guard isDirectory.boolValue else { throw CLIError("--out \(path): \(directory) is not a directory") }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw CLIError("--out \(path): the plan file's directory \(directory) is not writable")
        }
    }

    /// Refuses a plan file of another stack than the one `--stack` names (without `--stack` the
    /// plan file's own stack is chosen), before its key is sought.
    /// - Throws: `CLIError` saying to leave `--stack` out or name the plan's stack.
    static func checkStack(of path: String, chosen: String) throws {
        if let planned = stack(in: path), planned != chosen {
            throw CLIError("\(path) is a plan for stack \(planned), not \(chosen); leave --stack out (the plan file names its stack), "
                + "or give --stack \(planned)")
        }
    }

    /// The stack a plan file is for (named in clear on a sealed plan's envelope); nil when the
    /// file cannot be read as a plan.
    static func stack(in path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        if let envelope = try? JSONDecoder().decode(Envelope.self, from: data) { return envelope.stack }
        return (try? Plan.decode(data, origin: path))?.stack
    }

    /// Reads a plan `write` sealed.
    /// - Throws: `CLIError` when the file is missing or a sealed plan does not open;
    ///   `PlanFileError` when what it holds is not a plan of this format.
    static func read(_ path: String, backend: SealedStateBackend) async throws -> Plan {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read the plan file \(path)") }
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: data) else {
            // Written unsealed: a stack with no secrets and no key configured.
            return try Plan.decode(data, origin: path)
        }
        do {
            let sealer = try await backend.documentSealer(opening: envelope.sealing, stack: envelope.stack, lineage: envelope.lineage)
            guard let ciphertext = Data(base64Encoded: envelope.ciphertext) else {
                throw StateSealingError.damaged("the plan's ciphertext is not base64")
            }
            return try Plan.decode(try sealer.openDocument(ciphertext), origin: path)
        } catch StateSealingError.damaged(let why) {
            throw CLIError("cannot open the plan \(path): \(why); make a new plan")
        } catch let error as StateSealingError {
            throw CLIError("cannot open the plan \(path): \(error)")
        }
    }
}
