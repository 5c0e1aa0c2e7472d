import Foundation

/// Typed calls to AWS Systems Manager Parameter Store (JSON 1.1, target prefix `AmazonSSM`,
/// botocore `ssm` 2014-11-06).
public struct SSM: Sendable {
    /// A parameter as `GetParameter` returns it.
    public struct Parameter: Sendable, Equatable, Decodable {
        /// The parameter's name (`/aws/service/…`, `/app/db/url`).
        public var name: String
        /// `String`, `StringList` or `SecureString`.
        public var type: String
        /// The value; a `SecureString`'s ciphertext unless read with decryption.
        public var value: String
        /// The version, counted from 1 by each `PutParameter`.
        public var version: Int
        /// The parameter's ARN.
        public var arn: String?
        /// `text`, `aws:ec2:image` or `aws:ssm:integration`.
        public var dataType: String?

        enum CodingKeys: String, CodingKey {
            case name = "Name", type = "Type", value = "Value", version = "Version", arn = "ARN", dataType = "DataType"
        }
    }

    struct GetParameterInput: Encodable {
        var name: String
        var withDecryption: Bool
        enum CodingKeys: String, CodingKey { case name = "Name", withDecryption = "WithDecryption" }
    }

    struct GetParameterOutput: Decodable {
        var parameter: Parameter
        enum CodingKeys: String, CodingKey { case parameter = "Parameter" }
    }

    /// A parameter's settings as `DescribeParameters` lists them.
    public struct ParameterMetadata: Sendable, Equatable, Decodable {
        /// The parameter's name.
        public var name: String
        /// `String`, `StringList` or `SecureString`.
        public var type: String?
        /// The KMS key a `SecureString` is encrypted with (`alias/aws/ssm` unless another was given).
        public var keyID: String?
        /// The description.
        public var description: String?
        /// `Standard`, `Advanced` or `Intelligent-Tiering`.
        public var tier: String?
        /// The version.
        public var version: Int?

        enum CodingKeys: String, CodingKey {
            case name = "Name", type = "Type", keyID = "KeyId", description = "Description", tier = "Tier", version = "Version"
        }
    }

    /// A tag of a resource of this service.
    public typealias Tag = KeyValueTag

    /// What `PutParameter` writes.
    public struct PutParameterInput: Sendable, Encodable {
        /// The name.
        public var name: String
        /// The value (4 KB at most in the Standard tier, 8 KB in Advanced).
        public var value: String
        /// `String`, `StringList` or `SecureString`.
        public var type: String
        /// The description; nil leaves it as it is.
        public var description: String?
        /// A `SecureString`'s KMS key; nil for `alias/aws/ssm`.
        public var keyID: String?
        /// `Standard`, `Advanced` or `Intelligent-Tiering`.
        public var tier: String?
        /// Replace an existing parameter; tags may only be given when false.
        public var overwrite: Bool
        /// Tags of a new parameter.
        public var tags: [Tag]?

        /// Creates the input.
        public init(name: String, value: String, type: String, description: String?, keyID: String?, tier: String?,
                    overwrite: Bool, tags: [Tag]?) {
            self.name = name
            self.value = value
            self.type = type
            self.description = description
            self.keyID = keyID
            self.tier = tier
            self.overwrite = overwrite
            self.tags = tags
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name", value = "Value", type = "Type", description = "Description", keyID = "KeyId", tier = "Tier"
            case overwrite = "Overwrite", tags = "Tags"
        }
    }

    struct NameInput: Encodable {
        var name: String
        enum CodingKeys: String, CodingKey { case name = "Name" }
    }

    struct DescribeParametersInput: Encodable {
        struct Filter: Encodable {
            var key: String
            var option: String
            var values: [String]
            enum CodingKeys: String, CodingKey { case key = "Key", option = "Option", values = "Values" }
        }
        var parameterFilters: [Filter]
        var nextToken: String?
        enum CodingKeys: String, CodingKey { case parameterFilters = "ParameterFilters", nextToken = "NextToken" }
    }

    struct DescribeParametersOutput: Decodable {
        var parameters: [ParameterMetadata]?
        var nextToken: String?
        enum CodingKeys: String, CodingKey { case parameters = "Parameters", nextToken = "NextToken" }
    }

