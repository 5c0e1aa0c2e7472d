import AWS
import Foundation
import Engine
import ImgStack

/// Which state backend a run uses: `--backend`, else `IMGSTACK_BACKEND`, else the stack's own
/// choice, else a local file.
struct BackendSelection {
    /// The backend chosen.
    let choice: StateBackendChoice

    /// The environment variable that names a backend for every run.
    static let environmentVariable = "IMGSTACK_BACKEND"

    /// Picks the backend by precedence.
    /// - Throws: `CLIError` for a malformed URL, naming where it came from.
    init(flag: String?, environment: [String: String], stack: Stack) throws {
        if let flag {
            choice = try Self.parse(flag, from: "--backend")
        } else if let text = environment[Self.environmentVariable], !text.isEmpty {
            choice = try Self.parse(text, from: Self.environmentVariable)
        } else {
            choice = stack.backend
        }
    }

    /// Parses a backend URL.
    /// - Throws: `CLIError` naming `origin`.
    static func parse(_ text: String, from origin: String) throws -> StateBackendChoice {
        do {
            return try BackendURL.parse(text)
        } catch let error as BackendURL.ParseError {
            throw CLIError("\(origin): \(error)")
        }
    }

    /// The backend for `choice` and stack `name`, sealing the state's secrets at rest.
    /// - Parameters:
    ///   - sensitivity: which values are secret (the catalog's types, and the stack once evaluated).
    ///   - environment: read for `IMGSTACK_STATE_KEY`.
    static func backend(for choice: StateBackendChoice, stack name: String, stateDirectory: String, client: AWSClient,
                        sensitivity: SensitivityMap, environment: [String: String]) -> SealedStateBackend {
        let passphrase = environment[StateKeySource.environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        let previous = environment[StateKeySource.previousVariable].flatMap { $0.isEmpty ? nil : $0 }
        switch choice {
        case .local:
            let local = LocalStateBackend(directory: stateDirectory, stack: name)
            let keys = StateKeySource(passphrase: passphrase, previousPassphrase: previous, kmsKey: nil, keyFile: (stateDirectory as NSString).appendingPathComponent(name + ".state.key"),
                                      kms: client.kms)
            return SealedStateBackend(local, keys: keys, sensitivity: sensitivity)
        case .s3(let bucket, _, let region, let kmsKeyID):
            let remote = S3StateBackend(bucket: bucket, key: choice.stateKey(stack: name) ?? "", region: region, kmsKeyID: kmsKeyID, client: client)
            let kms = client.kms(region: region ?? client.configuration.region)
            let keys = StateKeySource(passphrase: passphrase, previousPassphrase: previous, kmsKey: kmsKeyID.map { (id: $0, kms: kms) }, keyFile: nil, kms: kms)
            return SealedStateBackend(remote, keys: keys, sensitivity: sensitivity)
        }
    }
}
