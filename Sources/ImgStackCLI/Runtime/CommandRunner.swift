import AWS
import ArgumentParser
import Engine
import Foundation
import ImgStack

/// Runs a command body with a session, turning every failure into one clear message on
/// standard error and exit status 1 (never a stack trace).
enum CommandRunner {
    /// Runs `body` with a session of `options`.
    /// - Parameter events: `--events`: the run's stream begins with its `version` message, and a
    ///   failure is written there as `diagnostic` messages instead of on standard error.
    /// - Throws: `ExitCode.failure` for every failure, after reporting it; the body's `ExitCode`.
    static func run(_ options: GlobalOptions, events: EventsOption? = nil,
                    _ body: (Session, EventStream?) async throws -> Void) async throws {
        let console = Console(noColor: options.noColor)
        InterruptHandler.shared.install(console: console)
        let stream = events?.stream(console)
        stream?.begin()
        do {
            let session = try Session(options: options)
            try await body(session, stream)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            if let stream { stream.fail(error) } else { console.error(message(for: error)) }
            throw ExitCode.failure
        }
    }

    /// Runs `body` with a session of `options` (for commands without `--events`).
    /// - Throws: `ExitCode.failure` for every failure, after reporting it; the body's `ExitCode`.
    static func run(_ options: GlobalOptions, _ body: (Session) async throws -> Void) async throws {
        try await run(options, events: nil) { session, _ in try await body(session) }
    }

    /// The one-line (or, for validation, one-line-per-problem) message for an error.
    static func message(for error: any Error) -> String {
        switch error {
        case let error as AWSError: return error.description
        case let error as AWSClientError: return error.message
        case let error as CLIError: return error.message
        case let error as StackValidationError: return error.description
        case let error as StateError: return error.description
        case let error as CustomStringConvertible: return error.description
        default: return "\(error)"
        }
    }
}
