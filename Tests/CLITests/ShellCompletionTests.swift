import XCTest

/// `imgstack --generate-completion-script SHELL` prints swift-argument-parser's completion script
/// for bash, zsh and fish, naming imgstack's commands.
final class ShellCompletionTests: XCTestCase {
    func testEveryShellsScriptNamesTheCommands() async throws {
        let cli = try CLI()
        for shell in ["bash", "zsh", "fish"] {
            let result = try await cli.run(["--generate-completion-script", shell])
            XCTAssertEqual(result.status, 0, "\(shell): \(result.standardError)")
            XCTAssertTrue(result.standardOutput.contains("imgstack"), shell)
            for command in ["plan", "show", "apply", "destroy", "output", "state", "import", "policy", "force-unlock"] {
                XCTAssertTrue(result.standardOutput.contains(command), "\(shell): no \(command)")
            }
            // bash and zsh write `--events`, fish `events=` (its option table).
            XCTAssertTrue(result.standardOutput.contains("events"), "\(shell): plan's options are completed")
        }
    }
}
