import Engine
import XCTest

/// `CallSlots` bounds a refresh's calls in flight (`--parallelism`): never more than its limit,
/// and every waiter gets a slot in the end, however many queue up behind it (its queue drops
/// the waiters it resumed as it goes).
final class CallSlotsTests: XCTestCase {
    func testManyCallersNeverHoldMoreThanTheLimitAndAllGetASlot() async throws {
        for limit in [1, 3] {
            let slots = CallSlots(limit: limit)
            let flight = InFlight()
            let finished = try await withDeadline(seconds: 20) {
                await withTaskGroup(of: Void.self) { group in
                    for _ in 0..<500 {
                        group.addTask {
                            await slots.acquire()
                            await flight.begin()
                            await Task.yield()
                            await flight.end()
                            await slots.release()
                        }
                    }
                }
                return await flight.finished
            }
            XCTAssertEqual(finished, 500, "limit \(limit): every caller got a slot")
            let most = await flight.most
            XCTAssertEqual(most, limit, "limit \(limit): the most calls in flight at once")
            // Every slot came back: the limit can be taken again at once.
            _ = try await withDeadline(seconds: 5) { for _ in 0..<limit { await slots.acquire() } }
        }
    }

    func testALimitBelowOneIsOne() async {
        let limit = await CallSlots(limit: 0).limit
        XCTAssertEqual(limit, 1)
    }

    /// Runs `work`, failing instead of hanging when it takes longer than `seconds` (a task
    /// group would wait for a hung child; this leaves it behind).
    private func withDeadline<T: Sendable>(seconds: Double, _ work: @escaping @Sendable () async -> T) async throws -> T {
        let answer = Answer<T>()
        let task = Task { await answer.set(await work()) }
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if let value = await answer.value { return value }
            try await Task.sleep(for: .milliseconds(10))
        }
        task.cancel()
        throw DeadlineExceeded()
    }

    private struct DeadlineExceeded: Error {}
}

/// What a piece of work answered, once it has.
private actor Answer<T: Sendable> {
    private(set) var value: T?

    func set(_ value: T) {
        self.value = value
    }
}

/// Counts the callers holding a slot, and the most at once.
private actor InFlight {
    private(set) var most = 0
    private(set) var finished = 0
    private var now = 0

    func begin() {
        now += 1
        most = max(most, now)
    }

    func end() {
        now -= 1
        finished += 1
    }
}
