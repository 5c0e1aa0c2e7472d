import Engine

/// A create whose name is already used by a resource this stack did not make, where AWS's own
/// call would take that resource over instead of refusing (CloudWatch `PutMetricAlarm` writes
/// over an alarm of the same name). Nothing was changed.
struct NameTakenError: Error, Sendable, CustomStringConvertible {
    /// What kind of resource, in AWS's words ("CloudWatch alarm").
    var kind: String
    /// The name in use.
    var name: String
    /// The resource being created.
    var address: Address

    var description: String {
        "\(kind) \(name) already exists and was not made by this stack, so it was left unchanged; "
            + "choose another name for \(address), or adopt it with `imgstack import \(address) \(name)`"
    }
}
