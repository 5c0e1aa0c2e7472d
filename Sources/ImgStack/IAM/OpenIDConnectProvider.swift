import AWS
import Engine

extension IAM {
    /// An OpenID Connect identity provider (`aws_iam_openid_connect_provider`), such as GitHub
    /// Actions' for CI deploy roles assumed with web identity.
    ///
    /// ```swift
    /// let github = stack.add(IAM.OpenIDConnectProvider("github", url: "https://token.actions.githubusercontent.com",
    ///                                                  clientIDs: ["sts.amazonaws.com"]))
    /// ```
    public struct OpenIDConnectProvider: Resource {
        /// Not the derived `iam.open_id_connect_provider`: states hold this name.
        public static let typeName = "iam.openid_connect_provider"
        public static let terraformType = "aws_iam_openid_connect_provider"

        public var name: String
        /// The issuer URL (`https://…`). Changing it replaces the provider.
        public var url: String
        /// The audiences (`sts.amazonaws.com` for GitHub Actions).
        public var clientIDs: [String]
        /// SHA-1 thumbprints of the issuer's certificate chain (40 hex digits each). AWS no
        /// longer uses them for well-known issuers but still stores them.
        public var thumbprints: [String]
        /// Tags.
        public var tags: [String: Text]
        public var dependsOn: [Address] = []

        /// Declares a provider.
        public init(_ name: String, url: String, clientIDs: [String], thumbprints: [String] = [], tags: [String: Text] = [:]) {
            self.name = name
            self.url = url
            self.clientIDs = clientIDs
            self.thumbprints = thumbprints
            self.tags = tags
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.url, url)
            list.set(property.clientIDs, clientIDs)
            list.set(property.thumbprints, thumbprints)
            list.set(property.tags, tags)
            return list.values
        }

        /// The provider ARN (also its id).
        public var arn: Text { attribute("arn") }

        public static func makeType() -> any ResourceType { OpenIDConnectProviderType() }
    }
}

extension IAM.OpenIDConnectProvider {
    /// A provider's properties, each declared once.
    struct Properties: PropertySet {
        // State holds IAM's form (no scheme, see `normalize`); the Terraform provider's `url`
        // argument is the issuer URL as configured, `https://…`.
        let url = Property<String>("url", terraform: TerraformAttribute("url", .converted { value in
            guard let text = value.stringValue, !text.hasPrefix("https://") else { return value }
            return .string("https://" + text)
        }), forcesReplacement: true)
        let clientIDs = Property<[String]>("clientIDs", terraform: "client_id_list", default: [])
        let thumbprints = Property<[String]>("thumbprints", terraform: "thumbprint_list", default: [])
        let tags = Property<[String: String]>("tags", default: [:])
    }

    static let property = Properties()
}

/// Creates, updates and deletes OIDC providers.
struct OpenIDConnectProviderType: ResourceType {
    static let schema = ResourceSchema(IAM.OpenIDConnectProvider.self, IAM.OpenIDConnectProvider.Properties.self,
                                       attributes: [AttributeSchema("arn")], uniqueName: [IAM.OpenIDConnectProvider.property.url])

    var schema: ResourceSchema { Self.schema }
    private var property: IAM.OpenIDConnectProvider.Properties { IAM.OpenIDConnectProvider.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues = IAMRules.check(properties, property.url, address: address) { url in
            guard url.hasPrefix("https://") else { return "\"\(url)\" must be an https:// URL" }
            return url.count <= 255 ? nil : "must be at most 255 characters"
        }
        let thumbprints = properties[property.thumbprints]?.literal?.listValue?.compactMap(\.stringValue) ?? []
        for thumbprint in thumbprints where thumbprint.count != 40 || !thumbprint.allSatisfy(\.isHexDigit) {
            issues.append(ValidationIssue(address, property.thumbprints, "\"\(thumbprint)\" is not 40 hex digits"))
        }
        // IAM keeps at most five thumbprints per provider (LimitExceeded otherwise).
        if thumbprints.count > 5 {
            issues.append(ValidationIssue(address, property.thumbprints, "IAM takes at most 5 thumbprints; there are \(thumbprints.count)"))
        }
        for clientID in properties[property.clientIDs]?.literal?.listValue?.compactMap(\.stringValue) ?? [] where clientID.isEmpty || clientID.count > 255 {
            issues.append(ValidationIssue(address, property.clientIDs, "\"\(clientID)\" must be 1 to 255 characters"))
        }
        return issues + IAMRules.tagIssues(properties, property.tags, address: address)
    }

