import Engine
import Foundation

/// A state backend in memory that records every write, for tests where a file is not the point.
actor MemoryStateBackend: StateBackend {
    nonisolated let location = "memory://state"
    private(set) var stored: StateFile?
    /// Every state written, in order.
    private(set) var writes: [StateFile] = []
    private var holder: LockInfo?

    init(_ state: StateFile? = nil) {
        self.stored = state
    }

    func read() async throws -> StateFile? { stored }

    func write(_ state: StateFile) async throws {
        stored = state
        writes.append(state)
    }

    func lock(_ info: LockInfo, timeout: Double) async throws {
        if let holder { throw StateError.locked(origin: location, holder: holder) }
        holder = info
    }

    func unlock() async throws { holder = nil }

    func forceUnlock(id: String) async throws {
        guard holder?.id == id else { throw StateError.lockNotFound(origin: location, id: id) }
        holder = nil
    }
}
