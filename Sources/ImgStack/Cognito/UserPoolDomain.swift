import AWS
import Engine
import Foundation

extension Cognito {
    /// The hosted UI domain prefix of a user pool (`aws_cognito_user_pool_domain`):
    /// `https://<domain>.auth.<region>.amazoncognito.com`.
    ///
    /// ```swift
    /// stack.add(Cognito.UserPoolDomain("login", domain: "images-login", userPoolID: pool.id))
    /// ```
    ///
    /// Its reference to the pool makes imgstack delete it before the pool, as AWS requires.
    public struct UserPoolDomain: Resource {
        public static let typeName = "cognito.user_pool_domain"

        public var name: String
        /// The prefix: 1 to 63 lower-case letters, digits and hyphens, not starting or ending with a
        /// hyphen, unique in the region, without `aws`, `amazon` or `cognito`. Changing it replaces the domain.
        public var domain: Text
        /// The pool: `pool.id`. Changing it replaces the domain.
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

        /// The CloudFront distribution that serves the hosted UI.
        public var cloudFrontDistribution: Text { attribute("cloudFrontDistribution") }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { UserPoolDomainType(aws: aws) }
    }
}

/// Creates, reads and deletes user pool domains.
struct UserPoolDomainType: ResourceType {
    let aws: AWSClient

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: Cognito.UserPoolDomain.typeName, terraformType: "aws_cognito_user_pool_domain",
            properties: [PropertySchema("domain", forcesReplacement: true), PropertySchema("userPoolID", forcesReplacement: true)],
            attributes: [AttributeSchema("cloudFrontDistribution")], uniqueNameProperty: "domain")
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        guard let domain = properties["domain"]?.literal?.stringValue, let problem = Self.problem(domain) else { return [] }
        return [ValidationIssue(subject: address.description, property: "domain", message: problem)]
    }

    /// What is wrong with a domain prefix (pattern `^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$`), if anything.
    static func problem(_ domain: String) -> String? {
        let allowed = domain.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
        if domain.isEmpty || domain.count > 63 || !allowed || domain.hasPrefix("-") || domain.hasSuffix("-") {
            return "\"\(domain)\" must be 1 to 63 lower-case letters, digits and hyphens, not starting or ending with a hyphen"
        }
        // AWS refuses prefixes holding its reserved words.
        if let word = ["aws", "amazon", "cognito"].first(where: { domain.contains($0) }) {
            return "\"\(domain)\" may not contain the reserved word \"\(word)\""
        }
        return nil
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let domain = properties["domain"]?.stringValue ?? ""
        try await aws.cognitoIdentityProvider.createUserPoolDomain(domain, userPoolID: properties["userPoolID"]?.stringValue ?? "",
                                                                   region: context.region)
        let description = try await aws.cognitoIdentityProvider.describeUserPoolDomain(domain, region: context.region)
        return ResourceSnapshot(id: domain, properties: properties, attributes: Self.attributes(description))
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let description = try await aws.cognitoIdentityProvider.describeUserPoolDomain(recorded.id, region: context.region) else {
            return nil
        }
        // A domain being deleted is as good as gone.
        guard description.status != "DELETING" else { return nil }
        return ResourceSnapshot(id: recorded.id,
                                properties: ["domain": .string(description.domain ?? recorded.id), "userPoolID": .string(description.userPoolID ?? "")],
                                attributes: Self.attributes(description))
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        // Both properties force replacement, so the planner never asks for an update.
        ResourceSnapshot(id: current.id, properties: desired, attributes: current.attributes)
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        guard let poolID = current.properties["userPoolID"]?.stringValue else { return }
        do {
            try await aws.cognitoIdentityProvider.deleteUserPoolDomain(current.id, userPoolID: poolID, region: context.region)
        } catch let error as AWSError where CognitoValues.isNotFound(error) {
            return
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(ResourceSnapshot(id: id, properties: [:]), context: context)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let domain = properties["domain"]?.stringValue,
              let found = try await read(ResourceSnapshot(id: domain, properties: [:]), context: context),
              found.properties["userPoolID"] == properties["userPoolID"] else { return nil }
        return found
    }

    static func attributes(_ description: CognitoIdentityProvider.DomainDescription?) -> [String: Value] {
        ["cloudFrontDistribution": .string(description?.cloudFrontDistribution ?? "")]
    }
}
