import AWS
import Crypto
import _CryptoExtras
import Engine
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the key that seals a state's secrets comes from, in the order a run looks:
/// `IMGSTACK_STATE_KEY`, then the backend's KMS key (`kms_key`: a data key from KMS
/// `GenerateDataKey`, stored encrypted in the state and opened with `Decrypt`, as envelope
/// encryption does), then — for a local state only — a random key in a file beside it.
///
/// A passphrase is stretched with scrypt (RFC 7914; N = 2^15, r = 8, p = 1, a random 16-byte
/// salt per state, all recorded in the state's ``StateSealing/kdf``), so a copied state costs
/// 32 MiB and tens of milliseconds per guessed passphrase. States sealed before that (no `kdf`)
/// keep opening with the passphrase's bytes as the key until `state rekey` re-seals them.
public struct StateKeySource: Sendable {
    /// The environment variable holding a passphrase (at least 16 characters; 32 random bytes
    /// in base64, from `openssl rand -base64 32`, are best).
    public static let environmentVariable = "IMGSTACK_STATE_KEY"
    /// The environment variable holding the passphrase a state was sealed with before
    /// `IMGSTACK_STATE_KEY` changed: tried when the current one does not open the state, so
    /// `state rekey` can re-seal it (OpenTofu's fallback key).
    public static let previousVariable = "IMGSTACK_STATE_KEY_PREVIOUS"

    /// scrypt's cost for new passphrase-sealed states: N = 2^15, r = 8, p = 1 (32 MiB; the
    /// cost RFC 7914 §2 and Go's x/crypto/scrypt give for interactive use).
    static let scryptCost = (rounds: 1 << 15, blockSize: 8, parallelism: 1)

    /// The passphrase, when `IMGSTACK_STATE_KEY` is set.
    public var passphrase: String?
    /// The previous passphrase, when `IMGSTACK_STATE_KEY_PREVIOUS` is set.
    public var previousPassphrase: String?
    /// The KMS key named by the backend, and the calls to reach it.
    public var kmsKey: (id: String, kms: AWS.KMS)?
    /// The key file of a local state (`<state dir>/<stack>.state.key`); nil for a remote state.
    public var keyFile: String?
    /// KMS calls for opening a state sealed under a KMS key when the backend no longer names it.
    public var kms: AWS.KMS?

    /// Creates a key source.
    public init(passphrase: String?, previousPassphrase: String? = nil, kmsKey: (id: String, kms: AWS.KMS)?, keyFile: String?,
                kms: AWS.KMS?) {
        self.passphrase = passphrase
        self.previousPassphrase = previousPassphrase
        self.kmsKey = kmsKey
        self.keyFile = keyFile
        self.kms = kms
    }

    /// The encryption context of a state's data key: KMS binds the key to this stack and lineage.
    static func context(stack: String, lineage: String) -> [String: String] {
        ["imgstack:stack": stack, "imgstack:lineage": lineage]
    }

    /// A sealer for a state that has none yet, and the header that records it.
    /// - Throws: ``StateSealingError/noKey(_:)`` when no key is configured; KMS errors.
    func newSealer(stack: String, lineage: String) async throws -> (sealer: StateSealer, sealing: StateSealing) {
        if let passphrase {
            let salt = SymmetricKey(size: SymmetricKeySize(bitCount: 128)).withUnsafeBytes { Data($0) }
            let kdf = PassphraseKDF(algorithm: "scrypt", salt: salt.base64EncodedString(), rounds: Self.scryptCost.rounds,
                                    blockSize: Self.scryptCost.blockSize, parallelism: Self.scryptCost.parallelism)
            let sealer = try Self.sealer(passphrase: passphrase, kdf: kdf)
            return (sealer, StateSealing(scheme: "passphrase", keyCheck: sealer.keyCheck, kdf: kdf))
        }
        if let kmsKey {
            let dataKey = try await kmsKey.kms.generateDataKey(kmsKey.id, context: Self.context(stack: stack, lineage: lineage))
            let sealer = StateSealer(masterKey: dataKey.plaintext)
            return (sealer, StateSealing(scheme: "kms", kmsKeyARN: dataKey.keyARN,
                                         encryptedDataKey: dataKey.ciphertextBlob.base64EncodedString(), keyCheck: sealer.keyCheck))
        }
        if let keyFile {
            let sealer = StateSealer(masterKey: try Self.readOrCreateKey(at: keyFile))
            return (sealer, StateSealing(scheme: "key-file", keyCheck: sealer.keyCheck))
        }
        try requireKey()
    }

    /// True when a key is configured (or, locally, can be made).
    var canSeal: Bool { passphrase != nil || kmsKey != nil || keyFile != nil }

    /// Throws the refusal of a state that would hold secrets with no key configured.
    /// - Throws: ``StateSealingError/noKey(_:)`` always.
    func requireKey() throws -> Never {
        throw StateSealingError.noKey(
            "the state would hold secrets and no key is configured to seal them: give the backend a KMS key "
                + "(s3://BUCKET/KEY?kms_key=ARN) or set \(Self.environmentVariable)")
    }

    /// What to do when a state's key is not at hand, for the errors that say so.
    static let remedy = "to re-seal it with another key, give the old one (\(previousVariable) for a passphrase) and run "
        + "`imgstack state rekey`; if the key is lost, `imgstack state rekey --forget-secrets` drops the sealed values "
        + "(`state list` works without the key)"

