import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program to completion, capturing its output, and can kill it part-way: after a delay
/// or as soon as a line appears on its output (crash tests SIGKILL `imgstack` mid-apply).
public struct ProcessRunner: Sendable {
    /// When the runner sends its signal to the running program.
    public enum Interruption: Sendable, Equatable {
        /// After this many seconds.
        case after(seconds: Double)
        /// As soon as stdout or stderr contains this text.
        case whenOutputContains(String)
        /// This many seconds after stdout or stderr first contains this text (to land inside
        /// the operation the text announces, e.g. while its request is in flight).
        case afterOutputContains(String, seconds: Double)
    }

    /// What a finished run produced.
    public struct Result: Sendable, Equatable {
        /// The exit code, or the signal number when `wasSignalled` is true.
        public var status: Int32
        /// True when the program ended because of a signal.
        public var wasSignalled: Bool
        /// True when the runner itself sent the interruption signal.
        public var wasInterrupted: Bool
        /// Everything written to standard output.
        public var standardOutput: String
        /// Everything written to standard error.
        public var standardError: String
    }

    /// The program to run.
    public var executable: URL
    /// Its arguments, without the program name.
    public var arguments: [String]
    /// Its complete environment; nil inherits the test process's environment.
    public var environment: [String: String]?
    /// Its working directory; nil keeps the test process's.
    public var currentDirectory: URL?
    /// Bytes written to its standard input before it is closed; nil closes it at once.
    public var standardInput: Data?

    /// Describes a run.
    /// - Parameters:
    ///   - executable: The program to run.
    ///   - arguments: Its arguments.
    ///   - environment: Its complete environment, or nil to inherit.
    ///   - currentDirectory: Its working directory, or nil.
    ///   - standardInput: What it reads on stdin, or nil.
    public init(
        executable: URL, arguments: [String] = [], environment: [String: String]? = nil,
        currentDirectory: URL? = nil, standardInput: Data? = nil
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.currentDirectory = currentDirectory
        self.standardInput = standardInput
    }

    /// Finds an executable on `PATH`, like the shell does.
    /// - Parameter name: A program name such as `python3`.
    /// - Returns: Its location, or nil when no `PATH` entry has it.
    public static func which(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        return nil
    }

    /// Runs the program until it exits.
    /// - Parameters:
    ///   - interruption: When to send `signal`; nil lets the program finish on its own.
    ///   - signal: The signal sent on interruption (SIGKILL by default).
    ///   - timeout: Seconds after which the program is killed with SIGKILL in any case.
    /// - Returns: Its exit status and output.
    /// - Throws: When the program cannot be started.
    public func run(
        interruption: Interruption? = nil, signal: Int32 = SIGKILL, timeout: Double = 600
    ) async throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let outputPipe = Pipe(), errorPipe = Pipe(), inputPipe = Pipe()
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        process.standardInput = inputPipe

        let trigger: (text: String, delay: Double)?
        switch interruption {
        case .whenOutputContains(let text)?: trigger = (text, 0)
        case .afterOutputContains(let text, let seconds)?: trigger = (text, seconds)
        default: trigger = nil
        }
        let capture = Capture(trigger: trigger?.text)
        try process.run()
        let pid = process.processIdentifier
        let interrupt: @Sendable () -> Void = {
            if capture.markInterrupted() { kill(pid, signal) }
        }
        let delay = trigger?.delay ?? 0
        capture.onTrigger = delay > 0 ? { DispatchQueue.global().asyncAfter(deadline: .now() + delay, execute: interrupt) } : interrupt

        let readers = DispatchGroup()
        for (pipe, isError) in [(outputPipe, false), (errorPipe, true)] {
            readers.enter()
            // Blocking reads get threads of their own: GCD's pool has as few threads as
            // cores, and blocked readers would starve the timers below.
            Thread {
                let handle = pipe.fileHandleForReading
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    capture.append(chunk, isError: isError)
                }
                readers.leave()
            }.start()
        }
        if let standardInput { inputPipe.fileHandleForWriting.write(standardInput) }
        try? inputPipe.fileHandleForWriting.close()

        let exited = DispatchSemaphore(value: 0)
        Thread {
            var waited = 0.0
            if case .after(let seconds)? = interruption {
                if exited.wait(timeout: .now() + seconds) == .success { return }
                interrupt()
                waited = seconds
            }
            if exited.wait(timeout: .now() + max(0, timeout - waited)) == .timedOut {
                kill(pid, SIGKILL)
            }
        }.start()

        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                process.waitUntilExit()
                exited.signal()
                readers.wait()
                continuation.resume()
            }.start()
        }
        let (output, error, interrupted) = capture.snapshot()
        return Result(
            status: process.terminationStatus,
            wasSignalled: process.terminationReason == .uncaughtSignal,
            wasInterrupted: interrupted,
            standardOutput: String(decoding: output, as: UTF8.self),
            standardError: String(decoding: error, as: UTF8.self))
    }
}

/// Output collected from the reader threads, and whether the interruption already fired.
private final class Capture: Sendable {
    private struct State {
        var output = Data()
        var error = Data()
        var interrupted = false
        var onTrigger: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())
    private let trigger: Data?

    init(trigger: String?) {
        self.trigger = trigger.map { Data($0.utf8) }
    }

    var onTrigger: (@Sendable () -> Void)? {
        get { state.withLock { $0.onTrigger } }
        set { state.withLock { $0.onTrigger = newValue } }
    }

    func append(_ chunk: Data, isError: Bool) {
        let fire: (@Sendable () -> Void)? = state.withLock { state in
            if isError { state.error.append(chunk) } else { state.output.append(chunk) }
            guard let trigger, !state.interrupted else { return nil }
            let seen = isError ? state.error : state.output
            return seen.range(of: trigger) == nil ? nil : state.onTrigger
        }
        fire?()
    }

    /// Returns true the first time only, so the signal is sent once.
    func markInterrupted() -> Bool {
        state.withLock { state in
            defer { state.interrupted = true }
            return !state.interrupted
        }
    }

    func snapshot() -> (Data, Data, Bool) {
        state.withLock { ($0.output, $0.error, $0.interrupted) }
    }
}
