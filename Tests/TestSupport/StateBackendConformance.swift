import Engine
import Foundation

/// The contract of `StateBackend`, checked the same way on every implementation (after
/// Terraform's `statemgr.TestFull`): reads and writes of state, serial and lineage, copy
/// semantics, the lock, force-unlock and refused state.
///
/// ```swift
/// // In a test: the suite returns what it found; the test asserts there is nothing.
/// let findings = try await StateBackendConformance {
///     let directory = try TemporaryDirectory()
///     let path = directory.appending("demo.state.json")
///     return .init(keepAlive: directory, storeBytes: { try $0.write(to: path) }) {
///         LocalStateBackend(directory: directory.url.path, stack: "demo")
///     }
/// }.findings()
/// XCTAssertEqual(findings, [])
/// ```
///
/// Each ``Check`` gets storage of its own from the factory. A check that an implementation
/// does not meet by design is listed in `exempt` with the reason, so the gap stays visible; an
/// exempted check that starts to pass fails the run, so the list never goes stale.
public struct StateBackendConformance: Sendable {
    /// One place where state lives, which any number of runs open.
    public struct Storage: Sendable {
        /// Opens a handle on the storage, as one run of imgstack would: handles share the
        /// state and the lock, but each knows only what it read, wrote and locked itself.
        public var open: @Sendable () -> any StateBackend
        /// Puts raw bytes where the state is read from, bypassing `write` (to store a corrupt
        /// or newer-format state); nil when the backend keeps no bytes.
        public var storeBytes: (@Sendable (Data) async throws -> Void)?
        /// Anything that must live as long as the storage (a temporary directory).
        let keepAlive: (any Sendable)?

        /// Creates storage.
        /// - Parameters:
        ///   - keepAlive: An object that must outlive the check (removed when released).
        ///   - storeBytes: Stores raw state bytes; nil when the backend keeps none.
        ///   - open: Opens a handle on this storage.
        public init(keepAlive: (any Sendable)? = nil, storeBytes: (@Sendable (Data) async throws -> Void)? = nil,
                    open: @escaping @Sendable () -> any StateBackend) {
            self.open = open
            self.storeBytes = storeBytes
            self.keepAlive = keepAlive
        }
    }

    /// One behaviour the contract promises.
    public enum Check: String, CaseIterable, Sendable {
        /// `read` of storage never written is nil.
        case emptyStorageReadsAsNoState
        /// A written state reads back equal, every record and output included.
        case writtenStateReadsBackExactly
        /// The backend keeps the serial and lineage it is given (it never counts writes itself).
        case serialAndLineageAreKept
        /// A second write replaces the first, for this run and for others.
        case secondWriteReplacesTheFirst
        /// Another run reads what one wrote, and may write after reading it.
        case anotherRunReadsWhatOneWrote
        /// Changing a value after writing it, or after reading it, changes nothing stored.
        case readsAndWritesAreCopies
        /// A write based on a state another run has since replaced is refused with
        /// `StateError.conflict`, and the other run's state is left as it is.
        case writeAfterAnotherRunsWriteIsRefused
        /// Corrupt bytes are refused with `StateError.corrupt`.
        case corruptStateIsRefused
        /// A newer format is refused with `StateError.newerFormat`.
        case newerFormatIsRefused
        /// A second run's lock is refused with `StateError.locked` naming the holder exactly.
        case heldLockIsRefusedNamingItsHolder
        /// A run waiting for a held lock gives up after its timeout, not before.
        case waitingForAHeldLockTimesOut
        /// A run waiting for a held lock gets it once the holder unlocks.
        case waitingRunGetsTheLockOnceReleased
        /// After unlock, the same run and then another can lock.
        case unlockLetsTheLockBeTakenAgain
        /// `unlock` by a run that holds no lock succeeds and leaves another run's lock held.
        case unlockWithoutTheLockLeavesTheHolders
        /// `forceUnlock` with another id is refused with `StateError.lockNotFound`; the lock stays.
        case forceUnlockRefusesAnotherID
        /// `forceUnlock` when there is no lock is refused with `StateError.lockNotFound`.
        case forceUnlockWithoutALockIsRefused
        /// `forceUnlock` with the holder's id removes the lock: another run can lock.
        case forceUnlockRemovesTheNamedLock
        /// After a force-unlock and a new lock, the old holder's `unlock` leaves the new lock.
        case staleHolderUnlockLeavesTheNewLock
    }

