import AWS
import Engine

extension IAM {
    /// An EC2 instance profile holding one role (`aws_iam_instance_profile`).
    ///
    /// ```swift
    /// let profile = stack.add(IAM.InstanceProfile("service", name: "storage-service", role: role.roleName))
    /// ```
    public struct InstanceProfile: Resource {
        public static let typeName = "iam.instance_profile"

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
            list.set("name", declaredName)
            list.set("path", path)
            list.set("role", expression: role?.expression ?? .value(.string("")))
            return list.values
        }

        /// The profile ARN.
        public var arn: Text { attribute("arn") }
        /// The profile name, as a reference.
        public var profileName: Text { attribute("name") }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { InstanceProfileType(aws: aws) }
    }
}

/// Creates instance profiles and keeps their role.
struct InstanceProfileType: ResourceType {
    let aws: AWSClient

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: IAM.InstanceProfile.typeName, terraformType: "aws_iam_instance_profile",
            properties: [
                PropertySchema("name", forcesReplacement: true),
                PropertySchema("path", forcesReplacement: true, default: "/"),
                PropertySchema("role", default: ""),
            ],
            attributes: [AttributeSchema("arn")],
            uniqueNameProperty: "name")
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        IAMRules.check(properties, "name", address: address) { IAMRules.nameProblem($0, maximum: 128) }
            + IAMRules.check(properties, "path", address: address, IAMRules.pathProblem)
            // An empty role means "no role" (the property's default), not a bad name.
            + IAMRules.check(properties, "role", address: address) { $0.isEmpty ? nil : IAMRules.nameProblem($0, maximum: 64) }
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let name = properties["name"]?.stringValue ?? ""
        let profile = try await aws.iam.createInstanceProfile(name: name, path: properties["path"]?.stringValue ?? "/")
        if let role = properties["role"]?.stringValue, !role.isEmpty {
            try await IAMRules.retryingNewEntity { try await aws.iam.addRoleToInstanceProfile(name, role: role) }
        }
        return ResourceSnapshot(id: name, properties: properties, attributes: ["arn": .string(profile.arn)])
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id)
    }

    private func read(_ name: String) async throws -> ResourceSnapshot? {
        guard let profile = try await aws.iam.instanceProfile(name) else { return nil }
        return ResourceSnapshot(id: profile.name,
                                properties: ["name": .string(profile.name), "path": .string(profile.path), "role": .string(profile.roles.first ?? "")],
                                attributes: ["arn": .string(profile.arn)])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let name = current.id
        if changed.contains("role") {
            // The old role may already be out: deleting a role takes it out of its profiles.
            for held in try await aws.iam.instanceProfile(name)?.roles ?? [] {
                try await aws.iam.removeRoleFromInstanceProfile(name, role: held)
            }
            if let new = desired["role"]?.stringValue, !new.isEmpty {
                try await IAMRules.retryingNewEntity { try await aws.iam.addRoleToInstanceProfile(name, role: new) }
            }
        }
        return try await read(name) ?? current
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        guard let profile = try await aws.iam.instanceProfile(current.id) else { return }
        // A profile holding a role cannot be deleted (DeleteConflict).
        for role in profile.roles { try await aws.iam.removeRoleFromInstanceProfile(profile.name, role: role) }
        do {
            try await aws.iam.deleteInstanceProfile(profile.name)
        } catch let error as AWSError where error.code == "NoSuchEntity" {
            return
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let name = properties["name"]?.stringValue else { return nil }
        return try await read(name)
    }
}
