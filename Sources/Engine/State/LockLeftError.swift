import Foundation

/// A run did its work but could not give its state lock back (the backend refused or could not
/// be reached): the lock stays until it is removed, and every other run is refused meanwhile.
/// Reported after what the run did, never instead of it (``Deployment/Result/lockLeft``).
public struct LockLeftError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The lock's id, as `imgstack force-unlock` takes it.
    public var lockID: String
    /// Where the state is (`s3://bucket/key`, a file path).
    public var origin: String
    /// Why releasing it failed, as the backend said.
    public var cause: String

    public var description: String {
        "the run finished, but its lock \(lockID) on state \(origin) was not released (\(cause)); other runs are refused "
            + "until it is removed: `imgstack force-unlock \(lockID)`"
    }
}
