/// A deployment package that cannot be built.
public struct DeploymentPackageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public var message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
