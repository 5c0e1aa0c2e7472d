import AWS
import Engine

/// A stack: Swift code that declares variables, resources and outputs.
///
/// ```swift
/// let quickstart = Stack("quickstart", description: "A bucket, a key and a role") { stack in
///     let prefix = stack.variable("prefix", default: "quickstart")
///     let key = stack.add(KMS.Key("data", description: "\(prefix) data"))
///     stack.output("key_arn", key.arn)
/// }
/// ```
///
/// The closure runs each time the stack is evaluated, with the variable values of that run;
/// it must only declare things (no I/O), like `Package.swift`.
public struct Stack: Sendable {
    /// The stack's name, which names its state (`.imgstack/<name>.state.json`).
    public let name: String
    /// One line saying what the stack deploys.
    public let summary: String
    /// Where its state lives unless a run names another backend.
    public let backend: StateBackendChoice
    /// The declarations.
    public let body: @Sendable (StackBuilder) -> Void

    /// Creates a stack.
    /// - Parameters:
    ///   - name: the stack's name; letters, digits and `-`.
    ///   - summary: one line for `imgstack stacks`.
    ///   - backend: where its state lives (`--backend` and `IMGSTACK_BACKEND` override it).
    ///   - body: declares the stack's variables, resources and outputs.
    public init(_ name: String, summary: String = "", backend: StateBackendChoice = .local,
                body: @escaping @Sendable (StackBuilder) -> Void) {
        self.name = name
        self.summary = summary
        self.backend = backend
        self.body = body
    }

    /// The result of evaluating a stack.
    public struct Evaluation: Sendable {
        /// What the engine plans from.
        public var definition: StackDefinition
        /// The variables as used, defaults included.
        public var variables: [String: Engine.Value]
        /// The declared variables, for `validate` and help.
        public var declaredVariables: [VariableDeclaration]
        /// Whether the run's region matters: some resource or lookup has no region of its own
        /// (nor the stack's `resourceRegion`), or the stack's code read `StackBuilder.region`.
        /// When it is false, the region the run defaulted to is never used for the stack.
        public var usesRunRegion: Bool
    }

    /// Runs the stack's code with `variables` and validates the result. No AWS client is
    /// involved: each operation gets one from the deployment that runs it.
    /// - Parameters:
    ///   - variables: values given by the user, by name (`--var`, `--var-file`, environment).
    ///   - region: the stack's region.
    ///   - endpoints: where this run sends each service's calls (`--endpoint-url`,
    ///     `AWS_ENDPOINT_URL_<SERVICE>`, …); AWS's own endpoints when not given. A stack reads it
    ///     through `StackBuilder.customEndpoint(of:)` to tell its own code (a site's `config.js`)
    ///     where an emulator is.
    /// - Throws: `StackValidationError` listing every problem (unknown or ill-typed variables,
    ///   missing required values, property rules, references, cycles).
    public func evaluate(variables: [String: Engine.Value], region: String,
                         endpoints: EndpointResolver = EndpointResolver()) throws -> Evaluation {
        let builder = StackBuilder(stackName: name, region: region, endpoints: endpoints, variables: variables)
        body(builder)
        let result = builder.finish()
        let definition = StackDefinition(name: name, region: region, resources: result.resources, outputs: result.outputs,
                                         knownTypes: ResourceCatalog.types(), warnings: result.warnings,
                                         stackReferences: result.stackReferences, lookups: result.lookups)
        let issues = result.issues + StackValidator.validate(definition)
        guard issues.isEmpty else { throw StackValidationError(issues: issues) }
        return Evaluation(definition: definition, variables: result.variableValues, declaredVariables: result.declaredVariables,
                          usesRunRegion: result.usesRunRegion)
    }
}
