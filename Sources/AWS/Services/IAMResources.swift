import Foundation

// IAM role, policy, instance profile and OIDC provider operations (botocore `iam` 2010-05-08).
extension IAM {
    /// A role as `GetRole` returns it.
    public struct RoleDetail: Sendable, Equatable {
        /// The role name.
        public var name: String
        /// The role ARN.
        public var arn: String
        /// The stable id.
        public var roleID: String
        /// The path.
        public var path: String
        /// The trust policy, URL-decoded JSON.
        public var assumeRolePolicy: String
        /// The description, empty when none.
        public var description: String
        /// Longest session in seconds.
        public var maxSessionDuration: Int
        /// Tags.
        public var tags: [String: String]
    }

    /// A managed policy as `GetPolicy` returns it.
    public struct PolicyDetail: Sendable, Equatable {
        /// The policy name.
        public var name: String
        /// The policy ARN.
        public var arn: String
        /// The path.
        public var path: String
        /// The description, empty when none.
        public var description: String
        /// The default version id (`v1`, …).
        public var defaultVersionID: String
        /// Tags.
        public var tags: [String: String]
    }

    /// A version of a managed policy.
    public struct PolicyVersion: Sendable, Equatable {
        /// `v1`, `v2`, …
        public var id: String
        /// Whether it is the default version.
        public var isDefault: Bool
        /// When it was created.
        public var createDate: Date?
    }

    /// An OpenID Connect provider as `GetOpenIDConnectProvider` returns it.
    public struct OIDCProviderDetail: Sendable, Equatable {
        /// The issuer URL without `https://`.
        public var url: String
        /// The audiences.
        public var clientIDs: [String]
        /// Server certificate thumbprints.
        public var thumbprints: [String]
        /// Tags.
        public var tags: [String: String]
    }

    /// An instance profile as `GetInstanceProfile` returns it.
    public struct InstanceProfileDetail: Sendable, Equatable {
        /// The name.
        public var name: String
        /// The ARN.
        public var arn: String
        /// The path.
        public var path: String
        /// The names of its roles (at most one).
        public var roles: [String]
        /// Its tags.
        public var tags: [String: String] = [:]
    }

    // MARK: - Roles

    /// Creates a role (`CreateRole`).
    public func createRole(name: String, path: String, assumeRolePolicy: String, description: String?, maxSessionDuration: Int,
                           tags: [String: String]) async throws -> RoleDetail {
        var parameters: QueryParameters = ["RoleName": name, "Path": path, "AssumeRolePolicyDocument": assumeRolePolicy,
                                           "MaxSessionDuration": String(maxSessionDuration)]
        if let description, !description.isEmpty { parameters["Description"] = description }
        Self.addTags(tags, to: &parameters)
        return Self.role(try await client.query(.iam, "CreateRole", parameters, region: region).path("Role") ?? XMLNode("Role"))
    }

    /// The role, or nil when there is none (`GetRole`, `NoSuchEntity`).
    public func role(_ name: String) async throws -> RoleDetail? {
        try await nilWhenMissing(.noSuchEntity) {
            Self.role(try await client.query(.iam, "GetRole", ["RoleName": name], region: region).path("Role") ?? XMLNode("Role"))
        }
    }

    /// Replaces the trust policy (`UpdateAssumeRolePolicy`).
    public func updateAssumeRolePolicy(role: String, policy: String) async throws {
        _ = try await client.query(.iam, "UpdateAssumeRolePolicy", ["RoleName": role, "PolicyDocument": policy], region: region)
    }

    /// Sets description and maximum session duration (`UpdateRole`).
    public func updateRole(_ name: String, description: String, maxSessionDuration: Int) async throws {
        _ = try await client.query(.iam, "UpdateRole", ["RoleName": name, "Description": description,
                                                         "MaxSessionDuration": String(maxSessionDuration)], region: region)
    }

    /// Deletes a role (`DeleteRole`); it must have no policies or instance profiles left.
    public func deleteRole(_ name: String) async throws {
        _ = try await client.query(.iam, "DeleteRole", ["RoleName": name], region: region)
    }

    /// Adds or overwrites role tags (`TagRole`).
    public func tagRole(_ name: String, tags: [String: String]) async throws {
        var parameters: QueryParameters = ["RoleName": name]
        Self.addTags(tags, to: &parameters)
        _ = try await client.query(.iam, "TagRole", parameters, region: region)
    }

