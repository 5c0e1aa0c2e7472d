import Foundation
import XCTest
@testable import AWS

/// A refresh holds its calls in a gate (`AWSClient.gated(by:)`, `--parallelism` calls in flight):
/// a call whose task is cancelled while it waits for a place sends nothing and gives the place on.
final class CallGateTests: XCTestCase {
    private static let identity = """
        <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>
        <UserId>AIDAEXAMPLE123456789</UserId><Account>123456789012</Account><Arn>arn:aws:iam::123456789012:user/ci</Arn>
        </GetCallerIdentityResult></GetCallerIdentityResponse>
        """

    func testACallCancelledWhileWaitingForAPlaceSendsNothingAndGivesThePlaceOn() async throws {
        let transport = ScriptedTransport(body: Self.identity)
        let gate = OnePlace()
        let client = scriptedClient(transport).gated(by: gate)
        await gate.acquire()
        let waiting = Task { try await client.sts.getCallerIdentity() }
        await gate.untilSomeoneWaits()
        waiting.cancel()
        await gate.release()
        do {
            _ = try await waiting.value
            XCTFail("a cancelled call was sent")
        } catch is CancellationError {}
        XCTAssertEqual(transport.requests.count, 0, "nothing went out")
        let taken = await gate.taken
        XCTAssertFalse(taken, "the place was given back")
        let identity = try await client.sts.getCallerIdentity()
        XCTAssertEqual(identity.account, "123456789012", "the next call takes the place")
        XCTAssertEqual(transport.requests.count, 1)
    }
}

/// A gate of one place that can say when a call is waiting for it.
private actor OnePlace: CallGate {
    private(set) var taken = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var watchers: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard taken else {
            taken = true
            return
        }
        await withCheckedContinuation { waiter in
            waiters.append(waiter)
            watchers.forEach { $0.resume() }
            watchers = []
        }
    }

    func release() {
        if waiters.isEmpty {
            taken = false
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// Returns once a call waits for the place.
    func untilSomeoneWaits() async {
        guard waiters.isEmpty else { return }
        await withCheckedContinuation { watchers.append($0) }
    }
}
