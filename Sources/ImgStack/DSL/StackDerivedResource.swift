import Engine

/// A resource some of whose properties are worked out from the rest of the stack once the
/// stack's code has run: an API Gateway deployment records everything its API serves, so any
/// change to it redeploys without the author listing what to watch (Terraform's hand-written
/// `triggers`).
protocol StackDerivedResource: Resource {
    /// The properties to add to the declaration.
    /// - Parameter declarations: every resource the stack declares, in declaration order.
    func derivedProperties(from declarations: [ResourceDeclaration]) -> [String: Expression]
}
