import Foundation

// Lambda function, version, tag and permission operations (botocore `lambda` 2015-03-31).
extension Lambda {
    /// A function's configuration as `GetFunction`, `CreateFunction` and the update calls return it.
    public struct FunctionConfiguration: Sendable, Equatable, Decodable {
        /// The function name.
        public var name: String
        /// The function ARN; qualified with the version when the answer is about a version.
        public var arn: String
        /// The runtime, e.g. `nodejs20.x`.
        public var runtime: String?
        /// The execution role ARN.
        public var role: String?
        /// The handler, e.g. `index.handler`.
        public var handler: String?
        /// Seconds a run may take.
        public var timeout: Int?
        /// Memory in MB.
        public var memorySize: Int?
        /// SHA-256 of the deployment package, base64.
        public var codeSHA256: String?
        /// `$LATEST` or a published version number.
        public var version: String?
        /// Environment variables; nil when there are none.
        public var environment: Environment?
        /// `x86_64` or `arm64`.
        public var architectures: [String]?
        /// `Pending`, `Active`, `Inactive`, `Failed`.
        public var state: String?
        /// Why the state is what it is.
        public var stateReason: String?
        /// `InProgress`, `Successful`, `Failed`.
        public var lastUpdateStatus: String?
        /// Why the last update failed.
        public var lastUpdateStatusReason: String?

        /// A function's environment.
        public struct Environment: Sendable, Equatable, Codable {
            /// The variables.
            public var variables: [String: String]?

            /// Creates an environment.
            public init(variables: [String: String]?) {
                self.variables = variables
            }

            enum CodingKeys: String, CodingKey {
                case variables = "Variables"
            }
        }

        enum CodingKeys: String, CodingKey {
            case name = "FunctionName", arn = "FunctionArn", runtime = "Runtime", role = "Role", handler = "Handler"
            case timeout = "Timeout", memorySize = "MemorySize", codeSHA256 = "CodeSha256", version = "Version"
            case environment = "Environment", architectures = "Architectures", state = "State", stateReason = "StateReason"
            case lastUpdateStatus = "LastUpdateStatus", lastUpdateStatusReason = "LastUpdateStatusReason"
        }
    }

    /// The settings of a new function (`CreateFunction`), named as botocore names them.
    public struct FunctionDefinition: Sendable, Equatable, Encodable {
        /// The function name (1–64 characters: letters, digits, `-`, `_`).
        public var name: String
        /// The deployment package, a zip.
        public var zipFile: Data
        /// The runtime, e.g. `nodejs20.x`.
        public var runtime: String
        /// The handler, e.g. `index.handler`.
        public var handler: String
        /// The execution role ARN.
        public var role: String
        /// Memory in MB.
        public var memorySize: Int
        /// Seconds a run may take.
        public var timeout: Int
        /// `x86_64` or `arm64` (one item).
        public var architectures: [String]
        /// Environment variables; nil sends none.
        public var environment: [String: String]?
        /// Publish version 1 at once.
        public var publish: Bool
        /// Tags.
        public var tags: [String: String]

        /// Creates a definition.
        public init(name: String, zipFile: Data, runtime: String, handler: String, role: String, memorySize: Int, timeout: Int,
                    architectures: [String], environment: [String: String]?, publish: Bool, tags: [String: String]) {
            self.name = name
            self.zipFile = zipFile
            self.runtime = runtime
            self.handler = handler
            self.role = role
            self.memorySize = memorySize
            self.timeout = timeout
            self.architectures = architectures
            self.environment = environment
            self.publish = publish
            self.tags = tags
        }

        enum CodingKeys: String, CodingKey {
            case name = "FunctionName", code = "Code", runtime = "Runtime", handler = "Handler", role = "Role"
            case memorySize = "MemorySize", timeout = "Timeout", architectures = "Architectures", environment = "Environment"
            case publish = "Publish", tags = "Tags", packageType = "PackageType"
        }

        enum CodeKeys: String, CodingKey {
            case zipFile = "ZipFile"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            var code = container.nestedContainer(keyedBy: CodeKeys.self, forKey: .code)
            try code.encode(zipFile, forKey: .zipFile)  // a blob: base64 in JSON
            try container.encode("Zip", forKey: .packageType)
            try container.encode(runtime, forKey: .runtime)
            try container.encode(handler, forKey: .handler)
            try container.encode(role, forKey: .role)
            try container.encode(memorySize, forKey: .memorySize)
            try container.encode(timeout, forKey: .timeout)
            try container.encode(architectures, forKey: .architectures)
            if let environment { try container.encode(FunctionConfiguration.Environment(variables: environment), forKey: .environment) }
            try container.encode(publish, forKey: .publish)
            if !tags.isEmpty { try container.encode(tags, forKey: .tags) }
        }
    }