    /// The sealer that opens a state sealed as `sealing` says.
    /// - Throws: ``StateSealingError/noKey(_:)`` or ``StateSealingError/wrongKey(_:)``; KMS errors.
    func sealer(opening sealing: StateSealing, stack: String, lineage: String) async throws -> StateSealer {
        let sealer: StateSealer
        switch sealing.scheme {
        case "kms":
            guard let blob = sealing.encryptedDataKey.flatMap({ Data(base64Encoded: $0) }), let kms = kmsKey?.kms ?? kms else {
                throw StateSealingError.noKey("the state's secrets are sealed under KMS key \(sealing.kmsKeyARN ?? "?") and no KMS client is available")
            }
            sealer = StateSealer(masterKey: try await kms.decrypt(blob, context: Self.context(stack: stack, lineage: lineage)))
        case "passphrase":
            let candidates = [passphrase, previousPassphrase].compactMap { $0 }
            guard !candidates.isEmpty else {
                throw StateSealingError.noKey("the state's secrets are sealed with \(Self.environmentVariable); set it to the passphrase they were sealed with, "
                    + "or \(Self.remedy)")
            }
            let sealers = try candidates.map { try Self.sealer(passphrase: $0, kdf: sealing.kdf) }
            sealer = sealers.first { $0.keyCheck == sealing.keyCheck } ?? sealers[0]
        case "key-file":
            guard let keyFile, FileManager.default.fileExists(atPath: keyFile) else {
                throw StateSealingError.noKey("the state's secrets are sealed with the key file \(keyFile ?? "beside the state"), which is missing; "
                    + "restore it beside the state file, or \(Self.remedy)")
            }
            sealer = StateSealer(masterKey: try Self.readOrCreateKey(at: keyFile))
        default:
            throw StateSealingError.damaged("unknown sealing scheme \(sealing.scheme)")
        }
        guard sealer.keyCheck == sealing.keyCheck else {
            throw StateSealingError.wrongKey("the state's secrets were sealed with another key (\(sealing.scheme)) than the one configured now; "
                + Self.remedy)
        }
        return sealer
    }

    /// The sealer of `passphrase` stretched as `kdf` says; nil `kdf` for a state sealed before
    /// imgstack stretched passphrases (the passphrase's bytes are the master key).
    /// - Throws: ``StateSealingError/noKey(_:)`` for a short passphrase;
    ///   ``StateSealingError/damaged(_:)`` for a derivation imgstack does not make (another
    ///   algorithm, a salt that is not base64, a cost beyond N = 2^20, r = 32, p = 16, which
    ///   would let a crafted state claim gigabytes).
    static func sealer(passphrase: String, kdf: PassphraseKDF?) throws -> StateSealer {
        try check(passphrase: passphrase)
        guard let kdf else { return StateSealer(masterKey: Data(passphrase.utf8)) }
        guard kdf.algorithm == "scrypt", let salt = Data(base64Encoded: kdf.salt), !salt.isEmpty,
              kdf.rounds > 1, kdf.rounds <= 1 << 20, kdf.rounds & (kdf.rounds - 1) == 0,
              (1...32).contains(kdf.blockSize), (1...16).contains(kdf.parallelism) else {
            throw StateSealingError.damaged("the state's passphrase derivation (\(kdf.algorithm), N=\(kdf.rounds), r=\(kdf.blockSize), "
                + "p=\(kdf.parallelism)) is not one imgstack makes")
        }
        let key = try KDF.Scrypt.deriveKey(from: Data(passphrase.utf8), salt: salt, outputByteCount: 32, rounds: kdf.rounds,
                                           blockSize: kdf.blockSize, parallelism: kdf.parallelism)
        return StateSealer(masterKey: key.withUnsafeBytes { Data($0) })
    }

    /// Refuses a passphrase too short to be a key, before a run makes any call.
    /// - Throws: ``StateSealingError/noKey(_:)``.
    public static func check(passphrase: String) throws {
        guard passphrase.count >= 16 else {
            throw StateSealingError.noKey("\(environmentVariable) is too short to be a key: use at least 16 characters (openssl rand -base64 32)")
        }
    }

    /// The 32 key bytes in `path`, written first (owner-only, durably) when the file is missing.
    static func readOrCreateKey(at path: String) throws -> Data {
        if let data = FileManager.default.contents(atPath: path) {
            guard let key = Data(base64Encoded: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
                  key.count == 32 else {
                throw StateSealingError.damaged("\(path) is not a state key (32 bytes in base64)")
            }
            return key
        }
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        try FileManager.default.createDirectory(atPath: LocalStateBackend.directory(of: path), withIntermediateDirectories: true)
        try LocalStateBackend.writeDurably(Data((key.base64EncodedString() + "\n").utf8), to: path)
        return key
    }
}

/// Which properties and attributes of which resources hold secrets: those a type declares
/// sensitive, and those the stack feeds from a secret (a sensitive variable or output).
public final class SensitivityMap: @unchecked Sendable {
    private let byType: [String: Set<String>]
    private let lock = NSLock()
    private var declared: [Address: Set<String>] = [:]

    /// The names each type declares sensitive.
    public init(types: [String: any ResourceType]) {
        byType = types.mapValues { type in
            Set(type.schema.properties.filter(\.sensitive).map(\.name) + type.schema.attributes.filter(\.sensitive).map(\.name))
        }
    }

    /// Adds what `stack` makes secret by feeding it from secrets.
    public func add(_ stack: StackDefinition) {
        lock.withLock {
            for resource in stack.resources where !resource.sensitiveProperties.isEmpty {
                declared[resource.address, default: []].formUnion(resource.sensitiveProperties)
            }
        }
    }

    /// The secret names of the resource at `address`.
    public func names(_ address: Address) -> Set<String> {
        (byType[address.type] ?? []).union(lock.withLock { declared[address] ?? [] })
    }
}
