import Foundation

/// Typed calls to AWS STS (query protocol, botocore `sts` 2011-06-15).
public struct STS: Sendable {
    /// Who the credentials belong to, from `GetCallerIdentity`.
    public struct CallerIdentity: Sendable, Equatable {
        /// The 12-digit account id.
        public var account: String
        /// The ARN of the user or assumed role.
        public var arn: String
        /// The unique id of the caller (`AIDA…` or `AROA…:session`).
        public var userID: String

        /// The partition the account is in (`aws`, `aws-cn`, `aws-us-gov`), from ``arn``;
        /// `aws` when the ARN names none.
        public var partition: String { PrincipalARN(arn)?.partition ?? "aws" }
    }

    /// The partition and account of a principal's ARN, `arn:PARTITION:SERVICE::ACCOUNT:…`
    /// (`arn:aws-cn:sts::111122223333:assumed-role/deploy/ci`), as `GetCallerIdentity` and
    /// `AssumedRoleUser` give it (IAM User Guide, "IAM ARNs").
    public struct PrincipalARN: Sendable, Equatable {
        /// `aws`, `aws-cn`, `aws-us-gov`…
        public var partition: String
        /// The 12-digit account id; nil when the ARN's account field is not one.
        public var account: String?

        /// Parses `arn`; nil when it is not an ARN with a partition.
        public init?(_ arn: String) {
            let fields = arn.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count >= 6, fields[0] == "arn", !fields[1].isEmpty else { return nil }
            partition = String(fields[1])
            let account = fields[4]
            self.account = account.count == 12 && account.allSatisfy({ $0.isASCII && $0.isNumber }) ? String(account) : nil
        }
    }

    let client: AWSClient

    /// Creates the STS calls of `client`.
    public init(client: AWSClient) {
        self.client = client
    }

    /// Returns the account, ARN and user id of the client's credentials.
    /// - Throws: `AWSError` (e.g. `InvalidClientTokenId`), `AWSClientError`.
    public func getCallerIdentity() async throws -> CallerIdentity {
        let result = try await client.query(.sts, "GetCallerIdentity")
        return CallerIdentity(account: try Self.required(result, "Account", "GetCallerIdentity"),
                              arn: try Self.required(result, "Arn", "GetCallerIdentity"),
                              userID: try Self.required(result, "UserId", "GetCallerIdentity"))
    }

    /// Assumes a role with the client's credentials.
    /// - Parameters:
    ///   - roleARN: the role to assume.
    ///   - sessionName: `RoleSessionName`, shown in CloudTrail.
    ///   - externalID: `ExternalId`, when the role's trust policy asks for one.
    ///   - durationSeconds: `DurationSeconds`; AWS's default (3600) when nil.
    /// - Returns: temporary credentials with their expiry.
    /// - Throws: `AWSError` (e.g. `AccessDenied`), `AWSClientError`.
    public func assumeRole(roleARN: String, sessionName: String, externalID: String? = nil, durationSeconds: Int? = nil) async throws -> AWSCredentials {
        try await assumeRole(roleARN: roleARN, sessionName: sessionName, externalID: externalID, durationSeconds: durationSeconds, authentication: .client)
    }

    func assumeRole(roleARN: String, sessionName: String, externalID: String?, durationSeconds: Int?,
                    authentication: AWSClient.Authentication) async throws -> AWSCredentials {
        var parameters: QueryParameters = ["RoleArn": roleARN, "RoleSessionName": sessionName]
        parameters["ExternalId"] = externalID
        parameters["DurationSeconds"] = durationSeconds.map(String.init)
        let result = try await client.query(.sts, "AssumeRole", parameters, region: nil, authentication: authentication)
        return try Self.credentials(in: result, operation: "AssumeRole")
    }

    /// Exchanges a web identity token (e.g. GitHub's OIDC token) for role credentials. The
    /// request is sent unsigned, as AWS allows: the token is the authentication.
    /// - Parameters:
    ///   - roleARN: the role to assume.
    ///   - sessionName: `RoleSessionName`.
    ///   - webIdentityToken: the OIDC token.
    /// - Returns: temporary credentials with their expiry.
    /// - Throws: `AWSError` (e.g. `InvalidIdentityToken`), `AWSClientError`.
    public func assumeRoleWithWebIdentity(roleARN: String, sessionName: String, webIdentityToken: String) async throws -> AWSCredentials {
        let parameters: QueryParameters = ["RoleArn": roleARN, "RoleSessionName": sessionName, "WebIdentityToken": webIdentityToken]
        let result = try await client.query(.sts, "AssumeRoleWithWebIdentity", parameters, region: nil, authentication: .unsigned)
        return try Self.credentials(in: result, operation: "AssumeRoleWithWebIdentity")
    }

    static func credentials(in result: XMLNode, operation: String) throws -> AWSCredentials {
        guard let credentials = result["Credentials"] else {
            throw AWSClientError(.invalidResponse, "sts \(operation) answered without Credentials")
        }
        return AWSCredentials(accessKeyID: try required(credentials, "AccessKeyId", operation),
                              secretAccessKey: try required(credentials, "SecretAccessKey", operation),
                              sessionToken: credentials.string("SessionToken"),
                              expiration: AWSTimestamp.parse(credentials.string("Expiration")),
                              principalARN: result["AssumedRoleUser"]?.string("Arn"))
    }

    static func required(_ node: XMLNode, _ name: String, _ operation: String) throws -> String {
        guard let value = node.string(name) else {
            throw AWSClientError(.invalidResponse, "sts \(operation) answered without \(name)")
        }
        return value
    }
}

extension AWSClient {
    /// The typed STS calls of this client.
    public var sts: STS { STS(client: self) }
}
