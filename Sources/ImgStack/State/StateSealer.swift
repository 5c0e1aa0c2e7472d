import Crypto
import Engine
import Foundation

/// Seals secret values for rest: AES-256-GCM for the value, and HMAC-SHA256 for a keyed hash
/// that tells whether two sealed values are the same secret without opening either.
///
/// A sealed value stays a JSON object in the state, so everything else in the file reads as
/// before:
/// ```json
/// {"imgstack_sealed": "aes-256-gcm", "ciphertext": "<base64 nonce‖ciphertext‖tag>", "hmac_sha256": "<hex>"}
/// ```
/// Both keys are derived from one master key with HKDF-SHA256 (RFC 5869), each for its purpose.
public struct StateSealer: Sendable {
    // Key bytes (SymmetricKey is not Sendable); turned into keys where used.
    private let sealingKeyBytes: Data
    private let hashingKeyBytes: Data
    private var sealingKey: SymmetricKey { SymmetricKey(data: sealingKeyBytes) }
    private var hashingKey: SymmetricKey { SymmetricKey(data: hashingKeyBytes) }

    /// The member that marks a sealed value, and names its cipher.
    static let marker = "imgstack_sealed"
    static let cipher = "aes-256-gcm"

    /// Derives the sealer of a master key (32 random bytes, or the bytes of a passphrase).
    public init(masterKey: Data) {
        let master = SymmetricKey(data: masterKey)
        let salt = Data("imgstack state sealing v1".utf8)
        sealingKeyBytes = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, salt: salt, info: Data("seal".utf8), outputByteCount: 32)
            .withUnsafeBytes { Data($0) }
        hashingKeyBytes = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, salt: salt, info: Data("hash".utf8), outputByteCount: 32)
            .withUnsafeBytes { Data($0) }
    }

    /// A keyed hash of a fixed text: equal for equal keys, so a wrong key is named as such.
    public var keyCheck: String { hash(.string("imgstack key check")) }

    /// The keyed hash of `value`'s canonical JSON, hex.
    public func hash(_ value: Value) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(value.canonicalJSON.utf8), using: hashingKey)
            .map { String(format: "%02x", $0) }.joined()
    }

    /// `value` sealed (a sealed value is returned as it is).
    /// - Throws: `CryptoKitError` (not expected for AES-GCM with a fresh nonce).
    public func seal(_ value: Value) throws -> Value {
        if Self.isSealed(value) { return value }
        let box = try AES.GCM.seal(Data(value.canonicalJSON.utf8), using: sealingKey)
        guard let combined = box.combined else { throw StateSealingError.damaged("AES-GCM gave no combined form") }
        return .map([Self.marker: .string(Self.cipher), "ciphertext": .string(combined.base64EncodedString()),
                        "hmac_sha256": .string(hash(value))])
    }

    /// The value `sealed` holds (a value that is not sealed is returned as it is).
    /// - Throws: ``StateSealingError/damaged(_:)`` when it does not open with this key.
    public func open(_ sealed: Value) throws -> Value {
        guard Self.isSealed(sealed) else { return sealed }
        guard let text = sealed["ciphertext"].stringValue, let combined = Data(base64Encoded: text) else {
            throw StateSealingError.damaged("a sealed value has no ciphertext")
        }
        do {
            let plain = try AES.GCM.open(AES.GCM.SealedBox(combined: combined), using: sealingKey)
            return try Value(jsonText: String(decoding: plain, as: UTF8.self))
        } catch {
            throw StateSealingError.damaged("a sealed value does not open: it was changed after imgstack wrote it, or sealed with another key")
        }
    }

    /// Seals a whole document (a saved plan): nonce‖ciphertext‖tag.
    public func sealDocument(_ data: Data) throws -> Data {
        guard let combined = try AES.GCM.seal(data, using: sealingKey).combined else {
            throw StateSealingError.damaged("AES-GCM gave no combined form")
        }
        return combined
    }

    /// Opens what ``sealDocument(_:)`` sealed.
    /// - Throws: ``StateSealingError/damaged(_:)`` when it does not open: AES-GCM cannot tell a
    ///   changed document from one sealed with another key, so the message names both.
    public func openDocument(_ data: Data) throws -> Data {
        do {
            return try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: sealingKey)
        } catch {
            throw StateSealingError.damaged("it was changed after imgstack wrote it, or sealed with another key")
        }
    }

    /// True for a value in the sealed form.
    public static func isSealed(_ value: Value) -> Bool {
        value[marker].stringValue == cipher
    }
}

/// Why secrets of a state cannot be sealed or opened.
public enum StateSealingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No key is configured where one is needed (an S3 state without `kms_key` or
    /// `IMGSTACK_STATE_KEY`).
    case noKey(String)
    /// The configured key is not the one the state was sealed with.
    case wrongKey(String)
    /// A sealed value or document does not open.
    case damaged(String)

    public var description: String {
        switch self {
        case .noKey(let detail), .wrongKey(let detail): return detail
        case .damaged(let detail): return "sealed secret cannot be opened: \(detail)"
        }
    }
}
