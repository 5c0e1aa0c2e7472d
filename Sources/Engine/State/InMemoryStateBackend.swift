import Synchronization

/// State kept in memory only: for plans that must not write, and for tests.
public final class InMemoryStateBackend: StateBackend, Sendable {
    private let stored: Mutex<(state: StateFile?, lock: LockInfo?, writes: Int)>

    /// Creates a backend holding `state`.
    public init(_ state: StateFile? = nil) {
        stored = Mutex((state, nil, 0))
    }

    public var location: String { "memory" }

    /// How many times state was written.
    public var writeCount: Int { stored.withLock { $0.writes } }

    public func read() async throws -> StateFile? { stored.withLock { $0.state } }

    public func write(_ state: StateFile) async throws {
        stored.withLock { $0.state = state; $0.writes += 1 }
    }

    public func lock(_ info: LockInfo, timeout: Double) async throws {
        let holder = stored.withLock { current -> LockInfo? in
            if let held = current.lock { return held }
            current.lock = info
            return nil
        }
        if let holder { throw StateError.locked(origin: location, holder: holder) }
    }

    public func unlock() async throws { stored.withLock { $0.lock = nil } }

    public func forceUnlock(id: String) async throws {
        let removed = stored.withLock { current -> Bool in
            guard current.lock?.id == id else { return false }
            current.lock = nil
            return true
        }
        if !removed { throw StateError.lockNotFound(origin: location, id: id) }
    }
}
