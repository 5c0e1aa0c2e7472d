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
        public static let typeName = "iam.openid_connect_provider"

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
            var list = PropertyList()
            list.set("url", url)
            list.set("clientIDs", clientIDs)
            list.set("thumbprints", thumbprints)
            list.set("tags", tags)
            return list.values
        }

        /// The provider ARN (also its id).
        public var arn: Text { attribute("arn") }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { OpenIDConnectProviderType(aws: aws) }
    }
}

/// Creates, updates and deletes OIDC providers.
struct OpenIDConnectProviderType: ResourceType {
    let aws: AWSClient

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: IAM.OpenIDConnectProvider.typeName, terraformType: "aws_iam_openid_connect_provider",
            properties: [
                PropertySchema("url", forcesReplacement: true),
                PropertySchema("clientIDs", default: .list([])),
                PropertySchema("thumbprints", default: .list([])),
                PropertySchema("tags", default: .map([:])),
            ],
            attributes: [AttributeSchema("arn")],
            uniqueNameProperty: "url")
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues = IAMRules.check(properties, "url", address: address) { url in
            guard url.hasPrefix("https://") else { return "\"\(url)\" must be an https:// URL" }
            return url.count <= 255 ? nil : "must be at most 255 characters"
        }
        let thumbprints = properties["thumbprints"]?.literal?.listValue?.compactMap(\.stringValue) ?? []
        for thumbprint in thumbprints where thumbprint.count != 40 || !thumbprint.allSatisfy(\.isHexDigit) {
            issues.append(ValidationIssue(subject: address.description, property: "thumbprints", message: "\"\(thumbprint)\" is not 40 hex digits"))
        }
        // IAM keeps at most five thumbprints per provider (LimitExceeded otherwise).
        if thumbprints.count > 5 {
            issues.append(ValidationIssue(subject: address.description, property: "thumbprints", message: "IAM takes at most 5 thumbprints; there are \(thumbprints.count)"))
        }
        for clientID in properties["clientIDs"]?.literal?.listValue?.compactMap(\.stringValue) ?? [] where clientID.isEmpty || clientID.count > 255 {
            issues.append(ValidationIssue(subject: address.description, property: "clientIDs", message: "\"\(clientID)\" must be 1 to 255 characters"))
        }
        return issues + IAMRules.tagIssues(properties, address: address)
    }

    /// IAM stores the URL without its scheme, and the lists as sets.
    func normalize(_ property: String, _ value: Value) -> Value {
        switch property {
        case "url":
            guard let text = value.stringValue else { return value }
            return .string(text.hasPrefix("https://") ? String(text.dropFirst("https://".count)) : text)
        case "clientIDs", "thumbprints":
            return .list((value.listValue ?? []).sorted { $0.canonicalJSON < $1.canonicalJSON })
        default:
            return value
        }
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let arn = try await aws.iam.createOpenIDConnectProvider(
            url: properties["url"]?.stringValue ?? "", clientIDs: strings(properties["clientIDs"]),
            thumbprints: strings(properties["thumbprints"]), tags: IAMRules.tags(properties["tags"]))
        return try await read(arn) ?? ResourceSnapshot(id: arn, properties: properties, attributes: ["arn": .string(arn)])
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id)
    }

    private func read(_ arn: String) async throws -> ResourceSnapshot? {
        guard let provider = try await aws.iam.openIDConnectProvider(arn) else { return nil }
        return ResourceSnapshot(id: arn, properties: [
            "url": normalize("url", .string(provider.url)),
            "clientIDs": normalize("clientIDs", .list(provider.clientIDs.map(Value.string))),
            "thumbprints": normalize("thumbprints", .list(provider.thumbprints.map(Value.string))),
            "tags": TagRules.visible(provider.tags),
        ], attributes: ["arn": .string(arn)])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let arn = current.id
        if changed.contains("clientIDs") {
            let old = Set(strings(current.properties["clientIDs"]))
            let new = Set(strings(desired["clientIDs"]))
            for clientID in new.subtracting(old).sorted() { try await aws.iam.addClientID(arn, clientID: clientID) }
            for clientID in old.subtracting(new).sorted() { try await aws.iam.removeClientID(arn, clientID: clientID) }
        }
        if changed.contains("thumbprints") {
            try await aws.iam.updateThumbprints(arn, thumbprints: strings(desired["thumbprints"]))
        }
        if changed.contains("tags") {
            try await IAMRules.retag(old: current.properties["tags"], new: desired["tags"],
                                     untag: { try await aws.iam.untagOpenIDConnectProvider(arn, keys: $0) },
                                     tag: { try await aws.iam.tagOpenIDConnectProvider(arn, tags: $0) })
        }
        return try await read(arn) ?? current
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        do {
            try await aws.iam.deleteOpenIDConnectProvider(current.id)
        } catch let error as AWSError where error.code == "NoSuchEntity" {
            return
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let url = normalize("url", properties["url"] ?? .null).stringValue else { return nil }
        let account = try await aws.sts.getCallerIdentity().account
        return try await read("arn:aws:iam::\(account):oidc-provider/\(url)")
    }

    private func strings(_ value: Value?) -> [String] {
        (value?.listValue ?? []).compactMap(\.stringValue)
    }
}