    /// Removes role tags (`UntagRole`).
    public func untagRole(_ name: String, keys: [String]) async throws {
        var parameters: QueryParameters = ["RoleName": name]
        parameters.addList("TagKeys", keys)
        _ = try await client.query(.iam, "UntagRole", parameters, region: region)
    }

    /// The names of the role's inline policies (`ListRolePolicies`).
    public func rolePolicyNames(_ role: String) async throws -> [String] {
        try await allPages("ListRolePolicies", ["RoleName": role]) { $0.list("PolicyNames").map(\.text) }
    }

    /// An inline policy's document, URL-decoded (`GetRolePolicy`).
    public func rolePolicy(role: String, name: String) async throws -> String {
        let encoded = try await client.query(.iam, "GetRolePolicy", ["RoleName": role, "PolicyName": name], region: region).string("PolicyDocument") ?? ""
        return encoded.removingPercentEncoding ?? encoded
    }

    /// Creates or replaces an inline policy (`PutRolePolicy`).
    public func putRolePolicy(role: String, name: String, document: String) async throws {
        _ = try await client.query(.iam, "PutRolePolicy", ["RoleName": role, "PolicyName": name, "PolicyDocument": document], region: region)
    }

    /// Deletes an inline policy (`DeleteRolePolicy`).
    public func deleteRolePolicy(role: String, name: String) async throws {
        _ = try await client.query(.iam, "DeleteRolePolicy", ["RoleName": role, "PolicyName": name], region: region)
    }

    /// The ARNs of the managed policies attached to a role (`ListAttachedRolePolicies`).
    public func attachedRolePolicies(_ role: String) async throws -> [String] {
        try await allPages("ListAttachedRolePolicies", ["RoleName": role]) { $0.list("AttachedPolicies").compactMap { $0.string("PolicyArn") } }
    }

    /// Attaches a managed policy (`AttachRolePolicy`).
    public func attachRolePolicy(role: String, policyARN: String) async throws {
        _ = try await client.query(.iam, "AttachRolePolicy", ["RoleName": role, "PolicyArn": policyARN], region: region)
    }

    /// Detaches a managed policy (`DetachRolePolicy`).
    public func detachRolePolicy(role: String, policyARN: String) async throws {
        _ = try await client.query(.iam, "DetachRolePolicy", ["RoleName": role, "PolicyArn": policyARN], region: region)
    }

    /// The names of the instance profiles holding a role (`ListInstanceProfilesForRole`).
    public func instanceProfilesForRole(_ role: String) async throws -> [String] {
        try await allPages("ListInstanceProfilesForRole", ["RoleName": role]) { $0.list("InstanceProfiles").compactMap { $0.string("InstanceProfileName") } }
    }

    // MARK: - Managed policies

    /// Creates a managed policy (`CreatePolicy`).
    public func createPolicy(name: String, path: String, document: String, description: String?, tags: [String: String]) async throws -> PolicyDetail {
        var parameters: QueryParameters = ["PolicyName": name, "Path": path, "PolicyDocument": document]
        if let description, !description.isEmpty { parameters["Description"] = description }
        Self.addTags(tags, to: &parameters)
        return Self.policy(try await client.query(.iam, "CreatePolicy", parameters, region: region).path("Policy") ?? XMLNode("Policy"))
    }

    /// The policy, or nil when there is none (`GetPolicy`).
    public func policy(_ arn: String) async throws -> PolicyDetail? {
        try await nilWhenMissing(.noSuchEntity) {
            Self.policy(try await client.query(.iam, "GetPolicy", ["PolicyArn": arn], region: region).path("Policy") ?? XMLNode("Policy"))
        }
    }

    /// A policy version's document, URL-decoded (`GetPolicyVersion`).
    public func policyDocument(_ arn: String, version: String) async throws -> String {
        let encoded = try await client.query(.iam, "GetPolicyVersion", ["PolicyArn": arn, "VersionId": version], region: region).string("PolicyVersion/Document") ?? ""
        return encoded.removingPercentEncoding ?? encoded
    }

    /// The policy's versions (`ListPolicyVersions`).
    public func policyVersions(_ arn: String) async throws -> [PolicyVersion] {
        try await client.query(.iam, "ListPolicyVersions", ["PolicyArn": arn], region: region).list("Versions").map {
            PolicyVersion(id: $0.string("VersionId") ?? "", isDefault: $0.string("IsDefaultVersion") == "true",
                          createDate: AWSTimestamp.parse($0.string("CreateDate")))
        }
    }

    /// Adds a version and makes it the default (`CreatePolicyVersion`).
    public func createPolicyVersion(_ arn: String, document: String) async throws {
        _ = try await client.query(.iam, "CreatePolicyVersion", ["PolicyArn": arn, "PolicyDocument": document, "SetAsDefault": "true"], region: region)
    }

