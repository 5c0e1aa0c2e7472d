import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// A Lambda@Edge function destroyed while CloudFront still holds its replicas stays in state as
/// deletion pending; declaring it again takes it back (updated in place, no longer pending)
/// instead of creating it beside itself, and a replacement under the same name is refused at
/// plan time. The emulator refuses `DeleteFunction` while a function is marked replicated
/// (`Emulator.setEdgeReplicas`), as AWS does.
final class PendingDeletionTests: XCTestCase {
    private static let trust = PolicyDocument([
        Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service("lambda.amazonaws.com")),
    ])

    private func sourceDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edge-src-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        try Data("exports.handler = async (event) => event.Records[0].cf.request;\n".utf8).write(to: directory.appendingPathComponent("index.js"))
        return directory
    }

    func testDestroyWhileReplicasRemainThenApplyTakesTheFunctionBack() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        let source = try sourceDirectory()
        let name = "edge-\(tag)"
        func declare(memory: Int) -> Stack {
            Stack("lambda-pending-deletion") { stack in
                let role = stack.add(IAM.Role("edge", name: Text(name), assumeRolePolicy: Self.trust))
                stack.add(Lambda.Function("edge", functionName: Text(name), source: source, runtime: "nodejs20.x", handler: "index.handler",
                                          role: role.arn, memorySize: memory, timeout: 5))
            }
        }
        let address = "lambda.function.edge"
        try await harness.apply(declare(memory: 128))
        try await harness.emulator.setEdgeReplicas(function: name, replicated: true)

        let destroyed = try await harness.deploy(declare(memory: 128), options: PlanOptions(destroy: true))
        XCTAssertEqual(destroyed.summary?.deletionPending.map(\.description), [address])
        let pendingRecord = try await harness.state.resource(XCTUnwrap(Address(parsing: address)))
        XCTAssertEqual(pendingRecord?.deletionPending, true)

        // A replacement under the same name cannot happen while the old function is there.
        do {
            _ = try await harness.plan(declare(memory: 128), options: PlanOptions(forceReplace: [try XCTUnwrap(Address(parsing: address))]))
            XCTFail("a replacement of a function pending deletion under its own name was planned")
        } catch let error as PendingDeletionError {
            XCTAssertTrue(error.description.contains("\(address): the object recorded here (id=\(name)) is still being deleted"), error.description)
        }

        // The example: apply again. The function is taken back and updated in place.
        let again = try await harness.apply(declare(memory: 256))
        let change = try XCTUnwrap(again.changes.first { $0.address.description == address })
        XCTAssertEqual(change.action, .update)
        XCTAssertTrue(change.reason?.contains("taken back") == true, change.reason ?? "")
        XCTAssertTrue(HumanPlanRenderer().render(again).contains("taken back"), HumanPlanRenderer().render(again))
        let live = try await harness.aws.lambda.function(name)
        XCTAssertEqual(live?.0.memorySize, 256)
        let record = try await harness.state.resource(XCTUnwrap(Address(parsing: address)))
        XCTAssertEqual(record?.deletionPending, false)
        let empty = try await harness.plan(declare(memory: 256))
        XCTAssertFalse(empty.hasChanges, HumanPlanRenderer().render(empty))

        // CloudFront has removed the replicas: the destroy finishes.
        try await harness.emulator.setEdgeReplicas(function: name, replicated: false)
        try await harness.destroy(declare(memory: 256))
        let gone = try await harness.aws.lambda.function(name)
        XCTAssertNil(gone)
    }
}
