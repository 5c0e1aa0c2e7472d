import Engine

/// Another stack whose outputs this stack reads (see ``StackBuilder/reference(_:stack:backend:)``).
public struct StackReference: Sendable {
    /// `stack_reference.NAME`.
    public let address: Address

    /// The other stack's output `name`, known once its state is read (before any change is
    /// planned). A sensitive output stays sensitive wherever it is used.
    public func output(_ name: String) -> Text {
        Text(.reference(Reference(address: address, attribute: name)))
    }
}