    struct TagsInput: Encodable {
        var resourceType = "Parameter"
        var resourceID: String
        var tags: [Tag]?
        var tagKeys: [String]?
        enum CodingKeys: String, CodingKey { case resourceType = "ResourceType", resourceID = "ResourceId", tags = "Tags", tagKeys = "TagKeys" }
    }

    struct TagsOutput: Decodable {
        var tagList: [Tag]?
        enum CodingKeys: String, CodingKey { case tagList = "TagList" }
    }

    let client: AWSClient
    /// The region every call goes to; nil for the client's configured region.
    public let region: String?

    /// Creates the SSM calls of `client` in `region`.
    public init(client: AWSClient, region: String? = nil) {
        self.client = client
        self.region = region
    }

    /// Reads one parameter (`GetParameter`).
    /// - Parameters:
    ///   - name: the parameter's name or ARN.
    ///   - withDecryption: decrypt a `SecureString`'s value.
    /// - Returns: the parameter.
    /// - Throws: `AWSError` (``AWSErrorCode/parameterNotFound`` when there is none), `AWSClientError`.
    public func getParameter(_ name: String, withDecryption: Bool = false) async throws -> Parameter {
        try await client.json(.ssm, "GetParameter", GetParameterInput(name: name, withDecryption: withDecryption),
                              as: GetParameterOutput.self, region: region).parameter
    }

    /// Creates or overwrites a parameter (`PutParameter`).
    /// - Returns: the new version.
    /// - Throws: `AWSError` (`ParameterAlreadyExists` without `overwrite`, `InvalidKeyId`,
    ///   `HierarchyLevelLimitExceededException`, …), `AWSClientError`.
    @discardableResult
    public func putParameter(_ input: PutParameterInput) async throws -> Int {
        struct Output: Decodable {
            var version: Int?
            enum CodingKeys: String, CodingKey { case version = "Version" }
        }
        return try await client.json(.ssm, "PutParameter", input, as: Output.self, region: region).version ?? 1
    }

    /// Deletes a parameter (`DeleteParameter`).
    /// - Throws: `AWSError` (``AWSErrorCode/parameterNotFound`` when there is none), `AWSClientError`.
    public func deleteParameter(_ name: String) async throws {
        _ = try await client.json(.ssm, "DeleteParameter", NameInput(name: name), as: AWSEmpty.self, region: region)
    }

    /// The settings of the parameter named exactly `name` (`DescribeParameters` with a `Name`
    /// `Equals` filter); nil when there is none.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func describeParameter(_ name: String) async throws -> ParameterMetadata? {
        let filter = DescribeParametersInput.Filter(key: "Name", option: "Equals", values: [name])
        let all = try await Paginator.collect({ token in
            try await client.json(.ssm, "DescribeParameters", DescribeParametersInput(parameterFilters: [filter], nextToken: token),
                                  as: DescribeParametersOutput.self, region: region)
        }, items: { $0.parameters ?? [] }, next: { $0.nextToken })
        return all.first { $0.name == name }
    }

    /// A parameter's tags (`ListTagsForResource`).
    /// - Throws: `AWSError` (`InvalidResourceId` when there is no such parameter), `AWSClientError`.
    public func tags(ofParameter name: String) async throws -> [Tag] {
        try await client.json(.ssm, "ListTagsForResource", TagsInput(resourceID: name), as: TagsOutput.self, region: region).tagList ?? []
    }

    /// Adds or overwrites tags (`AddTagsToResource`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func tagParameter(_ name: String, tags: [Tag]) async throws {
        _ = try await client.json(.ssm, "AddTagsToResource", TagsInput(resourceID: name, tags: tags), as: AWSEmpty.self, region: region)
    }

    /// Removes tags by key (`RemoveTagsFromResource`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func untagParameter(_ name: String, keys: [String]) async throws {
        _ = try await client.json(.ssm, "RemoveTagsFromResource", TagsInput(resourceID: name, tagKeys: keys), as: AWSEmpty.self, region: region)
    }
}

extension AWSErrorCode {
    /// SSM: no parameter has that name (`GetParameter`, `DeleteParameter`).
    public static let parameterNotFound: Self = "ParameterNotFound"
}

extension AWSClient {
    /// The typed SSM calls of this client in `region`.
    public func ssm(region: String) -> SSM { SSM(client: self, region: region) }
}
