import AWS
import Engine
import Foundation

extension Lambda {
    /// A Lambda function whose code is a local directory, zipped by imgstack (`aws_lambda_function`).
    ///
    /// ```swift
    /// let auth = stack.add(Lambda.Function("auth", functionName: "images-auth", source: edgeAuthDirectory,
    ///                                      runtime: "nodejs20.x", handler: "index.handler", role: role.arn, edge: true))
    /// ```
    ///
    /// The plan compares `sourceHash`, the SHA-256 of the source directory's zip (as Lambda
    /// reports `CodeSha256`), so the code is uploaded again only when a file changed. `edge: true` makes a
    /// Lambda@Edge function: it lives in `us-east-1` whatever the stack's region, takes no
    /// environment variables, runs Node.js or Python on x86_64, and publishes versions
    /// (CloudFront associates a numbered version, `qualifiedARN`).
    ///
    /// `files` adds files made by the stack to the package, such as a configuration holding
    /// other resources' ids — the way to give a Lambda@Edge function its settings:
    ///
    /// ```swift
    /// files: ["config.json": "{\"userPoolId\": \"\(pool.id)\"}"]
    /// ```
    ///
    /// A change of a file's contents uploads the code again, as a change in `source` does.
    public struct Function: Resource {
        public static let typeName = "lambda.function"

        public var name: String
        /// The function name: 1–64 letters, digits, `-` and `_`, unique in the region.
        /// Changing it replaces the function.
        public var functionName: Text
        /// The directory whose files make the deployment package (hidden files left out).
        public var source: String
        /// The runtime, e.g. `nodejs20.x`, `python3.12`.
        public var runtime: String
        /// The entry point, e.g. `index.handler`.
        public var handler: String
        /// The ARN of the role the function runs as; Lambda must be allowed to assume it.
        public var role: Text
        /// Memory in MB: 128 to 10,240.
        public var memorySize: Int
        /// Seconds one run may take: 1 to 900 (30 for Lambda@Edge).
        public var timeout: Int
        /// `x86_64` or `arm64`; changing it uploads the code again.
        public var architecture: String
        /// Environment variables (not allowed for Lambda@Edge).
        public var environment: [String: Text]
        /// Files added to the package beside the source directory's, by path inside the package.
        public var files: [String: Text]
        /// Publish a numbered version on create and on each change of code or configuration.
        public var publish: Bool
        /// A Lambda@Edge function: created in `us-east-1`.
        public var edge: Bool
        /// A region other than the stack's; a Lambda@Edge function must be in `us-east-1`.
        public var requestedRegion: String?
        /// Tags.
        public var tags: [String: Text]
        public var dependsOn: [Address] = []

        /// Declares a function.
        /// - Parameters:
        ///   - name: the resource's name in the stack.
        ///   - functionName: the function's name in AWS.
        ///   - source: the directory holding the code.
        ///   - files: more files for the package, made by the stack (their contents may hold references).
        ///   - publish: publish versions; true by default for Lambda@Edge, false otherwise.
        ///   - region: a region other than the stack's.
        public init(_ name: String, functionName: Text, source: URL, runtime: String, handler: String, role: Text,
                    memorySize: Int = 128, timeout: Int = 3, architecture: String = "x86_64", environment: [String: Text] = [:],
                    files: [String: Text] = [:], publish: Bool? = nil, edge: Bool = false, region: String? = nil, tags: [String: Text] = [:]) {
            self.name = name
            self.functionName = functionName
            self.source = source.path
            self.runtime = runtime
            self.handler = handler
            self.role = role
            self.memorySize = memorySize
            self.timeout = timeout
            self.architecture = architecture
            self.environment = environment
            self.files = files
            self.publish = publish ?? edge
            self.edge = edge
            self.requestedRegion = region
            self.tags = tags
        }

        /// Lambda@Edge functions live in `us-east-1`; others in the requested region, if any.
        public var region: String? { edge ? (requestedRegion ?? "us-east-1") : requestedRegion }

