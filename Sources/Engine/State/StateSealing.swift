import Foundation

/// How a state's secrets are sealed: which key, and a check that tells a wrong key from a
/// damaged value. The values themselves are sealed in place (see imgstack's `StateSealer`).
public struct StateSealing: Sendable, Codable, Equatable {
    /// `kms` (a data key under a KMS key), `passphrase` (`IMGSTACK_STATE_KEY`) or `key-file`.
    public var scheme: String
    /// The KMS key's ARN, for `kms`.
    public var kmsKeyARN: String?
    /// The data key encrypted under the KMS key (base64), for `kms`.
    public var encryptedDataKey: String?
    /// A keyed hash of a fixed text: the same key gives the same check.
    public var keyCheck: String
    /// For `passphrase`: how the passphrase was stretched into the key. Nil in states sealed
    /// before imgstack used a password KDF, whose key was derived from the passphrase's bytes
    /// directly; they stay readable, and `state rekey` re-seals them with one.
    public var kdf: PassphraseKDF?

    /// Creates a sealing header.
    public init(scheme: String, kmsKeyARN: String? = nil, encryptedDataKey: String? = nil, keyCheck: String, kdf: PassphraseKDF? = nil) {
        self.scheme = scheme
        self.kmsKeyARN = kmsKeyARN
        self.encryptedDataKey = encryptedDataKey
        self.keyCheck = keyCheck
        self.kdf = kdf
    }

    enum CodingKeys: String, CodingKey {
        case scheme, kmsKeyARN = "kms_key_arn", encryptedDataKey = "encrypted_data_key", keyCheck = "key_check", kdf
    }
}

/// How a passphrase was stretched into a state's key: scrypt (RFC 7914) with a random salt kept
/// in the state, so a stolen state costs an attacker scrypt's memory and time per guess.
public struct PassphraseKDF: Sendable, Codable, Equatable {
    /// `scrypt`, the only one.
    public var algorithm: String
    /// The salt, base64 (16 random bytes per state).
    public var salt: String
    /// scrypt's cost parameter N, a power of 2.
    public var rounds: Int
    /// scrypt's block size r.
    public var blockSize: Int
    /// scrypt's parallelism p.
    public var parallelism: Int

    /// Creates a description of a derivation.
    public init(algorithm: String, salt: String, rounds: Int, blockSize: Int, parallelism: Int) {
        self.algorithm = algorithm
        self.salt = salt
        self.rounds = rounds
        self.blockSize = blockSize
        self.parallelism = parallelism
    }

    enum CodingKeys: String, CodingKey {
        case algorithm, salt, rounds = "n", blockSize = "r", parallelism = "p"
    }
}
