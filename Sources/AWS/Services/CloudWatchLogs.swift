import Foundation

/// Typed calls to Amazon CloudWatch Logs (JSON 1.1, target prefix `Logs_20140328`; member names
/// from botocore's `logs` 2014-03-28 model): log groups, their retention, KMS key and tags.
public struct CloudWatchLogs: Sendable {
    /// A log group as `DescribeLogGroups` lists it.
    public struct LogGroup: Sendable, Equatable, Decodable {
        /// The group's name.
        public var logGroupName: String
        /// `arn:aws:logs:<region>:<account>:log-group:<name>:*` (with the trailing `:*`).
        public var arn: String?
        /// `arn:aws:logs:<region>:<account>:log-group:<name>` (without it): what the tagging
        /// calls take.
        public var logGroupArn: String?
        /// Days events are kept; nil when they never expire.
        public var retentionInDays: Int?
        /// The ARN of the KMS key that encrypts its events; nil for CloudWatch Logs' own keys.
        public var kmsKeyId: String?
        /// When it was created, in milliseconds since 1970.
        public var creationTime: Int64?
    }

    let client: AWSClient
    /// The region every call goes to; nil for the client's configured region.
    public let region: String?

    /// Creates the CloudWatch Logs calls of `client` in `region`.
    public init(client: AWSClient, region: String? = nil) {
        self.client = client
        self.region = region
    }

    private func call<I: Encodable, O: Decodable>(_ operation: String, _ input: I, as: O.Type = AWSEmpty.self) async throws -> O {
        try await client.json(.cloudWatchLogs, operation, input, as: O.self, region: region)
    }

    struct LogGroupNameInput: Encodable {
        var logGroupName: String
    }

    // MARK: - Log groups

    /// Creates a log group (`CreateLogGroup`).
    /// - Parameters:
    ///   - name: 1–512 characters of letters, digits, `.`, `-`, `_`, `/` and `#`.
    ///   - kmsKeyID: the ARN of a KMS key whose policy lets `logs.<region>.amazonaws.com` use it.
    ///   - tags: at most 50.
    /// - Throws: `AWSError` (`ResourceAlreadyExistsException`, `InvalidParameterException`,
    ///   `LimitExceededException`).
    public func createLogGroup(_ name: String, kmsKeyID: String?, tags: [String: String]) async throws {
        struct Input: Encodable {
            var logGroupName: String
            var kmsKeyId: String?
            var tags: [String: String]?
        }
        _ = try await call("CreateLogGroup", Input(logGroupName: name, kmsKeyId: kmsKeyID, tags: tags.isEmpty ? nil : tags))
    }

    /// The log group named exactly `name` (`DescribeLogGroups` with `logGroupNamePrefix`, every
    /// page: other groups may share the prefix).
    /// - Returns: nil when there is none.
    public func logGroup(_ name: String) async throws -> LogGroup? {
        struct Input: Encodable {
            var logGroupNamePrefix: String
            var nextToken: String?
            var limit = 50
        }
        struct Output: Decodable {
            var logGroups: [LogGroup]?
            var nextToken: String?
        }
        let groups = try await Paginator.collect({ token in
            try await call("DescribeLogGroups", Input(logGroupNamePrefix: name, nextToken: token), as: Output.self)
        }, items: { $0.logGroups ?? [] }, next: { $0.nextToken })
        return groups.first { $0.logGroupName == name }
    }

    /// Keeps events for `days` (`PutRetentionPolicy`).
    /// - Parameter days: one of ``allowedRetentionDays``.
    /// - Throws: `AWSError` (`ResourceNotFoundException`, `InvalidParameterException` for another number).
    public func putRetentionPolicy(_ name: String, days: Int) async throws {
        struct Input: Encodable {
            var logGroupName: String
            var retentionInDays: Int
        }
        _ = try await call("PutRetentionPolicy", Input(logGroupName: name, retentionInDays: days))
    }

    /// Keeps events for ever (`DeleteRetentionPolicy`).
    /// - Throws: `AWSError` `ResourceNotFoundException`.
    public func deleteRetentionPolicy(_ name: String) async throws {
        _ = try await call("DeleteRetentionPolicy", LogGroupNameInput(logGroupName: name))
    }

    /// Encrypts the group's new events with a KMS key (`AssociateKmsKey`).
    /// - Parameter kmsKeyID: the key's ARN.
    /// - Throws: `AWSError` (`ResourceNotFoundException`, `InvalidParameterException`).
    public func associateKmsKey(_ name: String, kmsKeyID: String) async throws {
        struct Input: Encodable {
            var logGroupName: String
            var kmsKeyId: String
        }
        _ = try await call("AssociateKmsKey", Input(logGroupName: name, kmsKeyId: kmsKeyID))
    }

    /// Stops encrypting the group's new events with its KMS key (`DisassociateKmsKey`).
    /// - Throws: `AWSError` `ResourceNotFoundException`.
    public func disassociateKmsKey(_ name: String) async throws {
        _ = try await call("DisassociateKmsKey", LogGroupNameInput(logGroupName: name))
    }

    /// Deletes a log group and its events (`DeleteLogGroup`).
    /// - Throws: `AWSError` `ResourceNotFoundException` when there is none.
    public func deleteLogGroup(_ name: String) async throws {
        _ = try await call("DeleteLogGroup", LogGroupNameInput(logGroupName: name))
    }

    // MARK: - Tags

    /// A log group's tags (`ListTagsForResource`).
    /// - Parameter arn: the group's ARN without the trailing `:*` (``LogGroup/logGroupArn``).
    public func tags(_ arn: String) async throws -> [String: String] {
        struct Input: Encodable {
            var resourceArn: String
        }
        struct Output: Decodable {
            var tags: [String: String]?
        }
        return try await call("ListTagsForResource", Input(resourceArn: arn), as: Output.self).tags ?? [:]
    }

    /// Adds or overwrites tags (`TagResource`).
    public func tagResource(_ arn: String, tags: [String: String]) async throws {
        struct Input: Encodable {
            var resourceArn: String
            var tags: [String: String]
        }
        _ = try await call("TagResource", Input(resourceArn: arn, tags: tags))
    }

    /// Removes tags (`UntagResource`).
    public func untagResource(_ arn: String, keys: [String]) async throws {
        struct Input: Encodable {
            var resourceArn: String
            var tagKeys: [String]
        }
        _ = try await call("UntagResource", Input(resourceArn: arn, tagKeys: keys))
    }

    /// The retention periods `PutRetentionPolicy` accepts, in days (botocore's `Days`
    /// documentation; CloudWatch Logs answers `InvalidParameterException` for any other).
    public static let allowedRetentionDays: [Int] = [
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
    ]
}

extension AWSClient {
    /// The typed CloudWatch Logs calls of this client in `region`.
    public func cloudWatchLogs(region: String) -> CloudWatchLogs { CloudWatchLogs(client: self, region: region) }
}

extension AWSErrorCode {
    /// CloudWatch Logs: `CreateLogGroup` with a name the account already has in the region.
    public static let resourceAlreadyExistsException: Self = "ResourceAlreadyExistsException"
}
