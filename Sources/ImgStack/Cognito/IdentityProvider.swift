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
        public static let terraformType = "aws_cognito_identity_provider"

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
            let property = Self.property
            var list = PropertyList()
            list.set(property.userPoolID, userPoolID)
            list.set(property.providerName, providerName)
            list.set(property.providerType, providerType)
            list.set(property.clientID, clientID)
            list.set(property.clientSecret, clientSecret)
            list.set(property.authorizeScopes, authorizeScopes)
            list.set(property.attributeMapping, attributeMapping)
            return list.values
        }

        public static func makeType() -> any ResourceType { IdentityProviderType() }
    }
}

extension Cognito.IdentityProvider {
    /// A provider's properties, each declared once. The provider keeps the app id, secret and
    /// scopes in its `provider_details` map; these have no attribute of their own there.
    struct Properties: PropertySet {
        let userPoolID = Property<String>("userPoolID", forcesReplacement: true)
        let providerName = Property<String>("providerName", forcesReplacement: true)
        let providerType = Property<String>("providerType", forcesReplacement: true)
        let clientID = Property<String>("clientID")
        let clientSecret = Property<String>("clientSecret", sensitive: true)
        let authorizeScopes = Property<String>("authorizeScopes")
        let attributeMapping = Property<[String: String]>("attributeMapping", default: [:])
    }

    static let property = Properties()
}

/// Creates, reads, updates and deletes federated identity providers.
struct IdentityProviderType: ResourceType {
    static let schema = ResourceSchema(Cognito.IdentityProvider.self, Cognito.IdentityProvider.Properties.self,
                                       uniqueName: [Cognito.IdentityProvider.property.userPoolID, Cognito.IdentityProvider.property.providerName])

    var schema: ResourceSchema { Self.schema }
    private var property: Cognito.IdentityProvider.Properties { Cognito.IdentityProvider.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        guard let type = properties.literal(property.providerType),
              !["Google", "Facebook", "LoginWithAmazon", "SignInWithApple", "OIDC", "SAML"].contains(type) else { return [] }
        return [ValidationIssue(address, property.providerType, "\"\(type)\" is not Google, Facebook, LoginWithAmazon, SignInWithApple, OIDC or SAML")]
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let userPools = try context.cognitoIdentityProvider
        try await userPools.createIdentityProvider(Self.provider(properties, includeType: true))
        let pool = properties[property.userPoolID] ?? "", name = properties[property.providerName] ?? ""
        return try await find(pool: pool, name: name, mapped: Set((properties[property.attributeMapping] ?? [:]).keys), userPools: userPools)
            ?? ResourceSnapshot(id: "\(pool)/\(name)", properties: properties)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(pool: recorded.properties[property.userPoolID] ?? "", name: recorded.properties[property.providerName] ?? "",
                       mapped: Set((recorded.properties[property.attributeMapping] ?? [:]).keys), userPools: try context.cognitoIdentityProvider)
    }

    /// Reads a provider. Cognito adds details (URLs, issuer) and mappings (`username`) of its
    /// own; only the mapped attributes the stack declared are compared.
    private func find(pool: String, name: String, mapped: Set<String>?,
                      userPools: AWS.CognitoIdentityProvider) async throws -> ResourceSnapshot? {
        guard let provider = try await userPools.describeIdentityProvider(pool: pool, name: name) else { return nil }
        let details = provider.providerDetails ?? [:]
        var properties: [String: Value] = [:]
        properties[property.userPoolID] = pool
        properties[property.providerName] = name
        properties[property.providerType] = provider.providerType ?? ""
        properties[property.clientID] = details["client_id"] ?? ""
        properties[property.clientSecret] = details["client_secret"] ?? ""
        properties[property.authorizeScopes] = details["authorize_scopes"] ?? ""
        properties[property.attributeMapping] = (provider.attributeMapping ?? [:]).filter { mapped?.contains($0.key) ?? true }
        return ResourceSnapshot(id: "\(pool)/\(name)", properties: properties)
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        try await context.cognitoIdentityProvider.updateIdentityProvider(Self.provider(desired, includeType: false))
        return try await read(ResourceSnapshot(id: current.id, properties: desired), context: context) ?? current
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let userPools = try context.cognitoIdentityProvider
        _ = try await nilWhenMissing(.resourceNotFoundException) {
            try await userPools.deleteIdentityProvider(pool: current.properties[property.userPoolID] ?? "",
                                                       name: current.properties[property.providerName] ?? "")
        }
    }

    /// A provider is imported as `<pool id>/<provider name>` (`ProviderNameType`: 1 to 32
    /// letters, marks, symbols, digits, punctuation and spaces).
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: CognitoValues.userPoolIDPattern + #"/[\p{L}\p{M}\p{S}\p{N}\p{P}\p{Zs}]{1,32}"#,
                             expected: "an identity provider is imported as POOL_ID/PROVIDER_NAME (us-east-1_aB3dE5fG7/Google)")
    }

    /// `USER_POOL_ID/PROVIDER_NAME`.
    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let slash = id.firstIndex(of: "/") else { return nil }
        return try await find(pool: String(id[..<slash]), name: String(id[id.index(after: slash)...]), mapped: nil,
                              userPools: try context.cognitoIdentityProvider)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(ResourceSnapshot(id: "", properties: properties), context: context)
    }

    static func provider(_ properties: [String: Value], includeType: Bool) -> AWS.CognitoIdentityProvider.IdentityProvider {
        let property = Cognito.IdentityProvider.property
        return AWS.CognitoIdentityProvider.IdentityProvider(
            userPoolID: properties[property.userPoolID], providerName: properties[property.providerName],
            providerType: includeType ? properties[property.providerType] : nil,
            providerDetails: ["client_id": properties[property.clientID] ?? "", "client_secret": properties[property.clientSecret] ?? "",
                              "authorize_scopes": properties[property.authorizeScopes] ?? ""],
            attributeMapping: properties[property.attributeMapping] ?? [:])
    }
}

extension IdentityProviderType: AccessDeclaring {
    /// Cognito user pool actions per the Service Authorization Reference (Amazon Cognito User Pools).
    static let access: ResourceAccess = {
        let pool = ARNPattern.arn("arn:{partition}:cognito-idp:{region}:{account}:userpool/{userPoolID}")
        return ResourceAccess([
            IAMCall(.cognitoIdentityProvider, "CreateIdentityProvider", in: [.create], on: [pool]),
            IAMCall(.cognitoIdentityProvider, "DescribeIdentityProvider", in: .readingBack, on: [pool]),
            IAMCall(.cognitoIdentityProvider, "UpdateIdentityProvider", in: [.update], on: [pool]),
            IAMCall(.cognitoIdentityProvider, "DeleteIdentityProvider", in: [.delete], on: [pool]),
        ])
    }()
}
