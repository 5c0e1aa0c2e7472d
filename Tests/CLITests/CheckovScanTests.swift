import Engine
import Foundation
import ImgStack
import Stacks
import TestSupport
import XCTest

/// checkov, the policy scanner many Terraform users run on `terraform show -json`, reads
/// imgstack's plans: every resource of every shipped stack is recognised, the checks it evaluates
/// are pinned to golden files (`Fixtures/checkov/<stack>.txt`), the image server passes the
/// encryption, public-access and TLS checks, and deliberately weakened resources fail the checks
/// that name them. checkov runs offline (`--skip-download`) from the virtual environment `.ci/run`
/// makes; re-record with `IMGSTACK_RECORD_GOLDEN=1 swift test --filter CheckovScanTests`.
final class CheckovScanTests: XCTestCase {
    private static let fixtures = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("checkov")

    /// One checkov run over every shipped stack's plan and the strong-and-weak stack, shared by
    /// the tests below.
    private static let scan = Task<Checkov.Report, any Error> {
        guard let checkov = Checkov.find() else { throw CheckovError(message: "not installed") }
        var plans = [strongAndWeak.name: try TerraformPlanJSON.render(strongAndWeak)]
        for stack in ShippedStacks.all { plans[stack.name] = try TerraformPlanJSON.render(stack) }
        return try await checkov.scan(plans)
    }

