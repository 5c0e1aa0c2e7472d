/// One step of an apply.
public enum OperationKind: String, Sendable, Hashable {
    /// Create a resource (also the second half of a replacement).
    case create
    /// Update properties in place.
    case update
    /// Delete a resource (also the first or last half of a replacement).
    case delete

    /// "Creating", "Modifying", "Destroying".
    public var presentParticiple: String {
        switch self {
        case .create: return "Creating"
        case .update: return "Modifying"
        case .delete: return "Destroying"
        }
    }

    /// "Created", "Modified", "Destroyed".
    public var pastParticiple: String {
        switch self {
        case .create: return "Created"
        case .update: return "Modified"
        case .delete: return "Destroyed"
        }
    }

    /// "create", "update", "delete".
    public var noun: String { rawValue }
}

/// An operation the executor schedules: a kind on an address (on its deposed object, for the
/// old half of a create-before-destroy replacement).
struct OperationNode: Hashable, Sendable, CustomStringConvertible {
    var address: Address
    var kind: OperationKind
    /// Set when the node deletes an old object rather than the current one.
    var deposedID: String?

    var description: String {
        "\(kind.noun) \(address)\(deposedID.map { " (deposed \($0))" } ?? "")"
    }
}

/// Something the executor reports as it goes.
public struct ExecutionEvent: Sendable {
    /// What happened.
    public enum Kind: Sendable {
        /// The operation started.
        case started
        /// The operation finished after `elapsed` seconds; `id` is the resource id.
        case finished(elapsed: Double, id: String?)
        /// Still running after `elapsed` seconds.
        case stillRunning(elapsed: Double)
        /// The operation failed.
        case failed(elapsed: Double, error: String)
        /// A line of detail from the resource type, or a deletion note.
        case note(String)
    }

    /// The resource.
    public var address: Address
    /// The operation.
    public var operation: OperationKind
    /// True when it concerns a deposed object.
    public var deposed: Bool
    /// What happened.
    public var kind: Kind
}

/// Thrown by a resource type whose deletion AWS has accepted but not finished (Lambda@Edge
/// replicas): the record stays in state marked pending, and the next run finishes it.
public struct DeletionPendingError: Error, Sendable, CustomStringConvertible {
    /// Why the deletion cannot finish now.
    public var message: String

    /// Creates the error.
    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}
