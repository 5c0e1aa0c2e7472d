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
        public static let terraformType = "aws_lambda_function"

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
            let property = Self.property
            var list = PropertyList()
            list.set(property.functionName, functionName)
            list.set(property.source, source)
            list.set(property.sourceHash, try? DeploymentPackage.zipping(directory: source).sha256)
            list.set(property.runtime, runtime)
            list.set(property.handler, handler)
            list.set(property.role, role)
            list.set(property.memorySize, memorySize)
            list.set(property.timeout, timeout)
            list.set(property.architectures, [architecture])
            list.set(property.environment, environment)
            list.set(property.files, files)
            list.set(property.publish, publish)
            list.set(property.edge, edge)
            // Recorded for Lambda@Edge so validation can refuse another region.
            list.set(property.region, edge ? region : nil)
            list.set(property.tags, tags)
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

        public static func makeType() -> any ResourceType { FunctionType() }
    }
}

extension Lambda.Function {
    /// A function's properties, each declared once.
    struct Properties: PropertySet {
        let functionName = Property<String>("functionName", forcesReplacement: true)
        /// imgstack's own: the directory the package is zipped from.
        let source = Property<String>("source", terraform: .none("a directory on this machine, zipped at apply: the package is source_code_hash"), local: true)
        let sourceHash = Property<String>("sourceHash", terraform: "source_code_hash")
        let runtime = Property<String>("runtime")
        let handler = Property<String>("handler")
        let role = Property<String>("role")
        let memorySize = Property<Int>("memorySize", default: 128)
        let timeout = Property<Int>("timeout", default: 3)
        let architectures = Property<[String]>("architectures", default: ["x86_64"])
        /// The provider's `environment { variables = {…} }`, the variables' names as written; none when empty.
        let environment = Property<[String: String]>("environment", terraform: TerraformAttribute(nil, .converted { (variables: Value) -> Value in
            variables.mapValue?.isEmpty ?? true ? .list([]) : .list([.map(["variables": variables])])
        }), default: [:])
        /// imgstack's own: files the stack adds to the package.
        let files = Property<[String: String]>("files", terraform: .none("written into the package at apply: the provider takes a finished zip"), default: [:])
        let publish = Property<Bool>("publish", default: false)
        /// imgstack's own: a Lambda@Edge function.
        let edge = Property<Bool>("edge", terraform: .none("the provider has no such setting: an edge function is a published us-east-1 function"), default: false)
        let region = Property<String>("region", forcesReplacement: true)
        let tags = Property<[String: String]>("tags", default: [:])
    }

    static let property = Properties()
}

/// Creates, reads, updates and deletes Lambda functions. The id is the function name.
struct FunctionType: ResourceType {
    var lifecycle = FunctionLifecycle()

    static let schema = ResourceSchema(
        Lambda.Function.self, Lambda.Function.Properties.self,
        attributes: [
            AttributeSchema("arn"), AttributeSchema("qualifiedARN", changesOnUpdate: true),
            AttributeSchema("version", changesOnUpdate: true), AttributeSchema("invokeARN"),
            AttributeSchema("codeSHA256", changesWith: [Lambda.Function.property.sourceHash, Lambda.Function.property.files]),
        ],
        uniqueName: [Lambda.Function.property.functionName])

    var schema: ResourceSchema { Self.schema }
    private var property: Lambda.Function.Properties { Lambda.Function.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        FunctionValidation.issues(properties, address: address)
    }

