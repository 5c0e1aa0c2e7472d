import AWS
import ArgumentParser
import Engine
import Foundation
import ImgStack

/// Runs a command body with a session, turning every failure into one clear message on
/// standard error and exit status 1 (never a stack trace).
enum CommandRunner {
    static func run(_ options: GlobalOptions, _ body: (Session) async throws -> Void) async throws {
        let console = Console(noColor: options.noColor)
        InterruptHandler.shared.install(console: console)
        do {
            let session = try Session(options: options)
            try await body(session)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            console.error(message(for: error))
            throw ExitCode.failure
        }
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
