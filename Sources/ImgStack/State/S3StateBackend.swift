import AWS
import Engine
import Foundation
import Synchronization

/// State in an S3 object, for a stack a team and its CI share, made safe for many writers with
/// S3's conditional writes (as Terraform's S3 backend does with `use_lockfile`), not a lock
/// service of its own.
///
/// - The state is written with `If-Match` on the ETag this backend last read or wrote, so a
///   writer that lost a race is refused (`StateError.conflict`) instead of overwriting; a first
///   state is written with `If-None-Match: *`.
/// - The lock is the object `<key>.lock`, holding `LockInfo` as JSON, created with
///   `If-None-Match: *`: exactly one run's create succeeds. S3 cannot tell that a holder died,
///   so a leftover lock is reported with its holder and age, and `force-unlock ID` removes it.
/// - Both objects are encrypted at rest: SSE-KMS when a key is given, SSE-S3 (`AES256`) otherwise.
public final class S3StateBackend: StateBackend, Sendable {
    /// The state bucket.
    public let bucket: String
    /// The state object's key.
    public let key: String
    /// The lock object's key: `<key>.lock`.
    public let lockKey: String
    /// The bucket's region; the client's region when nil.
    public let region: String?
    /// How both objects are encrypted at rest.
    public let encryption: AWS.S3.ServerSideEncryption
    /// How long to sleep between lock attempts while waiting for a holder.
    public let pollInterval: Double

    /// S3 calls in the bucket's region.
    private let s3: AWS.S3
    private let memory = Mutex(Memory())

    /// What this backend knows between calls.
    private struct Memory: Sendable {
        /// The state object's ETag as last read or written: `.unknown` before the first read,
        /// `.absent` when there was no state.
        var state: StateVersion = .unknown
        /// The lock this backend took, while it holds it.
        var heldLock: HeldLock?
    }

    /// A lock this backend took: its id, and the ETag of the lock object it created (nil when
    /// S3's answer gave none), which is what releasing it deletes.
    private struct HeldLock: Sendable {
        var id: String
        var etag: String?

        init(id: String, etag: String) {
            self.id = id
            self.etag = etag.isEmpty ? nil : etag
        }
    }

    private enum StateVersion: Sendable, Equatable {
        case unknown
        case absent
        case etag(String)
    }

    /// Creates a backend for `s3://bucket/key`.
    /// - Parameters:
    ///   - bucket: the bucket; it must exist (imgstack does not create its own state bucket).
    ///   - key: the state object's key.
    ///   - region: the bucket's region, when it is not the client's.
    ///   - kmsKeyID: a KMS key for SSE-KMS; SSE-S3 when nil.
    ///   - client: the run's AWS client.
    ///   - pollInterval: seconds between lock attempts while waiting.
    public init(bucket: String, key: String, region: String? = nil, kmsKeyID: String? = nil, client: AWSClient, pollInterval: Double = 1) {
        self.bucket = bucket
        self.key = key
        self.lockKey = key + ".lock"
        self.region = region
        self.encryption = kmsKeyID.map { AWS.S3.ServerSideEncryption(algorithm: "aws:kms", kmsKeyID: $0) }
            ?? AWS.S3.ServerSideEncryption(algorithm: "AES256")
        self.pollInterval = pollInterval
        self.s3 = region.map { client.s3(region: $0) } ?? client.s3
    }

    public var location: String { "s3://\(bucket)/\(key)" }

    // MARK: - State

    public func read() async throws -> StateFile? {
        let object = try await call("read") { try await s3.storedObject(bucket, key: key) }
        guard let object else {
            memory.withLock { $0.state = .absent }
            return nil
        }
        let state = try StateFile.decode(object.body, origin: location)
        memory.withLock { $0.state = .etag(object.etag) }
        return state
    }

    /// Writes the state conditionally on the version last read or written.
    /// - Throws: `StateError.conflict` when the object is not that version any more (412
    ///   `PreconditionFailed`) or another write to it is in flight (409
    ///   `ConditionalRequestConflict`); the object is left as the other writer made it.
    public func write(_ state: StateFile) async throws {
        let condition: AWS.S3.WriteCondition
        switch memory.withLock({ $0.state }) {
        case .etag(let etag): condition = .matches(etag: etag)
        // Never read: only a fresh state may be written, so nothing unseen is overwritten.
        case .unknown, .absent: condition = .absent
        }
        let data = try state.encoded()
        do {
            let etag = try await s3.putObject(bucket, key: key, body: data, condition: condition, encryption: encryption)
            memory.withLock { $0.state = .etag(etag) }
        } catch let error as AWSError where Self.isLostRace(error) {
            let expected: String
            switch condition {
            case .absent: expected = "no state object yet"
            case .matches(let etag): expected = "the version last read (ETag \(etag))"
            }
            let reason = error.code == .conditionalRequestConflict ? "another run was writing it at the same moment" : "another run changed it"
            throw StateError.conflict(origin: location, detail: "expected \(expected), but \(reason)")
        } catch {
            throw StateError.io(origin: location, detail: "cannot write: \(error)")
        }
    }

    // MARK: - Lock

    public func lock(_ info: LockInfo, timeout: Double) async throws {
        try await lock(info, timeout: timeout, waiting: { _ in })
    }