    /// The settings `UpdateFunctionConfiguration` changes; nil members are left as they are.
    public struct ConfigurationChange: Sendable, Equatable, Encodable {
        /// The runtime.
        public var runtime: String?
        /// The handler.
        public var handler: String?
        /// The execution role ARN.
        public var role: String?
        /// Memory in MB.
        public var memorySize: Int?
        /// Seconds a run may take.
        public var timeout: Int?
        /// The whole environment (an empty map removes every variable).
        public var environment: FunctionConfiguration.Environment?

        /// Creates a change that changes nothing yet.
        public init() {}

        /// True when no member is set.
        public var isEmpty: Bool { self == ConfigurationChange() }

        enum CodingKeys: String, CodingKey {
            case runtime = "Runtime", handler = "Handler", role = "Role", memorySize = "MemorySize", timeout = "Timeout"
            case environment = "Environment"
        }
    }

    struct GetFunctionOutput: Decodable {
        var configuration: FunctionConfiguration
        var tags: [String: String]?
        enum CodingKeys: String, CodingKey {
            case configuration = "Configuration", tags = "Tags"
        }
    }

    struct CodeUpdate: Encodable {
        var zipFile: Data
        var architectures: [String]
        var publish: Bool
        enum CodingKeys: String, CodingKey {
            case zipFile = "ZipFile", architectures = "Architectures", publish = "Publish"
        }
    }

    struct TagsBody: Codable {
        var tags: [String: String]?
        enum CodingKeys: String, CodingKey { case tags = "Tags" }
    }

    struct PermissionInput: Encodable {
        var statementID: String
        var action: String
        var principal: String
        var sourceARN: String?
        var sourceAccount: String?
        enum CodingKeys: String, CodingKey {
            case statementID = "StatementId", action = "Action", principal = "Principal"
            case sourceARN = "SourceArn", sourceAccount = "SourceAccount"
        }
    }

    struct PolicyOutput: Decodable {
        var policy: String?
        enum CodingKeys: String, CodingKey { case policy = "Policy" }
    }

    // MARK: - Functions

    /// Creates a function from a zip (`CreateFunction`).
    /// - Returns: the new function's configuration (`State` is often `Pending` at first).
    /// - Throws: `AWSError` (`ResourceConflictException` when the name is taken,
    ///   `InvalidParameterValueException` when the role cannot be assumed yet), `AWSClientError`.
    public func createFunction(_ definition: FunctionDefinition) async throws -> FunctionConfiguration {
        try await client.restJSON(.lambda, "CreateFunction", method: "POST", path: "/2015-03-31/functions",
                                  input: definition, as: FunctionConfiguration.self, region: region)
    }

