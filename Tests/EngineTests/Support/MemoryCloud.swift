import Engine
import Foundation

/// A fake cloud shared by the in-memory resource types of a test: it holds the objects,
/// records every call, can be told to fail an operation, and counts how many calls run at once.
actor MemoryCloud {
    /// One call a resource type made.
    struct Call: Equatable, CustomStringConvertible {
        var operation: String
        var address: Address
        var id: String?

        var description: String { "\(operation) \(address.name)\(id.map { "(\($0))" } ?? "")" }
    }

    /// An object in the cloud.
    struct Object: Sendable {
        var type: String
        var snapshot: ResourceSnapshot
        /// The intent id the create was tagged with, as a real type tags its resources.
        var intentID: String?
    }

    /// What a configured failure does.
    enum Failure: Sendable {
        /// Throws `MemoryCloudError.injected`; whether it took effect is unknown (a timeout).
        case error(String)
        /// Throws `MemoryCloudError.injected`, answered before acting (an AWS 4xx refusal).
        case refused(String)
        /// A deletion AWS accepted but has not finished.
        case deletionPending(String)
        /// The operation takes effect, but its answer is lost (a timeout after the request landed).
        case answerLost
    }

    private(set) var objects: [String: Object] = [:]
    private(set) var calls: [Call] = []
    private(set) var maxConcurrent = 0
    private var running = 0
    private var counter = 0
    private var failures: [String: Failure] = [:]
    private var hooks: [String: @Sendable (Call, OperationContext) async -> Void] = [:]
    /// How long each create, update and delete takes.
    var latency: Duration = .zero

    // MARK: - Test controls

    /// Makes `operation` (`create`, `read`, `update`, `delete`, `findCreated`) on `address` fail.
    func fail(_ operation: String, _ address: Address, with failure: Failure = .error("injected failure")) {
        failures[key(operation, address)] = failure
    }

    /// Runs `hook` at the start of every `operation` call, before the object changes.
    func onCall(_ operation: String, _ hook: @escaping @Sendable (Call, OperationContext) async -> Void) {
        hooks[operation] = hook
    }

    /// Sets how long each mutating call takes.
    func setLatency(_ duration: Duration) { latency = duration }

    /// Changes a property behind imgstack's back.
    func drift(id: String, property: String, to value: Value) {
        objects[id]?.snapshot.properties[property] = value
    }

    /// Deletes an object behind imgstack's back.
    func removeOutside(id: String) { objects[id] = nil }

    /// Puts an object in the cloud directly (a create whose result was never recorded).
    func insert(type: String, snapshot: ResourceSnapshot, intentID: String?) {
        objects[snapshot.id] = Object(type: type, snapshot: snapshot, intentID: intentID)
    }

    /// Calls of one operation, in order.
    func calls(_ operation: String) -> [Call] { calls.filter { $0.operation == operation } }

    /// Operations as `create a`, `delete b(id)` lines, in call order, mutating calls only.
    var mutations: [String] { calls.filter { $0.operation != "read" }.map(\.description) }

    // MARK: - Used by MemoryResourceType

    func create(type: String, properties: [String: Value], uniqueName: String?, attributes: [String],
                context: OperationContext) async throws -> ResourceSnapshot {
        try await begin("create", context: context, id: nil)
        defer { end() }
        if let uniqueName, let name = properties[uniqueName]?.stringValue,
           objects.values.contains(where: { $0.type == type && $0.snapshot.properties[uniqueName]?.stringValue == name }) {
            context.calls.record(.refused)
            throw MemoryCloudError.nameTaken(name)
        }
        counter += 1
        let id = uniqueName.flatMap { properties[$0]?.stringValue } ?? "\(context.address.name)-\(counter)"
        var computed: [String: Value] = [:]
        for attribute in attributes {
            switch attribute {
            case "arn": computed["arn"] = .string("arn:memory:\(type):\(id)")
            case "version": computed["version"] = 1
            default: computed[attribute] = .string("\(attribute)-\(counter)")
            }
        }
        let snapshot = ResourceSnapshot(id: id, properties: properties, attributes: computed)
        objects[id] = Object(type: type, snapshot: snapshot, intentID: context.intentID)
        if case .answerLost? = failures[key("create", context.address)] {
            context.calls.record(.unknown)
            throw MemoryCloudError.injected("no answer")
        }
        context.calls.record(.succeeded)
        return snapshot
    }

    func read(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await begin("read", context: context, id: id)
        defer { end() }
        return objects[id]?.snapshot
    }

    func update(id: String, properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        try await begin("update", context: context, id: id)
        defer { end() }
        guard var object = objects[id] else { throw MemoryCloudError.notFound(id) }
        object.snapshot.properties.merge(properties) { _, new in new }
        if let version = object.snapshot.attributes["version"]?.intValue {
            object.snapshot.attributes["version"] = .int(version + 1)
        }
        objects[id] = object
        return object.snapshot
    }

    func delete(id: String, context: OperationContext) async throws {
        try await begin("delete", context: context, id: id)
        defer { end() }
        objects[id] = nil
    }

    func findCreated(type: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await begin("findCreated", context: context, id: nil)
        defer { end() }
        return objects.values.first { $0.type == type && $0.intentID != nil && $0.intentID == context.intentID }?.snapshot
    }

    // MARK: - Bookkeeping

    private func key(_ operation: String, _ address: Address) -> String { "\(operation) \(address)" }

    private func begin(_ operation: String, context: OperationContext, id: String?) async throws {
        let call = Call(operation: operation, address: context.address, id: id)
        calls.append(call)
        running += 1
        maxConcurrent = max(maxConcurrent, running)
        if let hook = hooks[operation] { await hook(call, context) }
        if operation != "read", latency > .zero { try? await Task.sleep(for: latency) }
        switch failures[key(operation, context.address)] {
        case .error(let message)?:
            running -= 1
            context.calls.record(.unknown)
            throw MemoryCloudError.injected(message)
        case .refused(let message)?:
            running -= 1
            context.calls.record(.refused)
            throw MemoryCloudError.injected(message)
        case .deletionPending(let message)?:
            running -= 1
            throw DeletionPendingError(message: message)
        case .answerLost?, nil:
            break
        }
    }

    private func end() { running -= 1 }
}

/// Errors the fake cloud answers with.
enum MemoryCloudError: Error, Equatable, CustomStringConvertible {
    case injected(String)
    case nameTaken(String)
    case notFound(String)

    var description: String {
        switch self {
        case .injected(let message): return "InjectedFailure: \(message)"
        case .nameTaken(let name): return "NameTaken: \(name) already exists"
        case .notFound(let id): return "NotFound: \(id)"
        }
    }
}
