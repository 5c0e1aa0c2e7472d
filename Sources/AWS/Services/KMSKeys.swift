import Foundation

// KMS key and alias operations (botocore `kms` 2014-11-01 model).
extension KMS {
    /// A key's metadata as `DescribeKey` returns it.
    public struct KeyMetadata: Sendable, Equatable, Decodable {
        /// The key id (a UUID).
        public var keyID: String
        /// The key ARN.
        public var arn: String
        /// The description.
        public var description: String?
        /// `Enabled`, `Disabled`, `PendingDeletion`, …
        public var keyState: String?
        /// `ENCRYPT_DECRYPT`, `SIGN_VERIFY`, …
        public var keyUsage: String?
        /// `SYMMETRIC_DEFAULT`, …
        public var keySpec: String?
        /// When a key pending deletion goes.
        public var deletionDate: Date?

        enum CodingKeys: String, CodingKey {
            case keyID = "KeyId", arn = "Arn", description = "Description", keyState = "KeyState", keyUsage = "KeyUsage"
            case keySpec = "KeySpec", deletionDate = "DeletionDate"
        }
    }

    /// A tag of a key.
    public struct Tag: Sendable, Equatable, Codable {
        /// The key.
        public var key: String
        /// The value.
        public var value: String

        /// Creates a tag.
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }

        enum CodingKeys: String, CodingKey { case key = "TagKey", value = "TagValue" }
    }

    /// An alias as `ListAliases` returns it.
    public struct AliasEntry: Sendable, Equatable, Decodable {
        /// `alias/…`.
        public var name: String
        /// The alias ARN.
        public var arn: String?
        /// The key id it points at (absent for AWS-managed aliases without a key).
        public var targetKeyID: String?

        enum CodingKeys: String, CodingKey { case name = "AliasName", arn = "AliasArn", targetKeyID = "TargetKeyId" }
    }

    struct KeyIDInput: Encodable {
        var keyID: String
        enum CodingKeys: String, CodingKey { case keyID = "KeyId" }
    }

    struct KeyMetadataOutput: Decodable {
        var keyMetadata: KeyMetadata
        enum CodingKeys: String, CodingKey { case keyMetadata = "KeyMetadata" }
    }

    /// Creates a symmetric or asymmetric key (`CreateKey`).
    /// - Parameters:
    ///   - policy: the key policy JSON; nil lets KMS apply its default policy.
    /// - Returns: the new key's metadata.
    public func createKey(description: String?, keyUsage: String, keySpec: String, policy: String?, tags: [Tag]) async throws -> KeyMetadata {
        struct Input: Encodable {
            var description: String?
            var keyUsage: String
            var keySpec: String
            var policy: String?
            var tags: [Tag]?
            enum CodingKeys: String, CodingKey { case description = "Description", keyUsage = "KeyUsage", keySpec = "KeySpec", policy = "Policy", tags = "Tags" }
        }
        let input = Input(description: description, keyUsage: keyUsage, keySpec: keySpec, policy: policy, tags: tags.isEmpty ? nil : tags)
        return try await client.json(.kms, "CreateKey", input, as: KeyMetadataOutput.self, region: region).keyMetadata
    }

    /// The key's metadata (`DescribeKey`).
    public func describeKey(_ keyID: String) async throws -> KeyMetadata {
        try await client.json(.kms, "DescribeKey", KeyIDInput(keyID: keyID), as: KeyMetadataOutput.self, region: region).keyMetadata
    }

    /// The key's `default` policy document (`GetKeyPolicy`).
    public func keyPolicy(_ keyID: String) async throws -> String {
        struct Input: Encodable {
            var keyID: String
            var policyName = "default"
            enum CodingKeys: String, CodingKey { case keyID = "KeyId", policyName = "PolicyName" }
        }
        struct Output: Decodable {
            var policy: String?
            enum CodingKeys: String, CodingKey { case policy = "Policy" }
        }
        return try await client.json(.kms, "GetKeyPolicy", Input(keyID: keyID), as: Output.self, region: region).policy ?? ""
    }

    /// Replaces the key's `default` policy (`PutKeyPolicy`).
    public func putKeyPolicy(_ keyID: String, policy: String) async throws {
        struct Input: Encodable {
            var keyID: String
            var policyName = "default"
            var policy: String
            enum CodingKeys: String, CodingKey { case keyID = "KeyId", policyName = "PolicyName", policy = "Policy" }
        }
        _ = try await client.json(.kms, "PutKeyPolicy", Input(keyID: keyID, policy: policy), as: AWSEmpty.self, region: region)
    }

    /// Whether automatic rotation is on (`GetKeyRotationStatus`).
    public func keyRotationEnabled(_ keyID: String) async throws -> Bool {
        struct Output: Decodable {
            var enabled: Bool?
            enum CodingKeys: String, CodingKey { case enabled = "KeyRotationEnabled" }
        }
        return try await client.json(.kms, "GetKeyRotationStatus", KeyIDInput(keyID: keyID), as: Output.self, region: region).enabled ?? false
    }

    /// Turns automatic rotation on or off (`EnableKeyRotation` / `DisableKeyRotation`).
    public func setKeyRotation(_ keyID: String, enabled: Bool) async throws {
        _ = try await client.json(.kms, enabled ? "EnableKeyRotation" : "DisableKeyRotation", KeyIDInput(keyID: keyID), as: AWSEmpty.self, region: region)
    }

    /// Sets the description (`UpdateKeyDescription`).
    public func updateKeyDescription(_ keyID: String, description: String) async throws {
        struct Input: Encodable {
            var keyID: String
            var description: String
            enum CodingKeys: String, CodingKey { case keyID = "KeyId", description = "Description" }
        }
        _ = try await client.json(.kms, "UpdateKeyDescription", Input(keyID: keyID, description: description), as: AWSEmpty.self, region: region)
    }

    /// The key's tags (`ListResourceTags`, every page).
    public func keyTags(_ keyID: String) async throws -> [Tag] {
        struct Input: Encodable {
            var keyID: String
            var marker: String?
            enum CodingKeys: String, CodingKey { case keyID = "KeyId", marker = "Marker" }
        }
        struct Output: Decodable {
            var tags: [Tag]?
            var nextMarker: String?
            var truncated: Bool?
            enum CodingKeys: String, CodingKey { case tags = "Tags", nextMarker = "NextMarker", truncated = "Truncated" }
        }
        return try await Paginator.collect({ marker in
            try await client.json(.kms, "ListResourceTags", Input(keyID: keyID, marker: marker), as: Output.self, region: region)
        }, items: { $0.tags ?? [] }, next: { $0.truncated == true ? $0.nextMarker : nil })
    }

    /// Adds or overwrites tags (`TagResource`).
    public func tagKey(_ keyID: String, tags: [Tag]) async throws {
        struct Input: Encodable {
            var keyID: String
            var tags: [Tag]
            enum CodingKeys: String, CodingKey { case keyID = "KeyId", tags = "Tags" }
        }
        _ = try await client.json(.kms, "TagResource", Input(keyID: keyID, tags: tags), as: AWSEmpty.self, region: region)
    }

    /// Removes tags (`UntagResource`).
    public func untagKey(_ keyID: String, keys: [String]) async throws {
        struct Input: Encodable {
            var keyID: String
            var tagKeys: [String]
            enum CodingKeys: String, CodingKey { case keyID = "KeyId", tagKeys = "TagKeys" }
        }
        _ = try await client.json(.kms, "UntagResource", Input(keyID: keyID, tagKeys: keys), as: AWSEmpty.self, region: region)
    }

    /// Schedules deletion after `days` (7–30) days (`ScheduleKeyDeletion`).
    public func scheduleKeyDeletion(_ keyID: String, days: Int) async throws {
        struct Input: Encodable {
            var keyID: String
            var days: Int
            enum CodingKeys: String, CodingKey { case keyID = "KeyId", days = "PendingWindowInDays" }
        }
        _ = try await client.json(.kms, "ScheduleKeyDeletion", Input(keyID: keyID, days: days), as: AWSEmpty.self, region: region)
    }

    /// Creates an alias (`CreateAlias`).
    public func createAlias(_ name: String, targetKeyID: String) async throws {
        try await aliasCall("CreateAlias", name, targetKeyID)
    }

    /// Points an alias at another key (`UpdateAlias`).
    public func updateAlias(_ name: String, targetKeyID: String) async throws {
        try await aliasCall("UpdateAlias", name, targetKeyID)
    }

    private func aliasCall(_ operation: String, _ name: String, _ target: String) async throws {
        struct Input: Encodable {
            var aliasName: String
            var targetKeyID: String
            enum CodingKeys: String, CodingKey { case aliasName = "AliasName", targetKeyID = "TargetKeyId" }
        }
        _ = try await client.json(.kms, operation, Input(aliasName: name, targetKeyID: target), as: AWSEmpty.self, region: region)
    }

    /// Deletes an alias (`DeleteAlias`).
    public func deleteAlias(_ name: String) async throws {
        struct Input: Encodable {
            var aliasName: String
            enum CodingKeys: String, CodingKey { case aliasName = "AliasName" }
        }
        _ = try await client.json(.kms, "DeleteAlias", Input(aliasName: name), as: AWSEmpty.self, region: region)
    }

    /// Every alias in the region (`ListAliases`, every page).
    public func listAliases() async throws -> [AliasEntry] {
        struct Input: Encodable {
            var marker: String?
            enum CodingKeys: String, CodingKey { case marker = "Marker" }
        }
        struct Output: Decodable {
            var aliases: [AliasEntry]?
            var nextMarker: String?
            var truncated: Bool?
            enum CodingKeys: String, CodingKey { case aliases = "Aliases", nextMarker = "NextMarker", truncated = "Truncated" }
        }
        return try await Paginator.collect({ marker in
            try await client.json(.kms, "ListAliases", Input(marker: marker), as: Output.self, region: region)
        }, items: { $0.aliases ?? [] }, next: { $0.truncated == true ? $0.nextMarker : nil })
    }
}