        public var properties: [String: Engine.Expression] {
            var list = PropertyList()
            list.set("functionName", functionName)
            list.set("source", source)
            list.set("sourceHash", try? DeploymentPackage.zipping(directory: source).sha256)
            list.set("runtime", runtime)
            list.set("handler", handler)
            list.set("role", role)
            list.set("memorySize", memorySize)
            list.set("timeout", timeout)
            list.set("architectures", [architecture])
            list.set("environment", environment)
            list.set("files", files)
            list.set("publish", publish)
            list.set("edge", edge)
            // Recorded for Lambda@Edge so validation can refuse another region.
            list.set("region", edge ? region : nil)
            list.set("tags", tags)
            return list.values
        }

        /// The function ARN, unqualified.
        public var arn: Text { attribute("arn") }
        /// The ARN of the latest published version (`…:function:name:3`), or `…:$LATEST`
        /// when nothing is published. Lambda@Edge associations need this one.
        public var qualifiedARN: Text { attribute("qualifiedARN") }
        /// The latest published version number, `$LATEST` when nothing is published.
        public var version: Text { attribute("version") }
        /// The ARN API Gateway invokes the function with.
        public var invokeARN: Text { attribute("invokeARN") }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { FunctionType(aws: aws) }
    }
}

/// Creates, reads, updates and deletes Lambda functions. The id is the function name.
struct FunctionType: ResourceType {
    let aws: AWSClient
    var lifecycle = FunctionLifecycle()

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: Lambda.Function.typeName, terraformType: "aws_lambda_function",
            properties: [
                PropertySchema("functionName", forcesReplacement: true),
                PropertySchema("source", local: true),
                PropertySchema("sourceHash"),
                PropertySchema("runtime"),
                PropertySchema("handler"),
                PropertySchema("role"),
                PropertySchema("memorySize", default: 128),
                PropertySchema("timeout", default: 3),
                PropertySchema("architectures", default: ["x86_64"]),
                PropertySchema("environment", default: .map([:])),
                PropertySchema("files", default: .map([:])),
                PropertySchema("publish", default: false),
                PropertySchema("edge", default: false),
                PropertySchema("region", forcesReplacement: true),
                PropertySchema("tags", default: .map([:])),
            ],
            attributes: [
                AttributeSchema("arn"), AttributeSchema("qualifiedARN", changesOnUpdate: true),
                AttributeSchema("version", changesOnUpdate: true), AttributeSchema("invokeARN"),
                AttributeSchema("codeSHA256", changesOnUpdate: true),
            ],
            uniqueNameProperty: "functionName")
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        FunctionValidation.issues(properties, address: address)
    }

    // MARK: - Create

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let name = properties["functionName"]?.stringValue ?? ""
        let package = try Self.package(properties)
        let definition = AWS.Lambda.FunctionDefinition(
            name: name, zipFile: package.zip, runtime: properties["runtime"]?.stringValue ?? "", handler: properties["handler"]?.stringValue ?? "",
            role: properties["role"]?.stringValue ?? "", memorySize: properties["memorySize"]?.intValue ?? 128,
            timeout: properties["timeout"]?.intValue ?? 3, architectures: Self.architectures(properties),
            environment: Self.environment(properties).flatMap { $0.isEmpty ? nil : $0 }, publish: properties["publish"] == true,
            tags: LambdaRules.tags(properties["tags"]))
        let created = try await lifecycle.retryingNewRole(context: context) { try await aws.lambda.createFunction(definition, region: context.region) }
        let ready = try await lifecycle.waitUntilReady(name, aws: aws, context: context)
        var recorded = properties
        if properties["region"] != nil { recorded["region"] = .string(context.region) }
        let version = properties["publish"] == true ? (created.version ?? "1") : "$LATEST"
        return ResourceSnapshot(id: name, properties: recorded,
                                attributes: Self.attributes(arn: ready.arn, version: version, code: ready.codeSHA256 ?? package.sha256,
                                                            region: context.region))
    }

    // MARK: - Read

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, declared: Set(recorded.properties.keys), recorded: recorded.properties,
                       version: recorded.attributes["version"]?.stringValue, uploaded: recorded.attributes["codeSHA256"]?.stringValue,
                       context: context)
    }

    /// Reads a function. `uploaded` is the `CodeSha256` of the package imgstack last uploaded:
    /// while Lambda still reports it, the code is the recorded source (with its generated
    /// files); otherwise Lambda's hash stands for code changed outside imgstack.
    private func read(_ name: String, declared: Set<String>, recorded: [String: Value], version: String?, uploaded: String?,
                      context: OperationContext) async throws -> ResourceSnapshot? {
        guard let (configuration, tags) = try await aws.lambda.function(name, region: context.region) else { return nil }
        let unchanged = uploaded != nil && configuration.codeSHA256 == uploaded
        let actual: [String: Value] = [
            "functionName": .string(configuration.name),
            "sourceHash": unchanged ? (recorded["sourceHash"] ?? .null) : configuration.codeSHA256.map(Value.string) ?? .null,
            "runtime": configuration.runtime.map(Value.string) ?? .null,
            "handler": configuration.handler.map(Value.string) ?? .null,
            "role": configuration.role.map(Value.string) ?? .null,
            "memorySize": .int(configuration.memorySize ?? 128),
            "timeout": .int(configuration.timeout ?? 3),
            "architectures": .list((configuration.architectures ?? ["x86_64"]).map(Value.string)),
            "environment": LambdaRules.stringMap(configuration.environment?.variables ?? [:]),
            "region": .string(context.region),
            "tags": TagRules.visible(tags),
            // imgstack's own settings, which AWS does not hold.
            "source": recorded["source"] ?? .null,
            "files": recorded["files"] ?? .null,
            "publish": recorded["publish"] ?? false,
            "edge": recorded["edge"] ?? false,
        ]
        let properties = actual.filter { declared.contains($0.key) && $0.value != .null }
        return ResourceSnapshot(id: configuration.name, properties: properties,
                                attributes: Self.attributes(arn: configuration.arn, version: version ?? "$LATEST",
                                                            code: uploaded ?? configuration.codeSHA256 ?? "", region: context.region))
    }

    // MARK: - Update

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let name = current.id
        var version = current.attributes["version"]?.stringValue ?? "$LATEST"
        let publish = desired["publish"] == true
        var recorded = desired

        var change = AWS.Lambda.ConfigurationChange()
        if changed.contains("runtime") { change.runtime = desired["runtime"]?.stringValue }
        if changed.contains("handler") { change.handler = desired["handler"]?.stringValue }
        if changed.contains("role") { change.role = desired["role"]?.stringValue }
        if changed.contains("memorySize") { change.memorySize = desired["memorySize"]?.intValue ?? 128 }
        if changed.contains("timeout") { change.timeout = desired["timeout"]?.intValue ?? 3 }
        if changed.contains("environment") { change.environment = .init(variables: Self.environment(desired) ?? [:]) }
        if !change.isEmpty {
            _ = try await lifecycle.retryingNewRole(context: context) {
                try await aws.lambda.updateFunctionConfiguration(name, change, region: context.region)
            }
            _ = try await lifecycle.waitUntilReady(name, aws: aws, context: context)
        }

        var published = false
        var code = current.attributes["codeSHA256"]?.stringValue ?? ""
        if changed.contains("sourceHash") || changed.contains("files") || changed.contains("architectures") {
            let package = try Self.package(desired)
            let updated = try await aws.lambda.updateFunctionCode(name, zipFile: package.zip, architectures: Self.architectures(desired),
                                                                  publish: publish, region: context.region)
            let ready = try await lifecycle.waitUntilReady(name, aws: aws, context: context)
            code = ready.codeSHA256 ?? package.sha256
            if publish, let number = updated.version, number != "$LATEST" {
                version = number
                published = true
            }
        }
        // A configuration change, or turning publishing on, makes a version of its own when
        // no code upload published one.
        if publish && !published && (!change.isEmpty || changed.contains("publish")) {
            version = try await aws.lambda.publishVersion(name, region: context.region).version ?? version
        }
        if !publish { version = "$LATEST" }

        if changed.contains("tags") {
            guard let (configuration, _) = try await aws.lambda.function(name, region: context.region) else {
                throw FunctionStateError(message: "Lambda function \(name) disappeared during the update")
            }
            let arn = Self.unqualified(configuration.arn)
            let wanted = LambdaRules.tags(desired["tags"])
            let removed = Set(LambdaRules.tags(current.properties["tags"]).keys).subtracting(wanted.keys)
            if !removed.isEmpty { try await aws.lambda.untagResource(arn, keys: removed.sorted(), region: context.region) }
            if !wanted.isEmpty { try await aws.lambda.tagResource(arn, tags: wanted, region: context.region) }
        }
        let arn = current.attributes["arn"]?.stringValue ?? ""
        return ResourceSnapshot(id: name, properties: recorded,
                                attributes: Self.attributes(arn: arn, version: version, code: code, region: context.region))
    }

    // MARK: - Delete, import, recovery

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        try await lifecycle.delete(current.id, aws: aws, context: context)
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        let everything: Set<String> = ["functionName", "sourceHash", "runtime", "handler", "role", "memorySize", "timeout", "architectures",
                                       "environment", "tags"]
        return try await read(id, declared: everything, recorded: [:], version: nil, uploaded: nil, context: context)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let name = properties["functionName"]?.stringValue else { return nil }
        // The version a crashed create published is not known here: `$LATEST` until the next update.
        return try await read(name, declared: Set(properties.keys), recorded: properties, version: nil,
                              uploaded: try? Self.package(properties).sha256, context: context)
    }

    // MARK: - Helpers

    /// Zips the source again, checks it is what the plan showed, and adds the generated files.
    static func package(_ properties: [String: Value]) throws -> DeploymentPackage {
        let source = properties["source"]?.stringValue ?? ""
        let sourceOnly = try DeploymentPackage.zipping(directory: source)
        if let planned = properties["sourceHash"]?.stringValue, planned != sourceOnly.sha256 {
            throw DeploymentPackageError("the files in \(source) changed since the plan was made (zip SHA-256 \(sourceOnly.sha256), planned \(planned)); plan again")
        }
        let generated = properties["files"]?.mapValue?.compactMapValues { $0.stringValue.map { Data($0.utf8) } } ?? [:]
        return generated.isEmpty ? sourceOnly : try DeploymentPackage.zipping(directory: source, adding: generated)
    }

    static func architectures(_ properties: [String: Value]) -> [String] {
        properties["architectures"]?.listValue?.compactMap(\.stringValue) ?? ["x86_64"]
    }

    static func environment(_ properties: [String: Value]) -> [String: String]? {
        properties["environment"]?.mapValue?.compactMapValues(\.stringValue)
    }

    /// The ARN without a `:$LATEST` or version qualifier.
    static func unqualified(_ arn: String) -> String {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        // arn:aws:lambda:region:account:function:name[:qualifier]
        return parts.count > 7 ? parts.prefix(7).joined(separator: ":") : arn
    }

    static func attributes(arn: String, version: String, code: String, region: String) -> [String: Value] {
        let base = unqualified(arn)
        let partition = base.split(separator: ":").dropFirst().first.map(String.init) ?? "aws"
        return [
            "arn": .string(base), "version": .string(version), "qualifiedARN": .string("\(base):\(version)"),
            "codeSHA256": .string(code),
            "invokeARN": .string("arn:\(partition):apigateway:\(region):lambda:path/2015-03-31/functions/\(base)/invocations"),
        ]
    }
}
