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

    /// Creates a sealing header.
    public init(scheme: String, kmsKeyARN: String? = nil, encryptedDataKey: String? = nil, keyCheck: String) {
        self.scheme = scheme
        self.kmsKeyARN = kmsKeyARN
        self.encryptedDataKey = encryptedDataKey
        self.keyCheck = keyCheck
    }

    enum CodingKeys: String, CodingKey {
        case scheme, kmsKeyARN = "kms_key_arn", encryptedDataKey = "encrypted_data_key", keyCheck = "key_check"
    }
}
