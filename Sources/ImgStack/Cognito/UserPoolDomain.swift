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
        public static let typeName = "cognito.user_pool_domain"

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
            list.set("domain", domain)
            list.set("userPoolID", userPoolID)
            return list.values
        }

        /// The hosted UI's base URL.
        public var url: Text { attribute("url") }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { UserPoolDomainType(aws: aws) }
    }
}

/// Creates and deletes hosted-UI domains.
struct UserPoolDomainType: ResourceType {
    let aws: AWSClient

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: Cognito.UserPoolDomain.typeName, terraformType: "aws_cognito_user_pool_domain",
            properties: [PropertySchema("domain", forcesReplacement: true), PropertySchema("userPoolID", forcesReplacement: true)],
            attributes: [AttributeSchema("url")],
            uniqueNameProperty: "domain")
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        guard let domain = properties["domain"]?.literal?.stringValue else { return [] }
        let valid = (1...63).contains(domain.count) && domain.first != "-" && domain.last != "-"
            && domain.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
            && !domain.contains("aws") && !domain.contains("amazon") && !domain.contains("cognito")
        return valid ? [] : [ValidationIssue(subject: address.description, property: "domain",
                                             message: "\"\(domain)\" must be 1–63 lowercase letters, digits and inner hyphens, without aws, amazon or cognito")]
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let domain = properties["domain"]?.stringValue ?? ""
        try await aws.cognitoIdentityProvider.createUserPoolDomain(domain, pool: properties["userPoolID"]?.stringValue ?? "", region: context.region)
        return snapshot(domain, pool: properties["userPoolID"]?.stringValue ?? "", region: context.region)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(recorded.id, region: context.region)
    }

    private func find(_ domain: String, region: String) async throws -> ResourceSnapshot? {
        guard let pool = try await aws.cognitoIdentityProvider.userPoolOfDomain(domain, region: region) else { return nil }
        return snapshot(domain, pool: pool, region: region)
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        current  // Both properties force replacement.
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        do {
            try await aws.cognitoIdentityProvider.deleteUserPoolDomain(current.id, pool: current.properties["userPoolID"]?.stringValue ?? "",
                                                                       region: context.region)
        } catch let error as AWSError where ["ResourceNotFoundException", "InvalidParameterException"].contains(error.code) {
            return
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(id, region: context.region)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let domain = properties["domain"]?.stringValue else { return nil }
        return try await find(domain, region: context.region)
    }

    private func snapshot(_ domain: String, pool: String, region: String) -> ResourceSnapshot {
        ResourceSnapshot(id: domain, properties: ["domain": .string(domain), "userPoolID": .string(pool)],
                         attributes: ["url": .string("https://\(domain).auth.\(region).amazoncognito.com")])
    }
}
