import AWS
import Engine
import Foundation

extension Cognito {
    /// A Cognito identity pool (`aws_cognito_identity_pool`): AWS credentials for users of user
    /// pools and public login providers (and guests, when allowed).
    ///
    /// ```swift
    /// let identities = stack.add(Cognito.IdentityPool("identities", poolName: "images identities",
    ///     cognitoIdentityProviders: [Cognito.IdentityPoolProvider(clientID: client.id, providerName: pool.endpoint)],
    ///     supportedLoginProviders: ["accounts.google.com": "1234.apps.googleusercontent.com"]))
    /// ```
    public struct IdentityPool: Resource {
        public static let typeName = "cognito.identity_pool"

        public var name: String
        /// The pool's name: 1 to 128 letters, digits, spaces or `+ = , . @ _ -`. Names need not be unique.
        public var poolName: Text
        /// Give guests (unauthenticated identities) credentials.
        public var allowUnauthenticatedIdentities: Bool
        /// Allow the basic (classic) flow, where clients call `AssumeRoleWithWebIdentity` themselves.
        public var allowClassicFlow: Bool
        /// User pool app clients whose users the pool accepts.
        public var cognitoIdentityProviders: [IdentityPoolProvider]
        /// Public providers: `accounts.google.com`, `graph.facebook.com`, `www.amazon.com`, `appleid.apple.com` → app id.
        public var supportedLoginProviders: [String: Text]
        /// Tags (at most 50).
        public var tags: [String: Text]
        public var dependsOn: [Address] = []

        /// Declares an identity pool.
        public init(_ name: String, poolName: Text, allowUnauthenticatedIdentities: Bool = false, allowClassicFlow: Bool = false,
                    cognitoIdentityProviders: [IdentityPoolProvider] = [], supportedLoginProviders: [String: Text] = [:],
                    tags: [String: Text] = [:]) {
            self.name = name
            self.poolName = poolName
            self.allowUnauthenticatedIdentities = allowUnauthenticatedIdentities
            self.allowClassicFlow = allowClassicFlow
            self.cognitoIdentityProviders = cognitoIdentityProviders
            self.supportedLoginProviders = supportedLoginProviders
            self.tags = tags
        }

        public var properties: [String: Engine.Expression] {
            var list = PropertyList()
            list.set("poolName", poolName)
            list.set("allowUnauthenticatedIdentities", allowUnauthenticatedIdentities)
            list.set("allowClassicFlow", allowClassicFlow)
            list.set("cognitoIdentityProviders", cognitoIdentityProviders)
            list.set("supportedLoginProviders", supportedLoginProviders)
            list.set("tags", tags.isEmpty ? nil : tags)
            return list.values
        }

        /// The pool ARN: `arn:aws:cognito-identity:<region>:<account>:identitypool/<id>`.
        public var arn: Text { attribute("arn") }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { IdentityPoolType(aws: aws) }
    }
}

