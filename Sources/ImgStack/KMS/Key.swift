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
        public static let terraformType = "aws_kms_key"

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
            let property = Self.property
            var list = PropertyList()
            list.set(property.description, description)
            list.set(property.policy, policy)
            list.set(property.enableKeyRotation, enableKeyRotation)
            list.set(property.deletionWindowInDays, deletionWindowInDays)
            list.set(property.keyUsage, keyUsage)
            list.set(property.keySpec, keySpec)
            // No tags: left undeclared, so refresh does not list them.
            list.set(property.tags, tags.isEmpty ? nil : tags)
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

        public static func makeType() -> any ResourceType { KeyType() }
    }
}

extension KMS.Key {
    /// A key's properties, each declared once.
    struct Properties: PropertySet {
        let description = Property<String>("description", default: "")
        let policy = Property<Value>("policy", terraform: .json())
        let enableKeyRotation = Property<Bool>("enableKeyRotation", default: false)
        /// imgstack's own: the window `ScheduleKeyDeletion` is given at destroy.
        let deletionWindowInDays = Property<Int>("deletionWindowInDays", default: 30, appliesAtDeletion: true)
        let keyUsage = Property<String>("keyUsage", forcesReplacement: true, default: "ENCRYPT_DECRYPT")
        let keySpec = Property<String>("keySpec", terraform: "customer_master_key_spec", forcesReplacement: true, default: "SYMMETRIC_DEFAULT")
        let tags = Property<[String: String]>("tags", default: [:])
    }

    static let property = Properties()
}

/// Creates, reads, updates and schedules the deletion of KMS keys.
struct KeyType: ResourceType {
    static let schema = ResourceSchema(
        KMS.Key.self, KMS.Key.Properties.self,
        attributes: [AttributeSchema("arn"), AttributeSchema("keyID"),
                     AttributeSchema("accountID", terraform: .none("taken from the key's ARN for policies")),
                     AttributeSchema("partition", terraform: .none("taken from the key's ARN for policies"))])

