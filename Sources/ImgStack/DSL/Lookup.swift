import Engine

/// A read-only lookup of something that exists already (Terraform's data sources): declared in
/// a stack with ``StackBuilder/lookup(_:)``, read on every plan, never created, changed or
/// deleted. Its attributes are `Text` references other resources use like any attribute, and a
/// list-valued one a ``TextList`` (``listAttribute(_:)``) that list properties take whole.
///
/// Each kind lives in one file under `Sources/ImgStack/<Service>/`, beside the resource types
/// of its service, with its implementation of `LookupType`.
public protocol Lookup: Sendable {
    /// The kind's name, the middle of its address: `kms.key` in `lookup.kms.key.NAME`.
    static var typeName: String { get }

    /// The Terraform AWS provider's data source for the same thing (`aws_kms_key`).
    static var terraformType: String { get }

    /// The implementation that reads it. It holds no client: each read gets the run's client
    /// from its `OperationContext`.
    static func makeType() -> any LookupType

    /// The lookup's name in the stack, the last part of its address.
    var name: String { get }

    /// The declared arguments as expressions.
    var arguments: [String: Expression] { get }

    /// A region other than the stack's; nil for the stack's.
    var region: String? { get }
}

extension Lookup {
    public var region: String? { nil }

    /// `lookup.<kind>.<name>`.
    public var address: Address { .lookup(Self.typeName, name) }

    /// A reference to one of the lookup's attributes: known at plan time, or after apply when
    /// the lookup waits for a resource of the same apply.
    public func attribute(_ attributeName: String) -> Text {
        Text(.reference(Reference(address: address, attribute: attributeName)))
    }
}
