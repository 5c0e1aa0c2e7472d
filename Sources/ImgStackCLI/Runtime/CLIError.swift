/// A failure the CLI reports as one clear message and exit status 1.
struct CLIError: Error, CustomStringConvertible {
    /// What to tell the user.
    var message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}
