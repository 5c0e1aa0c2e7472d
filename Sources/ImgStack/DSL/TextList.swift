import Engine

/// A list of strings a resource property takes: items written one by one (`[first.id, "subnet-0a1b"]`),
/// or the whole of a list-valued attribute, such as the ids an `EC2.SubnetsLookup` found
/// (`TextList(all: subnets.ids)`), whose length is known only once it is read.
public struct TextList: Sendable, Hashable, ExpressibleByArrayLiteral, ExpressionConvertible {
    /// The list as an expression: a list of the items, or the one list-valued reference.
    public let expression: Expression

    /// The items, in order.
    public init(_ items: [Text]) { expression = items.expression }

    public init(arrayLiteral items: Text...) { self.init(items) }

    /// The whole of a list-valued attribute (a lookup's `ids`), taken as the list itself rather
    /// than as a list of one item.
    public init(all list: Text) { expression = list.expression }
}
