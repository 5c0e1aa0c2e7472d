import Foundation

/// Why the emulator could not be started or answered its control routes unexpectedly.
public struct EmulatorError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, with the log file to read when there is one.
    public let message: String

    /// Creates an error.
    /// - Parameter message: What went wrong.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
