import AWS
import Engine
import Foundation

extension Cognito {
    /// A federated identity provider of a user pool (`aws_cognito_identity_provider`): Google,
    /// Facebook, Login with Amazon, Sign in with Apple, OIDC or SAML.
    ///
    /// ```swift
    /// let googleSecret = stack.variable("google_client_secret", default: nil)
    /// stack.add(Cognito.IdentityProvider("google", userPoolID: pool.id, providerName: "Google", providerType: "Google",
    ///                                    providerDetails: ["client_id": "1234.apps.googleusercontent.com"],
    ///                                    clientSecret: Text(googleSecret),
    ///                                    authorizeScopes: ["openid", "email", "profile"],
    ///                                    attributeMapping: ["email": "email"]))
    /// ```
    public struct IdentityProvider: Resource {
        public static let typeName = "cognito.identity_provider"

        public var name: String
        /// The pool: `pool.id`. Changing it replaces the provider.
        public var userPoolID: Text
        /// The name app clients list in `supportedIdentityProviders` (1 to 32 characters; for
        /// social providers usually the type: `Google`). Changing it replaces the provider.
        public var providerName: Text
        /// `Google`, `Facebook`, `LoginWithAmazon`, `SignInWithApple`, `OIDC` or `SAML`. Changing it replaces the provider.
        public var providerType: String
        /// Provider settings besides the secret and scopes: `client_id`, `oidc_issuer`, `MetadataURL`, …
        public var providerDetails: [String: Text]
        /// The provider's client secret, sent as `client_secret`. Sensitive: redacted in plans and output.
        public var clientSecret: Text?
        /// Scopes asked of the provider, sent space-separated as `authorize_scopes`.
        public var authorizeScopes: [String]?
        /// User pool attribute → provider attribute (`email` → `email`).
        public var attributeMapping: [String: Text]
        public var dependsOn: [Address] = []

        /// Declares an identity provider.
        public init(_ name: String, userPoolID: Text, providerName: Text, providerType: String, providerDetails: [String: Text] = [:],
                    clientSecret: Text? = nil, authorizeScopes: [String]? = nil, attributeMapping: [String: Text] = [:]) {
            self.name = name
            self.userPoolID = userPoolID
            self.providerName = providerName
            self.providerType = providerType
            self.providerDetails = providerDetails
            self.clientSecret = clientSecret
            self.authorizeScopes = authorizeScopes
            self.attributeMapping = attributeMapping
        }

        public var properties: [String: Engine.Expression] {
            var list = PropertyList()
            list.set("userPoolID", userPoolID)
            list.set("providerName", providerName)
            list.set("providerType", providerType)
            list.set("providerDetails", providerDetails)
            list.set("clientSecret", clientSecret)
            list.set("authorizeScopes", authorizeScopes)
            list.set("attributeMapping", attributeMapping)
            return list.values
        }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { IdentityProviderType(aws: aws) }
    }
}

/// Creates, reads, updates and deletes user pool identity providers.
struct IdentityProviderType: ResourceType {
    let aws: AWSClient