    var schema: ResourceSchema { Self.schema }
    private var property: KMS.Key.Properties { KMS.Key.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let days = properties.literal(property.deletionWindowInDays), !(7...30).contains(days) {
            issues.append(ValidationIssue(address, property.deletionWindowInDays, "must be 7 to 30 days, not \(days)"))
        }
        if let usage = properties.literal(property.keyUsage), !Self.keyUsages.contains(usage) {
            issues.append(ValidationIssue(address, property.keyUsage,
                                          "\"\(usage)\" is not a key usage; use one of \(Self.keyUsages.joined(separator: ", "))"))
        }
        if let spec = properties.literal(property.keySpec), !Self.keySpecs.contains(spec) {
            issues.append(ValidationIssue(address, property.keySpec,
                                          "\"\(spec)\" is not a key spec; use one of \(Self.keySpecs.joined(separator: ", "))"))
        }
        if let usage = properties.literal(property.keyUsage), let spec = properties.literal(property.keySpec) {
            if let allowed = Self.usages(for: spec), Self.keyUsages.contains(usage), !allowed.contains(usage) {
                // CreateKey answers ValidationException for these combinations.
                issues.append(ValidationIssue(address, property.keyUsage,
                                              "a \(spec) key cannot be used for \(usage); use \(allowed.joined(separator: " or "))"))
            }
            if properties.literal(property.enableKeyRotation) == true, spec != "SYMMETRIC_DEFAULT" {
                // EnableKeyRotation answers UnsupportedOperationException for asymmetric and HMAC keys.
                issues.append(ValidationIssue(address, property.enableKeyRotation,
                                              "automatic rotation is only for SYMMETRIC_DEFAULT keys, not \(spec)"))
            }
        }
        if let description = properties.literal(property.description), description.count > 8192 {
            issues.append(ValidationIssue(address, property.description, "must be at most 8192 characters, not \(description.count)"))
        }
        if let policy = properties[property.policy] {
            for problem in PolicyNormalizer.issues(policy) {
                issues.append(ValidationIssue(address, property.policy, problem))
            }
        }
        for problem in TagRules.problems(properties[property.tags]?.literal, limit: 49) {
            issues.append(ValidationIssue(address, property.tags, problem))
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

    func normalize(_ name: String, _ value: Value) -> Value {
        name == property.policy.name ? PolicyNormalizer.normalize(value) : value
    }

    /// Policies that differ only in the case of actions are the same (``PolicyNormalizer/equivalent(_:_:)``).
    func equivalent(_ name: String, _ lhs: Value, _ rhs: Value) -> Bool {
        name == property.policy.name ? PolicyNormalizer.equivalent(lhs, rhs) : lhs == rhs
    }

    func deletionNote(_ properties: [String: Value]) -> String? {
        let days = properties.value(property.deletionWindowInDays) ?? 30
        return "KMS keys cannot be deleted at once: the key will be scheduled for deletion in \(days) days"
    }

    // MARK: - Create

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let kms = try context.kms
        var tags = Self.kmsTags(properties[property.tags])
        // Keys have no name: the intent tag is how a crashed apply finds the key again.
        if let intent = context.intentID { tags.append(AWS.KMS.Tag(key: TagRules.intentKey, value: intent)) }
        // A refused CreateKey creates nothing, so it is safe to send again.
        let metadata = try await KMSRules.newPrincipals.run(context, reason: KMSRules.notPropagated) {
            try await kms.createKey(
                description: properties[property.description], keyUsage: properties.value(property.keyUsage) ?? "ENCRYPT_DECRYPT",
                keySpec: properties.value(property.keySpec) ?? "SYMMETRIC_DEFAULT",
                policy: properties[property.policy].map(PolicyNormalizer.text), tags: tags)
        }
        if properties[property.enableKeyRotation] == true {
            try await kms.setKeyRotation(metadata.keyID, enabled: true)
        }
        var recorded = properties
        if let policy = properties[property.policy] { recorded[property.policy] = normalize(property.policy.name, policy) }
        return ResourceSnapshot(id: metadata.keyID, properties: recorded, attributes: Self.attributes(metadata))
    }

    // MARK: - Read

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, declared: Set(recorded.properties.keys), recorded: recorded.properties, kms: try context.kms)
    }

    func readForDestroy(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await recordedIfExists(recorded) { try await read(recorded.id, declared: [], recorded: [:], kms: try context.kms) }
    }

    private func read(_ keyID: String, declared: Set<String>, recorded: [String: Value], kms: AWS.KMS) async throws -> ResourceSnapshot? {
        // The policy, the rotation and the tags are read by the key's id, at once and alongside
        // the key itself.
        let groups = [property.policy.name, property.enableKeyRotation.name, property.tags.name].filter { declared.contains($0) }
        guard let (metadata, answers) = try await ConcurrentReads.alongside(
            { try await nilWhenMissing(.notFoundException, call: { try await kms.describeKey(keyID) }).flatMap(Self.notScheduledForDeletion) },
            { try await readGroups(groups, keyID: keyID, kms: kms) }) else { return nil }
        var properties: [String: Value] = [:]
        if declared.contains(property.description) { properties[property.description] = metadata.description ?? "" }
        if declared.contains(property.keyUsage) { properties[property.keyUsage] = metadata.keyUsage ?? "ENCRYPT_DECRYPT" }
        if declared.contains(property.keySpec) { properties[property.keySpec] = metadata.keySpec ?? "SYMMETRIC_DEFAULT" }
        if declared.contains(property.deletionWindowInDays) {
            properties[property.deletionWindowInDays] = recorded[property.deletionWindowInDays] ?? 30
        }
        properties.merge(answers) { _, answer in answer }
        return ResourceSnapshot(id: metadata.keyID, properties: properties, attributes: Self.attributes(metadata))
    }

    /// The key, unless it is scheduled for deletion: then it is as good as gone (it cannot be used
    /// and will vanish).
    private static func notScheduledForDeletion(_ metadata: AWS.KMS.KeyMetadata) -> AWS.KMS.KeyMetadata? {
        metadata.keyState == "PendingDeletion" || metadata.keyState == "PendingReplicaDeletion" ? nil : metadata
    }

    /// The named groups (`policy`, `enableKeyRotation`, `tags`), one call each, all at once.
    private func readGroups(_ groups: [String], keyID: String, kms: AWS.KMS) async throws -> [String: Value] {
        try await ConcurrentReads.map(groups) { group -> Value in
            switch group {
            case property.policy.name:
                return normalize(property.policy.name, .string(try await kms.keyPolicy(keyID)))
            case property.enableKeyRotation.name:
                return .bool(try await kms.keyRotationEnabled(keyID))
            default:
                let tags = try await kms.keyTags(keyID)
                return TagRules.visible(Dictionary(tags.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last }))
            }
        }
    }

    // MARK: - Update

    /// Puts a changed key policy first: the new policy may be what lets the deployer make the
    /// key's other calls, which the old one refused (terraform-provider-aws issues 44422 and
    /// 44685: `UpdateKeyDescription` denied, "no resource-based policy allows"). Then writes the
    /// description, the rotation and the tags at once: independent calls on the key, none of which
    /// lists a conflict refusal. Inside the tags, untag goes before tag.
    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let keyID = current.id
        let kms = try context.kms
        if changed.contains(property.policy), let policy = desired[property.policy] {
            try await KMSRules.newPrincipals.run(context, reason: KMSRules.notPropagated) {
                try await kms.putKeyPolicy(keyID, policy: PolicyNormalizer.text(policy))
            }
        }
        var parts: [@Sendable () async throws -> Void] = []
        if changed.contains(property.description) {
            parts.append { try await kms.updateKeyDescription(keyID, description: desired[property.description] ?? "") }
        }
        if changed.contains(property.enableKeyRotation) {
            parts.append { try await kms.setKeyRotation(keyID, enabled: desired[property.enableKeyRotation] == true) }
        }
        if changed.contains(property.tags) {
            parts.append {
                let wanted = Self.kmsTags(desired[property.tags])
                let old = Set((current.properties[property.tags] ?? [:]).keys)
                let removed = old.subtracting(wanted.map(\.key))
                if !removed.isEmpty { try await kms.untagKey(keyID, keys: removed.sorted()) }
                if !wanted.isEmpty { try await kms.tagKey(keyID, tags: wanted) }
            }
        }
        try await ConcurrentWrites.all(parts)
        // deletionWindowInDays is imgstack's own: used at destroy.
        var properties = desired
        if let policy = desired[property.policy] { properties[property.policy] = normalize(property.policy.name, policy) }
        return ResourceSnapshot(id: keyID, properties: properties, attributes: current.attributes)
    }

    // MARK: - Delete, import, recovery

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let days = current.properties.value(property.deletionWindowInDays) ?? 30
        let kms = try context.kms
        // Already gone, or already pending deletion (KMSInvalidStateException): nothing more to do.
        _ = try await nilWhenMissing(.notFoundException, .kmsInvalidStateException) {
            try await kms.scheduleKeyDeletion(current.id, days: days)
        }
    }

    /// A key is imported by its key id (a UUID, or `mrk-` and 32 hex digits for a multi-Region
    /// key) or its ARN (`arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID`), as DescribeKey's `KeyId`
    /// takes it; an alias names no key to import (import the alias as `kms.alias`).
    func validateImportID(_ id: String) -> String? {
        Self.importIDProblem(id)
    }

    /// Why `id` names no KMS key (neither a key id nor a key ARN), nil when it may.
    static func importIDProblem(_ id: String) -> String? {
        // A pattern rather than `UUID(uuidString:)`, which ignores a NUL and whatever follows it.
        let keyID = "(" + ImportIDForm.uuid + "|mrk-[0-9a-fA-F]{32})"
        if id.hasPrefix("arn:") {
            return ImportIDForm.matches(id, ImportIDForm.arn("kms", resource: "key/" + keyID))
                ? nil : "\(id.debugDescription) is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID)"
        }
        return ImportIDForm.matches(id, keyID)
            ? nil : "\(id.debugDescription) is neither a KMS key id (a UUID such as 1234abcd-12ab-34cd-56ef-1234567890ab) nor a key ARN"
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, declared: KMS.Key.Properties.names, recorded: [:], kms: try context.kms)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let intent = context.intentID else { return nil }
        let kms = try context.kms
        for entry in try await kms.listKeys() {
            let tags = try await kms.keyTags(entry.keyID)
            if tags.contains(where: { $0.key == TagRules.intentKey && $0.value == intent }) {
                return try await read(entry.keyID, declared: Set(properties.keys), recorded: properties, kms: kms)
            }
        }
        return nil
    }

    // MARK: - Helpers

    static func kmsTags(_ tags: [String: String]?) -> [AWS.KMS.Tag] {
        (tags ?? [:]).sorted { $0.key < $1.key }.map { AWS.KMS.Tag(key: $0.key, value: $0.value) }
    }

    static func attributes(_ metadata: AWS.KMS.KeyMetadata) -> [String: Value] {
        // arn:<partition>:kms:<region>:<account>:key/<id>
        let parts = metadata.arn.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        return ["arn": .string(metadata.arn), "keyID": .string(metadata.keyID),
                "accountID": parts.count > 4 ? .string(parts[4]) : .null, "partition": parts.count > 1 ? .string(parts[1]) : .null]
    }
}