    private let makeStorage: @Sendable () async throws -> Storage
    private let exempt: [Check: String]

    /// Creates the suite for one implementation.
    /// - Parameters:
    ///   - exempt: Checks the implementation does not meet by design, each with the reason.
    ///   - makeStorage: Returns fresh, empty storage; called once per check.
    public init(exempt: [Check: String] = [:], makeStorage: @escaping @Sendable () async throws -> Storage) {
        self.makeStorage = makeStorage
        self.exempt = exempt
    }

    /// Runs every check on fresh storage.
    /// - Parameter checks: the checks to run; all by default.
    /// - Returns: one line per problem, naming the check: a check that fails, or an exempt check
    ///   that now passes (its exemption is stale). Empty when the backend conforms.
    /// - Throws: the factory's error when storage cannot be made.
    public func findings(_ checks: [Check] = Check.allCases) async throws -> [String] {
        var findings: [String] = []
        for check in checks {
            let storage = try await makeStorage()
            let problems = await Self.problems(of: check, on: storage)
            if let reason = exempt[check] {
                if problems.isEmpty { findings.append("\(check) is exempt (\(reason)) but now passes: remove the exemption") }
            } else {
                findings += problems.map { "\(check): \($0)" }
            }
        }
        return findings
    }

    /// A state with something in every part, so a backend that drops a part is caught.
    public static func sampleState(serial: Int = 3, lineage: String = "conformance-lineage", marker: String = "a") -> StateFile {
        var state = StateFile(stack: "conformance", lineage: lineage)
        state.serial = serial
        let bucket = Address(type: "s3.bucket", name: "data-\(marker)")
        let key = Address(type: "kms.key", name: "data")
        state.upsert(ResourceRecord(
            address: bucket, region: "eu-west-1",
            snapshot: ResourceSnapshot(id: "bucket-\(marker)", properties: [
                "name": .string("bucket-\(marker)"), "versioning": .bool(true), "days": .int(30), "ratio": .double(0.5),
                "tags": .map(["team": .string("images"), "empty": .string("")]), "origins": .list([.string("https://a.example"), .null]),
            ], attributes: ["arn": .string("arn:aws:s3:::bucket-\(marker)")]),
            dependencies: [key]))
        state.upsert(ResourceRecord(address: key, region: "eu-west-1",
                                    snapshot: ResourceSnapshot(id: "1234abcd", properties: ["description": .string("ünïcode ✓")]),
                                    dependencies: [], deletionPending: true))
        state.intents = [CreateIntent(id: "intent-1", address: Address(type: "iam.role", name: "app"), region: "us-east-1",
                                      properties: ["name": .string("app")], dependencies: [bucket], startedAt: "2024-01-02T03:04:05Z")]
        state.deposed = [ResourceRecord(address: bucket, region: "eu-west-1",
                                        snapshot: ResourceSnapshot(id: "old-bucket", properties: [:]), dependencies: [])]
        state.outputs = ["bucket": OutputRecord(value: .string("bucket-\(marker)"), sensitive: false),
                         "secret": OutputRecord(value: .string("s3cr3t"), sensitive: true)]
        return state
    }

    // MARK: - Checks

