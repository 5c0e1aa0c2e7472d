import ArgumentParser
import BuildInfo
import Foundation
import ImgStack

/// The imgstack command line over a set of stacks.
///
/// The `imgstack` executable runs it over the stacks that ship; a package of your own runs it
/// over yours:
///
/// ```swift
/// import ImgStackCLI
/// await ImgStackCLI.main(stacks: [myStack], defaultStack: "my-stack")
/// ```
public enum ImgStackCLI {
    /// Parses the process's arguments and runs the command, then exits with its status.
    /// - Parameters:
    ///   - stacks: the stacks `--stack` chooses from.
    ///   - defaultStack: the stack used without `--stack`.
    public static func main(stacks: [Stack], defaultStack: String? = nil) async {
        StackRegistry.register(stacks, defaultName: defaultStack)
        exit(await execute(nil))
    }

    /// Runs one command line (without the program name) and returns its exit status, for
    /// embedding and tests. Output goes to the process's standard output and error.
    public static func run(_ arguments: [String], stacks: [Stack], defaultStack: String? = nil) async -> Int32 {
        StackRegistry.register(stacks, defaultName: defaultStack)
        return await execute(arguments)
    }

    /// Parses `arguments` (the process's when nil), runs the command and returns its exit
    /// status: 0, or 1 for every failure, usage errors included (swift-argument-parser's
    /// default for those is 64, `EX_USAGE`; README promises 1). `--help` prints to standard
    /// output and returns 0.
    private static func execute(_ arguments: [String]?) async -> Int32 {
        do {
            var command = try RootCommand.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch {
            let code = RootCommand.exitCode(for: error)
            let message = RootCommand.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { Console(noColor: true).out(message) }
                return 0
            }
            if !(error is ExitCode), !message.isEmpty { Console(noColor: true).err(message) }
            return code == .validationFailure ? ExitCode.failure.rawValue : code.rawValue
        }
    }
}

/// `imgstack`.
struct RootCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imgstack",
        abstract: "Plan, apply and destroy AWS infrastructure described in Swift.",
        version: BuildInfo.versionLine,
        subcommands: [
            PlanCommand.self, ShowCommand.self, ApplyCommand.self, DestroyCommand.self, OutputCommand.self, StateCommand.self,
            ImportCommand.self, GraphCommand.self, ValidateCommand.self, WhoamiCommand.self, StacksCommand.self,
            ForceUnlockCommand.self, PolicyCommand.self,
        ])
}
