import Dispatch
import Engine
import Foundation
import Synchronization

/// Ctrl-C (SIGINT) and SIGTERM for the whole run.
///
/// While an apply or destroy executes, the first signal stops new operations and lets running
/// ones finish (state is saved); a second aborts. At any other moment — refreshing, planning,
/// waiting at the approval prompt — the signal ends the run at once. Either way a state lock
/// this run holds is released first, so an interrupted run never leaves an S3 lock behind (a
/// local lock is an OS lock and goes with the process anyway).
final class InterruptHandler: Sendable {
    /// The handler of this process.
    static let shared = InterruptHandler()

    private struct State {
        var installed = false
        var signals = 0
        var console: Console?
        var execution: CancellationFlag?
        var releaseLock: (@Sendable () async -> Void)?
    }

    private let state = Mutex(State())
    /// The signal sources, kept for the life of the process; written once, by `install`.
    nonisolated(unsafe) private var sources: [DispatchSourceSignal] = []

    /// Starts handling SIGINT and SIGTERM (once per process).
    func install(console: Console) {
        let sources = state.withLock { state -> [DispatchSourceSignal]? in
            state.console = console
            guard !state.installed else { return nil }
            state.installed = true
            return [SIGINT, SIGTERM].map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
        }
        guard let sources else { return }
        for source in sources {
            signal(Int32(source.handle), SIG_IGN)
            source.setEventHandler { [self] in handleSignal() }
            source.resume()
        }
        self.sources = sources
    }

    /// Runs `body` with `release` as the way to give the state lock back if interrupted.
    func holdingLock<T>(release: @escaping @Sendable () async -> Void, _ body: () async throws -> T) async rethrows -> T {
        state.withLock { $0.releaseLock = release }
        defer { state.withLock { $0.releaseLock = nil } }
        return try await body()
    }

    /// Follows a deployment: while it holds the lock an interrupt releases it; while it applies
    /// the first interrupt stops new operations.
    func follow(_ event: DeploymentEvent) {
        switch event {
        case .locked(let release): state.withLock { $0.releaseLock = release }
        case .unlocked: state.withLock { $0.releaseLock = nil }
        case .applying(let flag): state.withLock { $0.execution = flag }
        case .applied: state.withLock { $0.execution = nil }
        default: break
        }
    }

    private func handleSignal() {
        let (seen, execution, release, console) = state.withLock { state in
            state.signals += 1
            return (state.signals, state.execution, state.releaseLock, state.console)
        }
        if seen == 1, let execution {
            execution.cancel()
            console?.err((console?.style.yellow("Interrupt received.") ?? "Interrupt received.")
                + " No new operations will start; waiting for running ones to finish and saving state. Press Ctrl-C again to abort.")
            return
        }
        if execution != nil {
            console?.err("Aborting. Operations that were running may have finished in AWS without being recorded; the next apply will look for them.")
        } else {
            console?.err("Interrupted; nothing more will be done.")
        }
        if let release {
            // Give the lock back before leaving, waiting a few seconds at most.
            let released = DispatchSemaphore(value: 0)
            Task {
                await release()
                released.signal()
            }
            _ = released.wait(timeout: .now() + 10)
        }
        exit(130)
    }
}
