import AWS
import Engine
import Foundation
import ImgStack
import Stacks
import TestSupport
import XCTest

/// The s3-proxy stack (seed 003) against the emulator: its cluster's OIDC issuer read from the
/// cluster's own stack, kept in S3; everything checked through the AWS API.
final class S3ProxyTests: XCTestCase {
    /// Stands for the EKS cluster's project: its IAM OIDC provider, and the outputs the
    /// terraform-aws-modules EKS module gives (`cluster_oidc_issuer_url`, `oidc_provider_arn`).
    private static func cluster(issuer: String) -> Stack {
        Stack("eks-cluster") { stack in
            let provider = stack.add(IAM.OpenIDConnectProvider("cluster", url: issuer, clientIDs: ["sts.amazonaws.com"]))
            stack.output("cluster_oidc_issuer_url", Text(issuer))
            stack.output("oidc_provider_arn", provider.arn)
        }
    }

    func testApplyReadsTheClusterStackFromS3AndGivesThePodExactlyWhatItNeeds() async throws {
        let id = UUID().uuidString.prefix(8).lowercased()
        let issuer = "https://oidc.eks.us-east-1.amazonaws.com/id/\(id.uppercased())"
        let host = String(issuer.dropFirst("https://".count))

        // The cluster's stack, its state then kept in S3 as a team would keep it.
        let clusterHarness = try StackHarness()
        try await clusterHarness.apply(Self.cluster(issuer: issuer))
        let stateBucket = "state-\(id)"
        try await clusterHarness.aws.s3(region: "us-east-1").createBucket(stateBucket)
        let remote = S3StateBackend(bucket: stateBucket, key: "eks/cluster.state.json", region: "us-east-1", client: clusterHarness.aws)
        try await remote.write(try await clusterHarness.state)

        let harness = try StackHarness()
        let client = harness.aws
        harness.stackReferenceBackend = { reference in
            guard case .s3(let bucket, _, let region, _) = try BackendURL.parse(reference.backend ?? "") else {
                throw StackReferenceError(reference.address, "expected an s3:// backend")
            }
            return S3StateBackend(bucket: bucket, key: "eks/cluster.state.json", region: region, client: client)
        }
        let variables: [String: Engine.Value] = [
            "s3_bucket_prefix": .string("proxy-\(id)"), "docker_image_name": .string("proxy-\(id)"), "eks_namespace": "web",
            "eks_service_account_name": "reader", "cluster_stack": "eks-cluster",
            "cluster_backend": .string("s3://\(stateBucket)/eks/cluster.state.json"),
        ]
        let plan = try await harness.apply(s3Proxy, variables: variables)
        XCTAssertEqual(plan.stackReferences?.map(\.stack), ["eks-cluster"], "the plan says which stack it read")

        // The bucket: private, TLS only, holding the sample content.
        let s3 = harness.aws.s3(region: "us-east-1")
        let bucket = "proxy-\(id)-web"
        let keys = try await s3.listObjects(bucket, prefix: "").map(\.key).sorted()
        XCTAssertEqual(keys, ["1.png", "docs/readme.txt", "index.html"])
        let block = try await s3.publicAccessBlock(bucket)
        XCTAssertEqual(block?.blockPublicPolicy, true)
        let bucketPolicy = try await s3.bucketPolicy(bucket)
        XCTAssertTrue(bucketPolicy?.contains("aws:SecureTransport") == true, bucketPolicy ?? "no policy")

        // The pod's role: trusted by the cluster's provider for one service account only.
        let role = try await XCTUnwrapAsync(try await harness.aws.iam.role("web-reader-s3proxy"))
        let trust = PolicyNormalizer.normalize(.string(role.assumeRolePolicy))
        let expectedTrust: Engine.Value = ["Version": "2012-10-17", "Statement": [[
            "Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
            "Principal": ["Federated": .string("arn:aws:iam::123456789012:oidc-provider/\(host)")],
            "Condition": ["StringEquals": [.init(stringLiteral: "\(host):sub"): "system:serviceaccount:web:reader",
                                           .init(stringLiteral: "\(host):aud"): "sts.amazonaws.com"]],
        ]]]
        XCTAssertEqual(trust, PolicyNormalizer.normalize(expectedTrust), role.assumeRolePolicy)
        let attached = try await harness.aws.iam.attachedRolePolicies("web-reader-s3proxy")
        XCTAssertEqual(attached.count, 1)
        let found = try await harness.aws.iam.policy(try XCTUnwrap(attached.first))
        let policy = try XCTUnwrap(found)
        let document = try Engine.Value(jsonText: try await harness.aws.iam.policyDocument(policy.arn, version: policy.defaultVersionID))
        let grants = (document["Statement"].listValue ?? []).map { ($0["Action"], $0["Resource"]) }
        XCTAssertEqual(grants.count, 2)
        XCTAssertTrue(grants.contains { $0.0 == ["s3:GetObject"] && $0.1 == [.string("arn:aws:s3:::\(bucket)/*")] }, "\(grants)")
        XCTAssertTrue(grants.contains { $0.0 == ["s3:ListBucket"] && $0.1 == [.string("arn:aws:s3:::\(bucket)")] }, "\(grants)")

        // The image repository with its lifecycle policy.
        let ecr = harness.aws.ecr(region: "us-east-1")
        let repository = try await ecr.describeRepository("proxy-\(id)")
        XCTAssertEqual(repository.imageScanningConfiguration?.scanOnPush, true)
        let lifecycle = try Engine.Value(jsonText: try await ecr.lifecyclePolicy("proxy-\(id)"))
        XCTAssertEqual(lifecycle["rules"].listValue?.count, 2)

        // Outputs shaped for Helm.
        let outputs = try await harness.state.outputs
        XCTAssertEqual(outputs["role_arn"]?.value, .string("arn:aws:iam::123456789012:role/web-reader-s3proxy"))
        XCTAssertEqual(outputs["bucket"]?.value, .string(bucket))
        XCTAssertEqual(outputs["image_repository"]?.value, .string(repository.repositoryUri))
        XCTAssertEqual(outputs["region"]?.value, "us-east-1")

        let again = try await harness.plan(s3Proxy, variables: variables)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        try await harness.assertDestroyReadsOnlyWhatDeletingNeeds(s3Proxy, variables: variables)
        try await harness.destroy(s3Proxy, variables: variables)
        let buckets = try await s3.listBuckets().map(\.name)
        XCTAssertFalse(buckets.contains(bucket))
        let goneRole = try await harness.aws.iam.role("web-reader-s3proxy")
        XCTAssertNil(goneRole)
        let gonePolicy = try await harness.aws.iam.policy(policy.arn)
        XCTAssertNil(gonePolicy)
        do {
            _ = try await ecr.describeRepository("proxy-\(id)")
            XCTFail("the repository is deleted")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, .repositoryNotFoundException)
        }
        let state = try await harness.state
        XCTAssertEqual(state.resources, [])
        try await clusterHarness.assertDestroyReadsOnlyWhatDeletingNeeds(Self.cluster(issuer: issuer))
        try await clusterHarness.destroy(Self.cluster(issuer: issuer))
    }

    func testPlansWithNoOtherStackAndRefusesABadServiceAccountName() throws {
        let harness = try StackHarness()
        let evaluation = try harness.evaluate(s3Proxy)
        XCTAssertTrue(evaluation.definition.stackReferences.isEmpty, "the issuer comes from a variable unless cluster_stack is set")
        XCTAssertThrowsError(try harness.evaluate(s3Proxy, variables: ["eks_service_account_name": "Not_Valid"])) { error in
            XCTAssertTrue("\(error)".contains("var.eks_service_account_name"), "\(error)")
        }
    }
}

/// Unwraps an optional that an async call returned.
private func XCTUnwrapAsync<T>(_ expression: @autoclosure () async throws -> T?, file: StaticString = #filePath,
                               line: UInt = #line) async throws -> T {
    let value = try await expression()
    return try XCTUnwrap(value, file: file, line: line)
}
