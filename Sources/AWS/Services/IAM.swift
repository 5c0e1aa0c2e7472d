import Foundation

/// Typed calls to AWS IAM (query protocol, global, signed in `us-east-1`).
public struct IAM: Sendable {
    /// A role as `ListRoles` shows it.
    public struct Role: Sendable, Equatable {
        /// The role name.
        public var name: String
        /// The role ARN.
        public var arn: String
        /// The stable id (`AROA…`).
        public var roleID: String
        /// The path, `/` by default.
        public var path: String
        /// When the role was created.
        public var createDate: Date?
    }

    let client: AWSClient
    /// The region every call is signed for; nil for the client's configured region. IAM is
    /// global: any region of a partition reaches `iam.amazonaws.com` (signed in `us-east-1`).
    public let region: String?

    /// Creates the IAM calls of `client` in `region`.
    public init(client: AWSClient, region: String? = nil) {
        self.client = client
        self.region = region
    }

    /// Lists every role, following `Marker` pages.
    /// - Parameter pathPrefix: only roles under this path (`PathPrefix`), all when nil.
    /// - Returns: the roles.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func listRoles(pathPrefix: String? = nil) async throws -> [Role] {
        var parameters = QueryParameters()
        parameters["PathPrefix"] = pathPrefix
        return try await allPages("ListRoles", parameters) { result in
            result.list("Roles").map {
                Role(name: $0.string("RoleName") ?? "", arn: $0.string("Arn") ?? "", roleID: $0.string("RoleId") ?? "",
                     path: $0.string("Path") ?? "/", createDate: AWSTimestamp.parse($0.string("CreateDate")))
            }
        }
    }
}

extension AWSClient {
    /// The typed IAM calls of this client, in its configured region.
    public var iam: IAM { IAM(client: self) }

    /// The typed IAM calls of this client in `region` (IAM is global: the region picks the
    /// partition's endpoint and signing region).
    public func iam(region: String) -> IAM { IAM(client: self, region: region) }
}

extension AWSErrorCode {
    /// IAM: no role, policy, instance profile or provider by that name or ARN — also the answer
    /// for one created a moment ago that IAM has not propagated yet.
    public static let noSuchEntity: Self = "NoSuchEntity"
    /// IAM: a policy document IAM refuses — also "Invalid principal in policy" for a principal
    /// created a moment ago (`CreateRole`, `UpdateAssumeRolePolicy`).
    public static let malformedPolicyDocument: Self = "MalformedPolicyDocument"
}