    public func lock(_ info: LockInfo, timeout: Double, waiting: @escaping @Sendable (LockInfo) -> Void) async throws {
        let data = try info.encoded()
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            do {
                let etag = try await s3.putObject(bucket, key: lockKey, body: data, condition: .absent, encryption: encryption)
                memory.withLock { $0.heldLock = HeldLock(id: info.id, etag: etag) }
                return
            } catch let error as AWSError where Self.isLostRace(error) {
                // Someone holds it (or was creating it at the same instant).
            } catch {
                throw StateError.io(origin: location, detail: "cannot create the lock \(lockKey): \(error)")
            }
            guard let held = try await readLock() else { continue }  // released meanwhile: try again at once
            if held.info.id == info.id {
                // Our own create succeeded but its answer was lost and the retry was refused.
                memory.withLock { $0.heldLock = HeldLock(id: info.id, etag: held.etag) }
                return
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw StateError.locked(origin: location, holder: held.info) }
            waiting(held.info)
            try await Task.sleep(nanoseconds: UInt64(min(pollInterval, remaining) * 1_000_000_000))
        }
    }

    /// Releases the lock if it is still this backend's, in one call: `DeleteObject` with
    /// `If-Match` on the ETag S3 gave the lock object this backend created (S3 API Reference,
    /// DeleteObject: a conditional delete answers 412 when the ETag differs). A lock another run
    /// took after a `force-unlock` holds another id, so it is another ETag and is left alone (412
    /// `PreconditionFailed`, or 404 `NoSuchKey` when no lock is left). An S3-compatible store
    /// that ignores `If-Match` on deletes would delete it: imgstack's lock needs conditional
    /// deletes. Without that ETag, the lock is read and its id compared first.
    public func unlock() async throws {
        guard let held = memory.withLock({ memory -> HeldLock? in
            defer { memory.heldLock = nil }
            return memory.heldLock
        }) else { return }
        let etag: String
        if let created = held.etag {
            etag = created
        } else {
            guard let current = try await readLock(), current.info.id == held.id else { return }
            etag = current.etag
        }
        do {
            try await s3.deleteObject(bucket, key: lockKey, ifMatch: etag)
        } catch let error as AWSError where Self.isLostRace(error) || error.code == .noSuchKey {
            // Replaced or removed since it was read: it is not ours to delete.
        } catch {
            throw StateError.io(origin: location, detail: "cannot release the lock \(lockKey): \(error)")
        }
    }

    /// Removes the lock if its id is `id`.
    /// - Throws: `StateError.lockNotFound` when there is no lock or it has another id (it may
    ///   have been replaced between the read and the delete).
    public func forceUnlock(id: String) async throws {
        guard let held = try await readLock(), held.info.id == id else {
            throw StateError.lockNotFound(origin: location, id: id)
        }
        do {
            try await s3.deleteObject(bucket, key: lockKey, ifMatch: held.etag)
        } catch let error as AWSError where Self.isLostRace(error) || error.code == .noSuchKey {
            throw StateError.lockNotFound(origin: location, id: id)
        } catch {
            throw StateError.io(origin: location, detail: "cannot remove the lock \(lockKey): \(error)")
        }
    }

    /// The lock as it is now, with the ETag it was read at; nil when there is none.
    /// - Throws: `StateError.io` when the lock object is not imgstack's lock JSON.
    private func readLock() async throws -> (info: LockInfo, etag: String)? {
        let object = try await call("read the lock") { try await s3.storedObject(bucket, key: lockKey) }
        guard let object else { return nil }
        guard let info = try? LockInfo.decode(object.body) else {
            throw StateError.io(origin: location, detail: "the lock object \(lockKey) is not an imgstack lock; check that no run is active, then delete it by hand")
        }
        return (info, object.etag)
    }

    // MARK: - Versioning

    /// A warning when the bucket does not keep old versions of the state (versioning is how a
    /// bad write is undone), or when its versioning cannot be read; nil when versioning is on.
    public func versioningWarning() async -> String? {
        do {
            let status = try await s3.bucketVersioning(bucket)
            guard status != "Enabled" else { return nil }
            return "versioning is \(status.map { "\($0.lowercased())" } ?? "off") on state bucket \(bucket): a damaged or mistaken state write cannot be undone. Turn it on with `aws s3api put-bucket-versioning --bucket \(bucket) --versioning-configuration Status=Enabled`."
        } catch {
            return "cannot check versioning of state bucket \(bucket) (\(error)); without versioning a damaged state write cannot be undone."
        }
    }

    // MARK: - Errors

    /// Runs an S3 call, turning its failure into `StateError.io` naming this state.
    private func call<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StateError {
            throw error
        } catch {
            throw StateError.io(origin: location, detail: "cannot \(what): \(error)")
        }
    }

    /// 412 `PreconditionFailed`: the condition did not hold. 409 `ConditionalRequestConflict`:
    /// another conditional write to the key was in flight, which S3 resolves by refusing this one.
    private static func isLostRace(_ error: AWSError) -> Bool {
        error.statusCode == 412 || error.code == .preconditionFailed || error.code == .conditionalRequestConflict
    }
}