    static let providerTypes = ["SAML", "Facebook", "Google", "LoginWithAmazon", "SignInWithApple", "OIDC"]
    /// `ProviderDetails` keys with their own property.
    static let secretKey = "client_secret"
    static let scopesKey = "authorize_scopes"

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: Cognito.IdentityProvider.typeName, terraformType: "aws_cognito_identity_provider",
            properties: [
                PropertySchema("userPoolID", forcesReplacement: true),
                PropertySchema("providerName", forcesReplacement: true),
                PropertySchema("providerType", forcesReplacement: true),
                PropertySchema("providerDetails", default: .map([:])),
                PropertySchema("clientSecret", sensitive: true),
                PropertySchema("authorizeScopes"),
                PropertySchema("attributeMapping", default: .map([:])),
            ],
            attributes: [], uniqueNameProperties: ["userPoolID", "providerName"])
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let issue = CognitoValues.enumIssue(properties, "providerType", Self.providerTypes, address: address) { issues.append(issue) }
        if let name = properties["providerName"]?.literal?.stringValue,
           name.count < 1 || name.count > 32 || name.hasPrefix("_") || name.contains(where: \.isWhitespace) {
            issues.append(ValidationIssue(subject: address.description, property: "providerName",
                                          message: "\"\(name)\" must be 1 to 32 characters without spaces, not starting with _"))
        }
        let details = properties["providerDetails"]?.literal?.mapValue ?? [:]
        if details[Self.secretKey] != nil {
            issues.append(ValidationIssue(subject: address.description, property: "providerDetails",
                                          message: "give client_secret as clientSecret, which is kept out of plans and output"))
        }
        if details[Self.scopesKey] != nil {
            issues.append(ValidationIssue(subject: address.description, property: "providerDetails",
                                          message: "give authorize_scopes as authorizeScopes"))
        }
        return issues
    }

    func normalize(_ property: String, _ value: Value) -> Value {
        property == "authorizeScopes" && !value.containsUnknown ? CognitoValues.sortedList(CognitoValues.strings(value)) : value
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let provider = try await aws.cognitoIdentityProvider.createIdentityProvider(Self.provider(properties), region: context.region)
        var recorded = properties
        for (name, value) in properties { recorded[name] = normalize(name, value) }
        return ResourceSnapshot(id: Self.id(provider.userPoolID, provider.providerName), properties: recorded)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let (poolID, name) = Self.split(recorded.id), let provider = try await describe(poolID, name, region: context.region) else {
            return nil
        }
        let declaredKeys = Set((recorded.properties["providerDetails"]?.mapValue ?? [:]).keys)
        let declaredMapping = Set((recorded.properties["attributeMapping"]?.mapValue ?? [:]).keys)
        return snapshot(provider, declared: Set(recorded.properties.keys), detailKeys: declaredKeys, mappingKeys: declaredMapping)
    }

    private func describe(_ poolID: String, _ name: String, region: String) async throws -> CognitoIdentityProvider.IdentityProvider? {
        do {
            return try await aws.cognitoIdentityProvider.describeIdentityProvider(userPoolID: poolID, providerName: name, region: region)
        } catch let error as AWSError where CognitoValues.isNotFound(error) {
            return nil
        }
    }

    /// The declared properties of `provider`.
    /// - Parameters:
    ///   - detailKeys: the `providerDetails` keys to report (AWS adds its own, such as `token_url`); nil for all.
    ///   - mappingKeys: the mapped attributes to report (AWS maps `username` itself); nil for all.
    func snapshot(_ provider: CognitoIdentityProvider.IdentityProvider, declared: Set<String>, detailKeys: Set<String>?,
                  mappingKeys: Set<String>?) -> ResourceSnapshot {
        var details = provider.providerDetails
        let secret = details.removeValue(forKey: Self.secretKey)
        let scopes = details.removeValue(forKey: Self.scopesKey)
        if let detailKeys { details = details.filter { detailKeys.contains($0.key) } }
        var mapping = provider.attributeMapping
        if let mappingKeys { mapping = mapping.filter { mappingKeys.contains($0.key) } }
        var all: [String: Value] = [
            "userPoolID": .string(provider.userPoolID), "providerName": .string(provider.providerName),
            "providerDetails": .map(details.mapValues(Value.string)), "attributeMapping": .map(mapping.mapValues(Value.string)),
        ]
        if let type = provider.providerType { all["providerType"] = .string(type) }
        if let secret { all["clientSecret"] = .string(secret) }
        if let scopes { all["authorizeScopes"] = CognitoValues.sortedList(scopes.split(separator: " ").map(String.init)) }
        return ResourceSnapshot(id: Self.id(provider.userPoolID, provider.providerName), properties: all.filter { declared.contains($0.key) })
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        // UpdateIdentityProvider replaces ProviderDetails and AttributeMapping whole, so both are sent as declared.
        try await aws.cognitoIdentityProvider.updateIdentityProvider(Self.provider(desired), region: context.region)
        var properties = desired
        for (name, value) in desired { properties[name] = normalize(name, value) }
        return ResourceSnapshot(id: current.id, properties: properties)
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        guard let (poolID, name) = Self.split(current.id) else { return }
        do {
            try await aws.cognitoIdentityProvider.deleteIdentityProvider(userPoolID: poolID, providerName: name, region: context.region)
        } catch let error as AWSError where CognitoValues.isNotFound(error) {
            return
        }
    }

    /// Imports `<user pool id>:<provider name>`.
    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let (poolID, name) = Self.split(id), let provider = try await describe(poolID, name, region: context.region) else { return nil }
        return snapshot(provider, declared: Set(schema.properties.map(\.name)), detailKeys: nil, mappingKeys: nil)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        // The provider name is unique within its pool.
        guard let poolID = properties["userPoolID"]?.stringValue, let name = properties["providerName"]?.stringValue else { return nil }
        return try await read(ResourceSnapshot(id: Self.id(poolID, name), properties: properties), context: context)
    }

    // MARK: - Helpers

    /// Terraform's id format: `<user pool id>:<provider name>` (pool ids hold no colon).
    static func id(_ poolID: String, _ name: String) -> String { "\(poolID):\(name)" }

    static func split(_ id: String) -> (String, String)? {
        guard let colon = id.firstIndex(of: ":") else { return nil }
        return (String(id[..<colon]), String(id[id.index(after: colon)...]))
    }

    static func provider(_ properties: [String: Value]) -> CognitoIdentityProvider.IdentityProvider {
        var details = CognitoValues.stringMap(properties["providerDetails"])
        if let secret = properties["clientSecret"]?.stringValue { details[secretKey] = secret }
        if let scopes = properties["authorizeScopes"] { details[scopesKey] = CognitoValues.strings(scopes).joined(separator: " ") }
        return CognitoIdentityProvider.IdentityProvider(
            userPoolID: properties["userPoolID"]?.stringValue ?? "", providerName: properties["providerName"]?.stringValue ?? "",
            providerType: properties["providerType"]?.stringValue, providerDetails: details,
            attributeMapping: CognitoValues.stringMap(properties["attributeMapping"]))
    }
}
