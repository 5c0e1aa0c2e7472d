/// Colours for terminal output, or none.
public struct TerminalStyle: Sendable {
    /// Whether ANSI colour codes are written.
    public var colored: Bool

    /// Creates a style.
    public init(colored: Bool) {
        self.colored = colored
    }

    /// No colour: files, pipes, CI logs, `NO_COLOR`, `--no-color`.
    public static let plain = TerminalStyle(colored: false)

    /// Green, for additions.
    public func green(_ text: String) -> String { wrap(text, "32") }
    /// Yellow, for in-place changes.
    public func yellow(_ text: String) -> String { wrap(text, "33") }
    /// Red, for deletions.
    public func red(_ text: String) -> String { wrap(text, "31") }
    /// Bold.
    public func bold(_ text: String) -> String { wrap(text, "1") }
    /// Dim, for hints.
    public func dim(_ text: String) -> String { wrap(text, "2") }

    private func wrap(_ text: String, _ code: String) -> String {
        colored ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
