import AWS
import Engine

extension IAM {
    /// An EC2 instance profile holding one role (`aws_iam_instance_profile`).
    ///
    /// ```swift
    /// let profile = stack.add(IAM.InstanceProfile("service", name: "storage-service", role: role.roleName))
    /// ```
    public struct InstanceProfile: Resource {
        public static let terraformType = "aws_iam_instance_profile"

        public var name: String
        /// The profile name as declared (1–128 characters: letters, digits, `+=,.@_-`). Changing
        /// it replaces the profile.
        public var declaredName: Text
        /// The path, `/` by default. Changing it replaces the profile.
        public var path: String
        /// The role it holds; changing it swaps the role in place.
        public var role: Text?
        public var dependsOn: [Address] = []

        /// Declares an instance profile.
        public init(_ name: String, name profileName: Text, path: String = "/", role: Text? = nil) {
            self.name = name
            self.declaredName = profileName
            self.path = path
            self.role = role
        }

        public var properties: [String: Engine.Expression] {
            var list = PropertyList()
            list.set(Self.property.declaredName, declaredName)
            list.set(Self.property.path, path)
            list.set(Self.property.role, expression: role?.expression ?? .value(.string("")))
            return list.values
        }

        /// The profile ARN.
        public var arn: Text { attribute("arn") }
        /// The profile name, as a reference.
        public var profileName: Text { attribute(Self.property.declaredName.name) }

        public static func makeType() -> any ResourceType { InstanceProfileType() }
    }
}

extension IAM.InstanceProfile {
    /// An instance profile's properties, each declared once.
    struct Properties: PropertySet {
        let declaredName = Property<String>("name", forcesReplacement: true)
        let path = Property<String>("path", forcesReplacement: true, default: "/")
        /// The role's name; empty for none.
        let role = Property<String>("role", default: "")
    }

    static let property = Properties()
}

/// Creates instance profiles and keeps their role.
struct InstanceProfileType: ResourceType {
    static let schema = ResourceSchema(IAM.InstanceProfile.self, IAM.InstanceProfile.Properties.self, attributes: [AttributeSchema("arn")],
                                       uniqueName: [IAM.InstanceProfile.property.declaredName])

    var schema: ResourceSchema { Self.schema }
    private var property: IAM.InstanceProfile.Properties { IAM.InstanceProfile.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        IAMRules.check(properties, property.declaredName, address: address) { IAMRules.nameProblem($0, maximum: 128) }
            + IAMRules.check(properties, property.path, address: address, IAMRules.pathProblem)
            // An empty role means "no role" (the property's default), not a bad name.
            + IAMRules.check(properties, property.role, address: address) { $0.isEmpty ? nil : IAMRules.nameProblem($0, maximum: 64) }
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let iam = try context.iam
        let name = properties[property.declaredName] ?? ""
        let profile = try await iam.createInstanceProfile(name: name, path: properties[property.path] ?? "/",
                                                          tags: TagRules.withIntent(nil, context))
        if let role = properties[property.role], !role.isEmpty {
            try await IAMRules.newEntity.run { try await iam.addRoleToInstanceProfile(name, role: role) }
        }
        return ResourceSnapshot(id: name, properties: properties, attributes: ["arn": .string(profile.arn)])
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, iam: try context.iam)
    }

    private func read(_ name: String, iam: AWS.IAM) async throws -> ResourceSnapshot? {
        try await iam.instanceProfile(name).map(snapshot)
    }

    /// The profile as `GetInstanceProfile` answered.
    private func snapshot(_ profile: AWS.IAM.InstanceProfileDetail) -> ResourceSnapshot {
        var properties: [String: Value] = [:]
        properties[property.declaredName] = profile.name
        properties[property.path] = profile.path
        properties[property.role] = profile.roles.first ?? ""
        return ResourceSnapshot(id: profile.name, properties: properties, attributes: ["arn": .string(profile.arn)])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let iam = try context.iam
        let name = current.id
        if changed.contains(property.role) {
            // The old role may already be out: deleting a role takes it out of its profiles.
            for held in try await iam.instanceProfile(name)?.roles ?? [] {
                try await iam.removeRoleFromInstanceProfile(name, role: held)
            }
            if let new = desired[property.role], !new.isEmpty {
                try await IAMRules.newEntity.run { try await iam.addRoleToInstanceProfile(name, role: new) }
            }
        }
        return try await read(name, iam: iam) ?? current
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let iam = try context.iam
        guard let profile = try await iam.instanceProfile(current.id) else { return }
        // A profile holding a role cannot be deleted (DeleteConflict).
        for role in profile.roles { try await iam.removeRoleFromInstanceProfile(profile.name, role: role) }
        _ = try await nilWhenMissing(.noSuchEntity) { try await iam.deleteInstanceProfile(profile.name) }
    }

    /// A profile is imported by its name (`instanceProfileNameType`), not its ARN.
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: IAMRules.nameCharacter + "{1,128}",
                             expected: "an instance profile is imported by its name (1 to 128 letters, digits and +=,.@_-)")
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, iam: try context.iam)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        // Only the profile the crashed create tagged: a same-named one of someone else's is not adopted.
        guard let name = properties[property.declaredName] else { return nil }
        let iam = try context.iam
        guard let profile = try await iam.instanceProfile(name), TagRules.carryIntent(profile.tags, of: context) else { return nil }
        return snapshot(profile)
    }
}

extension InstanceProfileType: AccessDeclaring {
    /// IAM actions per the Service Authorization Reference (AWS Identity and Access Management):
    /// adding a role to a profile passes it (`iam:PassRole`).
    static let access: ResourceAccess = {
        let profile = ARNPattern.arn("arn:{partition}:iam::{account}:instance-profile{path}{name}")
        let role = ARNPattern.arn("arn:{partition}:iam::{account}:role{role->path}{role}")
        return ResourceAccess([
            IAMCall(.iam, "CreateInstanceProfile", in: [.create], needs: ["iam:CreateInstanceProfile", "iam:TagInstanceProfile"], on: [profile]),
            IAMCall(.iam, "GetInstanceProfile", in: .readingBack.union([.delete]), on: [profile]),
            IAMCall(.iam, "AddRoleToInstanceProfile", in: .writing, on: [profile], alsoNeeds: [IAMGrant(["iam:PassRole"], on: [role])]),
            IAMCall(.iam, "RemoveRoleFromInstanceProfile", in: [.update, .delete], on: [profile]),
            IAMCall(.iam, "DeleteInstanceProfile", in: [.delete], on: [profile]),
        ])
    }()
}
