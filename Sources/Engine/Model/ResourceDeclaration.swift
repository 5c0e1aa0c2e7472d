/// One resource as a stack declares it: its address, type, property expressions and explicit
/// dependencies.
public struct ResourceDeclaration: Sendable {
    /// Where the resource lives in the stack.
    public var address: Address { didSet { dependencies = Self.dependencies(of: address, propertyReferences, dependsOn) } }
    /// The implementation of its type.
    public var type: any ResourceType
    /// Declared properties; unset properties are absent.
    public var properties: [String: Expression] {
        didSet {
            propertyReferences = properties.mapValues(\.references)
            dependencies = Self.dependencies(of: address, propertyReferences, dependsOn)
        }
    }
    /// Dependencies beside those the references imply.
    public var dependsOn: [Address] { didSet { dependencies = Self.dependencies(of: address, propertyReferences, dependsOn) } }
    /// A region other than the stack's, for resources AWS only takes in one region
    /// (Lambda@Edge functions live in us-east-1).
    public var region: String?
    /// Properties (and, for a resource named by a secret, `id` and attributes) that hold a
    /// sensitive value from elsewhere — another stack's sensitive output, another resource's
    /// secret — redacted like the schema's sensitive properties.
    public var sensitiveProperties: Set<String>

    /// Creates a declaration.
    public init(address: Address, type: any ResourceType, properties: [String: Expression],
                dependsOn: [Address] = [], region: String? = nil, sensitiveProperties: Set<String> = []) {
        self.address = address
        self.type = type
        self.properties = properties
        self.dependsOn = dependsOn
        self.region = region
        self.sensitiveProperties = sensitiveProperties
        self.propertyReferences = properties.mapValues(\.references)
        self.dependencies = Self.dependencies(of: address, propertyReferences, dependsOn)
    }

    /// Each declared property's references (``Expression/references``), by property name. Kept
    /// with the declaration like ``dependencies``: validation, planning and the JSON plan's
    /// configuration each ask for them per resource.
    public private(set) var propertyReferences: [String: [Reference]]

    /// Every resource this one depends on: referenced ones and explicit `dependsOn`, sorted.
    /// Another stack's outputs and lookups are not resources of this one and are not among them
    /// (a stack adds what its lookups depend on to `dependsOn`).
    /// Kept with the declaration, made again whenever its address, properties or `dependsOn`
    /// change: planning and validation ask for it per resource.
    public private(set) var dependencies: [Address]

    private static func dependencies(of address: Address, _ references: [String: [Reference]], _ dependsOn: [Address]) -> [Address] {
        let referenced = references.values.joined().map(\.address).filter { !$0.isStackReference && !$0.isLookup }
        return Array(Set(referenced + dependsOn).subtracting([address])).sorted()
    }
}

/// A stack output: a value printed after apply and readable with `imgstack output`.
public struct OutputDeclaration: Sendable {
    /// The output's name.
    public var name: String
    /// Its value.
    public var value: Expression
    /// What it is for.
    public var description: String?
    /// Redacted unless asked for by name.
    public var sensitive: Bool

    /// Creates an output.
    public init(name: String, value: Expression, description: String? = nil, sensitive: Bool = false) {
        self.name = name
        self.value = value
        self.description = description
        self.sensitive = sensitive
    }
}

/// A stack after its Swift code ran: resources and outputs with variables already applied.
public struct StackDefinition: Sendable {
    /// The stack's name (`image-server`), which names its state.
    public var name: String
    /// The region resources are created in unless they say otherwise.
    public var region: String
    /// The declared resources.
    public var resources: [ResourceDeclaration]
    /// The declared outputs.
    public var outputs: [OutputDeclaration]
    /// Types of resources the state may hold that the stack no longer declares, keyed by type
    /// name, so they can be refreshed and deleted.
    public var knownTypes: [String: any ResourceType]
    /// Warnings to show with the plan (an open CIDR left at its default).
    public var warnings: [String]
    /// Other stacks whose outputs this one reads.
    public var stackReferences: [StackReferenceDeclaration]
    /// The lookups of things that exist already.
    public var lookups: [LookupDeclaration]

    /// Creates a stack definition. A resource that refers to a lookup depends also on the
    /// resources that lookup's arguments refer to (directly or through other lookups): a lookup
    /// read during apply is read after them.
    public init(name: String, region: String, resources: [ResourceDeclaration], outputs: [OutputDeclaration] = [],
                knownTypes: [String: any ResourceType] = [:], warnings: [String] = [],
                stackReferences: [StackReferenceDeclaration] = [], lookups: [LookupDeclaration] = []) {
        self.name = name
        self.region = region
        self.lookups = lookups
        let declared = Set(resources.map(\.address))
        self.resources = resources.map { resource in
            var resource = resource
            let viaLookups = Set(resource.propertyReferences.values.joined().map(\.address).filter(\.isLookup))
                .flatMap { StackDefinition.resourceDependencies(ofLookup: $0, in: lookups) }.filter(declared.contains)
            let dependsOn = Array(Set(resource.dependsOn + viaLookups)).sorted()
            // Assigned only when it differs: an assignment makes the dependencies again.
            if dependsOn != resource.dependsOn { resource.dependsOn = dependsOn }
            return resource
        }
        self.outputs = outputs
        var types = knownTypes
        for resource in resources { types[resource.address.type] = resource.type }
        self.knownTypes = types
        self.warnings = warnings
        self.stackReferences = stackReferences
    }

    /// The declaration at `address`.
    public func resource(_ address: Address) -> ResourceDeclaration? {
        resources.first { $0.address == address }
    }

    /// The lookup declared at `address`.
    public func lookup(_ address: Address) -> LookupDeclaration? {
        lookups.first { $0.address == address }
    }

    /// The resources the lookup at `address` depends on, through other lookups too.
    static func resourceDependencies(ofLookup address: Address, in lookups: [LookupDeclaration]) -> [Address] {
        var seen: Set<Address> = [address]
        var pending = [address]
        var resources: Set<Address> = []
        while let next = pending.popLast() {
            for dependency in lookups.first(where: { $0.address == next })?.dependencies ?? [] where !seen.contains(dependency) {
                seen.insert(dependency)
                if dependency.isLookup { pending.append(dependency) } else if !dependency.isStackReference { resources.insert(dependency) }
            }
        }
        return resources.sorted()
    }

    /// The settings of how `record` is deleted (``PropertySchema/appliesAtDeletion``) that the
    /// stack declares as literals and state records otherwise, keyed by property name: a
    /// destroy deletes with these, as Terraform would after an apply of them.
    public func deletionSettings(for record: ResourceRecord) -> [String: Value] {
        guard let declaration = resource(record.address), declaration.type.schema.typeName == record.type else { return [:] }
        var settings: [String: Value] = [:]
        for property in declaration.type.schema.properties where property.appliesAtDeletion {
            guard let declared = declaration.properties[property.name]?.literal ?? property.defaultValue,
                  declared != (record.snapshot.properties[property.name] ?? property.defaultValue) else { continue }
            settings[property.name] = declared
        }
        return settings
    }

    /// `record`'s snapshot with the stack's ``deletionSettings(for:)`` in place: what a delete
    /// is given.
    public func deletionSnapshot(of record: ResourceRecord) -> ResourceSnapshot {
        var snapshot = record.snapshot
        snapshot.properties.merge(deletionSettings(for: record)) { _, declared in declared }
        return snapshot
    }
}