    // MARK: - Create

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let lambda = try context.lambda
        let name = properties[property.functionName] ?? ""
        let package = try Self.package(properties)
        let definition = AWS.Lambda.FunctionDefinition(
            name: name, zipFile: package.zip, runtime: properties[property.runtime] ?? "", handler: properties[property.handler] ?? "",
            role: properties[property.role] ?? "", memorySize: properties[property.memorySize] ?? 128,
            timeout: properties[property.timeout] ?? 3, architectures: Self.architectures(properties),
            environment: Self.environment(properties).flatMap { $0.isEmpty ? nil : $0 }, publish: properties[property.publish] == true,
            tags: TagRules.withIntent(properties[property.tags], context))
        let created = try await lifecycle.withNewRole(context: context) { try await lambda.createFunction(definition) }
        let ready = try await lifecycle.waitUntilReady(name, lambda: lambda, context: context)
        var recorded = properties
        if properties.contains(property.region) { recorded[property.region] = context.region }
        let version = properties[property.publish] == true ? (created.version ?? "1") : "$LATEST"
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
        guard let (configuration, tags) = try await context.lambda.function(name) else { return nil }
        return snapshot(configuration, tags: tags, declared: declared, recorded: recorded, version: version, uploaded: uploaded,
                        region: context.region)
    }

    /// The function as `GetFunction` answered, with imgstack's own settings from `recorded`.
    private func snapshot(_ configuration: AWS.Lambda.FunctionConfiguration, tags: [String: String], declared: Set<String>,
                          recorded: [String: Value], version: String?, uploaded: String?, region: String) -> ResourceSnapshot {
        let unchanged = uploaded != nil && configuration.codeSHA256 == uploaded
        var actual: [String: Value] = [:]
        actual[property.functionName] = configuration.name
        actual[property.sourceHash] = unchanged ? recorded[property.sourceHash] : configuration.codeSHA256
        actual[property.runtime] = configuration.runtime
        actual[property.handler] = configuration.handler
        actual[property.role] = configuration.role
        actual[property.memorySize] = configuration.memorySize ?? 128
        actual[property.timeout] = configuration.timeout ?? 3
        actual[property.architectures] = configuration.architectures ?? ["x86_64"]
        actual[property.environment] = configuration.environment?.variables ?? [:]
        actual[property.region] = region
        actual[property.tags.name] = TagRules.visible(tags)
        // imgstack's own settings, which AWS does not hold.
        actual[property.source.name] = recorded[property.source.name]
        actual[property.files.name] = recorded[property.files.name]
        actual[property.publish.name] = recorded[property.publish.name] ?? false
        actual[property.edge.name] = recorded[property.edge.name] ?? false
        let properties = actual.filter { declared.contains($0.key) && $0.value != .null }
        return ResourceSnapshot(id: configuration.name, properties: properties,
                                attributes: Self.attributes(arn: configuration.arn, version: version ?? "$LATEST",
                                                            code: uploaded ?? configuration.codeSHA256 ?? "", region: region))
    }

    // MARK: - Update

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let lambda = try context.lambda
        let name = current.id
        var version = current.attributes["version"]?.stringValue ?? "$LATEST"
        let publish = desired[property.publish] == true
        let recorded = desired

        var change = AWS.Lambda.ConfigurationChange()
        if changed.contains(property.runtime) { change.runtime = desired[property.runtime] }
        if changed.contains(property.handler) { change.handler = desired[property.handler] }
        if changed.contains(property.role) { change.role = desired[property.role] }
        if changed.contains(property.memorySize) { change.memorySize = desired[property.memorySize] ?? 128 }
        if changed.contains(property.timeout) { change.timeout = desired[property.timeout] ?? 3 }
        if changed.contains(property.environment) { change.environment = .init(variables: Self.environment(desired) ?? [:]) }
        if !change.isEmpty {
            _ = try await lifecycle.withNewRole(context: context) { try await lambda.updateFunctionConfiguration(name, change) }
            _ = try await lifecycle.waitUntilReady(name, lambda: lambda, context: context)
        }

        var published = false
        var code = current.attributes["codeSHA256"]?.stringValue ?? ""
        if changed.contains(property.sourceHash) || changed.contains(property.files) || changed.contains(property.architectures) {
            let package = try Self.package(desired)
            let updated = try await lambda.updateFunctionCode(name, zipFile: package.zip, architectures: Self.architectures(desired),
                                                              publish: publish)
            let ready = try await lifecycle.waitUntilReady(name, lambda: lambda, context: context)
            code = ready.codeSHA256 ?? package.sha256
            if publish, let number = updated.version, number != "$LATEST" {
                version = number
                published = true
            }
        }
        // A configuration change, or turning publishing on, makes a version of its own when
        // no code upload published one.
        if publish && !published && (!change.isEmpty || changed.contains(property.publish)) {
            version = try await lambda.publishVersion(name).version ?? version
        }
        if !publish { version = "$LATEST" }

        if changed.contains(property.tags) {
            guard let (configuration, _) = try await lambda.function(name) else {
                throw FunctionStateError(message: "Lambda function \(name) disappeared during the update")
            }
            let arn = Self.unqualified(configuration.arn)
            let wanted = desired[property.tags] ?? [:]
            let removed = Set((current.properties[property.tags] ?? [:]).keys).subtracting(wanted.keys)
            if !removed.isEmpty { try await lambda.untagResource(arn, keys: removed.sorted()) }
            if !wanted.isEmpty { try await lambda.tagResource(arn, tags: wanted) }
        }
        let arn = current.attributes["arn"]?.stringValue ?? ""
        return ResourceSnapshot(id: name, properties: recorded,
                                attributes: Self.attributes(arn: arn, version: version, code: code, region: context.region))
    }

    // MARK: - Delete, import, recovery

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        try await lifecycle.delete(current.id, lambda: try context.lambda, context: context)
    }

    /// A function is imported by its name (`FunctionName`'s name part), not its ARN.
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: "[A-Za-z0-9_-]{1,64}",
                             expected: "a Lambda function is imported by its name (1 to 64 letters, digits, - and _)")
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        // What AWS holds; imgstack's own settings (source, files, publish, edge) cannot be read back.
        let readable: [any PropertyDeclaration] = [
            property.functionName, property.sourceHash, property.runtime, property.handler, property.role, property.memorySize,
            property.timeout, property.architectures, property.environment, property.tags,
        ]
        return try await read(id, declared: Set(readable.map(\.schema.name)), recorded: [:], version: nil, uploaded: nil, context: context)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let name = properties[property.functionName] else { return nil }
        // Only the function the crashed create tagged: a same-named one of someone else's is not adopted.
        guard let (configuration, tags) = try await context.lambda.function(name), TagRules.carryIntent(tags, of: context) else { return nil }
        // The version a crashed create published is not known here: `$LATEST` until the next update.
        return snapshot(configuration, tags: tags, declared: Set(properties.keys), recorded: properties, version: nil,
                        uploaded: try? Self.package(properties).sha256, region: context.region)
    }

    // MARK: - Helpers

    /// Zips the source again, checks it is what the plan showed, and adds the generated files.
    static func package(_ properties: [String: Value]) throws -> DeploymentPackage {
        let property = Lambda.Function.property
        let source = properties[property.source] ?? ""
        let sourceOnly = try DeploymentPackage.zipping(directory: source)
        if let planned = properties[property.sourceHash], planned != sourceOnly.sha256 {
            throw DeploymentPackageError("the files in \(source) changed since the plan was made (zip SHA-256 \(sourceOnly.sha256), planned \(planned)); plan again")
        }
        let generated = properties[property.files.name]?.mapValue?.compactMapValues { $0.stringValue.map { Data($0.utf8) } } ?? [:]
        return generated.isEmpty ? sourceOnly : try DeploymentPackage.zipping(directory: source, adding: generated)
    }

    static func architectures(_ properties: [String: Value]) -> [String] {
        properties[Lambda.Function.property.architectures.name]?.listValue?.compactMap(\.stringValue) ?? ["x86_64"]
    }

    static func environment(_ properties: [String: Value]) -> [String: String]? {
        properties[Lambda.Function.property.environment.name]?.mapValue?.compactMapValues(\.stringValue)
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

extension FunctionType: AccessDeclaring {
    /// Lambda actions per the Service Authorization Reference (AWS Lambda): a create or a
    /// configuration update hands the function its role (`iam:PassRole`).
    static let access: ResourceAccess = {
        let function = ARNPattern.arn("arn:{partition}:lambda:{region}:{account}:function:{functionName}")
        let versions = ARNPattern.arn("arn:{partition}:lambda:{region}:{account}:function:{functionName}:*")
        let role = ARNPattern.heldIn("role", ofReferenced: "arn:{partition}:iam::{account}:role{path}{name}")
        return ResourceAccess([
            IAMCall(.lambda, "CreateFunction", in: [.create], needs: ["lambda:CreateFunction", "lambda:TagResource"], on: [function],
                    alsoNeeds: [IAMGrant(["iam:PassRole"], on: [role])]),
            IAMCall(.lambda, "GetFunction", in: .readingBack.union([.delete]), on: [function, versions]),
            IAMCall(.lambda, "UpdateFunctionCode", in: [.update], on: [function]),
            IAMCall(.lambda, "UpdateFunctionConfiguration", in: [.update], on: [function], alsoNeeds: [IAMGrant(["iam:PassRole"], on: [role])]),
            IAMCall(.lambda, "PublishVersion", in: .writing, on: [function]),
            IAMCall(.lambda, "TagResource", in: .writing, on: [function]),
            IAMCall(.lambda, "UntagResource", in: .writing, on: [function]),
            IAMCall(.lambda, "DeleteFunction", in: [.delete], on: [function]),
        ])
    }()
}
