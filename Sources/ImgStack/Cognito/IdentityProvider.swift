import AWS
import Engine

extension Cognito {
    /// A federated sign-in provider of a user pool (`aws_cognito_identity_provider`): Google,
    /// Facebook, Login with Amazon, Apple, OIDC or SAML. `clientSecret` is sensitive.
    ///
    /// ```swift
    /// stack.add(Cognito.IdentityProvider("google", userPoolID: users.poolID, providerName: "Google",
    ///     providerType: "Google", clientID: googleClientID, clientSecret: Text(googleSecret),
    ///     authorizeScopes: "openid email profile", attributeMapping: ["email": "email"]))
    /// ```
    public struct IdentityProvider: Resource {
        public static let typeName = "cognito.identity_provider"

        public var name: String
        /// The pool. Changing it replaces the provider.
        public var userPoolID: Text
        /// The provider's name in the pool (`Google`, `Facebook`, …). Changing it replaces the provider.
        public var providerName: String
        /// `Google`, `Facebook`, `LoginWithAmazon`, `SignInWithApple`, `OIDC` or `SAML`. Changing it replaces the provider.
        public var providerType: String
        /// The provider's app id.
        public var clientID: Text
        /// The provider's app secret. Sensitive: redacted everywhere imgstack shows values.
        public var clientSecret: Text
        /// Scopes asked for at sign-in (space-separated for Google, comma-separated for Facebook).
        public var authorizeScopes: String
        /// Pool attribute → provider attribute.
        public var attributeMapping: [String: String]
        public var dependsOn: [Address] = []

        /// Declares a provider.
        public init(_ name: String, userPoolID: Text, providerName: String, providerType: String, clientID: Text, clientSecret: Text,
                    authorizeScopes: String, attributeMapping: [String: String] = [:]) {
            self.name = name
            self.userPoolID = userPoolID
            self.providerName = providerName
            self.providerType = providerType
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.authorizeScopes = authorizeScopes
            self.attributeMapping = attributeMapping
        }

        public var properties: [String: Engine.Expression] {
            var list = PropertyList()
            list.set("userPoolID", userPoolID)
            list.set("providerName", providerName)
            list.set("providerType", providerType)
            list.set("clientID", clientID)
            list.set("clientSecret", clientSecret)
            list.set("authorizeScopes", authorizeScopes)
            list.set("attributeMapping", attributeMapping)
            return list.values
        }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { IdentityProviderType(aws: aws) }
    }
}

/// Creates, reads, updates and deletes federated identity providers.
struct IdentityProviderType: ResourceType {
    let aws: AWSClient

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: Cognito.IdentityProvider.typeName, terraformType: "aws_cognito_identity_provider",
            properties: [
                PropertySchema("userPoolID", forcesReplacement: true),
                PropertySchema("providerName", forcesReplacement: true),
                PropertySchema("providerType", forcesReplacement: true),
                PropertySchema("clientID"),
                PropertySchema("clientSecret", sensitive: true),
                PropertySchema("authorizeScopes"),
                PropertySchema("attributeMapping", default: .map([:])),
            ],
            attributes: [],
            uniqueNameProperties: ["userPoolID", "providerName"])
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        guard let type = properties["providerType"]?.literal?.stringValue,
              !["Google", "Facebook", "LoginWithAmazon", "SignInWithApple", "OIDC", "SAML"].contains(type) else { return [] }
        return [ValidationIssue(subject: address.description, property: "providerType",
                                message: "\"\(type)\" is not Google, Facebook, LoginWithAmazon, SignInWithApple, OIDC or SAML")]
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        try await aws.cognitoIdentityProvider.createIdentityProvider(Self.provider(properties, includeType: true), region: context.region)
        return try await find(pool: properties["userPoolID"]?.stringValue ?? "", name: properties["providerName"]?.stringValue ?? "",
                              mapped: Set((properties["attributeMapping"]?.mapValue ?? [:]).keys), region: context.region)
            ?? ResourceSnapshot(id: "", properties: properties)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(pool: recorded.properties["userPoolID"]?.stringValue ?? "", name: recorded.properties["providerName"]?.stringValue ?? "",
                       mapped: Set((recorded.properties["attributeMapping"]?.mapValue ?? [:]).keys), region: context.region)
    }

    /// Reads a provider. Cognito adds details (URLs, issuer) and mappings (`username`) of its
    /// own; only the mapped attributes the stack declared are compared.
    private func find(pool: String, name: String, mapped: Set<String>?, region: String) async throws -> ResourceSnapshot? {
        guard let provider = try await aws.cognitoIdentityProvider.describeIdentityProvider(pool: pool, name: name, region: region) else { return nil }
        let details = provider.providerDetails ?? [:]
        let mapping = (provider.attributeMapping ?? [:]).filter { mapped?.contains($0.key) ?? true }
        return ResourceSnapshot(id: "\(pool)/\(name)", properties: [
            "userPoolID": .string(pool), "providerName": .string(name), "providerType": .string(provider.providerType ?? ""),
            "clientID": .string(details["client_id"] ?? ""), "clientSecret": .string(details["client_secret"] ?? ""),
            "authorizeScopes": .string(details["authorize_scopes"] ?? ""), "attributeMapping": CognitoValues.map(mapping),
        ])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        try await aws.cognitoIdentityProvider.updateIdentityProvider(Self.provider(desired, includeType: false), region: context.region)
        return try await read(ResourceSnapshot(id: current.id, properties: desired), context: context) ?? current
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        do {
            try await aws.cognitoIdentityProvider.deleteIdentityProvider(pool: current.properties["userPoolID"]?.stringValue ?? "",
                                                                         name: current.properties["providerName"]?.stringValue ?? "", region: context.region)
        } catch let error as AWSError where error.code == "ResourceNotFoundException" {
            return
        }
    }

    /// `USER_POOL_ID/PROVIDER_NAME`.
    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let slash = id.firstIndex(of: "/") else { return nil }
        return try await find(pool: String(id[..<slash]), name: String(id[id.index(after: slash)...]), mapped: nil, region: context.region)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(ResourceSnapshot(id: "", properties: properties), context: context)
    }

    static func provider(_ properties: [String: Value], includeType: Bool) -> AWS.CognitoIdentityProvider.IdentityProvider {
        AWS.CognitoIdentityProvider.IdentityProvider(
            userPoolID: properties["userPoolID"]?.stringValue, providerName: properties["providerName"]?.stringValue,
            providerType: includeType ? properties["providerType"]?.stringValue : nil,
            providerDetails: ["client_id": properties["clientID"]?.stringValue ?? "", "client_secret": properties["clientSecret"]?.stringValue ?? "",
                              "authorize_scopes": properties["authorizeScopes"]?.stringValue ?? ""],
            attributeMapping: CognitoValues.stringMap(properties["attributeMapping"]))
    }
}
