import AWS
import Engine
import Foundation
import ImgStack
import TestSupport
import XCTest

private typealias CF = ImgStack.CloudFront

/// A refresh's calls against the emulator, watched on their way to it (issue #13): `--parallelism`
/// bounds the calls in flight, whichever resources they are for, and a resource's reads that need
/// no other read's answer (its tags by its recorded ARN, a bucket's groups by its name) go out
/// together with the read that says whether it exists.
final class RefreshConcurrencyTests: XCTestCase {
    /// One resource of each type whose reads go out together, each declaring what its second read is for.
    private func declare(_ tag: String, vpc: DefaultNetwork) -> Stack {
        Stack("refresh-concurrency") { stack in
            let bucket = stack.add(S3.Bucket("data", bucket: Text("refresh-\(tag)"), versioning: true, tags: ["team": "images"],
                                                forceDestroy: true))
            stack.add(S3.Object("page", bucket: bucket.bucketName, key: "index.html", content: "<h1>hi</h1>", tags: ["kind": "page"]))
            stack.add(IAM.Role("app", name: Text("refresh-\(tag)"), assumeRolePolicy: PolicyDocument([
                Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service("ec2.amazonaws.com")),
            ]), inlinePolicies: ["read": PolicyDocument([
                Statement(effect: .allow, actions: ["s3:GetObject"], resources: ["arn:aws:s3:::refresh-\(tag)/*"]),
            ])], tags: ["team": "images"]))
            stack.add(IAM.Policy("read", name: Text("refresh-\(tag)"), document: PolicyDocument([
                Statement(effect: .allow, actions: ["s3:GetObject"], resources: ["arn:aws:s3:::refresh-\(tag)/*"]),
            ])))
            stack.add(KMS.Key("data", description: "refresh \(tag)", enableKeyRotation: true, deletionWindowInDays: 7, tags: ["team": "images"]))
            let topic = stack.add(SNS.Topic("alerts", topicName: Text("refresh-\(tag)"), tags: ["team": "images"]))
            stack.add(ImgStack.SSM.Parameter("setting", name: Text("/refresh/\(tag)"), value: "on", description: "a setting",
                                             tags: ["team": "images"]))
            stack.add(CloudWatch.LogGroup("access", name: Text("/refresh/\(tag)"), retentionInDays: 7, tags: ["team": "images"]))
            stack.add(CloudWatch.MetricAlarm("errors", alarmName: Text("refresh-\(tag)"), namespace: "AWS/Lambda", metricName: "Errors",
                                             statistic: "Sum", period: 300, evaluationPeriods: 1, threshold: 1,
                                             comparisonOperator: "GreaterThanOrEqualToThreshold", alarmActions: [topic.arn],
                                             tags: ["team": "images"]))
            stack.add(ImgStack.WAFv2.WebACL("edge", name: Text("refresh-\(tag)"), scope: .regional,
                                            rules: [.rateLimit(name: "per-ip", priority: 0, limit: 300)], metricName: "refresh",
                                            tags: ["team": "images"]))
            stack.add(CF.Distribution("cdn", origins: [CF.Origin(id: "o", domainName: "refresh-\(tag).s3.us-east-1.amazonaws.com")],
                                      defaultCacheBehavior: CF.CacheBehavior(targetOriginID: "o"), tags: ["team": "images"],
                                      waitForDeployment: false))
            stack.add(ECR.Repository("app", name: Text("refresh-\(tag)"), tags: ["team": "images"]))
            let group = stack.add(EC2.SecurityGroup("app", name: Text("refresh-\(tag)"), vpcID: Text(vpc.vpcID), keepDefaultEgress: true))
            stack.add(EC2.LaunchTemplate("app", name: Text("refresh-\(tag)"), imageID: "ami-12c6146b", instanceType: "t3.micro",
                                         securityGroupIDs: [group.id]))
            let balancer = stack.add(ELBv2.LoadBalancer("app", loadBalancerName: Text("refresh-\(tag)"), subnets: TextList(vpc.subnets.map { Text($0) }),
                                                        securityGroups: [group.id], idleTimeout: 30, tags: ["team": "images"]))
            let targets = stack.add(ELBv2.TargetGroup("app", targetGroupName: Text("refresh-\(tag)"), port: 8080, vpcID: Text(vpc.vpcID),
                                                      tags: ["team": "images"]))
            stack.add(ELBv2.Listener("http", loadBalancerARN: balancer.arn, port: 80, targetGroupARN: targets.arn, tags: ["team": "images"]))
        }
    }

    /// The stack, applied in the emulator's default VPC.
    private func applied(_ harness: StackHarness) async throws -> Stack {
        let vpc = try await DefaultNetwork.read(harness.aws)
        let stack = declare(String(UUID().uuidString.prefix(8).lowercased()), vpc: vpc)
        try await harness.apply(stack)
        return stack
    }

    func testParallelismBoundsTheCallsInFlightAndEverySlotIsUsed() async throws {
        let harness = try StackHarness()
        let stack = try await applied(harness)
        let state = try await harness.state
        let types = try harness.evaluate(stack).definition.knownTypes
        for parallelism in [1, 3] {
            let watch = WatchingTransport()
            let refreshed = try await Refresher(types: types, client: harness.emulator.client(transport: watch), parallelism: parallelism)
                .refresh(state)
            XCTAssertTrue(refreshed.drift.isEmpty, "\(refreshed.drift)")
            XCTAssertEqual(watch.mostInFlight, parallelism,
                           "with --parallelism \(parallelism), \(watch.mostInFlight) of the refresh's \(watch.sent) calls were in flight at once")
        }
        // A destroy reads each resource once, however many reads its plan makes.
        try await harness.assertDestroyReadsOnlyWhatDeletingNeeds(stack)
        try await harness.destroy(stack)
    }

    func testEachResourcesReadsAreInFlightTogether() async throws {
        let harness = try StackHarness()
        let stack = try await applied(harness)
        let state = try await harness.state
        let types = try harness.evaluate(stack).definition.knownTypes
        XCTAssertEqual(state.resources.count, 17)
        for record in state.resources {
            var alone = StateFile(stack: state.stack)
            alone.upsert(record)
            let counted = WatchingTransport()
            _ = try await Refresher(types: types, client: harness.emulator.client(transport: counted)).refresh(alone)
            XCTAssertGreaterThan(counted.sent, 1, "\(record.address) is read with more than one call")
            // Every call waits until all of them are in flight, or gives up after a while: reads
            // made one after another never fill the barrier.
            let barrier = WatchingTransport(holdUntilInFlight: counted.sent)
            let refreshed = try await Refresher(types: types, client: harness.emulator.client(transport: barrier)).refresh(alone)
            XCTAssertTrue(refreshed.drift.isEmpty, "\(refreshed.drift)")
            XCTAssertEqual(barrier.mostInFlight, counted.sent, "\(record.address): its \(counted.sent) reads were not all in flight at once")
        }
        try await harness.destroy(stack)
    }
}