    /// Deletes a non-default version (`DeletePolicyVersion`).
    public func deletePolicyVersion(_ arn: String, version: String) async throws {
        _ = try await client.query(.iam, "DeletePolicyVersion", ["PolicyArn": arn, "VersionId": version], region: region)
    }

    /// Deletes a managed policy (`DeletePolicy`); it must have only its default version and no attachments.
    public func deletePolicy(_ arn: String) async throws {
        _ = try await client.query(.iam, "DeletePolicy", ["PolicyArn": arn], region: region)
    }

    /// Adds or overwrites policy tags (`TagPolicy`).
    public func tagPolicy(_ arn: String, tags: [String: String]) async throws {
        var parameters: QueryParameters = ["PolicyArn": arn]
        Self.addTags(tags, to: &parameters)
        _ = try await client.query(.iam, "TagPolicy", parameters, region: region)
    }

    /// Removes policy tags (`UntagPolicy`).
    public func untagPolicy(_ arn: String, keys: [String]) async throws {
        var parameters: QueryParameters = ["PolicyArn": arn]
        parameters.addList("TagKeys", keys)
        _ = try await client.query(.iam, "UntagPolicy", parameters, region: region)
    }

    // MARK: - Instance profiles

    /// Creates an instance profile (`CreateInstanceProfile`) with `tags` (at most 50).
    public func createInstanceProfile(name: String, path: String, tags: [String: String] = [:]) async throws -> InstanceProfileDetail {
        var parameters: QueryParameters = ["InstanceProfileName": name, "Path": path]
        Self.addTags(tags, to: &parameters)
        return Self.instanceProfile(try await client.query(.iam, "CreateInstanceProfile", parameters, region: region)
            .path("InstanceProfile") ?? XMLNode("InstanceProfile"))
    }

    /// The instance profile, or nil (`GetInstanceProfile`).
    public func instanceProfile(_ name: String) async throws -> InstanceProfileDetail? {
        try await nilWhenMissing(.noSuchEntity) {
            Self.instanceProfile(try await client.query(.iam, "GetInstanceProfile", ["InstanceProfileName": name], region: region)
                .path("InstanceProfile") ?? XMLNode("InstanceProfile"))
        }
    }

    /// Puts a role in an instance profile (`AddRoleToInstanceProfile`).
    public func addRoleToInstanceProfile(_ profile: String, role: String) async throws {
        _ = try await client.query(.iam, "AddRoleToInstanceProfile", ["InstanceProfileName": profile, "RoleName": role], region: region)
    }

    /// Takes a role out of an instance profile (`RemoveRoleFromInstanceProfile`).
    public func removeRoleFromInstanceProfile(_ profile: String, role: String) async throws {
        _ = try await client.query(.iam, "RemoveRoleFromInstanceProfile", ["InstanceProfileName": profile, "RoleName": role], region: region)
    }

    /// Deletes an instance profile (`DeleteInstanceProfile`).
    public func deleteInstanceProfile(_ name: String) async throws {
        _ = try await client.query(.iam, "DeleteInstanceProfile", ["InstanceProfileName": name], region: region)
    }

    // MARK: - OpenID Connect providers

    /// Creates an OIDC provider (`CreateOpenIDConnectProvider`) and returns its ARN.
    public func createOpenIDConnectProvider(url: String, clientIDs: [String], thumbprints: [String], tags: [String: String]) async throws -> String {
        var parameters: QueryParameters = ["Url": url]
        parameters.addList("ClientIDList", clientIDs)
        parameters.addList("ThumbprintList", thumbprints)
        Self.addTags(tags, to: &parameters)
        return try await client.query(.iam, "CreateOpenIDConnectProvider", parameters, region: region).string("OpenIDConnectProviderArn") ?? ""
    }

    /// The provider, or nil (`GetOpenIDConnectProvider`).
    public func openIDConnectProvider(_ arn: String) async throws -> OIDCProviderDetail? {
        try await nilWhenMissing(.noSuchEntity) {
            let result = try await client.query(.iam, "GetOpenIDConnectProvider", ["OpenIDConnectProviderArn": arn], region: region)
            return OIDCProviderDetail(url: result.string("Url") ?? "", clientIDs: result.list("ClientIDList").map(\.text),
                                      thumbprints: result.list("ThumbprintList").map(\.text), tags: Self.tags(result))
        }
    }

