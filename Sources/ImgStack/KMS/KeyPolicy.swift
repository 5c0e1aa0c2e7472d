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
        public static let typeName = "kms.key_policy"

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
            list.set("keyID", keyID)
            list.set("policy", policy)
            return list.values
        }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { KeyPolicyType(aws: aws) }
    }
}

/// Puts, reads and resets key policies. The id is the key id.
struct KeyPolicyType: ResourceType {
    let aws: AWSClient

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: KMS.KeyPolicy.typeName, terraformType: "aws_kms_key_policy",
            properties: [PropertySchema("keyID", forcesReplacement: true), PropertySchema("policy")], attributes: [])
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        guard let policy = properties["policy"] else { return [] }
        return PolicyNormalizer.issues(policy).map { ValidationIssue(subject: address.description, property: "policy", message: $0) }
    }

    func normalize(_ property: String, _ value: Value) -> Value {
        switch property {
        case "policy": return PolicyNormalizer.normalize(value)
        case "keyID": return .string(Self.keyID(value.stringValue ?? ""))
        default: return value
        }
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let keyID = Self.keyID(properties["keyID"]?.stringValue ?? "")
        try await aws.kms.putKeyPolicy(keyID, policy: properties["policy"]?.canonicalJSON ?? "{}", region: context.region)
        return ResourceSnapshot(id: keyID, properties: recorded(properties))
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(recorded.id, context: context)
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        try await aws.kms.putKeyPolicy(current.id, policy: desired["policy"]?.canonicalJSON ?? "{}", region: context.region)
        return ResourceSnapshot(id: current.id, properties: recorded(desired))
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        guard let key = try await liveKey(current.id, context: context) else { return }
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
        try await aws.kms.putKeyPolicy(current.id, policy: defaultPolicy.canonicalJSON, region: context.region)
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(Self.keyID(id), context: context)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        // A put that may or may not have happened: nothing to adopt, it is simply made again.
        nil
    }

    private func find(_ keyID: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard try await liveKey(keyID, context: context) != nil else { return nil }
        let policy = try await aws.kms.keyPolicy(keyID, region: context.region)
        return ResourceSnapshot(id: keyID, properties: ["keyID": .string(keyID), "policy": PolicyNormalizer.normalize(.string(policy))])
    }

    /// The key, or nil when it is gone or scheduled for deletion (its policy then no longer matters).
    private func liveKey(_ keyID: String, context: OperationContext) async throws -> AWS.KMS.KeyMetadata? {
        do {
            let key = try await aws.kms.describeKey(keyID, region: context.region)
            return key.keyState == "PendingDeletion" ? nil : key
        } catch let error as AWSError where error.code == "NotFoundException" {
            return nil
        }
    }

    private func recorded(_ properties: [String: Value]) -> [String: Value] {
        var recorded = properties
        if let policy = properties["policy"] { recorded["policy"] = PolicyNormalizer.normalize(policy) }
        if let key = properties["keyID"]?.stringValue { recorded["keyID"] = .string(Self.keyID(key)) }
        return recorded
    }

    /// A key id from an id or a key ARN (`arn:aws:kms:region:account:key/<id>`).
    static func keyID(_ text: String) -> String {
        guard text.hasPrefix("arn:"), let slash = text.lastIndex(of: "/") else { return text }
        return String(text[text.index(after: slash)...])
    }
}
