/// A declared resource whose recorded object is still being deleted (deletion pending since an
/// earlier run) needs a replacement that keeps its unique name: the new object cannot be
/// created while the old one, under that name, is not gone. Thrown at plan time, before any
/// change.
public struct PendingDeletionError: Error, Sendable, CustomStringConvertible {
    /// The resource.
    public var address: Address
    /// The id of the object pending deletion.
    public var id: String
    /// What forces the replacement (property names, or `--replace`).
    public var replacePaths: [String]

    public var description: String {
        "\(address): the object recorded here (id=\(id)) is still being deleted (deletion pending since an earlier run), and the stack "
            + "now replaces it under the same name (\(replacePaths.joined(separator: ", "))); the new one cannot be created until the old "
            + "one is gone. Keep the changed properties as they were to take the object back and update it in place, give the resource "
            + "another name, or remove it from the stack and apply again until its deletion finishes."
    }
}
