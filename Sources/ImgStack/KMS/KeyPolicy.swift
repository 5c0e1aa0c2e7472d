import AWS
import Engine

extension KMS {
    /// The policy of a KMS key, managed apart from the key (`aws_kms_key_policy`).
    ///
    /// ```swift
    /// stack.add(KMS.KeyPolicy("images", keyID: key.keyID, policy: PolicyDocument([...])))
    /// ```
    ///
    /// Use it when the policy names a resource that itself needs the key: a policy letting a
    /// CloudFront distribution decrypt objects of a bucket encrypted with the key cannot be
    /// given to `KMS.Key` (the distribution needs the bucket, the bucket needs the key), but
    /// this resource can come after all three. Leave `KMS.Key.policy` nil beside it.
    /// Destroying it puts KMS's default policy back (the account may use the key through IAM),
    /// unless the key is already pending deletion.
    public struct KeyPolicy: Resource {
        public static let terraformType = "aws_kms_key_policy"

        public var name: String
        /// The key: its id or ARN. Changing it replaces the resource.
        public var keyID: Text
        /// The policy. It must let the account administer the key, or KMS refuses it.
        public var policy: PolicyDocument
        public var dependsOn: [Address] = []

        /// Declares a key policy.
        /// - Parameters:
        ///   - name: the resource's name in the stack.
        ///   - keyID: the key's id or ARN, e.g. `key.keyID`.
        ///   - policy: the policy document.
        public init(_ name: String, keyID: Text, policy: PolicyDocument) {
            self.name = name
            self.keyID = keyID
            self.policy = policy
        }

        public var properties: [String: Engine.Expression] {
            var list = PropertyList()
            list.set(Self.property.keyID, keyID)
            list.set(Self.property.policy, policy)
            return list.values
        }

        public static func makeType() -> any ResourceType { KeyPolicyType() }
    }
}

extension KMS.KeyPolicy {
    /// A key policy's properties, each declared once.
    struct Properties: PropertySet {
        let keyID = Property<String>("keyID", terraform: "key_id", forcesReplacement: true)
        let policy = Property<Value>("policy", terraform: .json())
    }

    static let property = Properties()
}

/// Puts, reads and resets key policies. The id is the key id.
struct KeyPolicyType: ResourceType {
    static let schema = ResourceSchema(KMS.KeyPolicy.self, KMS.KeyPolicy.Properties.self)

    var schema: ResourceSchema { Self.schema }
    private var property: KMS.KeyPolicy.Properties { KMS.KeyPolicy.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        guard let policy = properties[property.policy] else { return [] }
        return PolicyNormalizer.issues(policy).map { ValidationIssue(address, property.policy, $0) }
    }

    func normalize(_ name: String, _ value: Value) -> Value {
        switch name {
        case property.policy.name: return PolicyNormalizer.normalize(value)
        case property.keyID.name: return .string(Self.keyID(value.stringValue ?? ""))
        default: return value
        }
    }

    /// Policies that differ only in the case of actions are the same (``PolicyNormalizer/equivalent(_:_:)``).
    func equivalent(_ name: String, _ lhs: Value, _ rhs: Value) -> Bool {
        name == property.policy.name ? PolicyNormalizer.equivalent(lhs, rhs) : lhs == rhs
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let keyID = Self.keyID(properties[property.keyID] ?? "")
        try await put(keyID, properties[property.policy], kms: try context.kms, context: context)
        return ResourceSnapshot(id: keyID, properties: recorded(properties))
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(recorded.id, kms: try context.kms)
    }

    func readForDestroy(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await recordedIfExists(recorded) { try await liveKey(recorded.id, kms: try context.kms) }
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        try await put(current.id, desired[property.policy], kms: try context.kms, context: context)
        return ResourceSnapshot(id: current.id, properties: recorded(desired))
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let kms = try context.kms
        guard let key = try await liveKey(current.id, kms: kms) else { return }
        // KMS's default key policy: the account (and so IAM policies) may use the key.
        let account = key.arn.split(separator: ":", omittingEmptySubsequences: false).dropFirst(4).first.map(String.init) ?? ""
        let partition = key.arn.split(separator: ":").dropFirst().first.map(String.init) ?? "aws"
        let defaultPolicy: Value = .map([
            "Version": "2012-10-17", "Id": "key-default-1",
            "Statement": .list([.map([
                "Sid": "Enable IAM User Permissions", "Effect": "Allow",
                "Principal": .map(["AWS": .string("arn:\(partition):iam::\(account):root")]),
                "Action": "kms:*", "Resource": "*",
            ])]),
        ])
        try await kms.putKeyPolicy(current.id, policy: defaultPolicy.canonicalJSON)
    }

    /// A key policy is imported by its key's id or ARN, as `kms.key` is.
    func validateImportID(_ id: String) -> String? {
        KeyType.importIDProblem(id)
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(Self.keyID(id), kms: try context.kms)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        // A put that may or may not have happened: nothing to adopt, it is simply made again.
        nil
    }

    /// `PutKeyPolicy`, waiting out principals IAM has not propagated yet.
    private func put(_ keyID: String, _ policy: Value?, kms: AWS.KMS, context: OperationContext) async throws {
        try await KMSRules.newPrincipals.run(context, reason: KMSRules.notPropagated) {
            try await kms.putKeyPolicy(keyID, policy: policy.map(PolicyNormalizer.text) ?? "{}")
        }
    }

    private func find(_ keyID: String, kms: AWS.KMS) async throws -> ResourceSnapshot? {
        guard try await liveKey(keyID, kms: kms) != nil else { return nil }
        let policy = try await kms.keyPolicy(keyID)
        var properties: [String: Value] = [:]
        properties[property.keyID] = keyID
        properties[property.policy] = PolicyNormalizer.normalize(.string(policy))
        return ResourceSnapshot(id: keyID, properties: properties)
    }

    /// The key, or nil when it is gone or scheduled for deletion (its policy then no longer matters).
    private func liveKey(_ keyID: String, kms: AWS.KMS) async throws -> AWS.KMS.KeyMetadata? {
        let key = try await nilWhenMissing(.notFoundException) { try await kms.describeKey(keyID) }
        return key?.keyState == "PendingDeletion" ? nil : key
    }

    private func recorded(_ properties: [String: Value]) -> [String: Value] {
        var recorded = properties
        if let policy = properties[property.policy] { recorded[property.policy] = PolicyNormalizer.normalize(policy) }
        if let key = properties[property.keyID] { recorded[property.keyID] = Self.keyID(key) }
        return recorded
    }

    /// A key id from an id or a key ARN (`arn:aws:kms:region:account:key/<id>`).
    static func keyID(_ text: String) -> String {
        guard text.hasPrefix("arn:"), let slash = text.lastIndex(of: "/") else { return text }
        return String(text[text.index(after: slash)...])
    }
}

extension KeyPolicyType: AccessDeclaring {
    /// KMS actions per the Service Authorization Reference (AWS KMS).
    static let access: ResourceAccess = {
        let key = ARNPattern.arn("arn:{partition}:kms:{region}:{account}:key/*")
        return ResourceAccess([
            IAMCall(.kms, "DescribeKey", in: .readingBack.union([.delete]), on: [key]),
            IAMCall(.kms, "GetKeyPolicy", in: .readingBack.union([.delete]), on: [key]),
            IAMCall(.kms, "PutKeyPolicy", in: [.create, .update, .delete], on: [key]),
        ])
    }()
}
