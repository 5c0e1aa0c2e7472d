import AWS
import Engine
import Foundation
import ImgStack
import TestSupport
import XCTest

/// A role created moments ago is refused as a principal until IAM has propagated it. The
/// emulator reproduces that for a few seconds after each `CreateRole`
/// (`Emulator.setPrincipalPropagation(seconds:)`); every call that names a principal waits it
/// out through its service's `EventualConsistency` rule, on create and on update.
final class PrincipalPropagationTests: XCTestCase {
    private static let window = 3.0

    override func setUp() async throws {
        try await Emulator.shared().setPrincipalPropagation(seconds: Self.window)
    }

    override func tearDown() async throws {
        try await Emulator.shared().setPrincipalPropagation(seconds: 0)
    }

    private static func trust(_ principals: [Text]) -> PolicyDocument {
        PolicyDocument([Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .aws(principals))])
    }

    private static func keyPolicy(_ principals: [Text]) -> PolicyDocument {
        PolicyDocument([
            Statement(sid: "Account", effect: .allow, actions: ["kms:*"], resources: ["*"], principal: .aws("arn:aws:iam::123456789012:root")),
            Statement(sid: "Readers", effect: .allow, actions: ["kms:Decrypt"], resources: ["*"], principal: .aws(principals)),
        ])
    }

    /// A directory with a Python handler, for a function whose permission names the new role.
    private func pythonSource() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("propagation-py-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        try Data("def handler(event, context):\n    return None\n".utf8).write(to: directory.appendingPathComponent("main.py"))
        return directory
    }

    /// The example: roles made in the same apply as the policies naming them; `second`
    /// adds a role that the existing trust policy and key policies gain. A function's
    /// permission lets the first role invoke it.
    private func declare(_ tag: String, second: Bool, source: URL) -> Stack {
        Stack("principal-propagation") { stack in
            let first = stack.add(IAM.Role("first", name: "first-\(tag)", assumeRolePolicy: PolicyDocument([
                Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service("ec2.amazonaws.com")),
            ])))
            var readers = [first.arn]
            if second {
                readers.append(stack.add(IAM.Role("second", name: "second-\(tag)", assumeRolePolicy: PolicyDocument([
                    Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service("ec2.amazonaws.com")),
                ]))).arn)
            }
            stack.add(IAM.Role("trusting", name: "trusting-\(tag)", assumeRolePolicy: Self.trust(readers)))
            stack.add(KMS.Key("owned", description: "propagation \(tag)", policy: Self.keyPolicy(readers), deletionWindowInDays: 7))
            let managed = stack.add(KMS.Key("managed", description: "propagation managed \(tag)", deletionWindowInDays: 7))
            stack.add(KMS.KeyPolicy("managed", keyID: managed.keyID, policy: Self.keyPolicy(readers)))
            let bucket = stack.add(S3.Bucket("data", bucket: Text("propagation-\(tag)")))
            stack.add(S3.BucketPolicy("data", bucket: bucket.bucketName, policy: PolicyDocument([
                Statement(effect: .allow, actions: ["s3:GetObject"], resources: ["arn:aws:s3:::propagation-\(tag)/*"], principal: .aws(readers)),
            ])))
            let runner = stack.add(IAM.Role("runner", name: "runner-\(tag)", assumeRolePolicy: PolicyDocument([
                Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service("lambda.amazonaws.com")),
            ])))
            let function = stack.add(Lambda.Function("job", functionName: Text("job-\(tag)"), source: source, runtime: "python3.12",
                                                     handler: "main.handler", role: runner.arn))
            stack.add(Lambda.Permission("first", functionName: function.arn, statementID: "FirstInvokes", principal: first.arn))
        }
    }

    /// Each call that names the new role, with the operation the proxy counts: more calls than
    /// resources means the call was refused, waited out and sent again.
    private struct Refused {
        var operation: String
        var resources: Int
    }

    func testEveryCallNamingANewRoleWaitsForItOnCreateAndUpdate() async throws {
        let harness = try StackHarness()
        let tag = UUID().uuidString.prefix(8).lowercased()
        let source = try pythonSource()
        let cases: [(stack: Stack, refused: [Refused])] = [
            (declare(tag, second: false, source: source), [
                Refused(operation: "iam:CreateRole", resources: 2),
                Refused(operation: "kms:CreateKey", resources: 2),
                Refused(operation: "kms:PutKeyPolicy", resources: 1),
                Refused(operation: "s3:PutBucketPolicy", resources: 1),
                Refused(operation: "lambda:AddPermission", resources: 1),
            ]),
            (declare(tag, second: true, source: source), [
                Refused(operation: "iam:UpdateAssumeRolePolicy", resources: 1),
                Refused(operation: "kms:PutKeyPolicy", resources: 2),
                Refused(operation: "s3:PutBucketPolicy", resources: 1),
            ]),
        ]
        for (index, step) in cases.enumerated() {
            try await harness.emulator.resetCalls()
            try await harness.apply(step.stack)
            let calls = try await harness.emulator.calls()
            for refused in step.refused {
                XCTAssertGreaterThan(calls[refused.operation] ?? 0, refused.resources,
                                     "step \(index): \(refused.operation) was not refused and retried: \(calls)")
            }
            let again = try await harness.plan(step.stack)
            XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))
        }
        try await harness.emulator.setPrincipalPropagation(seconds: 0)
        try await harness.destroy(cases[1].stack)
    }
}