    private func report() async throws -> Checkov.Report {
        guard Checkov.find() != nil else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("checkov is not installed; .ci/run installs it in .build/checkov-venv")
            }
            throw XCTSkip("checkov is not installed (.ci/run installs it in .build/checkov-venv, or set IMGSTACK_CHECKOV)")
        }
        return try await Self.scan.value
    }

    func testCheckovRecognisesEveryResourceOfEveryShippedStack() async throws {
        let report = try await report()
        var projected = 0
        for stack in ShippedStacks.all + [Self.strongAndWeak] {
            projected += TerraformPlanJSON.plannedAddresses(try TerraformPlanJSON.parse(try TerraformPlanJSON.render(stack))).count
        }
        // checkov counts the resources it read over all the plans: all of them, when the counts agree.
        XCTAssertEqual(report.resourceCount, projected, "checkov counts every projected resource")
        for stack in ShippedStacks.all {
            let findings = report.findings[stack.name] ?? []
            XCTAssertFalse(findings.isEmpty, "\(stack.name): checkov evaluated no check")
            try assertGolden(findings.map(\.line).joined(separator: "\n") + "\n", Self.fixtures.appendingPathComponent("\(stack.name).txt"))
        }
    }

    func testImageServerPassesEncryptionPublicAccessAndTLSChecks() async throws {
        let report = try await report()
        for (check, resource) in Self.imageServerMustPass {
            XCTAssertEqual(report.result(check, resource, in: "image-server"), "PASSED", "\(check) on \(resource)")
        }
    }

    func testWeakenedResourcesFailTheChecksThatNameThem() async throws {
        let report = try await report()
        for (check, strong, weak) in Self.weakenings {
            XCTAssertEqual(report.result(check, strong, in: Self.strongAndWeak.name), "PASSED", "\(check) on \(strong)")
            XCTAssertEqual(report.result(check, weak, in: Self.strongAndWeak.name), "FAILED", "\(check) on \(weak)")
        }
    }

    // MARK: - What is checked

    /// The image server's encryption (KMS on the bucket), public access (every block on) and TLS
    /// (HTTPS to viewers) checks.
    private static let imageServerMustPass: [(String, String)] = [
        ("CKV_AWS_145", "aws_s3_bucket.images"),
        ("CKV2_AWS_6", "aws_s3_bucket.images"),
        ("CKV_AWS_53", "aws_s3_bucket_public_access_block.images"),
        ("CKV_AWS_54", "aws_s3_bucket_public_access_block.images"),
        ("CKV_AWS_55", "aws_s3_bucket_public_access_block.images"),
        ("CKV_AWS_56", "aws_s3_bucket_public_access_block.images"),
        ("CKV_AWS_34", "aws_cloudfront_distribution.site"),
        ("CKV_AWS_7", "aws_kms_key.images"),
    ]

    /// Each check, a resource that passes it and its weakened twin that fails it.
    private static let weakenings: [(String, String, String)] = [
        ("CKV_AWS_53", "aws_s3_bucket_public_access_block.strong", "aws_s3_bucket_public_access_block.open"),
        ("CKV_AWS_56", "aws_s3_bucket_public_access_block.strong", "aws_s3_bucket_public_access_block.open"),
        ("CKV_AWS_145", "aws_s3_bucket.strong", "aws_s3_bucket.unencrypted"),
        ("CKV_AWS_63", "aws_iam_role_policy.strong[\"read\"]", "aws_iam_role_policy.admin[\"everything\"]"),
        ("CKV_AWS_34", "aws_cloudfront_distribution.strong", "aws_cloudfront_distribution.http"),
        ("CKV_AWS_24", "aws_security_group_rule.ssh_private", "aws_security_group_rule.ssh_world"),
    ]

    /// Resources made as the image server makes them, each beside a twin weakened in one way.
    private static let strongAndWeak = Stack("strong-and-weak") { stack in
        let key = stack.add(KMS.Key("strong", description: "Encrypts the strong bucket", enableKeyRotation: true))
        let strong = stack.add(S3.Bucket("strong", bucket: "checkov-strong", versioning: true, encryption: .kms(kmsKeyID: key.arn),
                                         publicAccessBlock: S3.PublicAccessBlock(), ownership: .bucketOwnerEnforced))
        stack.add(S3.Bucket("open", bucket: "checkov-open", versioning: true, encryption: .kms(kmsKeyID: key.arn),
                            publicAccessBlock: S3.PublicAccessBlock(blockPublicAcls: false, ignorePublicAcls: false,
                                                                    blockPublicPolicy: false, restrictPublicBuckets: false)))
        stack.add(S3.Bucket("unencrypted", bucket: "checkov-unencrypted", versioning: true, publicAccessBlock: S3.PublicAccessBlock()))
        let trust = PolicyDocument([Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service("lambda.amazonaws.com"))])
        stack.add(IAM.Role("strong", name: "checkov-strong", assumeRolePolicy: trust, inlinePolicies: [
            "read": PolicyDocument([Statement(effect: .allow, actions: ["s3:GetObject"], resources: ["\(strong.arn)/*"])]),
        ]))
        stack.add(IAM.Role("admin", name: "checkov-admin", assumeRolePolicy: trust, inlinePolicies: [
            "everything": PolicyDocument([Statement(effect: .allow, actions: ["*"], resources: ["*"])]),
        ]))
        for (name, viewerProtocolPolicy) in [("strong", "redirect-to-https"), ("http", "allow-all")] {
            stack.add(CloudFront.Distribution(name, origins: [CloudFront.Origin(id: "images", domainName: strong.bucketRegionalDomainName)],
                                              defaultCacheBehavior: CloudFront.CacheBehavior(targetOriginID: "images",
                                                                                             viewerProtocolPolicy: viewerProtocolPolicy)))
        }
        let group = stack.add(EC2.SecurityGroup("ssh", name: "checkov-ssh", vpcID: "vpc-0123456789abcdef0"))
        for (name, peer) in [("ssh_private", EC2.SecurityGroupRule.Peer.cidrIPv4("10.0.0.0/16")), ("ssh_world", .cidrIPv4("0.0.0.0/0"))] {
            stack.add(EC2.SecurityGroupRule(name, securityGroupID: group.id, direction: .ingress, ipProtocol: "tcp", fromPort: 22, toPort: 22,
                                            peer: peer))
        }
    }
}