    /// IAM stores the URL without its scheme, and the lists as sets.
    func normalize(_ name: String, _ value: Value) -> Value {
        switch name {
        case property.url.name:
            guard let text = value.stringValue else { return value }
            return .string(text.hasPrefix("https://") ? String(text.dropFirst("https://".count)) : text)
        case property.clientIDs.name, property.thumbprints.name:
            return .list((value.listValue ?? []).sorted { $0.canonicalJSON < $1.canonicalJSON })
        default:
            return value
        }
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let iam = try context.iam
        let arn = try await iam.createOpenIDConnectProvider(
            url: properties[property.url] ?? "", clientIDs: properties[property.clientIDs] ?? [],
            thumbprints: properties[property.thumbprints] ?? [], tags: TagRules.withIntent(properties[property.tags], context))
        return try await read(arn, iam: iam) ?? ResourceSnapshot(id: arn, properties: properties, attributes: ["arn": .string(arn)])
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, iam: try context.iam)
    }

    private func read(_ arn: String, iam: AWS.IAM) async throws -> ResourceSnapshot? {
        try await iam.openIDConnectProvider(arn).map { snapshot($0, arn: arn) }
    }

    /// The provider as `GetOpenIDConnectProvider` answered.
    private func snapshot(_ provider: AWS.IAM.OIDCProviderDetail, arn: String) -> ResourceSnapshot {
        var properties: [String: Value] = [:]
        properties[property.url] = normalize(property.url.name, .string(provider.url)).stringValue
        properties[property.clientIDs.name] = normalize(property.clientIDs.name, provider.clientIDs.propertyValue)
        properties[property.thumbprints.name] = normalize(property.thumbprints.name, provider.thumbprints.propertyValue)
        properties[property.tags.name] = TagRules.visible(provider.tags)
        return ResourceSnapshot(id: arn, properties: properties, attributes: ["arn": .string(arn)])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let iam = try context.iam
        let arn = current.id
        if changed.contains(property.clientIDs) {
            let old = Set(current.properties[property.clientIDs] ?? [])
            let new = Set(desired[property.clientIDs] ?? [])
            for clientID in new.subtracting(old).sorted() { try await iam.addClientID(arn, clientID: clientID) }
            for clientID in old.subtracting(new).sorted() { try await iam.removeClientID(arn, clientID: clientID) }
        }
        if changed.contains(property.thumbprints) {
            try await iam.updateThumbprints(arn, thumbprints: desired[property.thumbprints] ?? [])
        }
        if changed.contains(property.tags) {
            try await IAMRules.retag(old: current.properties[property.tags], new: desired[property.tags],
                                     untag: { try await iam.untagOpenIDConnectProvider(arn, keys: $0) },
                                     tag: { try await iam.tagOpenIDConnectProvider(arn, tags: $0) })
        }
        return try await read(arn, iam: iam) ?? current
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let iam = try context.iam
        _ = try await nilWhenMissing(.noSuchEntity) { try await iam.deleteOpenIDConnectProvider(current.id) }
    }

    /// A provider is imported by its ARN, which holds its URL without `https://`.
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: ImportIDForm.arn("iam", regional: false, resource: #"oidc-provider/[A-Za-z0-9.-]+(:\d+)?(/[\x21-\x7E]*)?"#),
                             expected: "an OpenID Connect provider is imported by its ARN (arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH)")
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, iam: try context.iam)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let declared = properties[property.url], let url = normalize(property.url.name, .string(declared)).stringValue else { return nil }
        let account = try await context.aws.sts.getCallerIdentity().account
        let arn = "arn:aws:iam::\(account):oidc-provider/\(url)"
        let iam = try context.iam
        // One provider per URL in an account, often made by another stack: adopted only when it
        // carries the crashed create's intent tag, never someone else's.
        guard let provider = try await iam.openIDConnectProvider(arn), TagRules.carryIntent(provider.tags, of: context) else { return nil }
        return snapshot(provider, arn: arn)
    }
}

extension OpenIDConnectProviderType: AccessDeclaring {
    /// IAM actions per the Service Authorization Reference (AWS Identity and Access Management);
    /// STS `GetCallerIdentity` needs no permission (STS API reference).
    static let access: ResourceAccess = {
        let provider = ARNPattern.arn("arn:{partition}:iam::{account}:oidc-provider/{url#host}")
        return ResourceAccess([
            IAMCall(.sts, "GetCallerIdentity", in: Set(AccessPhase.allCases), needs: [], on: []),
            IAMCall(.iam, "CreateOpenIDConnectProvider", in: [.create], needs: ["iam:CreateOpenIDConnectProvider", "iam:TagOpenIDConnectProvider"],
                    on: [provider]),
            IAMCall(.iam, "GetOpenIDConnectProvider", in: .readingBack, on: [provider]),
            IAMCall(.iam, "AddClientIDToOpenIDConnectProvider", in: [.update], on: [provider]),
            IAMCall(.iam, "RemoveClientIDFromOpenIDConnectProvider", in: [.update], on: [provider]),
            IAMCall(.iam, "UpdateOpenIDConnectProviderThumbprint", in: [.update], on: [provider]),
            IAMCall(.iam, "TagOpenIDConnectProvider", in: .writing, on: [provider]),
            IAMCall(.iam, "UntagOpenIDConnectProvider", in: .writing, on: [provider]),
            IAMCall(.iam, "DeleteOpenIDConnectProvider", in: [.delete], on: [provider]),
        ])
    }()
}
