import Engine

/// A create whose name is already used by a resource this stack did not make, where AWS's own
/// call would take that resource over instead of refusing (CloudWatch `PutMetricAlarm` writes
/// over an alarm of the same name), or refuses without saying whose it is (CloudFront's
/// `ResponseHeadersPolicyAlreadyExists`). Nothing was changed.
struct NameTakenError: Error, Sendable, CustomStringConvertible {
    /// What kind of resource, in AWS's words ("CloudWatch alarm").
    var kind: String
    /// The name in use.
    var name: String
    /// The resource being created.
    var address: Address
    /// The id `imgstack import` takes for the resource in use, when it is not its name (a
    /// CloudFront configuration's id); nil when it is.
    var importID: String? = nil

    var description: String {
        "\(kind) \(name) already exists and was not made by this stack, so it was left unchanged; "
            + "choose another name for \(address), or adopt it with `imgstack import \(address) \(importID ?? name)`"
    }
}
