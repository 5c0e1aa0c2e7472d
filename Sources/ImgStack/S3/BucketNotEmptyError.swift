import Engine

/// Destroying a bucket that still holds objects, without `forceDestroy`.
struct BucketNotEmptyError: Error, Sendable, CustomStringConvertible {
    /// The bucket's name.
    var bucket: String
    /// The resource it belongs to.
    var address: Address

    var description: String {
        "bucket \(bucket) is not empty (BucketNotEmpty), so nothing was deleted; set forceDestroy: true on \(address) "
            + "and destroy again (a destroy uses the stack's forceDestroy) to delete every object version with it, or empty the bucket yourself"
    }
}
