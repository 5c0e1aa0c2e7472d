import AWS
import Engine
import Foundation

extension KMS {
    /// A customer managed KMS key (`aws_kms_key`).
    ///
    /// ```swift
    /// let key = stack.add(KMS.Key("data", description: "Encrypts the image bucket", enableKeyRotation: true))
    /// ```
    ///
    /// Destroying a key schedules its deletion after `deletionWindowInDays` (KMS never deletes
    /// a key at once); the plan and the output say so.
    public struct Key: Resource {
        public static let typeName = "kms.key"

        public var name: String
        /// What the key is for (up to 8,192 characters).
        public var description: Text?
        /// The key policy. When nil, KMS's default policy (the account may use the key through
        /// IAM) is kept and not compared.
        public var policy: PolicyDocument?
        /// Rotate the key material every year.
        public var enableKeyRotation: Bool
        /// Days between `destroy` and the key's deletion: 7 to 30.
        public var deletionWindowInDays: Int
        /// `ENCRYPT_DECRYPT` (default), `SIGN_VERIFY`, `GENERATE_VERIFY_MAC`. Changing it replaces the key.
        public var keyUsage: String
        /// `SYMMETRIC_DEFAULT` (default), `RSA_2048`, `ECC_NIST_P256`, … Changing it replaces the key.
        public var keySpec: String
        /// Tags.
        public var tags: [String: Text]
        public var dependsOn: [Address] = []

        /// Declares a key.
        public init(_ name: String, description: Text? = nil, policy: PolicyDocument? = nil, enableKeyRotation: Bool = false,
                    deletionWindowInDays: Int = 30, keyUsage: String = "ENCRYPT_DECRYPT", keySpec: String = "SYMMETRIC_DEFAULT",
                    tags: [String: Text] = [:]) {
            self.name = name
            self.description = description
            self.policy = policy
            self.enableKeyRotation = enableKeyRotation
            self.deletionWindowInDays = deletionWindowInDays
            self.keyUsage = keyUsage
            self.keySpec = keySpec
            self.tags = tags
        }

        public var properties: [String: Engine.Expression] {
            var list = PropertyList()
            list.set("description", description)
            list.set("policy", policy)
            list.set("enableKeyRotation", enableKeyRotation)
            list.set("deletionWindowInDays", deletionWindowInDays)
            list.set("keyUsage", keyUsage)
            list.set("keySpec", keySpec)
            // No tags: left undeclared, so refresh does not list them.
            list.set("tags", tags.isEmpty ? nil : tags)
            return list.values
        }

        /// The key ARN.
        public var arn: Text { attribute("arn") }
        /// The key id (a UUID).
        public var keyID: Text { attribute("keyID") }
        /// The account that owns the key, e.g. for the account's root principal in a key policy.
        public var accountID: Text { attribute("accountID") }
        /// The key's partition (`aws`, `aws-cn`, `aws-us-gov`).
        public var partition: Text { attribute("partition") }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { KeyType(aws: aws) }
    }
}

