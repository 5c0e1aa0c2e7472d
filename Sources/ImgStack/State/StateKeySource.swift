import AWS
import Crypto
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
public struct StateKeySource: Sendable {
    /// The environment variable holding a passphrase (at least 16 characters; 32 random bytes
    /// in base64, from `openssl rand -base64 32`, are best).
    public static let environmentVariable = "IMGSTACK_STATE_KEY"

    /// The passphrase, when `IMGSTACK_STATE_KEY` is set.
    public var passphrase: String?
    /// The KMS key named by the backend, and the calls to reach it.
    public var kmsKey: (id: String, kms: AWS.KMS)?
    /// The key file of a local state (`<state dir>/<stack>.state.key`); nil for a remote state.
    public var keyFile: String?
    /// KMS calls for opening a state sealed under a KMS key when the backend no longer names it.
    public var kms: AWS.KMS?

    /// Creates a key source.
    public init(passphrase: String?, kmsKey: (id: String, kms: AWS.KMS)?, keyFile: String?, kms: AWS.KMS?) {
        self.passphrase = passphrase
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
            let sealer = try Self.sealer(passphrase: passphrase)
            return (sealer, StateSealing(scheme: "passphrase", keyCheck: sealer.keyCheck))
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
            guard let passphrase else {
                throw StateSealingError.noKey("the state's secrets are sealed with \(Self.environmentVariable); set it to the passphrase they were sealed with")
            }
            sealer = try Self.sealer(passphrase: passphrase)
        case "key-file":
            guard let keyFile, FileManager.default.fileExists(atPath: keyFile) else {
                throw StateSealingError.noKey("the state's secrets are sealed with the key file \(keyFile ?? "beside the state"), which is missing; "
                    + "restore it beside the state file")
            }
            sealer = StateSealer(masterKey: try Self.readOrCreateKey(at: keyFile))
        default:
            throw StateSealingError.damaged("unknown sealing scheme \(sealing.scheme)")
        }
        guard sealer.keyCheck == sealing.keyCheck else {
            throw StateSealingError.wrongKey("the state's secrets were sealed with another key (\(sealing.scheme)) than the one configured now")
        }
        return sealer
    }

    static func sealer(passphrase: String) throws -> StateSealer {
        try check(passphrase: passphrase)
        return StateSealer(masterKey: Data(passphrase.utf8))
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
