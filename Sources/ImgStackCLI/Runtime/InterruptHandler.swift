import Dispatch
import Engine
import Foundation

/// Ctrl-C during an apply: the first stops new operations and lets running ones finish (state
/// is saved); the second aborts at once.
final class InterruptHandler: @unchecked Sendable {
    private let source: DispatchSourceSignal
    private var count = 0
    private let lock = NSLock()

    /// Starts handling SIGINT (and SIGTERM) for the lifetime of this object.
    init(flag: CancellationFlag, console: Console) {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let terminate = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        let handler: @Sendable () -> Void = { [weak self] in
            guard let self else { return }
            let seen = self.lock.withLock { () -> Int in
                self.count += 1
                return self.count
            }
            if seen == 1 {
                flag.cancel()
                console.err(console.style.yellow("Interrupt received.") + " No new operations will start; waiting for running ones to finish and saving state. Press Ctrl-C again to abort.")
            } else {
                console.err("Aborting. Operations that were running may have finished in AWS without being recorded; the next apply will look for them.")
                exit(130)
            }
        }
        source.setEventHandler(handler: handler)
        terminate.setEventHandler(handler: handler)
        source.resume()
        terminate.resume()
        self.terminate = terminate
    }

    private var terminate: DispatchSourceSignal?

    deinit {
        source.cancel()
        terminate?.cancel()
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
