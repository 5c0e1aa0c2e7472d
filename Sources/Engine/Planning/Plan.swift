import Foundation

/// What the planner decided for one resource.
public enum ChangeAction: String, Sendable, Codable {
    /// Nothing to do.
    case noop
    /// The resource does not exist and will be created.
    case create
    /// Properties change in place.
    case update
    /// The resource is destroyed and created anew.
    case replace
    /// The resource will be destroyed.
    case delete
}

/// The order of a replacement's two halves.
public enum ReplaceOrder: String, Sendable, Codable {
    /// The new resource first, then the old one deleted (no gap in service).
    case createBeforeDestroy = "create_before_destroy"
    /// The old resource deleted first, because the new one takes the same unique name.
    case deleteBeforeCreate = "delete_before_create"
}

/// Why a resource is replaced or deleted, in Terraform's vocabulary (the `action_reason` of
/// `terraform show -json`), for tools that read JSON plans.
public enum ActionReason: String, Sendable, Codable {
    /// A property that cannot change in place changes (or the region does).
    case replaceBecauseCannotUpdate = "replace_because_cannot_update"
    /// The replacement was asked for (`--replace`).
    case replaceByRequest = "replace_by_request"
    /// The stack no longer declares the resource.
    case deleteBecauseNoResourceConfig = "delete_because_no_resource_config"
}

/// The planned change of one resource, attribute by attribute.
public struct ResourceChange: Sendable, Codable, Equatable {
    /// The resource's address.
    public var address: Address
    /// Terraform's name of the type (`aws_s3_bucket`).
    public var terraformType: String
    /// What will happen.
    public var action: ChangeAction
    /// For a replacement, which half goes first.
    public var replaceOrder: ReplaceOrder?
    /// The resource's region.
    public var region: String
    /// Its current id, when it exists.
    public var id: String?
    /// Properties and attributes now (nil when it does not exist).
    public var before: [String: Value]?
    /// Properties and attributes after apply (nil when it will be deleted); `.unknown` where
    /// known only after apply.
    public var after: [String: Value]?
    /// Names of properties whose value changes (or becomes known only after apply).
    public var changedProperties: [String]
    /// The properties that force the replacement.
    public var replacePaths: [String]
    /// Names of sensitive properties and attributes, redacted in every rendering.
    public var sensitiveNames: [String]
    /// Why, when it is not only a property change ("requested with --replace").
    public var reason: String?
    /// Why it is replaced or deleted, in Terraform's terms; nil for other actions and for the
    /// deletions of a destroy plan (as Terraform leaves them).
    public var actionReason: ActionReason?
    /// A note about deletion that is not immediate.
    public var deletionNote: String?
    /// What the resource depends on (desired dependencies; recorded ones for a deletion).
    public var dependencies: [Address]
    /// For the deletion of an old object left by a create-before-destroy replacement, its id.
    public var deposedID: String?
    /// The properties the stack declares, each with the references its expression holds (none
    /// for a literal): the `configuration` of a Terraform-format plan. Nil for a resource the
    /// stack no longer declares, and in plans saved before it was recorded.
    public var declaredReferences: [String: [Reference]]?

    /// Creates a change.
    public init(address: Address, terraformType: String, action: ChangeAction, replaceOrder: ReplaceOrder? = nil,
                region: String, id: String?, before: [String: Value]?, after: [String: Value]?,
                changedProperties: [String] = [], replacePaths: [String] = [], sensitiveNames: [String] = [],
                reason: String? = nil, actionReason: ActionReason? = nil, deletionNote: String? = nil, dependencies: [Address] = [],
                deposedID: String? = nil, declaredReferences: [String: [Reference]]? = nil) {
        self.address = address
        self.terraformType = terraformType
        self.action = action
        self.replaceOrder = replaceOrder
        self.region = region
        self.id = id
        self.before = before
        self.after = after
        self.changedProperties = changedProperties
        self.replacePaths = replacePaths
        self.sensitiveNames = sensitiveNames
        self.reason = reason
        self.actionReason = actionReason
        self.deletionNote = deletionNote
        self.dependencies = dependencies
        self.deposedID = deposedID
        self.declaredReferences = declaredReferences
    }
}

/// A difference between recorded state and AWS found by refresh: made outside imgstack.
public struct Drift: Sendable, Codable, Equatable {
    /// The resource.
    public var address: Address
    /// True when the resource is gone.
    public var deleted: Bool
    /// Properties whose value changed, with the recorded and the actual value.
    public var changes: [PropertyDrift]
    /// Names of sensitive properties (redacted).
    public var sensitiveNames: [String]

    /// Creates a drift record.
    public init(address: Address, deleted: Bool, changes: [PropertyDrift] = [], sensitiveNames: [String] = []) {
        self.address = address
        self.deleted = deleted
        self.changes = changes
        self.sensitiveNames = sensitiveNames
    }
}

