import Engine
import Foundation

/// Foundation also has an `Expression` type; in these tests the name means the Engine's.
typealias Expression = Engine.Expression

extension Address {
    /// `memory.thing.NAME`, the address of a resource of the default fake type.
    static func thing(_ name: String) -> Address { Address(type: "memory.thing", name: name) }
}

extension Expression {
    /// A reference to `ATTRIBUTE` of `memory.thing.NAME`.
    static func ref(_ name: String, _ attribute: String) -> Expression {
        .reference(Reference(address: .thing(name), attribute: attribute))
    }
}

/// A fake cloud, a type over it, and an in-memory backend: plans and applies stacks end to end
/// (refresh, plan, execute) as the CLI does.
struct Harness {
    let cloud: MemoryCloud
    let type: MemoryResourceType
    let backend: MemoryStateBackend

    init(type makeType: (MemoryCloud) -> MemoryResourceType = { MemoryResourceType(cloud: $0) }) {
        let cloud = MemoryCloud()
        self.cloud = cloud
        self.type = makeType(cloud)
        self.backend = MemoryStateBackend()
    }

    /// A declaration of `memory.thing.NAME` of this harness's type.
    func thing(_ name: String, _ properties: [String: Expression] = [:], dependsOn: [Address] = [],
               region: String? = nil) -> ResourceDeclaration {
        ResourceDeclaration(address: .thing(name), type: type, properties: properties, dependsOn: dependsOn, region: region)
    }

    /// A stack of these resources in `eu-west-1`.
    func stack(_ resources: [ResourceDeclaration], outputs: [OutputDeclaration] = []) -> StackDefinition {
        StackDefinition(name: "test", region: "eu-west-1", resources: resources, outputs: outputs,
                        knownTypes: [type.schema.typeName: type])
    }

    /// The state as last written (empty before the first apply).
    func state() async -> StateFile {
        await backend.stored ?? StateFile(stack: "test", lineage: "lineage-1")
    }

    /// Refreshes the recorded state and plans `stack` against it (the engine's deployment, plan only).
    func plan(_ stack: StackDefinition, _ options: PlanOptions = PlanOptions()) async throws -> Plan {
        try await deployment(stack, options, planOnly: true).run().plan
    }

    /// Refreshes, plans and executes `stack` through the engine's deployment, as the CLI does.
    @discardableResult
    func apply(_ stack: StackDefinition, _ options: PlanOptions = PlanOptions(), parallelism: Int = 10,
               cancellation: CancellationFlag = CancellationFlag(),
               events: @escaping @Sendable (ExecutionEvent) -> Void = { _ in }) async throws -> Applied {
        let result = try await deployment(stack, options, planOnly: false, parallelism: parallelism, cancellation: cancellation,
                                          events: events).run()
        return Applied(plan: result.plan, summary: result.summary ?? .nothingToDo, state: result.state)
    }

    private func deployment(_ stack: StackDefinition, _ options: PlanOptions, planOnly: Bool, parallelism: Int = 10,
                            cancellation: CancellationFlag = CancellationFlag(),
                            events: @escaping @Sendable (ExecutionEvent) -> Void = { _ in }) -> Deployment {
        let operation: Deployment.Operation = planOnly ? (options.destroy ? .destroyPlan : .plan) : (options.destroy ? .destroy : .apply)
        return Deployment(stack: stack, backend: backend, client: nil,
                          // The memory cloud answers at once: a lost answer is looked for briefly.
                          options: Deployment.Options(operation: operation, targets: options.targets, replacements: options.forceReplace,
                                                      parallelism: parallelism, landingTime: 0.2),
                          cancellation: cancellation,
                          events: { event in if case .operation(let progress) = event { events(progress) } })
    }

    /// What one apply did.
    struct Applied {
        var plan: Plan
        var summary: ExecutionSummary
        var state: StateFile
    }
}

extension Plan {
    /// The change at `address` (not a deposed object's).
    func change(_ address: Address) -> ResourceChange? {
        changes.first { $0.address == address && $0.deposedID == nil }
    }

    /// The action planned for `memory.thing.NAME`.
    func action(_ name: String) -> ChangeAction? { change(.thing(name))?.action }
}

/// A record of `memory.thing.NAME` as state holds it.
func record(_ name: String, id: String? = nil, region: String = "eu-west-1", _ properties: [String: Value] = [:],
            attributes: [String: Value]? = nil, dependencies: [Address] = [], deletionPending: Bool = false) -> ResourceRecord {
    let id = id ?? name
    return ResourceRecord(address: .thing(name), region: region,
                          snapshot: ResourceSnapshot(id: id, properties: properties,
                                                     attributes: attributes ?? ["arn": .string("arn:memory:memory.thing:\(id)"), "version": 1]),
                          dependencies: dependencies, deletionPending: deletionPending)
}

/// A state holding `records`.
func state(_ records: [ResourceRecord], deposed: [ResourceRecord] = [], outputs: [String: OutputRecord] = [:]) -> StateFile {
    var file = StateFile(stack: "test", lineage: "lineage-1")
    for item in records { file.upsert(item) }
    file.deposed = deposed
    file.outputs = outputs
    file.serial = 7
    return file
}
