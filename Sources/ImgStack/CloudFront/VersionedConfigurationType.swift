import AWS
import Engine

/// A CloudFront resource type whose whole configuration is one ETag-versioned document
/// (``AWS/CloudFront/VersionedConfiguration``): origin access controls, response headers
/// policies, and the cache and origin request policies to come. Each such type says only how
/// its properties map to its configuration; creating, reading, updating with the current ETag,
/// deleting, importing and finding a crashed create are shared, here.
///
/// The id is the configuration's id; the `etag` attribute is the version last seen. Names are
/// unique in the account, so the name is how a crashed create is found again.
protocol VersionedConfigurationType: ResourceType {
    /// The AWS configuration the type manages.
    associatedtype Config: AWS.CloudFront.VersionedConfiguration

    /// The property holding the configuration's name.
    var nameProperty: Property<String> { get }
    /// The configuration the properties describe.
    static func config(_ properties: [String: Value]) -> Config
    /// Every property as the configuration holds it.
    static func properties(_ config: Config) -> [String: Value]
}

extension VersionedConfigurationType {
    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let created = try await calls(context).create(Self.config(properties))
        return snapshot(created, declared: Set(properties.keys))
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let current = try await find(recorded.id, calls: try calls(context)) else { return nil }
        return snapshot(current, declared: Set(recorded.properties.keys))
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        // The whole configuration is sent at once, with the ETag of a fresh read: the recorded
        // one may be stale, and a stale one is refused with PreconditionFailed.
        let calls = try calls(context)
        let fresh = try await calls.get(current.id)
        let updated = try await calls.update(current.id, config: Self.config(desired), ifMatch: fresh.etag)
        return snapshot(updated, declared: Set(desired.keys))
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let calls = try calls(context)
        guard let live = try await find(current.id, calls: calls) else { return }
        _ = try await nilWhenMissing(Config.notFound) { try await calls.delete(live.id, ifMatch: live.etag) }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let live = try await find(id, calls: try calls(context)) else { return nil }
        return snapshot(live, declared: Set(schema.properties.map(\.name)))
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let name = properties[nameProperty],
              let live = try await calls(context).named(name) else { return nil }
        return snapshot(live, declared: Set(properties.keys))
    }

    // MARK: - Helpers

    private func calls(_ context: OperationContext) throws -> AWS.CloudFront.VersionedConfigurations<Config> {
        try context.cloudFront.configurations()
    }

    private func find(_ id: String, calls: AWS.CloudFront.VersionedConfigurations<Config>) async throws -> AWS.CloudFront.Versioned<Config>? {
        try await nilWhenMissing(Config.notFound) { try await calls.get(id) }
    }

    /// The declared properties as AWS holds them, normalised, with the current ETag.
    private func snapshot(_ live: AWS.CloudFront.Versioned<Config>, declared: Set<String>) -> ResourceSnapshot {
        var properties: [String: Value] = [:]
        for (name, value) in Self.properties(live.config) where declared.contains(name) {
            properties[name] = normalize(name, value)
        }
        return ResourceSnapshot(id: live.id, properties: properties, attributes: ["etag": .string(live.etag)])
    }
}
