import Foundation

/// What a resource looks like in AWS: its id, the properties a stack sets, and what AWS computed.
public struct ResourceSnapshot: Sendable, Hashable, Codable {
    /// The resource's identifier in AWS (bucket name, key id, role name…).
    public var id: String
    /// Property values, normalised, keyed by property name.
    public var properties: [String: Value]
    /// Computed attributes (`arn`, …), keyed by attribute name.
    public var attributes: [String: Value]

    /// Creates a snapshot.
    public init(id: String, properties: [String: Value], attributes: [String: Value] = [:]) {
        self.id = id
        self.properties = properties
        self.attributes = attributes
    }
}

/// Context of one operation on one resource.
public struct OperationContext: Sendable {
    /// The resource being worked on.
    public var address: Address
    /// The region the resource lives in.
    public var region: String
    /// The id of the intent recorded before a create, which a type may tag the resource with so
    /// a crashed apply can find it again.
    public var intentID: String?
    /// Reports a line of progress ("waiting for the distribution to deploy").
    public var report: @Sendable (String) -> Void
    /// The provider's configured client (imgstack's AWS client), handed to every operation the
    /// way Terraform hands a provider's configured client to each resource function. The engine
    /// never looks inside; nil where no operation may reach a cloud.
    public var client: (any Sendable)?
    /// Where the provider records how each of this operation's calls ended.
    public var calls: CallLedger
    /// When set, the provider makes each call in one of these slots, shared with other
    /// operations: a refresh's bound on calls in flight (``Refresher/parallelism``).
    public var callSlots: CallSlots?

    /// Creates a context.
    public init(address: Address, region: String, intentID: String? = nil, client: (any Sendable)? = nil,
                report: @escaping @Sendable (String) -> Void = { _ in }, calls: CallLedger = CallLedger(),
                callSlots: CallSlots? = nil) {
        self.address = address
        self.region = region
        self.intentID = intentID
        self.client = client
        self.report = report
        self.calls = calls
        self.callSlots = callSlots
    }
}

/// A problem with a stack found before any network call.
public struct ValidationIssue: Sendable, Hashable, CustomStringConvertible {
    /// The resource (or `var.NAME`, `output.NAME`) the problem is in.
    public var subject: String
    /// The property, when the problem is in one.
    public var property: String?
    /// What is wrong and, where possible, how to fix it.
    public var message: String

    /// Creates an issue.
    public init(subject: String, property: String? = nil, message: String) {
        self.subject = subject
        self.property = property
        self.message = message
    }

    public var description: String {
        property.map { "\(subject): property \($0): \(message)" } ?? "\(subject): \(message)"
    }
}

/// A kind of AWS resource: how to create, read, update, delete and import it.
///
/// Implementations live in the ImgStack target, one file per type, and hold no client: each
/// operation gets the run's client in its ``OperationContext``. The engine calls them; it knows
/// nothing of AWS. The schema's properties come from the type's ``PropertySet``, declared once.
public protocol ResourceType: Sendable {
    /// The planner's view of the type.
    var schema: ResourceSchema { get }

    /// Checks property values that are known before apply (names, formats, combinations).
    func validate(_ properties: [String: Expression], address: Address) -> [ValidationIssue]

    /// Brings a property value to its canonical form so equal things compare equal (policy JSON
    /// key order, a single value vs a one-item list, tag order). Applied to desired and actual values.
    func normalize(_ property: String, _ value: Value) -> Value

    /// Whether two normalised values of a property mean the same to AWS where one canonical form
    /// cannot show both as written (IAM compares action names without regard to case, while a
    /// plan shows them as the stack wrote them). The planner and refresh compare with it.
    func equivalent(_ property: String, _ lhs: Value, _ rhs: Value) -> Bool

    /// Creates the resource.
    /// - Parameter properties: every declared property, fully known.
    /// - Returns: the id, properties as AWS now holds them, and computed attributes.
    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot

    /// Reads the resource as AWS has it now.
    /// - Parameter recorded: what state recorded; only its declared properties need to be read.
    /// - Returns: nil when the resource no longer exists.
    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot?

    /// Reads what deleting the resource needs, for the refresh of `destroy` and `plan --destroy`:
    /// whether it still exists, and any value its ``delete(_:context:)`` decides by that can change
    /// outside imgstack (an ELB's deletion protection). Where ``read(_:context:)`` makes more
    /// than one call, a type answers with its existence read alone and the `recorded` snapshot,
    /// so a destroy reads only what deleting needs (Terraform's destroy refreshes everything).
    /// - Parameter recorded: what state recorded.
    /// - Returns: the snapshot `delete` is handed (`recorded`, or `read`'s answer); nil when the
    ///   resource no longer exists. The default is ``read(_:context:)``.
    /// - Throws: the read's error (an `AWSError` keeps its code and request id).
    func readForDestroy(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot?

    /// Changes properties in place.
    /// - Parameters:
    ///   - current: the resource as last read.
    ///   - desired: every declared property, fully known.
    ///   - changed: the names of the properties that differ.
    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot

    /// Deletes the resource. Deleting a resource that is already gone succeeds.
    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws

    /// Reads an existing resource by its id for `imgstack import`.
    /// - Returns: nil when there is no such resource.
    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot?

    /// Checks the form of an `imgstack import` id before any call (a KMS alias must start with
    /// `alias/`), against AWS's constraints for the identifier and the form the type documents
    /// (`<api id>/<resource id>`). Every type declares it: there is no default, so an id that
    /// cannot be valid never reaches AWS.
    /// - Returns: why `id` cannot name a resource of this type, naming the expected form; nil
    ///   when it may (the import's read then decides whether it exists).
    func validateImportID(_ id: String) -> String?

    /// Looks for a resource that a crashed apply may have created from `properties` (by its
    /// unique name, or by the intent id it was tagged with).
    /// - Returns: the resource when found, nil when the create never happened.
    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot?

    /// A sentence shown in the plan and the output when the resource is destroyed, for types
    /// whose deletion is not immediate ("scheduled for deletion in 30 days").
    func deletionNote(_ properties: [String: Value]) -> String?

    /// Why the resource is replaced, in the type's words, shown in the plan beside the
    /// properties that force it ("redeploys: apigateway.method.post changed").
    /// - Parameters:
    ///   - before: the properties as refreshed, normalized.
    ///   - after: the properties as declared, normalized (unknown where known only after apply).
    /// - Returns: a sentence, or nil to let the changed properties speak (the default).
    func replacementReason(before: [String: Value], after: [String: Value]) -> String?
}

// MARK: - Default implementations

extension ResourceType {
    public func validate(_ properties: [String: Expression], address: Address) -> [ValidationIssue] { [] }
    public func normalize(_ property: String, _ value: Value) -> Value { value }
    public func equivalent(_ property: String, _ lhs: Value, _ rhs: Value) -> Bool { lhs == rhs }
    public func deletionNote(_ properties: [String: Value]) -> String? { nil }
    public func replacementReason(before: [String: Value], after: [String: Value]) -> String? { nil }
    public func readForDestroy(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded, context: context)
    }
}
