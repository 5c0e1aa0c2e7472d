import AWS
import Engine

/// A CloudFront resource type whose whole configuration is one ETag-versioned document
/// (``AWS/CloudFront/VersionedConfiguration``): origin access controls, response headers
/// policies, and the cache and origin request policies to come. Each such type says only how
/// its properties map to its configuration; creating, reading, updating with the current ETag,
/// deleting, importing and finding a crashed create are shared, here.
///
/// The id is the configuration's id; the `etag` attribute is the version last seen. Names are
/// unique in the account, so the name is how a crashed create is found again; these
/// configurations take no tags, so what proves that a same-named one is the crashed create's is
/// its note member: a create sends `imgstack:intent=<intent id>` there
/// (``TagRules/intentNote(_:)``) and writes the declared note back once CloudFront answered.
/// A run killed in between leaves the mark, and the next run adopts that configuration (and its
/// plan writes the note back); one without the mark is someone else's (or, in the moment
/// between the note's write-back and the state's, this stack's own), never adopted: the create
/// then refuses naming `imgstack import` (``NameTakenError``).
protocol VersionedConfigurationType: ResourceType {
    /// The AWS configuration the type manages.
    associatedtype Config: AWS.CloudFront.VersionedConfiguration

    /// The property holding the configuration's name.
    var nameProperty: Property<String> { get }
    /// The configuration's free-text member (an origin access control's `Description`, a
    /// response headers policy's `Comment`), which holds the create's intent mark until
    /// CloudFront has answered the create.
    static var noteMember: WritableKeyPath<Config, String> { get }
    /// What the configuration is called in messages ("CloudFront response headers policy").
    static var kind: String { get }
    /// The configuration the properties describe.
    static func config(_ properties: [String: Value]) -> Config
    /// Every property as the configuration holds it.
    static func properties(_ config: Config) -> [String: Value]
}

extension VersionedConfigurationType {
    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let calls = try calls(context)
        let config = Self.config(properties)
        guard let intent = context.intentID else {
            return snapshot(try await create(config, calls: calls, context: context), declared: Set(properties.keys))
        }
        var marked = config
        marked[keyPath: Self.noteMember] = TagRules.intentNote(intent)
        let created = try await create(marked, calls: calls, context: context)
        let confirmed = try await calls.update(created.id, config: config, ifMatch: created.etag)
        return snapshot(confirmed, declared: Set(properties.keys))
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
        guard let intent = context.intentID, let name = properties[nameProperty],
              let live = try await calls(context).named(name),
              live.config[keyPath: Self.noteMember] == TagRules.intentNote(intent) else { return nil }
        return snapshot(live, declared: Set(properties.keys))
    }

    // MARK: - Helpers

    /// `Create<Name>`; a name in use is refused naming the configuration's id for `imgstack import`.
    private func create(_ config: Config, calls: AWS.CloudFront.VersionedConfigurations<Config>,
                        context: OperationContext) async throws -> AWS.CloudFront.Versioned<Config> {
        do {
            return try await calls.create(config)
        } catch let error as AWSError where error.code == Config.alreadyExists {
            // The id is read outside the create's call ledger: a read makes nothing, and the
            // refused create must still count as having made nothing (its intent is dropped).
            var lookup = context
            lookup.calls = CallLedger()
            let existing = try? await self.calls(lookup).named(config.name)
            throw NameTakenError(kind: Self.kind, name: config.name, address: context.address, 
                                 importID: existing?.id ?? "ID (\(Config.listOperation) lists it)")
        }
    }

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