/// Creates, reads, updates and deletes identity pools.
struct IdentityPoolType: ResourceType {
    let aws: AWSClient

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: Cognito.IdentityPool.typeName, terraformType: "aws_cognito_identity_pool",
            properties: [
                PropertySchema("poolName"),
                PropertySchema("allowUnauthenticatedIdentities", default: false),
                PropertySchema("allowClassicFlow", default: false),
                PropertySchema("cognitoIdentityProviders", default: []),
                PropertySchema("supportedLoginProviders", default: .map([:])),
                PropertySchema("tags", default: .map([:])),
            ],
            attributes: [AttributeSchema("arn")])
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let issue = CognitoValues.nameIssue(properties, "poolName", address: address) { issues.append(issue) }
        if let providers = properties["supportedLoginProviders"]?.literal?.mapValue, providers.count > 10 {
            issues.append(ValidationIssue(subject: address.description, property: "supportedLoginProviders",
                                          message: "AWS takes at most 10 login providers; there are \(providers.count)"))
        }
        for provider in properties["cognitoIdentityProviders"]?.literal?.listValue ?? [] {
            if let name = provider["providerName"].stringValue, !name.hasPrefix("cognito-idp.") {
                issues.append(ValidationIssue(subject: address.description, property: "cognitoIdentityProviders",
                                              message: "providerName \"\(name)\" must be cognito-idp.<region>.amazonaws.com/<user pool id> "
                                                + "(the pool's endpoint)"))
            }
        }
        for problem in TagRules.problems(properties["tags"]?.literal, limit: 50) {
            issues.append(ValidationIssue(subject: address.description, property: "tags", message: problem))
        }
        return issues
    }

    func normalize(_ property: String, _ value: Value) -> Value {
        guard property == "cognitoIdentityProviders", !value.containsUnknown, case .list(let items) = value else { return value }
        // AWS keeps no order; sorted by provider and client.
        return .list(items.sorted { ($0["providerName"].stringValue ?? "", $0["clientID"].stringValue ?? "")
            < ($1["providerName"].stringValue ?? "", $1["clientID"].stringValue ?? "") })
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        var pool = Self.pool(properties, into: nil)
        // Pool names are not unique: the intent tag (with the name) is how a crashed apply finds the pool.
        pool.tags = CognitoValues.tags(properties["tags"], keeping: CognitoValues.intentTag(context))
        let created = try await aws.cognitoIdentity.createIdentityPool(pool, region: context.region)
        var recorded = properties
        for (name, value) in properties { recorded[name] = normalize(name, value) }
        return ResourceSnapshot(id: created.identityPoolID, properties: recorded,
                                attributes: try await attributes(created.identityPoolID, region: context.region))
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let pool = try await describe(recorded.id, region: context.region) else { return nil }
        let attributes = recorded.attributes["arn"] == nil ? try await attributes(pool.identityPoolID, region: context.region) : recorded.attributes
        return snapshot(pool, declared: Set(recorded.properties.keys), attributes: attributes)
    }

    private func describe(_ id: String, region: String) async throws -> CognitoIdentity.IdentityPool? {
        do {
            return try await aws.cognitoIdentity.describeIdentityPool(id, region: region)
        } catch let error as AWSError where CognitoValues.isNotFound(error) {
            return nil
        }
    }

    func snapshot(_ pool: CognitoIdentity.IdentityPool, declared: Set<String>, attributes: [String: Value]) -> ResourceSnapshot {
        let providers: [Value] = (pool.cognitoIdentityProviders ?? []).map {
            .map(["clientID": .string($0.clientID), "providerName": .string($0.providerName), "serverSideTokenCheck": .bool($0.serverSideTokenCheck)])
        }
        let all: [String: Value] = [
            "poolName": .string(pool.identityPoolName),
            "allowUnauthenticatedIdentities": .bool(pool.allowUnauthenticatedIdentities),
            "allowClassicFlow": .bool(pool.allowClassicFlow ?? false),
            "cognitoIdentityProviders": normalize("cognitoIdentityProviders", .list(providers)),
            "supportedLoginProviders": .map((pool.supportedLoginProviders ?? [:]).mapValues(Value.string)),
            "tags": TagRules.visible(pool.tags ?? [:]),
        ]
        return ResourceSnapshot(id: pool.identityPoolID, properties: all.filter { declared.contains($0.key) }, attributes: attributes)
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        // UpdateIdentityPool clears what it is not given: start from the pool as it is now, which
        // also keeps the developer, OIDC and SAML providers imgstack does not manage.
        guard let described = try await describe(current.id, region: context.region) else {
            throw AWSError(service: "cognito-identity", operation: "DescribeIdentityPool", statusCode: 400, code: "ResourceNotFoundException",
                           message: "Identity pool \(current.id) does not exist.")
        }
        var pool = Self.pool(desired, into: described)
        pool.tags = CognitoValues.tags(desired["tags"], keeping: described.tags ?? [:])
        try await aws.cognitoIdentity.updateIdentityPool(pool, region: context.region)
        var properties = desired
        for (name, value) in desired { properties[name] = normalize(name, value) }
        return ResourceSnapshot(id: current.id, properties: properties, attributes: current.attributes)
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        do {
            try await aws.cognitoIdentity.deleteIdentityPool(current.id, region: context.region)
        } catch let error as AWSError where CognitoValues.isNotFound(error) {
            return
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let pool = try await describe(id, region: context.region) else { return nil }
        return snapshot(pool, declared: Set(schema.properties.map(\.name)), attributes: try await attributes(id, region: context.region))
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard context.intentID != nil, let name = properties["poolName"]?.stringValue else { return nil }
        for entry in try await aws.cognitoIdentity.listIdentityPools(region: context.region) where entry.identityPoolName == name {
            guard let pool = try await describe(entry.identityPoolID, region: context.region), CognitoValues.hasIntent(pool.tags, context) else {
                continue
            }
            return snapshot(pool, declared: Set(properties.keys), attributes: try await attributes(pool.identityPoolID, region: context.region))
        }
        return nil
    }

    // MARK: - Helpers

    /// The wire pool for `properties`, on top of `described` (to keep unmanaged members) when updating.
    static func pool(_ properties: [String: Value], into described: CognitoIdentity.IdentityPool?) -> CognitoIdentity.IdentityPool {
        var pool = described ?? CognitoIdentity.IdentityPool(identityPoolName: "", allowUnauthenticatedIdentities: false)
        pool.identityPoolName = properties["poolName"]?.stringValue ?? ""
        pool.allowUnauthenticatedIdentities = properties["allowUnauthenticatedIdentities"] == true
        pool.allowClassicFlow = properties["allowClassicFlow"] == true
        pool.cognitoIdentityProviders = (properties["cognitoIdentityProviders"]?.listValue ?? []).map {
            CognitoIdentity.Provider(providerName: $0["providerName"].stringValue ?? "", clientID: $0["clientID"].stringValue ?? "",
                                     serverSideTokenCheck: $0["serverSideTokenCheck"] == true)
        }
        pool.supportedLoginProviders = CognitoValues.stringMap(properties["supportedLoginProviders"])
        return pool
    }

    /// The ARN, which no Cognito answer carries: built from the caller's account.
    private func attributes(_ id: String, region: String) async throws -> [String: Value] {
        let account = try await aws.sts.getCallerIdentity().account
        let partition = region.hasPrefix("cn-") ? "aws-cn" : region.hasPrefix("us-gov-") ? "aws-us-gov" : "aws"
        return ["arn": .string("arn:\(partition):cognito-identity:\(region):\(account):identitypool/\(id)")]
    }
}