    private static func problems(of check: Check, on storage: Storage) async -> [String] {
        let probe = Probe(storage)
        do {
            switch check {
            case .emptyStorageReadsAsNoState: try await emptyStorageReadsAsNoState(probe)
            case .writtenStateReadsBackExactly: try await writtenStateReadsBackExactly(probe)
            case .serialAndLineageAreKept: try await serialAndLineageAreKept(probe)
            case .secondWriteReplacesTheFirst: try await secondWriteReplacesTheFirst(probe)
            case .anotherRunReadsWhatOneWrote: try await anotherRunReadsWhatOneWrote(probe)
            case .readsAndWritesAreCopies: try await readsAndWritesAreCopies(probe)
            case .writeAfterAnotherRunsWriteIsRefused: try await writeAfterAnotherRunsWriteIsRefused(probe)
            case .corruptStateIsRefused: try await corruptStateIsRefused(probe)
            case .newerFormatIsRefused: try await newerFormatIsRefused(probe)
            case .heldLockIsRefusedNamingItsHolder: try await heldLockIsRefusedNamingItsHolder(probe)
            case .waitingForAHeldLockTimesOut: try await waitingForAHeldLockTimesOut(probe)
            case .waitingRunGetsTheLockOnceReleased: try await waitingRunGetsTheLockOnceReleased(probe)
            case .unlockLetsTheLockBeTakenAgain: try await unlockLetsTheLockBeTakenAgain(probe)
            case .unlockWithoutTheLockLeavesTheHolders: try await unlockWithoutTheLockLeavesTheHolders(probe)
            case .forceUnlockRefusesAnotherID: try await forceUnlockRefusesAnotherID(probe)
            case .forceUnlockWithoutALockIsRefused: try await forceUnlockWithoutALockIsRefused(probe)
            case .forceUnlockRemovesTheNamedLock: try await forceUnlockRemovesTheNamedLock(probe)
            case .staleHolderUnlockLeavesTheNewLock: try await staleHolderUnlockLeavesTheNewLock(probe)
            }
        } catch {
            probe.fail("unexpected error: \(error)")
        }
        await probe.releaseLocks()
        return probe.problems
    }

    private static func emptyStorageReadsAsNoState(_ probe: Probe) async throws {
        let run = probe.open()
        probe.expect(!run.location.isEmpty, "location is empty")
        let state = try await run.read()
        probe.equal(state, nil, "read of empty storage")
    }

    private static func writtenStateReadsBackExactly(_ probe: Probe) async throws {
        let run = probe.open()
        let state = sampleState()
        try await run.write(state)
        let read = try await run.read()
        probe.equal(read, state, "state read back by the run that wrote it")
    }

    private static func serialAndLineageAreKept(_ probe: Probe) async throws {
        let run = probe.open()
        for serial in [0, 41, 42] {
            try await run.write(sampleState(serial: serial, lineage: "lineage-\(serial)"))
            let read = try await run.read()
            probe.equal(read?.serial, serial, "serial after writing serial \(serial)")
            probe.equal(read?.lineage, "lineage-\(serial)", "lineage after writing serial \(serial)")
        }
    }

    private static func secondWriteReplacesTheFirst(_ probe: Probe) async throws {
        let run = probe.open()
        try await run.write(sampleState(serial: 1, marker: "first"))
        let second = sampleState(serial: 2, marker: "second")
        try await run.write(second)
        let read = try await run.read()
        probe.equal(read, second, "state read back by the writer")
        let other = try await probe.open().read()
        probe.equal(other, second, "state read by another run")
    }

    private static func anotherRunReadsWhatOneWrote(_ probe: Probe) async throws {
        let first = probe.open(), second = probe.open()
        let state = sampleState(serial: 1, marker: "first")
        try await first.write(state)
        let read = try await second.read()
        probe.equal(read, state, "state another run reads")
        let next = sampleState(serial: 2, marker: "second")
        try await second.write(next)
        let third = try await probe.open().read()
        probe.equal(third, next, "state after the second run wrote what it read")
    }

    private static func readsAndWritesAreCopies(_ probe: Probe) async throws {
        let run = probe.open()
        let original = sampleState()
        var written = original
        try await run.write(written)
        written.serial = 99
        written.remove(Address(type: "kms.key", name: "data"))
        written.outputs["bucket"] = nil
        let read = try await run.read()
        probe.equal(read, original, "read after changing the value written")
        guard var changed = read else { return }
        changed.serial = 100
        changed.upsert(ResourceRecord(address: Address(type: "s3.bucket", name: "extra"), region: "eu-west-1",
                                      snapshot: ResourceSnapshot(id: "extra", properties: [:]), dependencies: []))
        changed.lineage = "other"
        let again = try await run.read()
        probe.equal(again, original, "read after changing the value read")
    }

    private static func writeAfterAnotherRunsWriteIsRefused(_ probe: Probe) async throws {
        let slow = probe.open(), fast = probe.open()
        try await probe.open().write(sampleState(serial: 1, marker: "base"))
        _ = try await slow.read()
        _ = try await fast.read()
        let winner = sampleState(serial: 2, marker: "fast")
        try await fast.write(winner)
        do {
            try await slow.write(sampleState(serial: 2, marker: "slow"))
            probe.fail("a write based on a replaced state was accepted")
        } catch let error as StateError {
            guard case .conflict(let origin, _) = error else { return probe.fail("expected StateError.conflict, got \(error)") }
            probe.equal(origin, slow.location, "conflict origin")
        }
        let stored = try await probe.open().read()
        probe.equal(stored, winner, "state after the refused write")
    }

