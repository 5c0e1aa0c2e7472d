import ImgStack
import Synchronization

/// The stacks this binary carries, set once by `ImgStackCLI.main(stacks:)`.
enum StackRegistry {
    private static let registered = Mutex<(stacks: [Stack], defaultName: String?)>(([], nil))

    static func register(_ stacks: [Stack], defaultName: String?) {
        registered.withLock { $0 = (stacks, defaultName) }
    }

    static var stacks: [Stack] { registered.withLock { $0.stacks } }

    /// The stack named `name`, or the default one.
    /// - Throws: `CLIError` naming the stacks there are.
    static func stack(named name: String?) throws -> Stack {
        let (stacks, defaultName) = registered.withLock { ($0.stacks, $0.defaultName) }
        guard let wanted = name ?? defaultName ?? (stacks.count == 1 ? stacks.first?.name : nil) else {
            throw CLIError("choose a stack with --stack NAME; this binary carries: \(stacks.map(\.name).joined(separator: ", "))")
        }
        guard let stack = stacks.first(where: { $0.name == wanted }) else {
            throw CLIError("no stack named \"\(wanted)\"; this binary carries: \(stacks.map(\.name).joined(separator: ", "))")
        }
        return stack
    }
}
