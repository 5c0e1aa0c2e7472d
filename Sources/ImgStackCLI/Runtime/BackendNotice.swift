import Foundation
import ImgStack
import Synchronization

/// What the state backend wants a user to know, asked as soon as this is made, so that it goes
/// out beside the run's first calls (the lock) rather than a round trip before them, and printed
/// once: for S3, a warning when the bucket keeps no old versions of the state
/// (`GetBucketVersioning`). A local state has nothing to say.
final class BackendNotice: Sendable {
    private let answer: Task<String?, Never>?
    private let console: Console
    private let printed = Mutex(false)

    /// Starts asking `backend`.
    init(_ backend: SealedStateBackend, console: Console) {
        self.console = console
        answer = (backend.inner as? S3StateBackend).map { remote in Task { await remote.versioningWarning() } }
    }

    /// Prints the warning on standard error once it is answered; later calls print nothing.
    func print() async {
        guard let warning = await answer?.value, printed.withLock({ printed in
            defer { printed = true }
            return !printed
        }) else { return }
        console.err(console.style.yellow("Warning: ") + warning)
    }
}