    private static func corruptStateIsRefused(_ probe: Probe) async throws {
        guard let store = probe.storage.storeBytes else { return probe.fail("the storage cannot hold raw bytes") }
        let run = probe.open()
        for bytes in ["garbage", #"{"format_version": 1, "lineage": "#, #"{"lineage": "l", "serial": 1, "stack": "s", "resources": []}"#] {
            try await store(Data(bytes.utf8))
            do {
                let state = try await run.read()
                probe.fail("read accepted \(bytes.debugDescription) as \(String(describing: state))")
            } catch let error as StateError {
                switch error {
                case .corrupt(let origin, _), .corruptWithBackup(let origin, _, _, _): probe.equal(origin, run.location, "corrupt origin")
                default: probe.fail("expected StateError.corrupt, got \(error)")
                }
            }
        }
    }

    private static func newerFormatIsRefused(_ probe: Probe) async throws {
        guard let store = probe.storage.storeBytes else { return probe.fail("the storage cannot hold raw bytes") }
        let run = probe.open()
        let version = StateFile.currentFormatVersion + 1
        try await store(Data(#"{"format_version": \#(version), "lineage": "l", "serial": 1, "stack": "s", "resources": []}"#.utf8))
        do {
            let state = try await run.read()
            probe.fail("read accepted format \(version) as \(String(describing: state))")
        } catch let error as StateError {
            probe.equal(error, .newerFormat(origin: run.location, version: version, supported: StateFile.currentFormatVersion), "error")
        }
    }

    private static func heldLockIsRefusedNamingItsHolder(_ probe: Probe) async throws {
        let holder = probe.open(), other = probe.open()
        let info = probe.lockInfo("apply")
        try await holder.lock(info, timeout: 0)
        do {
            try await other.lock(probe.lockInfo("plan"), timeout: 0)
            probe.fail("a second run took a held lock")
        } catch let error as StateError {
            probe.equal(error, .locked(origin: other.location, holder: info), "error")
            probe.expect(error.description.contains("imgstack force-unlock \(info.id)"), "message does not say how to force-unlock: \(error)")
        }
    }

    private static func waitingForAHeldLockTimesOut(_ probe: Probe) async throws {
        let holder = probe.open(), waiter = probe.open()
        let info = probe.lockInfo("apply")
        try await holder.lock(info, timeout: 0)
        let started = Date()
        do {
            try await waiter.lock(probe.lockInfo("plan"), timeout: 0.5)
            probe.fail("a waiting run took a held lock")
        } catch StateError.locked(_, let reported) {
            probe.equal(reported, info, "holder")
        }
        let waited = Date().timeIntervalSince(started)
        probe.expect(waited >= 0.5, "gave up after \(waited) s, before its 0.5 s timeout")
    }

    private static func waitingRunGetsTheLockOnceReleased(_ probe: Probe) async throws {
        let holder = probe.open(), waiter = probe.open()
        try await holder.lock(probe.lockInfo("apply"), timeout: 0)
        let started = Date()
        let release = Task {
            try await Task.sleep(nanoseconds: 300_000_000)
            try await holder.unlock()
        }
        let waiting = probe.lockInfo("apply")
        do {
            try await waiter.lock(waiting, timeout: 10)
        } catch {
            release.cancel()
            throw error
        }
        let waited = Date().timeIntervalSince(started)
        probe.expect(waited >= 0.3, "took the lock after \(waited) s, before the holder released it at 0.3 s")
        try await release.value
        try await probe.expectLocked(by: waiting)
    }

    private static func unlockLetsTheLockBeTakenAgain(_ probe: Probe) async throws {
        let run = probe.open(), other = probe.open()
        try await run.lock(probe.lockInfo("apply"), timeout: 0)
        try await run.unlock()
        let again = probe.lockInfo("apply")
        try await run.lock(again, timeout: 0)
        try await probe.expectLocked(by: again)
        try await run.unlock()
        try await other.lock(probe.lockInfo("apply"), timeout: 0)
    }

    private static func unlockWithoutTheLockLeavesTheHolders(_ probe: Probe) async throws {
        let holder = probe.open(), bystander = probe.open()
        try await bystander.unlock()
        let info = probe.lockInfo("apply")
        try await holder.lock(info, timeout: 0)
        try await bystander.unlock()
        try await probe.expectLocked(by: info)
    }

    private static func forceUnlockRefusesAnotherID(_ probe: Probe) async throws {
        let holder = probe.open(), other = probe.open()
        let info = probe.lockInfo("apply")
        try await holder.lock(info, timeout: 0)
        let wrong = "not-\(info.id)"
        do {
            try await other.forceUnlock(id: wrong)
            probe.fail("force-unlock with another id was accepted")
        } catch let error as StateError {
            probe.equal(error, .lockNotFound(origin: other.location, id: wrong), "error")
        }
        try await probe.expectLocked(by: info)
    }

    private static func forceUnlockWithoutALockIsRefused(_ probe: Probe) async throws {
        let run = probe.open()
        for moment in ["before any lock", "after a lock was released"] {
            do {
                try await run.forceUnlock(id: "no-such-lock")
                probe.fail("force-unlock \(moment) was accepted")
            } catch let error as StateError {
                probe.equal(error, .lockNotFound(origin: run.location, id: "no-such-lock"), "error \(moment)")
            }
            try await run.lock(probe.lockInfo("apply"), timeout: 0)
            try await run.unlock()
        }
    }

    private static func forceUnlockRemovesTheNamedLock(_ probe: Probe) async throws {
        let holder = probe.open()
        let info = probe.lockInfo("apply")
        try await holder.lock(info, timeout: 0)
        try await probe.open().forceUnlock(id: info.id)
        let next = probe.lockInfo("apply")
        try await probe.open().lock(next, timeout: 0)
        try await probe.expectLocked(by: next)
    }

    private static func staleHolderUnlockLeavesTheNewLock(_ probe: Probe) async throws {
        let stale = probe.open()
        let first = probe.lockInfo("apply")
        try await stale.lock(first, timeout: 0)
        try await probe.open().forceUnlock(id: first.id)
        let second = probe.lockInfo("apply")
        try await probe.open().lock(second, timeout: 0)
        try await stale.unlock()
        try await probe.expectLocked(by: second)
    }
}

/// The runs of one check and the problems it found.
private final class Probe: @unchecked Sendable {
    let storage: StateBackendConformance.Storage
    private let lock = NSLock()
    private var found: [String] = []
    private var runs: [any StateBackend] = []

    init(_ storage: StateBackendConformance.Storage) {
        self.storage = storage
    }

    var problems: [String] { lock.withLock { found } }

    /// Opens a run on the storage; its lock is released when the check ends.
    func open() -> any StateBackend {
        let run = storage.open()
        lock.withLock { runs.append(run) }
        return run
    }

    /// Lock info with a fresh id, created at a whole second (lock JSON keeps seconds only).
    func lockInfo(_ operation: String) -> LockInfo {
        LockInfo(operation: operation, id: "conformance-\(UUID().uuidString.lowercased())",
                 created: Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
    }

    /// Records a problem unless a fresh run's lock attempt is refused naming `holder`.
    func expectLocked(by holder: LockInfo) async throws {
        let probe = open()
        do {
            try await probe.lock(lockInfo("probe"), timeout: 0)
            fail("the lock of \(holder.id) is not held: another run took it")
        } catch StateError.locked(_, let reported) {
            equal(reported.id, holder.id, "holder")
        }
    }

    func fail(_ problem: String) {
        lock.withLock { found.append(problem) }
    }

    func expect(_ condition: Bool, _ problem: @autoclosure () -> String) {
        if !condition { fail(problem()) }
    }

    func equal<T: Equatable>(_ actual: T, _ expected: T, _ what: String) {
        if actual != expected { fail("\(what): got \(String(describing: actual)), expected \(String(describing: expected))") }
    }

    /// Unlocks every run, so no check leaves a lock (or an open lock file) behind.
    func releaseLocks() async {
        for run in lock.withLock({ runs }) { try? await run.unlock() }
    }
}
