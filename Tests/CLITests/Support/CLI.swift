import Foundation
import TestSupport
import XCTest

/// Runs the built `imgstack` executable as a user would, in a scratch working directory,
/// with a controlled environment (no credentials, no profile files, unless a test adds them).
struct CLI {
    /// The working directory, removed when the test's `TemporaryDirectory` goes.
    let directory: TemporaryDirectory
    /// The environment every run gets, plus per-run additions.
    var environment: [String: String]

    /// A scratch directory and an environment with no AWS configuration at all.
    init() throws {
        directory = try TemporaryDirectory(prefix: "imgstack-cli")
        environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": directory.url.path,
            "AWS_CONFIG_FILE": directory.appending("no-aws-config").path,
            "AWS_SHARED_CREDENTIALS_FILE": directory.appending("no-aws-credentials").path,
            "AWS_EC2_METADATA_DISABLED": "true",
        ]
    }

    /// The same scratch directory, talking to the emulator with its test credentials.
    static func withEmulator(_ emulator: Emulator, region: String = "us-east-1") throws -> CLI {
        var cli = try CLI()
        cli.environment.merge(emulator.environment(region: region)) { _, new in new }
        cli.environment["HOME"] = cli.directory.url.path
        return cli
    }

    /// The `imgstack` binary SwiftPM built beside the test bundle.
    static var executable: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // macOS runs tests from inside an .xctest bundle; Linux runs the bundle itself.
        while directory.pathExtension == "xctest" || directory.lastPathComponent == "MacOS" || directory.lastPathComponent == "Contents" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("imgstack")
    }

    /// Runs `imgstack arguments…`.
    func run(_ arguments: [String], environment extra: [String: String] = [:], input: String? = nil,
             interruption: ProcessRunner.Interruption? = nil, signal: Int32 = SIGKILL) async throws -> ProcessRunner.Result {
        let runner = ProcessRunner(executable: CLI.executable, arguments: arguments,
                                   environment: environment.merging(extra) { _, new in new },
                                   currentDirectory: directory.url, standardInput: input.map { Data($0.utf8) })
        return try await runner.run(interruption: interruption, signal: signal, timeout: 300)
    }

    /// The path of a file in the working directory.
    func path(_ relative: String) -> String {
        directory.appending(relative).path
    }
}
