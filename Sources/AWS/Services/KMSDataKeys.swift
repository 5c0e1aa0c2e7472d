import Foundation

extension KMS {
    /// A data key from `GenerateDataKey`: the key itself, to use and forget, and the same key
    /// encrypted under the KMS key, to store beside what it protects.
    public struct DataKey: Sendable {
        /// The 32 key bytes (`Plaintext`).
        public var plaintext: Data
        /// The key encrypted under the KMS key (`CiphertextBlob`); `Decrypt` gives it back.
        public var ciphertextBlob: Data
        /// The ARN of the KMS key that encrypted it (`KeyId`).
        public var keyARN: String
    }

    /// A new AES-256 data key under `keyID` (`GenerateDataKey` with `KeySpec=AES_256`).
    /// - Parameters:
    ///   - keyID: a key id, ARN or `alias/…`.
    ///   - context: the encryption context, which `Decrypt` must be given again.
    /// - Throws: `AWSError` (`NotFoundException`, `DisabledException`, `AccessDeniedException`).
    public func generateDataKey(_ keyID: String, context: [String: String]) async throws -> DataKey {
        struct Input: Encodable {
            var keyID: String
            var keySpec = "AES_256"
            var context: [String: String]
            enum CodingKeys: String, CodingKey { case keyID = "KeyId", keySpec = "KeySpec", context = "EncryptionContext" }
        }
        struct Output: Decodable {
            var plaintext: Data
            var ciphertextBlob: Data
            var keyID: String
            enum CodingKeys: String, CodingKey { case plaintext = "Plaintext", ciphertextBlob = "CiphertextBlob", keyID = "KeyId" }
        }
        let output = try await client.json(.kms, "GenerateDataKey", Input(keyID: keyID, context: context), as: Output.self, region: region)
        return DataKey(plaintext: output.plaintext, ciphertextBlob: output.ciphertextBlob, keyARN: output.keyID)
    }

    /// The plaintext of a data key `GenerateDataKey` gave (`Decrypt`).
    /// - Parameters:
    ///   - blob: the `CiphertextBlob`.
    ///   - context: the encryption context it was made with.
    /// - Throws: `AWSError` (`InvalidCiphertextException` when the context differs,
    ///   `AccessDeniedException`).
    public func decrypt(_ blob: Data, context: [String: String]) async throws -> Data {
        struct Input: Encodable {
            var blob: Data
            var context: [String: String]
            enum CodingKeys: String, CodingKey { case blob = "CiphertextBlob", context = "EncryptionContext" }
        }
        struct Output: Decodable {
            var plaintext: Data
            enum CodingKeys: String, CodingKey { case plaintext = "Plaintext" }
        }
        return try await client.json(.kms, "Decrypt", Input(blob: blob, context: context), as: Output.self, region: region).plaintext
    }
}
