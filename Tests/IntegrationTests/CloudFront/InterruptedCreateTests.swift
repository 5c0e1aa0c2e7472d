import AWS
import Engine
import Foundation
import ImgStack
import TestSupport
import XCTest

private typealias CF = ImgStack.CloudFront

/// A killed apply's create of a type whose name is unique (a response headers policy), held on
/// its way to AWS while the next run starts at once, as a CI retry does: the next run must find
/// it once it lands and adopt it — not create another (which AWS refuses with
/// `ResponseHeadersPolicyAlreadyExists`, leaving the run stuck until a manual import). The killed
/// run never sends the call that confirms its create (writing the comment back over the intent
/// mark): the proxy refuses it here, so the policy lands as a killed run leaves it.
final class InterruptedCreateTests: XCTestCase {
    override func tearDown() async throws {
        try await Emulator.shared().clearFaults()
    }

    func testAHeldCreateOfAUniquelyNamedPolicyIsAdoptedWhenItLands() async throws {
        let name = "held-\(UUID().uuidString.lowercased().prefix(8))"
        let stack = Stack("cloudfront-test") { $0.add(CF.ResponseHeadersPolicy("cors", policyName: name, comment: "held")) }
        let address = try XCTUnwrap(Address(parsing: "cloudfront.response_headers_policy.cors"))
        let probe = try StackHarness()
        let planned = try await probe.plan(stack)
        let properties = try XCTUnwrap(planned.changes.first { $0.address == address }?.after)

        // The crashed run: its intent is recorded and its create is on the wire, held 2 s.
        var prior = StateFile(stack: "cloudfront-test")
        let intent = CreateIntent(id: UUID().uuidString.lowercased(), address: address, region: "us-east-1", properties: properties,
                                  dependencies: [], startedAt: ISO8601DateFormatter().string(from: Date()))
        prior.intents = [intent]
        let harness = try StackHarness(state: prior)
        try await harness.emulator.inject(Fault(operation: "cloudfront:CreateResponseHeadersPolicy", kind: .delay, count: 1, delayMs: 2000))
        try await harness.emulator.inject(Fault(operation: "cloudfront:UpdateResponseHeadersPolicy", kind: .status, count: 1, status: 403))
        let context = OperationContext(address: address, region: "us-east-1", intentID: intent.id, client: harness.aws)
        let type = CF.ResponseHeadersPolicy.makeType()
        let inFlight = Task { try await type.create(properties, context: context) }
        try await Task.sleep(nanoseconds: 300_000_000)

        // The re-run, at once: the first lookup cannot see the policy yet.
        let rerun = try await harness.deploy(stack)
        let killedRunConfirmed = try? await inFlight.value
        XCTAssertNil(killedRunConfirmed, "the killed run's confirming call was refused")
        XCTAssertEqual(rerun.summary?.succeeded ?? true, true, "\(String(describing: rerun.summary?.failures))")
        let named = try await harness.aws.cloudFront.responseHeadersPolicies.list().filter { $0.config.name == name }
        XCTAssertEqual(named.count, 1, "no second policy")
        XCTAssertEqual(rerun.state.resource(address)?.snapshot.id, named.first?.id, "the landed policy is the one recorded")
        XCTAssertEqual(rerun.state.intents, [])
        XCTAssertEqual(named.first?.config.comment, "held", "the re-run wrote the declared comment back over the intent mark")

        try await harness.destroy(Stack("cloudfront-test") { _ in })
    }
}
