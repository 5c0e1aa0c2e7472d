import ArgumentParser

/// `imgstack stacks`: the stacks this binary carries.
struct StacksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stacks", abstract: "List the stacks this binary carries.")

    func run() throws {
        let console = Console(noColor: true)
        let stacks = StackRegistry.stacks
        let width = stacks.map(\.name.count).max() ?? 0
        for stack in stacks {
            console.out(stack.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + stack.summary)
        }
    }
}