/// One property changed outside imgstack.
public struct PropertyDrift: Sendable, Codable, Equatable {
    /// The property's name.
    public var name: String
    /// What state recorded.
    public var recorded: Value
    /// What AWS has now.
    public var actual: Value

    /// Creates a property drift.
    public init(name: String, recorded: Value, actual: Value) {
        self.name = name
        self.recorded = recorded
        self.actual = actual
    }
}

/// A planned change of a stack output.
public struct OutputChange: Sendable, Codable, Equatable {
    /// The output's name.
    public var name: String
    /// Its recorded value, nil when new.
    public var before: Value?
    /// Its value after apply, nil when removed; may be unknown.
    public var after: Value?
    /// Redacted when shown.
    public var sensitive: Bool

    /// Creates an output change.
    public init(name: String, before: Value?, after: Value?, sensitive: Bool) {
        self.name = name
        self.before = before
        self.after = after
        self.sensitive = sensitive
    }

    /// True when the value changes or is not yet known.
    public var changes: Bool { before != after || (after?.containsUnknown ?? false) }
}

/// A plan: everything `apply` will do, and what it was made from.
public struct Plan: Sendable, Codable, Equatable {
    /// The format of saved plan files.
    public static let currentFormatVersion = 1

    /// Saved plan file format.
    public var formatVersion: Int
    /// The stack planned.
    public var stack: String
    /// True for a `destroy` plan.
    public var isDestroy: Bool
    /// The state's lineage and serial when planned; apply refuses a plan whose state moved on.
    public var lineage: String
    /// See `lineage`.
    public var serial: Int
    /// The variable values the stack was evaluated with.
    public var variables: [String: Value]
    /// The state after refresh: the "before" of every change.
    public var prior: StateFile
    /// One change per resource in the plan, sorted by address (no-ops included).
    public var changes: [ResourceChange]
    /// Changes found by refresh.
    public var drift: [Drift]
    /// Output changes.
    public var outputs: [OutputChange]
    /// Warnings to show.
    public var warnings: [String]
    /// Addresses the plan was limited to (`--target`).
    public var targets: [Address]
    /// Addresses replaced on request (`--replace`).
    public var forceReplace: [Address]
    /// The other stacks whose outputs the plan read, with the serial of each; nil when it read none.
    public var stackReferences: [StackReferenceRead]?
    /// The stack's lookups as read for this plan, sorted by address; nil when it has none.
    public var lookups: [PlannedLookup]?
    /// Where the plan's calls go, as the provider describes it (for AWS: `region` and each
    /// endpoint setting in force, such as `--endpoint-url`): a saved plan is applied only where
    /// it was made, as Terraform keeps the provider configuration in its saved plans. nil in a
    /// plan that recorded none.
    public var provider: [String: String]?

    /// Creates a plan.
    public init(stack: String, isDestroy: Bool, prior: StateFile, variables: [String: Value], changes: [ResourceChange],
                drift: [Drift], outputs: [OutputChange], warnings: [String], targets: [Address], forceReplace: [Address] = []) {
        self.formatVersion = Plan.currentFormatVersion
        self.stack = stack
        self.isDestroy = isDestroy
        self.lineage = prior.lineage
        self.serial = prior.serial
        self.variables = variables
        self.prior = prior
        self.changes = changes
        self.drift = drift
        self.outputs = outputs
        self.warnings = warnings
        self.targets = targets
        self.forceReplace = forceReplace
    }

    /// Changes other than no-ops.
    public var actionable: [ResourceChange] { changes.filter { $0.action != .noop } }

    /// True when apply would change any resource or output.
    public var hasChanges: Bool { !actionable.isEmpty || outputs.contains(where: \.changes) }

    /// Counts as Terraform's summary line gives them: a replacement adds one and destroys one.
    public var counts: (add: Int, change: Int, destroy: Int) {
        var add = 0, change = 0, destroy = 0
        for item in changes {
            switch item.action {
            case .create: add += 1
            case .update: change += 1
            case .replace: add += 1; destroy += 1
            case .delete: destroy += 1
            case .noop: break
            }
        }
        return (add, change, destroy)
    }

    /// The plan as saved by `plan --out`.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    /// Reads a saved plan.
    /// - Throws: `PlanFileError` for anything that is not a plan of this format.
    public static func decode(_ data: Data, origin: String) throws -> Plan {
        do {
            let plan = try JSONDecoder().decode(Plan.self, from: data)
            guard plan.formatVersion == currentFormatVersion else {
                throw PlanFileError(message: "\(origin) is a plan of format \(plan.formatVersion); this imgstack reads \(currentFormatVersion)")
            }
            return plan
        } catch let error as PlanFileError {
            throw error
        } catch {
            throw PlanFileError(message: "\(origin) is not an imgstack plan file")
        }
    }
}

/// A saved plan that cannot be used.
public struct PlanFileError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    public var description: String { message }
}