    /// Reads a function's configuration and tags (`GetFunction`).
    /// - Parameters:
    ///   - name: the function name or ARN.
    ///   - qualifier: a version or alias; `$LATEST` when nil.
    /// - Returns: the configuration and tags, nil when there is no such function
    ///   (`ResourceNotFoundException`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func function(_ name: String, qualifier: String? = nil) async throws -> (FunctionConfiguration, [String: String])? {
        let path = try URITemplate.expand("/2015-03-31/functions/{FunctionName}", labels: ["FunctionName": name])
        let output = try await nilWhenMissing(.resourceNotFoundException) {
            try await client.restJSON(.lambda, "GetFunction", method: "GET", path: path,
                                      query: qualifier.map { [("Qualifier", $0)] } ?? [], as: GetFunctionOutput.self, region: region)
        }
        return output.map { ($0.configuration, $0.tags ?? [:]) }
    }

    /// Replaces a function's code with a zip (`UpdateFunctionCode`).
    /// - Parameter publish: publish a version of the new code.
    /// - Returns: the configuration (of the new version when published).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func updateFunctionCode(_ name: String, zipFile: Data, architectures: [String], publish: Bool) async throws -> FunctionConfiguration {
        let path = try URITemplate.expand("/2015-03-31/functions/{FunctionName}/code", labels: ["FunctionName": name])
        return try await client.restJSON(.lambda, "UpdateFunctionCode", method: "PUT", path: path,
                                         input: CodeUpdate(zipFile: zipFile, architectures: architectures, publish: publish),
                                         as: FunctionConfiguration.self, region: region)
    }

    /// Changes a function's settings (`UpdateFunctionConfiguration`).
    /// - Throws: `AWSError` (`ResourceConflictException` while another update is in progress), `AWSClientError`.
    public func updateFunctionConfiguration(_ name: String, _ change: ConfigurationChange) async throws -> FunctionConfiguration {
        let path = try URITemplate.expand("/2015-03-31/functions/{FunctionName}/configuration", labels: ["FunctionName": name])
        return try await client.restJSON(.lambda, "UpdateFunctionConfiguration", method: "PUT", path: path, input: change,
                                         as: FunctionConfiguration.self, region: region)
    }

    /// Publishes a version of the current code and configuration (`PublishVersion`).
    /// - Returns: the version's configuration, its ARN qualified with the version number.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func publishVersion(_ name: String) async throws -> FunctionConfiguration {
        let path = try URITemplate.expand("/2015-03-31/functions/{FunctionName}/versions", labels: ["FunctionName": name])
        return try await client.restJSON(.lambda, "PublishVersion", method: "POST", path: path, input: AWSEmpty(),
                                         as: FunctionConfiguration.self, region: region)
    }

    /// Deletes a function and all its versions (`DeleteFunction`).
    /// - Throws: `AWSError` (`ResourceNotFoundException` when already gone;
    ///   `InvalidParameterValueException` while Lambda@Edge replicas exist), `AWSClientError`.
    public func deleteFunction(_ name: String) async throws {
        let path = try URITemplate.expand("/2015-03-31/functions/{FunctionName}", labels: ["FunctionName": name])
        _ = try await client.rest(.lambda, "DeleteFunction", method: "DELETE", path: path, region: region)
    }

    // MARK: - Tags

    /// The tags of a function (`ListTags`).
    /// - Parameter arn: the function ARN (unqualified).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func tags(_ arn: String) async throws -> [String: String] {
        let path = try URITemplate.expand("/2017-03-31/tags/{Resource}", labels: ["Resource": arn])
        return try await client.restJSON(.lambda, "ListTags", method: "GET", path: path, as: TagsBody.self, region: region).tags ?? [:]
    }

    /// Adds or overwrites tags (`TagResource`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func tagResource(_ arn: String, tags: [String: String]) async throws {
        let path = try URITemplate.expand("/2017-03-31/tags/{Resource}", labels: ["Resource": arn])
        _ = try await client.restJSON(.lambda, "TagResource", method: "POST", path: path, input: TagsBody(tags: tags), as: AWSEmpty.self, region: region)
    }

    /// Removes tags by key (`UntagResource`; the keys go in the `tagKeys` query member, repeated).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func untagResource(_ arn: String, keys: [String]) async throws {
        let path = try URITemplate.expand("/2017-03-31/tags/{Resource}", labels: ["Resource": arn])
        _ = try await client.rest(.lambda, "UntagResource", method: "DELETE", path: path, query: keys.sorted().map { ("tagKeys", $0) }, region: region)
    }

    // MARK: - Permissions

    /// Grants a principal permission to use a function (`AddPermission`).
    /// - Parameters:
    ///   - function: the function name or ARN.
    ///   - qualifier: a version or alias the statement applies to; the unqualified function when nil.
    /// - Throws: `AWSError` (`ResourceConflictException` when the statement id is taken), `AWSClientError`.
    public func addPermission(function: String, statementID: String, action: String, principal: String, sourceARN: String?,
                              sourceAccount: String?, qualifier: String?) async throws {
        let path = try URITemplate.expand("/2015-03-31/functions/{FunctionName}/policy", labels: ["FunctionName": function])
        let input = PermissionInput(statementID: statementID, action: action, principal: principal, sourceARN: sourceARN, sourceAccount: sourceAccount)
        _ = try await client.restJSON(.lambda, "AddPermission", method: "POST", path: path, query: qualifier.map { [("Qualifier", $0)] } ?? [],
                                      input: input, as: AWSEmpty.self, region: region)
    }

    /// The function's resource-based policy as JSON text (`GetPolicy`).
    /// - Returns: nil when the function, or its policy, does not exist (`ResourceNotFoundException`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func policy(function: String, qualifier: String?) async throws -> String? {
        let path = try URITemplate.expand("/2015-03-31/functions/{FunctionName}/policy", labels: ["FunctionName": function])
        let output = try await nilWhenMissing(.resourceNotFoundException) {
            try await client.restJSON(.lambda, "GetPolicy", method: "GET", path: path, query: qualifier.map { [("Qualifier", $0)] } ?? [],
                                      as: PolicyOutput.self, region: region)
        }
        return output?.policy
    }

    /// Removes one statement from a function's policy (`RemovePermission`).
    /// - Throws: `AWSError` (`ResourceNotFoundException` when already gone), `AWSClientError`.
    public func removePermission(function: String, statementID: String, qualifier: String?) async throws {
        let path = try URITemplate.expand("/2015-03-31/functions/{FunctionName}/policy/{StatementId}",
                                          labels: ["FunctionName": function, "StatementId": statementID])
        _ = try await client.rest(.lambda, "RemovePermission", method: "DELETE", path: path, query: qualifier.map { [("Qualifier", $0)] } ?? [], region: region)
    }
}
