import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// State in a local file, `<directory>/<stack>.state.json`, locked with an OS file lock on
/// `<stack>.state.lock` (as Terraform's local backend does): a holder that dies releases it.
public final class LocalStateBackend: StateBackend, @unchecked Sendable {
    /// The state file's path.
    public let path: String
    /// The lock file's path.
    public let lockPath: String
    /// The stack whose state this is.
    public let stack: String
    /// The lock file's descriptor while this process holds the lock. Guarded by `mutex`.
    private var lockDescriptor: Int32 = -1
    /// The state decoded by ``readAhead()``, with the bytes it was decoded from; taken by the
    /// next ``read()``. Guarded by `mutex`.
    private var ahead: Task<(data: Data, state: StateFile)?, Never>?
    private let mutex = NSLock()

    /// Creates a backend for `stack` in `directory` (created on first write).
    public init(directory: String, stack: String) {
        let base = (directory as NSString).appendingPathComponent(stack)
        self.path = base + ".state.json"
        self.lockPath = base + ".state.lock"
        self.stack = stack
    }

    public var location: String { path }

    /// The copy of the state from before the last write, `<stack>.state.json.backup`.
    public var backupPath: String { path + ".backup" }

    /// Reads the state. The backup is never read in its place: when the state is corrupt, it is
    /// offered for restoring only if it is a state of this backend's stack, and of the damaged
    /// file's lineage when that can still be read (a backup of another lineage is another state's).
    /// - Throws: `StateError.corruptWithBackup`, `.corrupt`, `.newerFormat`.
    public func read() async throws -> StateFile? {
        let ahead = mutex.withLock {
            defer { self.ahead = nil }
            return self.ahead
        }
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StateError.io(origin: path, detail: "cannot read the file")
        }
        if let early = await ahead?.value, early.data == data { return early.state }
        do {
            return try StateFile.decode(data, origin: path)
        } catch StateError.corrupt(let origin, let detail) {
            guard let backup = readableBackup(), backup.stack == stack, backup.lineage == Self.lineage(in: data) ?? backup.lineage else {
                throw StateError.corrupt(origin: origin, detail: detail)
            }
            throw StateError.corruptWithBackup(origin: origin, detail: detail, backup: backupPath, serial: backup.serial)
        }
    }

    /// Starts reading and decoding the state file in the background, without the lock, so a run
    /// decodes a large state while it evaluates its stack. The next ``read()`` (under the lock)
    /// reads the file again and uses that decoding only when the file holds the same bytes; a
    /// state written in between, or one that does not decode, is read as if ahead had not been.
    public func readAhead() {
        let path = self.path
        let task = Task.detached(priority: .userInitiated) { () -> (data: Data, state: StateFile)? in
            guard let data = FileManager.default.contents(atPath: path), let state = try? StateFile.decode(data, origin: path) else {
                return nil
            }
            return (data, state)
        }
        mutex.withLock { ahead = task }
    }

    private func readableBackup() -> StateFile? {
        FileManager.default.contents(atPath: backupPath).flatMap { try? StateFile.decode($0, origin: backupPath) }
    }

    /// A member of a damaged file that is still readable JSON, to tell its backup's kin.
    private static func member(_ name: String, in data: Data) -> String? {
        ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?[name] as? String
    }

    private static func lineage(in data: Data) -> String? { member("lineage", in: data) }

    public func write(_ state: StateFile) async throws {
        try ensureDirectory()
        let data = try state.encoded()
        if FileManager.default.fileExists(atPath: path), let previous = FileManager.default.contents(atPath: path) {
            try Self.writeDurably(previous, to: backupPath)
        }
        try Self.writeDurably(data, to: path)
    }

    /// Writes `data` to a temporary file beside `target`, flushes it to disk, and renames it over
    /// `target`, so a reader sees the old or the new file, never a torn one. The file is readable
    /// by its owner only (mode 0600), as state and saved plans hold secrets.
    /// - Throws: `StateError.io` naming `target`.
    public static func writeDurably(_ data: Data, to target: String) throws {
        let temporary = target + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw StateError.io(origin: target, detail: String(cString: strerror(errno))) }
        var written = 0
        let failure: String? = data.withUnsafeBytes { buffer -> String? in
            guard let base = buffer.baseAddress else { return fsync(descriptor) == 0 ? nil : String(cString: strerror(errno)) }
            while written < buffer.count {
                let result = Glibc.write(descriptor, base.advanced(by: written), buffer.count - written)
                if result < 0 { return String(cString: strerror(errno)) }
                written += result
            }
            return fsync(descriptor) == 0 ? nil : String(cString: strerror(errno))
        }
        close(descriptor)
        if let failure {
            unlink(temporary)
            throw StateError.io(origin: target, detail: failure)
        }
        guard rename(temporary, target) == 0 else {
            let detail = String(cString: strerror(errno))
            unlink(temporary)
            throw StateError.io(origin: target, detail: detail)
        }
        let directory = open(Self.directory(of: target), O_RDONLY)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    /// The directory holding `path`: `.` for a bare file name, `/` for a file at the root.
    /// (`NSString.deletingLastPathComponent` crashed on a one-character relative name.)
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private func ensureDirectory() throws {
        let directory = Self.directory(of: path)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StateError.io(origin: path, detail: "cannot create \(directory): \(error.localizedDescription)")
        }
    }

    public func lock(_ info: LockInfo, timeout: Double) async throws {
        try await lock(info, timeout: timeout, waiting: { _ in })
    }

    public func lock(_ info: LockInfo, timeout: Double, waiting: @escaping @Sendable (LockInfo) -> Void) async throws {
        try ensureDirectory()
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let holder = try tryLock(info) {
                guard Date() < deadline else { throw StateError.locked(origin: path, holder: holder) }
                waiting(holder)
                try await Task.sleep(nanoseconds: 250_000_000)
            } else {
                return
            }
        }
    }

    /// Tries once to take the lock. Returns nil on success, or who holds it.
    private func tryLock(_ info: LockInfo) throws -> LockInfo? {
        let descriptor = open(lockPath, O_RDWR | O_CREAT, 0o644)
        guard descriptor >= 0 else { throw StateError.io(origin: lockPath, detail: String(cString: strerror(errno))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.readInfo(descriptor)
            close(descriptor)
            return holder ?? LockInfo(operation: "unknown", id: "unknown")
        }
        // The lock is the `flock`, which ends with its holder; the file only names the holder to
        // another run, which reads it through the page cache: it needs no `fsync` (a millisecond
        // or more on every run).
        let data = try info.encoded()
        ftruncate(descriptor, 0)
        _ = data.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        mutex.withLock { lockDescriptor = descriptor }
        return nil
    }

    private static func readInfo(_ descriptor: Int32) -> LockInfo? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return try? LockInfo.decode(Data(buffer[0..<count]))
    }

    public func unlock() async throws {
        let descriptor = mutex.withLock { () -> Int32 in
            defer { lockDescriptor = -1 }
            return lockDescriptor
        }
        guard descriptor >= 0 else { return }
        ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    public func forceUnlock(id: String) async throws {
        let descriptor = open(lockPath, O_RDWR)
        guard descriptor >= 0 else { throw StateError.lockNotFound(origin: path, id: id) }
        defer { close(descriptor) }
        guard let holder = Self.readInfo(descriptor), holder.id == id else {
            throw StateError.lockNotFound(origin: path, id: id)
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            // An OS lock is released when its holder dies, so a held lock means a live process:
            // removing it would let two writers in.
            throw StateError.io(origin: path, detail: "lock \(id) is held by a running process (pid \(holder.pid) on \(holder.host)); stop that process instead")
        }
        ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
    }
}
