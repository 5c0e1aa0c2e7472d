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

    /// Creates the IAM calls of `client`.
    public init(client: AWSClient) {
        self.client = client
    }

    /// Lists every role, following `Marker` pages.
    /// - Parameter pathPrefix: only roles under this path (`PathPrefix`), all when nil.
    /// - Returns: the roles.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func listRoles(pathPrefix: String? = nil) async throws -> [Role] {
        var roles: [Role] = []
        var marker: String?
        repeat {
            var parameters = QueryParameters()
            parameters["PathPrefix"] = pathPrefix
            parameters["Marker"] = marker
            let result = try await client.query(.iam, "ListRoles", parameters)
            roles += result.list("Roles").map {
                Role(name: $0.string("RoleName") ?? "", arn: $0.string("Arn") ?? "", roleID: $0.string("RoleId") ?? "",
                     path: $0.string("Path") ?? "/", createDate: AWSTimestamp.parse($0.string("CreateDate")))
            }
            marker = result.string("IsTruncated") == "true" ? result.string("Marker") : nil
        } while marker != nil
        return roles
    }
}

extension AWSClient {
    /// The typed IAM calls of this client.
    public var iam: IAM { IAM(client: self) }
}
