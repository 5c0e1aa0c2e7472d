import Engine

/// A resource type backed by `MemoryCloud`, with a schema each test shapes.
///
/// The default schema reads like a bucket: `name` is the account-unique name and forces
/// replacement, `zone` forces replacement, `size` defaults to 1, `label` and `target` change in
/// place, `secret` is sensitive; AWS computes `arn`, `version` (changes on update) and the
/// sensitive `token`.
struct MemoryResourceType: ResourceType {
    static let defaultProperties = [
        PropertySchema("name", forcesReplacement: true),
        PropertySchema("zone", forcesReplacement: true),
        PropertySchema("size", default: 1),
        PropertySchema("label"),
        PropertySchema("target"),
        PropertySchema("secret", sensitive: true),
        PropertySchema("workdir", local: true),
    ]
    static let defaultAttributes = [
        AttributeSchema("arn"),
        AttributeSchema("version", changesOnUpdate: true),
        AttributeSchema("token", sensitive: true),
    ]

    let cloud: MemoryCloud
    let schema: ResourceSchema
    let normalizer: @Sendable (String, Value) -> Value
    let validator: @Sendable ([String: Expression], Address) -> [ValidationIssue]
    let note: String?
    let reasonForReplacement: @Sendable ([String: Value], [String: Value]) -> String?

    init(_ typeName: String = "memory.thing", cloud: MemoryCloud,
         properties: [PropertySchema] = MemoryResourceType.defaultProperties,
         attributes: [AttributeSchema] = MemoryResourceType.defaultAttributes,
         uniqueNameProperty: String? = "name", capturesDependencies: Bool = false,
         normalize: @escaping @Sendable (String, Value) -> Value = { _, value in value },
         validate: @escaping @Sendable ([String: Expression], Address) -> [ValidationIssue] = { _, _ in [] },
         deletionNote: String? = nil,
         replacementReason: @escaping @Sendable ([String: Value], [String: Value]) -> String? = { _, _ in nil }) {
        self.cloud = cloud
        self.schema = ResourceSchema(typeName: typeName, terraformType: "memory_" + typeName.replacingOccurrences(of: ".", with: "_"),
                                     properties: properties, attributes: attributes, uniqueNameProperty: uniqueNameProperty,
                                     capturesDependencies: capturesDependencies)
        self.normalizer = normalize
        self.validator = validate
        self.note = deletionNote
        self.reasonForReplacement = replacementReason
    }

    func validate(_ properties: [String: Expression], address: Address) -> [ValidationIssue] {
        validator(properties, address)
    }

    func normalize(_ property: String, _ value: Value) -> Value { normalizer(property, value) }

    func replacementReason(before: [String: Value], after: [String: Value]) -> String? { reasonForReplacement(before, after) }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        try await cloud.create(type: schema.typeName, properties: properties, uniqueName: schema.uniqueNameProperties.first,
                               attributes: schema.attributes.map(\.name), context: context)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await cloud.read(id: recorded.id, context: context)
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        try await cloud.update(id: current.id, properties: desired.filter { changed.contains($0.key) }, context: context)
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        try await cloud.delete(id: current.id, context: context)
    }

    /// Any non-empty single-line id may name a memory resource; the cloud's read decides.
    func validateImportID(_ id: String) -> String? {
        !id.isEmpty && !id.contains(where: \.isNewline) ? nil : "a memory resource is imported by its id, not \(id.debugDescription)"
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await cloud.read(id: id, context: context)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        try await cloud.findCreated(type: schema.typeName, context: context)
    }

    func deletionNote(_ properties: [String: Value]) -> String? { note }
}
