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

    /// The example: roles made in the same apply as the policies naming them; `second`
    /// adds a role that the existing trust policy and key policies gain.
    private func declare(_ tag: String, second: Bool) -> Stack {
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
        let cases: [(stack: Stack, refused: [Refused])] = [
            (declare(tag, second: false), [
                Refused(operation: "iam:CreateRole", resources: 2),
                Refused(operation: "kms:CreateKey", resources: 2),
                Refused(operation: "kms:PutKeyPolicy", resources: 1),
                Refused(operation: "s3:PutBucketPolicy", resources: 1),
            ]),
            (declare(tag, second: true), [
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
