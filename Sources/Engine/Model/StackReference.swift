/// Another stack whose outputs this stack reads from that stack's state (Terraform's
/// `terraform_remote_state` data source, Pulumi's `StackReference`). Read-only: nothing of the
/// other stack is ever changed.
///
/// A stack refers to an output as `stack_reference.NAME.OUTPUT`; the ``Deployment`` reads the
/// other stack's state before planning (on every plan, `--refresh=false` included, since it is a
/// state read, not a read of the cloud) and puts the outputs' values in place.
public struct StackReferenceDeclaration: Sendable, Hashable {
    /// The reference's name in this stack (`cluster`).
    public var name: String
    /// The other stack's name, which names its state (`eks-cluster`).
    public var stack: String
    /// Where the other stack's state lives, as `--backend` takes it (`local`, `s3://BUCKET/KEY`);
    /// nil for a local state in this run's state directory.
    public var backend: String?

    /// Creates a declaration.
    public init(name: String, stack: String, backend: String? = nil) {
        self.name = name
        self.stack = stack
        self.backend = backend
    }

    /// `stack_reference.NAME`, the address references to its outputs use.
    public var address: Address { Address(type: Address.stackReferenceType, name: name) }
}

extension Address {
    /// The type part of a stack reference's address.
    public static let stackReferenceType = "stack_reference"

    /// True for `stack_reference.NAME`.
    public var isStackReference: Bool { type == Address.stackReferenceType }
}

/// What a plan read of another stack: shown with the plan, so a reviewer knows which state fed it.
public struct StackReferenceRead: Sendable, Codable, Equatable {
    /// The reference's name in this stack.
    public var name: String
    /// The other stack.
    public var stack: String
    /// Where its state was read (`.imgstack/eks-cluster.state.json`, `s3://…`).
    public var location: String
    /// The state's serial when read.
    public var serial: Int

    /// Creates a record.
    public init(name: String, stack: String, location: String, serial: Int) {
        self.name = name
        self.stack = stack
        self.location = location
        self.serial = serial
    }
}

/// A stack reference that cannot be read; found before any write.
public struct StackReferenceError: Error, Sendable, CustomStringConvertible {
    /// The reference's address.
    public var address: Address
    /// What is wrong.
    public var message: String

    /// Creates the error.
    public init(_ address: Address, _ message: String) {
        self.address = address
        self.message = message
    }

    public var description: String { "\(address): \(message)" }
}

extension Expression {
    /// The expression with each reference `lookup` knows replaced by its value; others stay.
    public func substituting(_ lookup: (Reference) -> Value?) -> Expression {
        switch self {
        case .value: return self
        case .reference(let reference): return lookup(reference).map(Expression.value) ?? self
        case .concat(let parts): return .concat(parts.map { $0.substituting(lookup) })
        case .list(let items): return .list(items.map { $0.substituting(lookup) })
        case .map(let entries): return .map(entries.mapValues { $0.substituting(lookup) })
        case .trimPrefix(let text, let prefix): return .trimPrefix(text.substituting(lookup), prefix)
        }
    }
}