/// Creates, reads, updates and schedules the deletion of KMS keys.
struct KeyType: ResourceType {
    let aws: AWSClient

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: KMS.Key.typeName, terraformType: "aws_kms_key",
            properties: [
                PropertySchema("description", default: ""),
                PropertySchema("policy"),
                PropertySchema("enableKeyRotation", default: false),
                PropertySchema("deletionWindowInDays", default: 30),
                PropertySchema("keyUsage", forcesReplacement: true, default: "ENCRYPT_DECRYPT"),
                PropertySchema("keySpec", forcesReplacement: true, default: "SYMMETRIC_DEFAULT"),
                PropertySchema("tags", default: .map([:])),
            ],
            attributes: [AttributeSchema("arn"), AttributeSchema("keyID"), AttributeSchema("accountID"), AttributeSchema("partition")])
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let days = properties["deletionWindowInDays"]?.literal?.intValue, !(7...30).contains(days) {
            issues.append(ValidationIssue(subject: address.description, property: "deletionWindowInDays",
                                          message: "must be 7 to 30 days, not \(days)"))
        }
        if let usage = properties["keyUsage"]?.literal?.stringValue, !Self.keyUsages.contains(usage) {
            issues.append(ValidationIssue(subject: address.description, property: "keyUsage",
                                          message: "\"\(usage)\" is not a key usage; use one of \(Self.keyUsages.joined(separator: ", "))"))
        }
        if let spec = properties["keySpec"]?.literal?.stringValue, !Self.keySpecs.contains(spec) {
            issues.append(ValidationIssue(subject: address.description, property: "keySpec",
                                          message: "\"\(spec)\" is not a key spec; use one of \(Self.keySpecs.joined(separator: ", "))"))
        }
        if let usage = properties["keyUsage"]?.literal?.stringValue, let spec = properties["keySpec"]?.literal?.stringValue {
            if let allowed = Self.usages(for: spec), Self.keyUsages.contains(usage), !allowed.contains(usage) {
                // CreateKey answers ValidationException for these combinations.
                issues.append(ValidationIssue(subject: address.description, property: "keyUsage",
                                              message: "a \(spec) key cannot be used for \(usage); use \(allowed.joined(separator: " or "))"))
            }
            if properties["enableKeyRotation"]?.literal == true, spec != "SYMMETRIC_DEFAULT" {
                // EnableKeyRotation answers UnsupportedOperationException for asymmetric and HMAC keys.
                issues.append(ValidationIssue(subject: address.description, property: "enableKeyRotation",
                                              message: "automatic rotation is only for SYMMETRIC_DEFAULT keys, not \(spec)"))
            }
        }
        if let description = properties["description"]?.literal?.stringValue, description.count > 8192 {
            issues.append(ValidationIssue(subject: address.description, property: "description",
                                          message: "must be at most 8192 characters, not \(description.count)"))
        }
        if let policy = properties["policy"] {
            for problem in PolicyNormalizer.issues(policy) {
                issues.append(ValidationIssue(subject: address.description, property: "policy", message: problem))
            }
        }
        for problem in TagRules.problems(properties["tags"]?.literal, limit: 50) {
            issues.append(ValidationIssue(subject: address.description, property: "tags", message: problem))
        }
        return issues
    }

    /// `KeyUsageType` in botocore's kms model.
    static let keyUsages = ["ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT"]

    /// `KeySpec` in botocore's kms model.
    static let keySpecs = ["SYMMETRIC_DEFAULT", "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521",
                           "ECC_SECG_P256K1", "ECC_NIST_EDWARDS25519", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "SM2",
                           "ML_DSA_44", "ML_DSA_65", "ML_DSA_87"]

    /// The usages KMS allows for a key spec (AWS KMS developer guide, "Key spec reference").
    static func usages(for spec: String) -> [String]? {
        switch spec {
        case "SYMMETRIC_DEFAULT": return ["ENCRYPT_DECRYPT"]
        case "RSA_2048", "RSA_3072", "RSA_4096": return ["ENCRYPT_DECRYPT", "SIGN_VERIFY"]
        case "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521": return ["SIGN_VERIFY", "KEY_AGREEMENT"]
        case "ECC_SECG_P256K1", "ECC_NIST_EDWARDS25519", "ML_DSA_44", "ML_DSA_65", "ML_DSA_87": return ["SIGN_VERIFY"]
        case "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512": return ["GENERATE_VERIFY_MAC"]
        case "SM2": return ["ENCRYPT_DECRYPT", "SIGN_VERIFY", "KEY_AGREEMENT"]
        default: return nil
        }
    }

    func normalize(_ property: String, _ value: Value) -> Value {
        property == "policy" ? PolicyNormalizer.normalize(value) : value
    }

    func deletionNote(_ properties: [String: Value]) -> String? {
        let days = properties["deletionWindowInDays"]?.intValue ?? 30
        return "KMS keys cannot be deleted at once: the key will be scheduled for deletion in \(days) days"
    }

    // MARK: - Create

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        var tags = Self.kmsTags(properties["tags"])
        // Keys have no name: the intent tag is how a crashed apply finds the key again.
        if let intent = context.intentID { tags.append(AWS.KMS.Tag(key: TagRules.reservedPrefix + "intent", value: intent)) }
        let metadata = try await aws.kms.createKey(
            description: properties["description"]?.stringValue, keyUsage: properties["keyUsage"]?.stringValue ?? "ENCRYPT_DECRYPT",
            keySpec: properties["keySpec"]?.stringValue ?? "SYMMETRIC_DEFAULT",
            policy: properties["policy"].map { $0.canonicalJSON }, tags: tags, region: context.region)
        if properties["enableKeyRotation"] == true {
            try await aws.kms.setKeyRotation(metadata.keyID, enabled: true, region: context.region)
        }
        var recorded = properties
        if let policy = properties["policy"] { recorded["policy"] = normalize("policy", policy) }
        return ResourceSnapshot(id: metadata.keyID, properties: recorded, attributes: Self.attributes(metadata))
    }

    // MARK: - Read

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, declared: Set(recorded.properties.keys), recorded: recorded.properties, region: context.region)
    }

    private func read(_ keyID: String, declared: Set<String>, recorded: [String: Value], region: String) async throws -> ResourceSnapshot? {
        let metadata: AWS.KMS.KeyMetadata
        do {
            metadata = try await aws.kms.describeKey(keyID, region: region)
        } catch let error as AWSError where error.code == "NotFoundException" {
            return nil
        }
        // A key scheduled for deletion is as good as gone: it cannot be used and will vanish.
        guard metadata.keyState != "PendingDeletion", metadata.keyState != "PendingReplicaDeletion" else { return nil }
        var properties: [String: Value] = [:]
        if declared.contains("description") { properties["description"] = .string(metadata.description ?? "") }
        if declared.contains("keyUsage") { properties["keyUsage"] = .string(metadata.keyUsage ?? "ENCRYPT_DECRYPT") }
        if declared.contains("keySpec") { properties["keySpec"] = .string(metadata.keySpec ?? "SYMMETRIC_DEFAULT") }
        if declared.contains("deletionWindowInDays") { properties["deletionWindowInDays"] = recorded["deletionWindowInDays"] ?? 30 }
        if declared.contains("policy") {
            properties["policy"] = normalize("policy", .string(try await aws.kms.keyPolicy(keyID, region: region)))
        }
        if declared.contains("enableKeyRotation") {
            properties["enableKeyRotation"] = .bool(try await aws.kms.keyRotationEnabled(keyID, region: region))
        }
        if declared.contains("tags") {
            let tags = try await aws.kms.keyTags(keyID, region: region)
            properties["tags"] = TagRules.visible(Dictionary(tags.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last }))
        }
        return ResourceSnapshot(id: metadata.keyID, properties: properties, attributes: Self.attributes(metadata))
    }

    // MARK: - Update

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let keyID = current.id
        let region = context.region
        for property in changed.sorted() {
            let value = desired[property] ?? .null
            switch property {
            case "description":
                try await aws.kms.updateKeyDescription(keyID, description: value.stringValue ?? "", region: region)
            case "policy":
                if value != .null { try await aws.kms.putKeyPolicy(keyID, policy: value.canonicalJSON, region: region) }
            case "enableKeyRotation":
                try await aws.kms.setKeyRotation(keyID, enabled: value == true, region: region)
            case "tags":
                let wanted = Self.kmsTags(value)
                let old = Set((current.properties["tags"]?.mapValue ?? [:]).keys)
                let removed = old.subtracting(wanted.map(\.key))
                if !removed.isEmpty { try await aws.kms.untagKey(keyID, keys: removed.sorted(), region: region) }
                if !wanted.isEmpty { try await aws.kms.tagKey(keyID, tags: wanted, region: region) }
            default:
                break  // deletionWindowInDays is imgstack's own: used at destroy.
            }
        }
        var properties = desired
        if let policy = desired["policy"] { properties["policy"] = normalize("policy", policy) }
        return ResourceSnapshot(id: keyID, properties: properties, attributes: current.attributes)
    }

    // MARK: - Delete, import, recovery

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let days = current.properties["deletionWindowInDays"]?.intValue ?? 30
        do {
            try await aws.kms.scheduleKeyDeletion(current.id, days: days, region: context.region)
        } catch let error as AWSError where error.code == "NotFoundException" {
            return
        } catch let error as AWSError where error.code == "KMSInvalidStateException" {
            // Already pending deletion: nothing more to do.
            return
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, declared: ["description", "policy", "enableKeyRotation", "keyUsage", "keySpec", "tags", "deletionWindowInDays"],
                       recorded: [:], region: context.region)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let intent = context.intentID else { return nil }
        for entry in try await aws.kms.listKeys(region: context.region) {
            let tags = try await aws.kms.keyTags(entry.keyID, region: context.region)
            if tags.contains(where: { $0.key == TagRules.reservedPrefix + "intent" && $0.value == intent }) {
                return try await read(entry.keyID, declared: Set(properties.keys), recorded: properties, region: context.region)
            }
        }
        return nil
    }

    // MARK: - Helpers

    static func kmsTags(_ value: Value?) -> [AWS.KMS.Tag] {
        (value?.mapValue ?? [:]).sorted { $0.key < $1.key }.compactMap { key, value in value.stringValue.map { AWS.KMS.Tag(key: key, value: $0) } }
    }

    static func attributes(_ metadata: AWS.KMS.KeyMetadata) -> [String: Value] {
        // arn:<partition>:kms:<region>:<account>:key/<id>
        let parts = metadata.arn.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        return ["arn": .string(metadata.arn), "keyID": .string(metadata.keyID),
                "accountID": parts.count > 4 ? .string(parts[4]) : .null, "partition": parts.count > 1 ? .string(parts[1]) : .null]
    }
}
