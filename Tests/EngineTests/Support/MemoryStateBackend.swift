import Engine
import Foundation

/// A state backend in memory that records every write, for tests where a file is not the point.
actor MemoryStateBackend: StateBackend {
    nonisolated let location = "memory://state"
    private(set) var stored: StateFile?
    /// Every state written, in order.
    private(set) var writes: [StateFile] = []
    private var holder: LockInfo?
    /// How many times the state was read.
    private(set) var reads = 0
    /// Every lock taken, by operation name, in order.
    private(set) var locks: [String] = []
    /// True while a lock is held.
    var isLocked: Bool { holder != nil }

    init(_ state: StateFile? = nil) {
        self.stored = state
    }

    func read() async throws -> StateFile? {
        reads += 1
        return stored
    }

    func write(_ state: StateFile) async throws {
        stored = state
        writes.append(state)
    }

    func lock(_ info: LockInfo, timeout: Double) async throws {
        if let holder { throw StateError.locked(origin: location, holder: holder) }
        holder = info
        locks.append(info.operation)
    }

    func unlock() async throws { holder = nil }

    func forceUnlock(id: String) async throws {
        guard holder?.id == id else { throw StateError.lockNotFound(origin: location, id: id) }
        holder = nil
    }
}