    /// Adds an audience (`AddClientIDToOpenIDConnectProvider`).
    public func addClientID(_ arn: String, clientID: String) async throws {
        _ = try await client.query(.iam, "AddClientIDToOpenIDConnectProvider", ["OpenIDConnectProviderArn": arn, "ClientID": clientID], region: region)
    }

    /// Removes an audience (`RemoveClientIDFromOpenIDConnectProvider`).
    public func removeClientID(_ arn: String, clientID: String) async throws {
        _ = try await client.query(.iam, "RemoveClientIDFromOpenIDConnectProvider", ["OpenIDConnectProviderArn": arn, "ClientID": clientID], region: region)
    }

    /// Replaces the thumbprints (`UpdateOpenIDConnectProviderThumbprint`).
    public func updateThumbprints(_ arn: String, thumbprints: [String]) async throws {
        var parameters: QueryParameters = ["OpenIDConnectProviderArn": arn]
        parameters.addList("ThumbprintList", thumbprints)
        _ = try await client.query(.iam, "UpdateOpenIDConnectProviderThumbprint", parameters, region: region)
    }

    /// Adds or overwrites provider tags (`TagOpenIDConnectProvider`).
    public func tagOpenIDConnectProvider(_ arn: String, tags: [String: String]) async throws {
        var parameters: QueryParameters = ["OpenIDConnectProviderArn": arn]
        Self.addTags(tags, to: &parameters)
        _ = try await client.query(.iam, "TagOpenIDConnectProvider", parameters, region: region)
    }

    /// Removes provider tags (`UntagOpenIDConnectProvider`).
    public func untagOpenIDConnectProvider(_ arn: String, keys: [String]) async throws {
        var parameters: QueryParameters = ["OpenIDConnectProviderArn": arn]
        parameters.addList("TagKeys", keys)
        _ = try await client.query(.iam, "UntagOpenIDConnectProvider", parameters, region: region)
    }

    /// Deletes an OIDC provider (`DeleteOpenIDConnectProvider`).
    public func deleteOpenIDConnectProvider(_ arn: String) async throws {
        _ = try await client.query(.iam, "DeleteOpenIDConnectProvider", ["OpenIDConnectProviderArn": arn], region: region)
    }

    // MARK: - Parsing

    /// Every item of a list call, following `Marker` while `IsTruncated` is true (IAM pages at
    /// 100 items by default).
    func allPages<Item>(_ operation: String, _ parameters: QueryParameters, _ items: (XMLNode) -> [Item]) async throws -> [Item] {
        try await Paginator.collect({ marker in
            var page = parameters
            page["Marker"] = marker
            return try await client.query(.iam, operation, page, region: region)
        }, items: items, next: { $0.string("IsTruncated") == "true" ? $0.string("Marker") : nil })
    }

    static func addTags(_ tags: [String: String], to parameters: inout QueryParameters) {
        guard !tags.isEmpty else { return }
        parameters.addList("Tags", structures: tags.sorted { $0.key < $1.key }.map { ["Key": $0.key, "Value": $0.value] })
    }

    static func tags(_ node: XMLNode) -> [String: String] {
        Dictionary(node.list("Tags").map { ($0.string("Key") ?? "", $0.string("Value") ?? "") }, uniquingKeysWith: { _, last in last })
    }

    static func role(_ node: XMLNode) -> RoleDetail {
        let policy = node.string("AssumeRolePolicyDocument") ?? ""
        return RoleDetail(name: node.string("RoleName") ?? "", arn: node.string("Arn") ?? "", roleID: node.string("RoleId") ?? "",
                          path: node.string("Path") ?? "/", assumeRolePolicy: policy.removingPercentEncoding ?? policy,
                          description: node.string("Description") ?? "", maxSessionDuration: Int(node.string("MaxSessionDuration") ?? "") ?? 3600,
                          tags: tags(node))
    }

    static func policy(_ node: XMLNode) -> PolicyDetail {
        PolicyDetail(name: node.string("PolicyName") ?? "", arn: node.string("Arn") ?? "", path: node.string("Path") ?? "/",
                     description: node.string("Description") ?? "", defaultVersionID: node.string("DefaultVersionId") ?? "v1",
                     tags: tags(node))
    }

    static func instanceProfile(_ node: XMLNode) -> InstanceProfileDetail {
        InstanceProfileDetail(name: node.string("InstanceProfileName") ?? "", arn: node.string("Arn") ?? "", path: node.string("Path") ?? "/",
                              roles: node.list("Roles").compactMap { $0.string("RoleName") }, tags: tags(node))
    }
}
