/// The one owner of a stack's state during a run: every change is applied here and written to
/// the backend before the caller goes on, in order, with the serial counted up.
public actor StateStore {
    /// The state as last committed.
    public private(set) var state: StateFile
    /// Where it is written.
    public let backend: any StateBackend
    private var lastWrite: Task<Void, any Error>?

    /// Creates a store holding `state`, written to `backend`.
    public init(state: StateFile, backend: any StateBackend) {
        self.state = state
        self.backend = backend
    }

    /// Applies `change` and writes the result. Writes happen in the order commits were made.
    /// - Throws: the backend's error; the change stays applied in memory so later commits carry it.
    public func commit(_ change: (inout StateFile) -> Void) async throws {
        change(&state)
        state.serial += 1
        let snapshot = state
        let previous = lastWrite
        let backend = self.backend
        let write = Task {
            _ = await previous?.result
            try await backend.write(snapshot)
        }
        lastWrite = write
        try await write.value
    }

    /// Makes `refreshed` the state the next commit builds on, without writing it: refresh
    /// results reach the backend with the first operation's commit, as in Terraform's apply.
    /// The serial stays the store's.
    public func rebase(on refreshed: StateFile) {
        let serial = state.serial
        state = refreshed
        state.serial = serial
    }

    /// The record at `address`.
    public func record(_ address: Address) -> ResourceRecord? {
        state.resource(address)
    }
}
