import AWS
import Engine

extension Cognito {
    /// The hosted-UI domain prefix of a user pool (`aws_cognito_user_pool_domain`):
    /// `https://<domain>.auth.<region>.amazoncognito.com`. Its reference to the pool makes
    /// imgstack delete it before the pool, as Cognito requires.
    ///
    /// ```swift
    /// stack.add(Cognito.UserPoolDomain("login", domain: "images-login", userPoolID: users.poolID))
    /// ```
    public struct UserPoolDomain: Resource {
        public static let terraformType = "aws_cognito_user_pool_domain"

        public var name: String
        /// The prefix: lowercase letters, digits and hyphens, 1–63 characters, unique in the
        /// region. Changing it replaces the domain.
        public var domain: Text
        /// The pool. Changing it replaces the domain.
        public var userPoolID: Text
        public var dependsOn: [Address] = []

        /// Declares a domain.
        public init(_ name: String, domain: Text, userPoolID: Text) {
            self.name = name
            self.domain = domain
            self.userPoolID = userPoolID
        }

        public var properties: [String: Engine.Expression] {
            var list = PropertyList()
            list.set(Self.property.domain, domain)
            list.set(Self.property.userPoolID, userPoolID)
            return list.values
        }

        /// The hosted UI's base URL.
        public var url: Text { attribute("url") }

        public static func makeType() -> any ResourceType { UserPoolDomainType() }
    }
}

extension Cognito.UserPoolDomain {
    /// A domain's properties, each declared once.
    struct Properties: PropertySet {
        let domain = Property<String>("domain", forcesReplacement: true)
        let userPoolID = Property<String>("userPoolID", forcesReplacement: true)
    }

    static let property = Properties()
}

/// Creates and deletes hosted-UI domains.
struct UserPoolDomainType: ResourceType {
    static let schema = ResourceSchema(Cognito.UserPoolDomain.self, Cognito.UserPoolDomain.Properties.self, attributes: [AttributeSchema("url")],
                                       uniqueName: [Cognito.UserPoolDomain.property.domain])

    var schema: ResourceSchema { Self.schema }
    private var property: Cognito.UserPoolDomain.Properties { Cognito.UserPoolDomain.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        guard let domain = properties.literal(property.domain) else { return [] }
        let valid = (1...63).contains(domain.count) && domain.first != "-" && domain.last != "-"
            && domain.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
            && !domain.contains("aws") && !domain.contains("amazon") && !domain.contains("cognito")
        return valid ? [] : [ValidationIssue(address, property.domain,
                                             "\"\(domain)\" must be 1–63 lowercase letters, digits and inner hyphens, without aws, amazon or cognito")]
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let domain = properties[property.domain] ?? ""
        let pool = properties[property.userPoolID] ?? ""
        try await context.cognitoIdentityProvider.createUserPoolDomain(domain, pool: pool)
        return snapshot(domain, pool: pool, region: context.region)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(recorded.id, context: context)
    }

    private func find(_ domain: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let pool = try await context.cognitoIdentityProvider.userPoolOfDomain(domain) else { return nil }
        return snapshot(domain, pool: pool, region: context.region)
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        current  // Both properties force replacement.
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let userPools = try context.cognitoIdentityProvider
        // InvalidParameterException: the pool no longer holds the domain (or is gone itself).
        _ = try await nilWhenMissing(.resourceNotFoundException, .invalidParameterException) {
            try await userPools.deleteUserPoolDomain(current.id, pool: current.properties[property.userPoolID] ?? "")
        }
    }

    /// A domain is imported by its prefix (`DomainType`).
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: #"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"#,
                             expected: "a user pool domain is imported by its prefix (1 to 63 lower-case letters, digits and hyphens, such as images-login)")
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(id, context: context)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let domain = properties[property.domain] else { return nil }
        return try await find(domain, context: context)
    }

    private func snapshot(_ domain: String, pool: String, region: String) -> ResourceSnapshot {
        var properties: [String: Value] = [:]
        properties[property.domain] = domain
        properties[property.userPoolID] = pool
        return ResourceSnapshot(id: domain, properties: properties, attributes: ["url": .string("https://\(domain).auth.\(region).amazoncognito.com")])
    }
}

extension UserPoolDomainType: AccessDeclaring {
    /// Cognito user pool actions per the Service Authorization Reference (Amazon Cognito User
    /// Pools): `DescribeUserPoolDomain` takes no resource.
    static let access: ResourceAccess = {
        let pool = ARNPattern.arn("arn:{partition}:cognito-idp:{region}:{account}:userpool/{userPoolID}")
        return ResourceAccess([
            IAMCall(.cognitoIdentityProvider, "CreateUserPoolDomain", in: [.create], on: [pool]),
            IAMCall(.cognitoIdentityProvider, "DescribeUserPoolDomain", in: .readingBack.union([.delete]),
                    on: [.anyResource(reason: "cognito-idp:DescribeUserPoolDomain takes no resource")]),
            IAMCall(.cognitoIdentityProvider, "DeleteUserPoolDomain", in: [.delete], on: [pool]),
        ])
    }()
}