extension KeyType: AccessDeclaring {
    /// KMS actions per the Service Authorization Reference (AWS KMS). Tags on `CreateKey` need
    /// `kms:TagResource` "in an IAM policy that isn't restricted to particular KMS keys" (AWS KMS
    /// Developer Guide, "Controlling access to tags"): every key of the account and Region.
    static let access: ResourceAccess = {
        let key = ARNPattern.arn("arn:{partition}:kms:{region}:{account}:key/*")
        return ResourceAccess([
            IAMCall(.kms, "CreateKey", in: [.create], on: [.anyResource(reason: "kms:CreateKey takes no resource: the key does not exist yet")],
                    alsoNeeds: [IAMGrant(["kms:TagResource"], on: [key])]),
            IAMCall(.kms, "ListKeys", in: [.create, .settle], on: [.anyResource(reason: "kms:ListKeys takes no resource; a crashed create is found among the account's keys")]),
            IAMCall(.kms, "DescribeKey", in: .readingBack.union([.delete]), on: [key]),
            IAMCall(.kms, "GetKeyPolicy", in: .readingBack, on: [key]),
            // The policy goes with CreateKey; PutKeyPolicy changes one the stack declares.
            IAMCall(.kms, "PutKeyPolicy", in: .writing, on: [key], when: .anySet(["policy"])),
            IAMCall(.kms, "GetKeyRotationStatus", in: .readingBack, on: [key]),
            IAMCall(.kms, "EnableKeyRotation", in: .writing, on: [key]),
            IAMCall(.kms, "DisableKeyRotation", in: .writing, on: [key]),
            IAMCall(.kms, "UpdateKeyDescription", in: .writing, on: [key]),
            IAMCall(.kms, "ListResourceTags", in: .readingBack, on: [key]),
            IAMCall(.kms, "TagResource", in: .writing, on: [key]),
            IAMCall(.kms, "UntagResource", in: .writing, on: [key]),
            IAMCall(.kms, "ScheduleKeyDeletion", in: [.delete], on: [key]),
        ])
    }()
}
