import AWS
import Engine
import Foundation

/// A state backend whose secrets are sealed at rest: every value of a sensitive property or
/// attribute (declared so by its type, or fed by a secret), every sensitive output and the
/// secret properties of unfinished creates are written sealed (``StateSealer``), and opened
/// again when read. Everything else in the file stays as readable as before.
///
/// The key comes from ``StateKeySource``: a KMS key named by the backend (`kms_key`), a
/// passphrase (`IMGSTACK_STATE_KEY`), or a key file beside a local state. A state that holds no
/// secret needs no key.
public final class SealedStateBackend: StateBackend, @unchecked Sendable {
    /// The backend that stores the sealed file.
    public let inner: any StateBackend
    private let keys: StateKeySource
    private let sensitivity: SensitivityMap
    // Guarded by `lock`: the sealer once known, and the names seen sealed on read (kept
    // sealed even if nothing declares them any longer).
    private let lock = NSLock()
    private var cached: (sealer: StateSealer, sealing: StateSealing)?
    private var sealedOnRead: [Address: Set<String>] = [:]

    /// Wraps `inner`.
    /// - Parameters:
    ///   - keys: where the key comes from.
    ///   - sensitivity: which names of which resources are secret.
    public init(_ inner: any StateBackend, keys: StateKeySource, sensitivity: SensitivityMap) {
        self.inner = inner
        self.keys = keys
        self.sensitivity = sensitivity
    }

    public var location: String { inner.location }

    /// Reads the state with its secrets opened.
    /// - Throws: the inner backend's errors; ``StateSealingError`` when a secret cannot be opened.
    public func read() async throws -> StateFile? {
        guard let state = try await inner.read() else { return nil }
        return try await opened(state)
    }

    /// Writes the state with its secrets sealed.
    /// - Throws: the inner backend's errors; ``StateSealingError/noKey(_:)`` when a secret is to
    ///   be written and no key is configured.
    public func write(_ state: StateFile) async throws {
        try await inner.write(try await sealed(try await opened(state)))
    }

    /// `state` as it is written at rest: its secrets sealed (for `state pull`).
    /// - Throws: ``StateSealingError``.
    public func sealed(_ state: StateFile) async throws -> StateFile {
        var state = state
        state.sealing = state.sealing ?? lock.withLock { cached?.sealing }
        guard needsSealing(state) else { return state }
        let sealer = try await sealer(for: &state)
        state.resources = try state.resources.map { try seal($0, sealer) }
        state.deposed = try state.deposed.map { try seal($0, sealer) }
        for index in state.intents.indices {
            let names = secretNames(state.intents[index].address)
            for (name, value) in state.intents[index].properties where names.contains(name) && value != .null {
                state.intents[index].properties[name] = try sealer.seal(value)
            }
        }
        for (name, output) in state.outputs where output.sensitive && output.value != .null {
            state.outputs[name]?.value = try sealer.seal(output.value)
        }
        return state
    }

    /// `state` with its sealed values opened.
    /// - Throws: ``StateSealingError``.
    public func opened(_ state: StateFile) async throws -> StateFile {
        var state = state
        guard Self.holdsSealedValues(state) else { return state }
        let sealer = try await sealer(for: &state)
        state.resources = try state.resources.map { try open($0, sealer) }
        state.deposed = try state.deposed.map { try open($0, sealer) }
        for index in state.intents.indices {
            for (name, value) in state.intents[index].properties where StateSealer.isSealed(value) {
                state.intents[index].properties[name] = try sealer.open(value)
                remember(state.intents[index].address, name)
            }
        }
        for (name, output) in state.outputs where StateSealer.isSealed(output.value) {
            state.outputs[name]?.value = try sealer.open(output.value)
        }
        return state
    }

    /// Writes `state` (as read at rest, ``inner``) re-sealed with the key configured now: a new
    /// data key under the backend's KMS key, a new salt for a passphrase, or the local key file —
    /// for `state rekey`. A state written before sealing existed gets its secrets sealed; one
    /// sealed from a passphrase without a KDF gets the scrypt one.
    /// - Returns: the sealing header written.
    /// - Throws: ``StateSealingError`` when the state's secrets do not open with the key its
    ///   header names (nor `IMGSTACK_STATE_KEY_PREVIOUS`), or no key is configured; KMS errors;
    ///   the inner backend's errors.
    public func writeResealed(_ state: StateFile) async throws -> StateSealing {
        var plain = try await opened(state)
        let fresh = try await keys.newSealer(stack: plain.stack, lineage: plain.lineage)
        lock.withLock { cached = fresh }
        plain.sealing = fresh.sealing
        try await inner.write(try await sealed(plain))
        return fresh.sealing
    }

    /// `state` (as read at rest) with every sealed value replaced by null and no sealing header,
    /// for `state rekey --forget-secrets` when the key is lost: the next plan reads the
    /// resources' values again from AWS and shows the secrets the stack sets as changes.
    /// - Returns: the state, and how many sealed values were dropped.
    public static func forgettingSecrets(_ state: StateFile) -> (state: StateFile, dropped: Int) {
        var state = state
        var dropped = 0
        func forget(_ values: inout [String: Value]) {
            for (name, value) in values where StateSealer.isSealed(value) {
                values[name] = .null
                dropped += 1
            }
        }
        for index in state.resources.indices {
            forget(&state.resources[index].snapshot.properties)
            forget(&state.resources[index].snapshot.attributes)
        }
        for index in state.deposed.indices {
            forget(&state.deposed[index].snapshot.properties)
            forget(&state.deposed[index].snapshot.attributes)
        }
        for index in state.intents.indices { forget(&state.intents[index].properties) }
        for (name, output) in state.outputs where StateSealer.isSealed(output.value) {
            state.outputs[name]?.value = .null
            dropped += 1
        }
        state.sealing = nil
        return (state, dropped)
    }

