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
        public static let terraformType = "aws_iam_role_policy_attachment"

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
            list.set(Self.property.role, role)
            list.set(Self.property.policyARN, policyARN)
            return list.values
        }

        public static func makeType() -> any ResourceType { RolePolicyAttachmentType() }
    }
}

extension IAM.RolePolicyAttachment {
    /// An attachment's properties, each declared once.
    struct Properties: PropertySet {
        let role = Property<String>("role", forcesReplacement: true)
        let policyARN = Property<String>("policyARN", forcesReplacement: true)
    }

    static let property = Properties()
}

/// Attaches and detaches managed policies.
struct RolePolicyAttachmentType: ResourceType {
    static let schema = ResourceSchema(IAM.RolePolicyAttachment.self, IAM.RolePolicyAttachment.Properties.self,
                                       uniqueName: [IAM.RolePolicyAttachment.property.role, IAM.RolePolicyAttachment.property.policyARN])

    var schema: ResourceSchema { Self.schema }
    private var property: IAM.RolePolicyAttachment.Properties { IAM.RolePolicyAttachment.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        IAMRules.check(properties, property.role, address: address) { IAMRules.nameProblem($0, maximum: 64) }
            + IAMRules.check(properties, property.policyARN, address: address) { arn in
                arn.hasPrefix("arn:") && arn.contains(":policy/") ? nil : "\"\(arn)\" is not a policy ARN (arn:aws:iam::ACCOUNT:policy/NAME)"
            }
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let iam = try context.iam
        let role = properties[property.role] ?? ""
        let arn = properties[property.policyARN] ?? ""
        try await IAMRules.newEntity.run { try await iam.attachRolePolicy(role: role, policyARN: arn) }
        return snapshot(role: role, arn: arn)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(role: recorded.properties[property.role] ?? "", arn: recorded.properties[property.policyARN] ?? "", iam: try context.iam)
    }

    private func find(role: String, arn: String, iam: AWS.IAM) async throws -> ResourceSnapshot? {
        guard let attached = try await nilWhenMissing(.noSuchEntity, call: { try await iam.attachedRolePolicies(role) }),
              attached.contains(arn) else { return nil }
        return snapshot(role: role, arn: arn)
    }

    private func snapshot(role: String, arn: String) -> ResourceSnapshot {
        var properties: [String: Value] = [:]
        properties[property.role] = role
        properties[property.policyARN] = arn
        return ResourceSnapshot(id: "\(role)/\(arn)", properties: properties)
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        current  // Every property forces replacement.
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let iam = try context.iam
        _ = try await nilWhenMissing(.noSuchEntity) {
            try await iam.detachRolePolicy(role: current.properties[property.role] ?? "", policyARN: current.properties[property.policyARN] ?? "")
        }
    }

    /// An attachment is imported as `<role name>/<policy ARN>`.
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: IAMRules.nameCharacter + "{1,64}/" + IAMRules.policyARNPattern,
                             expected: "a role policy attachment is imported as ROLE/POLICY_ARN (my-role/arn:aws:iam::ACCOUNT:policy/NAME)")
    }

    /// `ROLE/POLICY_ARN`.
    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let slash = id.firstIndex(of: "/") else { return nil }
        return try await find(role: String(id[..<slash]), arn: String(id[id.index(after: slash)...]), iam: try context.iam)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(role: properties[property.role] ?? "", arn: properties[property.policyARN] ?? "", iam: try context.iam)
    }
}

extension RolePolicyAttachmentType: AccessDeclaring {
    /// IAM actions per the Service Authorization Reference (AWS Identity and Access Management):
    /// granted on the role, by its name and, when the stack declares it, its path.
    static let access: ResourceAccess = {
        let role = ARNPattern.arn("arn:{partition}:iam::{account}:role{role->path}{role}")
        return ResourceAccess([
            IAMCall(.iam, "AttachRolePolicy", in: [.create], on: [role]),
            IAMCall(.iam, "ListAttachedRolePolicies", in: .readingBack, on: [role]),
            IAMCall(.iam, "DetachRolePolicy", in: [.delete], on: [role]),
        ])
    }()
}
