import AWS
import Engine
import Foundation

/// A declared stack variable.
public struct VariableDeclaration: Sendable {
    /// The variable's name (`bucket_name`).
    public var name: String
    /// Its type, for messages: `string`, `number`, `bool`, `list(string)`.
    public var typeName: String
    /// Its default, nil when required.
    public var defaultValue: Engine.Value?
    /// What it is for.
    public var description: String
}

/// What a stack's code declares into: variables, resources, outputs and warnings.
///
/// The builder is handed to the stack's closure; it collects problems instead of stopping at
/// the first, so `validate` can list them all.
public final class StackBuilder: @unchecked Sendable {
    /// The stack's name.
    public let stackName: String
    /// The run's region (`--region`, `AWS_REGION`, the profile's, `us-east-1`). Reading it
    /// makes the stack depend on the run's region (``Stack/Evaluation/usesRunRegion``).
    public var region: String {
        readRunRegion = true
        return runRegion
    }
    private let runRegion: String
    /// Whether the stack's code read ``region``.
    private var readRunRegion = false
    /// The region of every resource and lookup declared from now on that names none of its own,
    /// when the stack chooses it from a variable (Terraform's `provider "aws" { region = var.region }`,
    /// which data sources read through too); nil for the run's ``region``. A resource's own region (Lambda@Edge and `CLOUDFRONT` web
    /// ACLs in `us-east-1`) still wins.
    public var resourceRegion: String?
    private let endpoints: EndpointResolver
    private let given: [String: Engine.Value]
    private var resources: [ResourceDeclaration] = []
    /// Declarations completed from the whole stack when it is finished, by index in `resources`.
    private var derived: [(index: Int, resource: any StackDerivedResource)] = []
    private var outputs: [OutputDeclaration] = []
    private var stackReferences: [StackReferenceDeclaration] = []
    private var lookups: [LookupDeclaration] = []
    private var issues: [ValidationIssue] = []
    private var warnings: [String] = []
    private var declared: [VariableDeclaration] = []
    private var used: [String: Engine.Value] = [:]

    init(stackName: String, region: String, endpoints: EndpointResolver, variables: [String: Engine.Value]) {
        self.stackName = stackName
        self.runRegion = region
        self.endpoints = endpoints
        self.given = variables
    }

    /// The URL this run sends `service`'s calls in the stack's region to when it is not AWS's
    /// own endpoint (an emulator such as moto or LocalStack), resolved as the client resolves it:
    /// `--endpoint-url`, `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's
    /// `endpoint_url`. Nil against AWS, and for a malformed region (which validation refuses).
    public func customEndpoint(of service: AWSService) -> URL? {
        guard let resolved = try? endpoints.resolve(service, region: runRegion), resolved.isCustom else { return nil }
        return resolved.url
    }

    // MARK: - Variables

    /// Declares a string variable.
    /// - Parameters:
    ///   - name: the variable's name, set with `--var name=value`.
    ///   - default: its value when not set; nil makes it required.
    ///   - description: what it is for.
    /// - Returns: the value for this run.
    @discardableResult
    public func variable(_ name: String, default defaultValue: String?, description: String = "") -> String {
        declare(name, "string", defaultValue.map(Engine.Value.string), description)
        guard let value = lookup(name) else { return defaultValue ?? "" }
        switch value {
        case .string(let text): return record(name, .string(text), text)
        case .int(let number): return record(name, .string(String(number)), String(number))
        case .bool(let flag): return record(name, .string(String(flag)), String(flag))
        default:
            mistyped(name, "string", value)
            return defaultValue ?? ""
        }
    }

