import AWS
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

    /// The backend for `choice` and stack `name`.
    static func backend(for choice: StateBackendChoice, stack name: String, stateDirectory: String, client: AWSClient) -> any StateBackend {
        switch choice {
        case .local:
            return LocalStateBackend(directory: stateDirectory, stack: name)
        case .s3(let bucket, _, let region, let kmsKeyID):
            return S3StateBackend(bucket: bucket, key: choice.stateKey(stack: name) ?? "", region: region, kmsKeyID: kmsKeyID, client: client)
        }
    }
}

extension Session {
    /// Prints what the backend wants a user to know once it is locked: for S3, a warning when
    /// the bucket keeps no old versions of the state.
    func noteBackend() async {
        guard let remote = backend as? S3StateBackend, let warning = await remote.versioningWarning() else { return }
        console.err(console.style.yellow("Warning: ") + warning)
    }
}
