import Engine
import Foundation
import XCTest

/// Collects values from a `@Sendable` closure.
final class Collected<Item: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Item] = []
    func add(_ item: Item) { lock.withLock { stored.append(item) } }
    var items: [Item] { lock.withLock { stored } }
}

/// Waiting for a held lock prints who holds it once, then a line every 10 seconds, however
/// often the backend tries.
final class LockWaitReporterTests: XCTestCase {
    func testTheHolderIsReportedOnceThenAStillWaitingLineEveryTenSeconds() {
        let reports = Collected<LockWaitReporter.Report>()
        let reporter = LockWaitReporter { reports.add($0) }
        let holder = LockInfo(operation: "apply", id: "held")
        let start = Date(timeIntervalSince1970: 1_000)
        // An attempt every 250 ms for 25 s, as the local backend makes them.
        for attempt in 0...100 {
            reporter.attemptFound(holder, now: start.addingTimeInterval(Double(attempt) * 0.25))
        }
        XCTAssertEqual(reports.items, [.held(by: holder), .stillWaiting(seconds: 10, holder: holder), .stillWaiting(seconds: 20, holder: holder)])
    }

    func testADeploymentWaitingForTheLockReportsItsHolder() async throws {
        let backend = LocalStateBackend(directory: NSTemporaryDirectory() + "lock-wait-\(UUID().uuidString)", stack: "test")
        defer { try? FileManager.default.removeItem(atPath: (backend.path as NSString).deletingLastPathComponent) }
        let other = LocalStateBackend(directory: (backend.path as NSString).deletingLastPathComponent, stack: "test")
        // Whole seconds: the lock file keeps its time in ISO 8601 without fractions.
        let held = LockInfo(operation: "apply", id: "held-by-other", created: Date(timeIntervalSince1970: 1_700_000_000))
        try await other.lock(held, timeout: 0)
        let reports = Collected<LockWaitReporter.Report>()
        let stack = StackDefinition(name: "test", region: "eu-west-1", resources: [], outputs: [], knownTypes: [:])
        let deployment = Deployment(stack: stack, backend: backend, client: nil, options: .init(operation: .plan, lockTimeout: 1),
                                    events: { if case .waitingForLock(let report) = $0 { reports.add(report) } })
        await XCTAssertThrowsErrorAsync(try await deployment.run())
        XCTAssertEqual(reports.items, [.held(by: held)], "the holder is named once within the first 10 s")
        try await other.unlock()
    }
}
