import Engine

/// Deleting (or replacing) a repository that still holds images, without `forceDelete`.
struct RepositoryNotEmptyError: Error, Sendable, CustomStringConvertible {
    /// The repository's name.
    var repository: String
    /// How many images it holds.
    var images: Int
    /// The resource it belongs to.
    var address: Address

    var description: String {
        "repository \(repository) holds \(images) image\(images == 1 ? "" : "s") (RepositoryNotEmptyException), so nothing was deleted; "
            + "set forceDelete: true on \(address) and destroy again (a destroy uses the stack's forceDelete) to delete the images with it, "
            + "or delete them yourself"
    }
}