    /// Declares a number variable.
    @discardableResult
    public func variable(_ name: String, default defaultValue: Int?, description: String = "") -> Int {
        declare(name, "number", defaultValue.map(Engine.Value.int), description)
        guard let value = lookup(name) else { return defaultValue ?? 0 }
        if let number = value.intValue ?? value.stringValue.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
            return record(name, .int(number), number)
        }
        mistyped(name, "number", value)
        return defaultValue ?? 0
    }

    /// Declares a boolean variable (`true`/`false`).
    @discardableResult
    public func variable(_ name: String, default defaultValue: Bool?, description: String = "") -> Bool {
        declare(name, "bool", defaultValue.map(Engine.Value.bool), description)
        guard let value = lookup(name) else { return defaultValue ?? false }
        if let flag = value.boolValue ?? ["true": true, "false": false][value.stringValue?.lowercased() ?? ""] {
            return record(name, .bool(flag), flag)
        }
        mistyped(name, "bool", value)
        return defaultValue ?? false
    }

    /// Declares a list-of-strings variable (JSON list in a var file, or comma-separated on the
    /// command line).
    @discardableResult
    public func variable(_ name: String, default defaultValue: [String]?, description: String = "") -> [String] {
        declare(name, "list(string)", defaultValue.map { .list($0.map(Engine.Value.string)) }, description)
        guard let value = lookup(name) else { return defaultValue ?? [] }
        if let items = value.listValue, items.allSatisfy({ $0.stringValue != nil }) {
            let strings = items.compactMap(\.stringValue)
            return record(name, value, strings)
        }
        if let text = value.stringValue {
            let strings = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return record(name, .list(strings.map(Engine.Value.string)), strings)
        }
        mistyped(name, "list(string)", value)
        return defaultValue ?? []
    }

    /// Declares a map-of-strings variable (a JSON object in a var file or in `--var
    /// name='{"k":"v"}'`, or `k=v,k2=v2` on the command line), as Terraform's `map(string)`.
    @discardableResult
    public func variable(_ name: String, default defaultValue: [String: String]?, description: String = "") -> [String: String] {
        declare(name, "map(string)", defaultValue.map { .map($0.mapValues(Engine.Value.string)) }, description)
        guard let value = lookup(name) else { return defaultValue ?? [:] }
        if let map = [String: String](propertyValue: value) { return record(name, value, map) }
        if let text = value.stringValue {
            if let parsed = try? Engine.Value(jsonText: text), let map = [String: String](propertyValue: parsed) {
                return record(name, parsed, map)
            }
            var map: [String: String] = [:]
            for pair in text.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[0].isEmpty else {
                    mistyped(name, "map(string)", value)
                    return defaultValue ?? [:]
                }
                map[parts[0]] = parts[1]
            }
            return record(name, .map(map.mapValues(Engine.Value.string)), map)
        }
        mistyped(name, "map(string)", value)
        return defaultValue ?? [:]
    }

    private func declare(_ name: String, _ typeName: String, _ defaultValue: Engine.Value?, _ description: String) {
        if declared.contains(where: { $0.name == name }) {
            issues.append(ValidationIssue(subject: "var.\(name)", message: "declared twice"))
        }
        declared.append(VariableDeclaration(name: name, typeName: typeName, defaultValue: defaultValue, description: description))
        if let defaultValue { used[name] = defaultValue }
    }

    private func lookup(_ name: String) -> Engine.Value? {
        if let value = given[name] { return value }
        if declared.last(where: { $0.name == name })?.defaultValue == nil {
            issues.append(ValidationIssue(subject: "var.\(name)", message: "no value given for required variable; set it with --var \(name)=VALUE, --var-file or IMGSTACK_VAR_\(name)"))
        }
        return nil
    }

    private func record<T>(_ name: String, _ value: Engine.Value, _ result: T) -> T {
        used[name] = value
        return result
    }

    private func mistyped(_ name: String, _ typeName: String, _ value: Engine.Value) {
        issues.append(ValidationIssue(subject: "var.\(name)", message: "expects a \(typeName), got \(value.canonicalJSON)"))
    }

    // MARK: - Resources and outputs

    /// Declares a resource.
    /// - Returns: the resource, whose attributes (`bucket.arn`) other resources can refer to.
    @discardableResult
    public func add<R: Resource>(_ resource: R) -> R {
        let type = R.makeType()
        if let completed = resource as? any StackDerivedResource { derived.append((resources.count, completed)) }
        resources.append(ResourceDeclaration(address: resource.address, type: type, properties: resource.properties,
                                             dependsOn: resource.dependsOn, region: resource.region ?? resourceRegion))
        return resource
    }

    /// Declares a lookup of something that exists already (Terraform's `data` block): read on
    /// every plan, never changed.
    ///
    /// ```swift
    /// let me = stack.lookup(STS.CallerIdentity("current"))
    /// let key = stack.lookup(KMS.KeyLookup("shared", alias: "alias/shared"))
    /// stack.add(S3.Bucket("logs", name: "logs-\(me.accountID)"))
    /// ```
    /// - Returns: the lookup, whose attributes other resources can refer to.
    @discardableResult
    public func lookup<L: Lookup>(_ lookup: L) -> L {
        lookups.append(LookupDeclaration(address: lookup.address, type: L.makeType(), arguments: lookup.arguments,
                                         region: lookup.region ?? resourceRegion))
        return lookup
    }

    /// Declares an output.
    /// - Parameters:
    ///   - name: the output's name.
    ///   - value: its value, often a reference.
    ///   - description: what it is for.
    ///   - sensitive: redact it unless asked for by name.
    public func output(_ name: String, _ value: Text, description: String? = nil, sensitive: Bool = false) {
        output(name, expression: value.expression, description: description, sensitive: sensitive)
    }

    /// Declares an output holding a list (`subnets.ids`); the parameters are those of the
    /// `Text` form.
    public func output(_ name: String, _ value: TextList, description: String? = nil, sensitive: Bool = false) {
        output(name, expression: value.expression, description: description, sensitive: sensitive)
    }

    private func output(_ name: String, expression: Engine.Expression, description: String?, sensitive: Bool) {
        if outputs.contains(where: { $0.name == name }) {
            issues.append(ValidationIssue(subject: "output.\(name)", message: "declared twice"))
        }
        outputs.append(OutputDeclaration(name: name, value: expression, description: description, sensitive: sensitive))
    }

    /// Declares a reference to another stack's outputs (Terraform's `terraform_remote_state`):
    /// read from that stack's state on every plan, never changed.
    ///
    /// ```swift
    /// let cluster = stack.reference("cluster", stack: "eks-cluster")
    /// let issuer = cluster.output("oidc_issuer")
    /// ```
    /// - Parameters:
    ///   - name: the reference's name in this stack (`stack_reference.NAME` in plans and errors).
    ///   - stack: the other stack's name.
    ///   - backend: where its state lives, as `--backend` takes it (`s3://BUCKET/KEY`, `local`);
    ///     nil for a local state in this run's state directory.
    /// - Returns: the reference, whose outputs other values can use.
    public func reference(_ name: String, stack: String, backend: String? = nil) -> StackReference {
        let declaration = StackReferenceDeclaration(name: name, stack: stack, backend: backend)
        if let backend {
            do {
                _ = try BackendURL.parse(backend)
            } catch {
                issues.append(ValidationIssue(subject: declaration.address.description, property: "backend", message: "\(error)"))
            }
        }
        stackReferences.append(declaration)
        return StackReference(address: declaration.address)
    }

    /// Adds a warning shown with every plan of the stack (an open CIDR left at its default).
    public func warn(_ message: String) {
        warnings.append(message)
    }

    /// Records a problem with the stack's own inputs, shown by `validate` and before any plan.
    public func invalid(_ subject: String, property: String? = nil, _ message: String) {
        issues.append(ValidationIssue(subject: subject, property: property, message: message))
    }

    struct Result {
        var resources: [ResourceDeclaration]
        var outputs: [OutputDeclaration]
        var issues: [ValidationIssue]
        var warnings: [String]
        var stackReferences: [StackReferenceDeclaration]
        var lookups: [LookupDeclaration]
        var declaredVariables: [VariableDeclaration]
        var variableValues: [String: Engine.Value]
        /// Whether anything depends on the run's region: the stack's code read ``region``, or a
        /// resource or lookup names no region of its own (nor ``resourceRegion``).
        var usesRunRegion: Bool
    }

    func finish() -> Result {
        var problems = issues
        let names = Set(declared.map(\.name))
        for name in given.keys.sorted() where !names.contains(name) {
            problems.append(ValidationIssue(subject: "var.\(name)", message: "the stack \(stackName) declares no variable \"\(name)\"; it has: \(names.sorted().joined(separator: ", "))"))
        }
        var resources = resources
        for (index, resource) in derived {
            resources[index].properties.merge(resource.derivedProperties(from: self.resources)) { _, derived in derived }
        }
        return Result(resources: resources, outputs: outputs, issues: problems, warnings: warnings, stackReferences: stackReferences,
                      lookups: lookups, declaredVariables: declared, variableValues: used,
                      usesRunRegion: readRunRegion || resources.contains { $0.region == nil } || lookups.contains { $0.region == nil })
    }
}
