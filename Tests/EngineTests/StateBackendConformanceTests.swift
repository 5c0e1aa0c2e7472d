import Engine
import Foundation
import TestSupport
import XCTest

/// The engine's own state backends through the shared `StateBackend` contract; what only one
/// backend does is tested beside it (`LocalStateBackendTests`).
final class StateBackendConformanceTests: XCTestCase {
    func testLocalStateBackendConforms() async throws {
        let findings = try await StateBackendConformance(exempt: [
            .writeAfterAnotherRunsWriteIsRefused:
                "writes are not conditional: like Terraform's local backend it relies on the lock alone",
            .forceUnlockRemovesTheNamedLock:
                "an OS lock held by a live process is never removed (testLockOfALiveHolderIsNotForceUnlocked); a dead holder's is (testLockOfAKilledHolderIsFreeAndForceUnlockable)",
            .staleHolderUnlockLeavesTheNewLock:
                "a live holder's lock cannot be force-unlocked, so no other run can take it meanwhile",
        ]) {
            let directory = try TemporaryDirectory(prefix: "imgstack-local-state")
            let backend = LocalStateBackend(directory: directory.url.path, stack: "demo")
            return StateBackendConformance.Storage(keepAlive: directory, storeBytes: { data in
                try FileManager.default.createDirectory(at: directory.url, withIntermediateDirectories: true)
                try data.write(to: URL(fileURLWithPath: backend.path))
            }) {
                LocalStateBackend(directory: directory.url.path, stack: "demo")
            }
        }.findings()
        XCTAssertEqual(findings, [], "the backend breaks the StateBackend contract")
    }

    func testInMemoryStateBackendConforms() async throws {
        let oneInstance = "one instance is both the storage and every run's handle, so it cannot tell runs apart"
        let findings = try await StateBackendConformance(exempt: [
            .writeAfterAnotherRunsWriteIsRefused: "writes are not conditional (\(oneInstance))",
            .corruptStateIsRefused: "it keeps a decoded StateFile, never bytes",
            .newerFormatIsRefused: "it keeps a decoded StateFile, never bytes",
            .waitingForAHeldLockTimesOut: "lock(_:timeout:) ignores the timeout and refuses at once",
            .waitingRunGetsTheLockOnceReleased: "lock(_:timeout:) ignores the timeout and refuses at once",
            .unlockWithoutTheLockLeavesTheHolders: "unlock() releases whatever lock is held (\(oneInstance))",
            .staleHolderUnlockLeavesTheNewLock: "unlock() releases whatever lock is held (\(oneInstance))",
        ]) {
            let backend = InMemoryStateBackend()
            return StateBackendConformance.Storage { backend }
        }.findings()
        XCTAssertEqual(findings, [], "the backend breaks the StateBackend contract")
    }
}