    /// True when a key is configured (or, for a local state, can be made).
    public var canSeal: Bool { keys.canSeal }

    /// Refuses, before anything is written, a stack that would put secrets into a state no key
    /// is configured for (an S3 state without `kms_key` or `IMGSTACK_STATE_KEY`).
    /// - Throws: ``StateSealingError/noKey(_:)``.
    public func checkCanSeal(_ stack: StackDefinition) throws {
        guard !keys.canSeal else { return }
        let secrets = stack.resources.contains { !sensitivity.names($0.address).isEmpty } || stack.outputs.contains(where: \.sensitive)
        if secrets { _ = try keys.requireKey() }
    }

    /// The sealer of `state`'s secrets and the header that names its key (made anew when the
    /// state has none yet), for sealing a document that belongs to it: a saved plan.
    /// - Throws: ``StateSealingError``; KMS errors.
    public func documentSealer(for state: StateFile) async throws -> (sealer: StateSealer, sealing: StateSealing) {
        var state = state
        let sealer = try await sealer(for: &state)
        guard let sealing = state.sealing else { throw StateSealingError.damaged("no sealing header was made") }
        return (sealer, sealing)
    }

    /// The sealer a document sealed as `sealing` says opens with (a saved plan of `stack` at
    /// `lineage`).
    /// - Throws: ``StateSealingError``; KMS errors.
    public func documentSealer(opening sealing: StateSealing, stack: String, lineage: String) async throws -> StateSealer {
        try await keys.sealer(opening: sealing, stack: stack, lineage: lineage)
    }

    public func lock(_ info: LockInfo, timeout: Double) async throws { try await inner.lock(info, timeout: timeout) }

    public func lock(_ info: LockInfo, timeout: Double, waiting: @escaping @Sendable (LockInfo) -> Void) async throws {
        try await inner.lock(info, timeout: timeout, waiting: waiting)
    }

    public func unlock() async throws { try await inner.unlock() }

    public func forceUnlock(id: String) async throws { try await inner.forceUnlock(id: id) }

    // MARK: - Values

    /// The names of the resource at `address` whose values are secret: declared so, fed by a
    /// secret, or found sealed when the state was read.
    public func secretNames(_ address: Address) -> Set<String> {
        sensitivity.names(address).union(lock.withLock { sealedOnRead[address] ?? [] })
    }

    private func remember(_ address: Address, _ name: String) {
        lock.withLock { _ = sealedOnRead[address, default: []].insert(name) }
    }

    private func needsSealing(_ state: StateFile) -> Bool {
        func secret(_ record: ResourceRecord) -> Bool {
            let names = secretNames(record.address)
            return !names.isEmpty && (record.snapshot.properties.contains { names.contains($0.key) && $0.value != .null }
                || record.snapshot.attributes.contains { names.contains($0.key) && $0.value != .null })
        }
        return state.resources.contains(where: secret) || state.deposed.contains(where: secret)
            || state.intents.contains { intent in
                let names = secretNames(intent.address)
                return intent.properties.contains { names.contains($0.key) && $0.value != .null }
            }
            || state.outputs.values.contains { $0.sensitive && $0.value != .null }
    }

    private func seal(_ record: ResourceRecord, _ sealer: StateSealer) throws -> ResourceRecord {
        var record = record
        let names = secretNames(record.address)
        for (name, value) in record.snapshot.properties where names.contains(name) && value != .null {
            record.snapshot.properties[name] = try sealer.seal(value)
        }
        for (name, value) in record.snapshot.attributes where names.contains(name) && value != .null {
            record.snapshot.attributes[name] = try sealer.seal(value)
        }
        return record
    }

    private func open(_ record: ResourceRecord, _ sealer: StateSealer) throws -> ResourceRecord {
        var record = record
        for (name, value) in record.snapshot.properties where StateSealer.isSealed(value) {
            record.snapshot.properties[name] = try sealer.open(value)
            remember(record.address, name)
        }
        for (name, value) in record.snapshot.attributes where StateSealer.isSealed(value) {
            record.snapshot.attributes[name] = try sealer.open(value)
            remember(record.address, name)
        }
        return record
    }

    static func holdsSealedValues(_ state: StateFile) -> Bool {
        func sealed(_ record: ResourceRecord) -> Bool {
            record.snapshot.properties.values.contains(where: StateSealer.isSealed)
                || record.snapshot.attributes.values.contains(where: StateSealer.isSealed)
        }
        return state.resources.contains(where: sealed) || state.deposed.contains(where: sealed)
            || state.intents.contains { $0.properties.values.contains(where: StateSealer.isSealed) }
            || state.outputs.values.contains { StateSealer.isSealed($0.value) }
    }

    // MARK: - Key

    /// The sealer of `state`: the one its `sealing` names (checked), else a new one from the
    /// configured key, recorded in `state.sealing`.
    private func sealer(for state: inout StateFile) async throws -> StateSealer {
        if let cached = lock.withLock({ cached }), state.sealing == nil || state.sealing == cached.sealing {
            state.sealing = cached.sealing
            return cached.sealer
        }
        let made: (sealer: StateSealer, sealing: StateSealing)
        if let sealing = state.sealing {
            made = (try await keys.sealer(opening: sealing, stack: state.stack, lineage: state.lineage), sealing)
        } else {
            made = try await keys.newSealer(stack: state.stack, lineage: state.lineage)
        }
        state.sealing = made.sealing
        lock.withLock { cached = made }
        return made.sealer
    }
}
