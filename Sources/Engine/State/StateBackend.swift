/// Where a stack's state lives, and how one writer at a time is ensured.
public protocol StateBackend: Sendable {
    /// Where the state is, for messages (`.imgstack/quickstart.state.json`, `s3://bucket/key`).
    var location: String { get }

    /// Reads the state; nil when none was ever written.
    /// - Throws: `StateError` for corrupt or newer-format state.
    func read() async throws -> StateFile?

    /// Writes the state, keeping the previous copy.
    /// - Throws: `StateError.conflict` when another writer changed it since it was read.
    func write(_ state: StateFile) async throws

    /// Takes the lock, waiting up to `timeout` seconds for a holder to release it.
    /// - Throws: `StateError.locked` naming the holder when it stays held.
    func lock(_ info: LockInfo, timeout: Double) async throws

    /// Takes the lock as ``lock(_:timeout:)`` does, telling `waiting` who holds it each time an
    /// attempt finds it held (``LockWaitReporter`` turns that into what a user reads).
    /// - Throws: `StateError.locked` naming the holder when it stays held.
    func lock(_ info: LockInfo, timeout: Double, waiting: @escaping @Sendable (LockInfo) -> Void) async throws

    /// Releases the lock this process holds.
    func unlock() async throws

    /// Removes a lock left by a dead run, if its id is `id`.
    /// - Throws: `StateError.lockNotFound` when no lock has that id.
    func forceUnlock(id: String) async throws
}

// MARK: - Default implementations

extension StateBackend {
    /// A backend that never waits (it refuses a held lock at once) has nothing to report.
    public func lock(_ info: LockInfo, timeout: Double, waiting: @escaping @Sendable (LockInfo) -> Void) async throws {
        try await lock(info, timeout: timeout)
    }
}
