import Engine

/// A list of strings a resource property takes (subnet ids, security group ids): the items
/// written one by one (`[first.id, "subnet-0a1b"]`, each a ``Text`` that may hold references), or
/// a list-valued attribute as a whole, such as the ids an ``EC2/SubnetsLookup`` found
/// (`subnets.ids`), whose items and length are known only once the lookup is read — until then
/// the property plans as `(known after apply)`, as Terraform plans a data source's list it
/// reads during apply.
///
/// A list attribute is its own type so that only a list can stand where a list goes: a
/// `Text` (`vpc.id`) is refused at compile time rather than sent to AWS as one string.
public struct TextList: Sendable, Hashable, ExpressibleByArrayLiteral, ExpressionConvertible {
    /// The list as an expression: a list of the items, or the one reference to a list attribute.
    public let expression: Expression

    /// The items, in order.
    public init(_ items: [Text]) { expression = items.expression }

    public init(arrayLiteral items: Text...) { self.init(items) }

    /// A reference to a list-valued attribute (`Lookup.listAttribute(_:)`).
    init(listAttribute reference: Reference) { expression = .reference(reference) }
}

extension Lookup {
    /// A reference to one of the lookup's list-valued attributes (a subnets lookup's `ids`): the
    /// list it read, or `(known after apply)` while the lookup waits for a resource of the same
    /// apply. For a lookup kind declared outside imgstack, as ``attribute(_:)`` is for strings.
    public func listAttribute(_ attributeName: String) -> TextList {
        TextList(listAttribute: Reference(address: address, attribute: attributeName))
    }
}
