import AWS
import Engine

extension IAM {
    /// A managed policy attached to a role (`aws_iam_role_policy_attachment`). Both sides
    /// force replacement; the id is `ROLE/POLICY_ARN`.
    ///
    /// ```swift
    /// stack.add(IAM.RolePolicyAttachment("read", role: role.roleName, policyARN: read.arn))
    /// ```
    public struct RolePolicyAttachment: Resource {
        public static let typeName = "iam.role_policy_attachment"

        public var name: String
        /// The role's name.
        public var role: Text
        /// The policy's ARN (a customer managed policy or an AWS managed one such as
        /// `arn:aws:iam::aws:policy/ReadOnlyAccess`).
        public var policyARN: Text
        public var dependsOn: [Address] = []

        /// Declares an attachment.
        public init(_ name: String, role: Text, policyARN: Text) {
            self.name = name
            self.role = role
            self.policyARN = policyARN
        }

        public var properties: [String: Engine.Expression] {
            var list = PropertyList()
            list.set("role", role)
            list.set("policyARN", policyARN)
            return list.values
        }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { RolePolicyAttachmentType(aws: aws) }
    }
}

/// Attaches and detaches managed policies.
struct RolePolicyAttachmentType: ResourceType {
    let aws: AWSClient

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: IAM.RolePolicyAttachment.typeName, terraformType: "aws_iam_role_policy_attachment",
            properties: [PropertySchema("role", forcesReplacement: true), PropertySchema("policyARN", forcesReplacement: true)],
            attributes: [],
            uniqueNameProperties: ["role", "policyARN"])
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        IAMRules.check(properties, "role", address: address) { IAMRules.nameProblem($0, maximum: 64) }
            + IAMRules.check(properties, "policyARN", address: address) { arn in
                arn.hasPrefix("arn:") && arn.contains(":policy/") ? nil : "\"\(arn)\" is not a policy ARN (arn:aws:iam::ACCOUNT:policy/NAME)"
            }
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let role = properties["role"]?.stringValue ?? ""
        let arn = properties["policyARN"]?.stringValue ?? ""
        try await IAMRules.retryingNewEntity { try await aws.iam.attachRolePolicy(role: role, policyARN: arn) }
        return ResourceSnapshot(id: "\(role)/\(arn)", properties: ["role": .string(role), "policyARN": .string(arn)])
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(role: recorded.properties["role"]?.stringValue ?? "", arn: recorded.properties["policyARN"]?.stringValue ?? "")
    }

    private func find(role: String, arn: String) async throws -> ResourceSnapshot? {
        let attached: [String]
        do {
            attached = try await aws.iam.attachedRolePolicies(role)
        } catch let error as AWSError where error.code == "NoSuchEntity" {
            return nil
        }
        guard attached.contains(arn) else { return nil }
        return ResourceSnapshot(id: "\(role)/\(arn)", properties: ["role": .string(role), "policyARN": .string(arn)])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        current  // Every property forces replacement.
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        do {
            try await aws.iam.detachRolePolicy(role: current.properties["role"]?.stringValue ?? "",
                                               policyARN: current.properties["policyARN"]?.stringValue ?? "")
        } catch let error as AWSError where error.code == "NoSuchEntity" {
            return
        }
    }

    /// `ROLE/POLICY_ARN`.
    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let slash = id.firstIndex(of: "/") else { return nil }
        return try await find(role: String(id[..<slash]), arn: String(id[id.index(after: slash)...]))
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(role: properties["role"]?.stringValue ?? "", arn: properties["policyARN"]?.stringValue ?? "")
    }
}
