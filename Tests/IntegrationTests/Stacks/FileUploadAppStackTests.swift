import AWS
import Engine
import Foundation
import ImgStack
import Stacks
import XCTest

/// The shipped `file-upload-app` stack against the emulator behind the verifying proxy: applied
/// from nothing into the default VPC its lookups find and read back through the AWS API, an
/// empty re-plan, and a destroy that leaves nothing it created (the KMS key pending deletion)
/// and the default VPC and its subnets as they were.
final class FileUploadAppStackTests: XCTestCase {
    private static let region = "us-east-1"
    /// The SSM public parameter the AMI lookup reads.
    private static let amiParameter = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"

    /// The stack's names, as the stack derives them from `service`.
    private struct Names {
        var service: String
        var normalBucket: String { "\(service)-normal-us-east-1" }
        var sensitiveBucket: String { "\(service)-sensitive-us-east-1" }
        var mover: String { "\(service)-mover" }
        var moverLogs: String { "/aws/lambda/\(service)-mover" }
        var instanceRole: String { "\(service)-instance" }
        var parameters: [String] { ["user_pool_id", "client_id", "client_secret"].map { "/\(service)/cognito/\($0)" } }
    }

    private func id(_ harness: StackHarness, _ address: String) async throws -> String {
        try required(await harness.snapshot(address)?.id, "no \(address) in state")
    }

    func testApplyFromNothingInTheDefaultVPCThenDestroyLeavingItAsItWas() async throws {
        let harness = try StackHarness(region: Self.region)
        let ec2 = harness.aws.ec2(region: Self.region)
        let vpc = try required(await ec2.describeVpcs(filters: [.isDefault(true)]).first)
        let subnetsBefore = try await ec2.describeSubnets(filters: [.vpcID(vpc.id)])
        let publicSubnets = subnetsBefore.filter(\.mapPublicIPOnLaunch).map(\.id).sorted()
        XCTAssertGreaterThanOrEqual(publicSubnets.count, 2, "the emulator's default VPC has a public subnet per zone")
        let service = "fu-\(UUID().uuidString.prefix(6).lowercased())"
        let names = Names(service: service)
        let variables: [String: Engine.Value] = ["service": .string(service)]

        try await harness.apply(fileUploadApp, variables: variables)

        try await assertWebTier(harness, names: names, vpcID: vpc.id, publicSubnets: publicSubnets)
        try await assertSettingsAndStorage(harness, names: names)

        let again = try await harness.plan(fileUploadApp, variables: variables)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        let keyID = try await id(harness, "kms.key.data")
        let poolID = try await id(harness, "cognito.user_pool.users")
        let groupIDs = [try await id(harness, "ec2.security_group.balancer"), try await id(harness, "ec2.security_group.instances")]
        let templateID = try await id(harness, "ec2.launch_template.app")
        try await harness.assertDestroyReadsOnlyWhatDeletingNeeds(fileUploadApp, variables: variables)
        try await harness.destroy(fileUploadApp, variables: variables)
        await assertNothingLeft(harness, names: names, poolID: poolID, groupIDs: groupIDs, templateID: templateID)
        let key = try await harness.aws.kms(region: Self.region).describeKey(keyID)
        XCTAssertEqual(key.keyState, "PendingDeletion", "a KMS key cannot be deleted at once")

        let vpcsAfter = try await ec2.describeVpcs(filters: [.isDefault(true)])
        XCTAssertEqual(vpcsAfter, [vpc], "the default VPC is never touched")
        let subnetsAfter = try await ec2.describeSubnets(filters: [.vpcID(vpc.id)])
        XCTAssertEqual(subnetsAfter.map(\.id).sorted(), subnetsBefore.map(\.id).sorted(), "nor are its subnets")
    }

    /// The load balancer, its listener and target group, the security groups, the launch template
    /// and the auto-scaling group with its policy, in the subnets and VPC the lookups found.
    private func assertWebTier(_ harness: StackHarness, names: Names, vpcID: String, publicSubnets: [String]) async throws {
        let ec2 = harness.aws.ec2(region: Self.region)
        let elbv2 = harness.aws.elbv2(region: Self.region)
        let balancerGroup = try await id(harness, "ec2.security_group.balancer")
        let instanceGroup = try await id(harness, "ec2.security_group.instances")

        let balancer = try required(await elbv2.loadBalancer(named: names.service))
        XCTAssertEqual(balancer.scheme, "internet-facing")
        XCTAssertEqual(balancer.vpcID, vpcID)
        XCTAssertEqual(balancer.subnets.sorted(), publicSubnets, "every public subnet of the default VPC")
        XCTAssertEqual(balancer.securityGroups, [balancerGroup])
        let attributes = try await elbv2.loadBalancerAttributes(balancer.arn)
        XCTAssertEqual(attributes["deletion_protection.enabled"], "false")
        let targets = try required(await elbv2.targetGroup(named: names.service))
        XCTAssertEqual([targets.protocolName, "\(targets.port)", targets.vpcID, targets.healthCheck.path], ["HTTP", "80", vpcID, "/"])
        let listeners = try await elbv2.listeners(loadBalancerARN: balancer.arn)
        XCTAssertEqual(listeners.map { "\($0.protocolName) \($0.port) → \($0.targetGroupARN)" }, ["HTTP 80 → \(targets.arn)"])

        let balancerRules = try await ec2.describeSecurityGroupRules(groupID: balancerGroup).filter { !$0.isEgress }
        XCTAssertEqual(balancerRules.map(\.permission), [AWS.EC2.RulePermission(ipProtocol: "tcp", fromPort: 80, toPort: 80,
                                                                                 peer: .cidrIPv4("0.0.0.0/0"), description: "HTTP from anywhere")])
        let instanceRules = try await ec2.describeSecurityGroupRules(groupID: instanceGroup).filter { !$0.isEgress }
        XCTAssertEqual(instanceRules.map(\.permission), [AWS.EC2.RulePermission(ipProtocol: "tcp", fromPort: 80, toPort: 80,
                                                                                 peer: .securityGroup(balancerGroup),
                                                                                 description: "The app port from the load balancer")],
                       "the instances take traffic from the load balancer only")

        let templateID = try await id(harness, "ec2.launch_template.app")
        let template = try required(await ec2.launchTemplate(id: templateID))
        let data = try required(await ec2.launchTemplateData(templateID: templateID, version: template.latestVersion))
        let ami = try await harness.aws.ssm(region: Self.region).getParameter(Self.amiParameter).value
        XCTAssertEqual(data.imageID, ami, "the latest Amazon Linux 2023 AMI")
        XCTAssertEqual(data.securityGroupIDs, [instanceGroup])
        XCTAssertEqual(data.httpTokens, "required", "IMDSv2")
        let profile = try required(await harness.aws.iam.instanceProfile(names.instanceRole))
        XCTAssertEqual(data.iamInstanceProfileARN, profile.arn)
        XCTAssertEqual(profile.roles, [names.instanceRole])
        let userData = String(decoding: Data(base64Encoded: data.userDataBase64 ?? "") ?? Data(), as: UTF8.self)
        for parameter in names.parameters {
            XCTAssertTrue(userData.contains(parameter), "the user data names \(parameter): \(userData)")
        }
        XCTAssertTrue(userData.contains("-e NORMAL_BUCKET=\(names.normalBucket)"), userData)

        let autoScaling = harness.aws.autoScaling(region: Self.region)
        let group = try required(await autoScaling.group(names.service))
        XCTAssertEqual(group.settings.subnetIDs.sorted(), publicSubnets)
        XCTAssertEqual(group.settings.targetGroupARNs, [targets.arn])
        XCTAssertEqual(group.settings.launchTemplateID, templateID)
        XCTAssertEqual([group.settings.minSize, group.settings.maxSize], [1, 3])
        XCTAssertEqual(group.settings.healthCheckType, "ELB")
        let policy = try required(await autoScaling.targetTrackingPolicy("\(names.service)-cpu", groupName: names.service))
        XCTAssertEqual(policy.metric, "ASGAverageCPUUtilization")
        XCTAssertEqual(policy.targetValue, 30)
    }

    /// The SSM parameters (the secret a SecureString under the stack's key), the buckets, the
    /// mover function with its notification, and the roles' permissions as the seed grants them.
    private func assertSettingsAndStorage(_ harness: StackHarness, names: Names) async throws {
        let ssm = harness.aws.ssm(region: Self.region)
        let keyARN = try required(await harness.snapshot("kms.key.data")?.attributes["arn"]?.stringValue)
        let poolID = try await id(harness, "cognito.user_pool.users")
        let clientID = try await id(harness, "cognito.user_pool_client.app")
        let idps = harness.aws.cognitoIdentityProvider(region: Self.region)
        let client = try required(await idps.describeUserPoolClient(pool: poolID, client: clientID))
        let stored = try await ssm.getParameter(names.parameters[0]).value
        XCTAssertEqual(stored, poolID)
        let storedClient = try await ssm.getParameter(names.parameters[1]).value
        XCTAssertEqual(storedClient, clientID)
        let secret = try required(await ssm.describeParameter(names.parameters[2]))
        XCTAssertEqual(secret.type, "SecureString")
        XCTAssertEqual(secret.keyID, keyARN)
        let decrypted = try await ssm.getParameter(names.parameters[2], withDecryption: true).value
        XCTAssertEqual(decrypted, client.clientSecret, "the client secret, encrypted under the stack's key")

        let s3 = harness.aws.s3(region: Self.region)
        let sensitive = try await s3.bucketEncryption(names.sensitiveBucket)
        XCTAssertEqual(sensitive?.algorithm, "aws:kms")
        XCTAssertEqual(sensitive?.kmsKeyID, keyARN)
        let moverARN = try required(await harness.snapshot("lambda.function.mover")?.attributes["arn"]?.stringValue)
        let notification = try await s3.bucketNotification(names.normalBucket)
        XCTAssertEqual(notification.destinations.map(\.arn), [moverARN])
        XCTAssertEqual(notification.destinations.map(\.events), [["s3:ObjectCreated:*"]])
        let (function, _) = try required(await harness.aws.lambda(region: Self.region).function(names.mover))
        XCTAssertEqual(function.handler, "mover.handler")

        let moverPolicy = try await harness.aws.iam.rolePolicy(role: names.mover, name: "s3_access")
        let normal = "arn:aws:s3:::\(names.normalBucket)", sensitiveARN = "arn:aws:s3:::\(names.sensitiveBucket)"
        XCTAssertEqual(try grants(moverPolicy), [
            "kms:Decrypt": [keyARN], "kms:GenerateDataKey": [keyARN],
            "logs:CreateLogStream": ["arn:aws:logs:us-east-1:123456789012:log-group:\(names.moverLogs):*"],
            "logs:PutLogEvents": ["arn:aws:logs:us-east-1:123456789012:log-group:\(names.moverLogs):*"],
            "s3:DeleteObject": ["\(normal)/*"], "s3:GetObject": ["\(normal)/*"], "s3:GetObjectTagging": ["\(normal)/*"],
            "s3:ListBucket": [normal, sensitiveARN].sorted(), "s3:PutObject": ["\(sensitiveARN)/*"],
        ], "the seed's permissions, and the function's own logs")
        let instancePolicy = try await harness.aws.iam.rolePolicy(role: names.instanceRole, name: "ssm_read_access_and_s3_access")
        let parameterARNs = names.parameters.map { "arn:aws:ssm:us-east-1:123456789012:parameter\($0)" }.sorted()
        XCTAssertEqual(try grants(instancePolicy), [
            "kms:Decrypt": [keyARN], "s3:PutObject": ["\(normal)/*"],
            "ssm:GetParameter": parameterARNs, "ssm:GetParameters": parameterARNs,
        ])
    }

    /// Each action an inline policy allows and the resources it allows it on, sorted.
    private func grants(_ document: String) throws -> [String: [String]] {
        let text = document.removingPercentEncoding ?? document
        let parsed = try required(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        var grants: [String: [String]] = [:]
        for statement in parsed["Statement"] as? [[String: Any]] ?? [] where statement["Effect"] as? String == "Allow" {
            let actions = statement["Action"] as? [String] ?? [statement["Action"] as? String ?? ""]
            let resources = statement["Resource"] as? [String] ?? [statement["Resource"] as? String ?? ""]
            for action in actions { grants[action, default: []] += resources }
        }
        return grants.mapValues { $0.sorted() }
    }

    /// Everything the stack created is gone, read through each service's API.
    private func assertNothingLeft(_ harness: StackHarness, names: Names, poolID: String, groupIDs: [String], templateID: String) async {
        let aws = harness.aws
        let balancer = try? await aws.elbv2(region: Self.region).loadBalancer(named: names.service)
        XCTAssertNil(balancer ?? nil, "load balancer left behind")
        let targets = try? await aws.elbv2(region: Self.region).targetGroup(named: names.service)
        XCTAssertNil(targets ?? nil, "target group left behind")
        let group = try? await aws.autoScaling(region: Self.region).group(names.service)
        XCTAssertNil(group ?? nil, "auto-scaling group left behind")
        let template = try? await aws.ec2(region: Self.region).launchTemplate(id: templateID)
        XCTAssertNil(template ?? nil, "launch template left behind")
        for groupID in groupIDs {
            let left = try? await aws.ec2(region: Self.region).securityGroup(groupID)
            XCTAssertNil(left ?? nil, "security group \(groupID) left behind")
        }
        for parameter in names.parameters {
            let left = try? await aws.ssm(region: Self.region).describeParameter(parameter)
            XCTAssertNil(left ?? nil, "parameter \(parameter) left behind")
        }
        for bucket in [names.normalBucket, names.sensitiveBucket] {
            let left = try? await aws.s3(region: Self.region).bucketLocation(bucket)
            XCTAssertNil(left, "bucket \(bucket) left behind")
        }
        let function = try? await aws.lambda(region: Self.region).function(names.mover)
        XCTAssertNil(function ?? nil, "function left behind")
        let logs = try? await aws.cloudWatchLogs(region: Self.region).logGroup(names.moverLogs)
        XCTAssertNil(logs ?? nil, "log group left behind")
        let pool = try? await aws.cognitoIdentityProvider(region: Self.region).describeUserPool(poolID)
        XCTAssertNil(pool ?? nil, "user pool left behind")
        for role in [names.mover, names.instanceRole] {
            let left = try? await aws.iam.role(role)
            XCTAssertNil(left ?? nil, "role \(role) left behind")
        }
        let profile = try? await aws.iam.instanceProfile(names.instanceRole)
        XCTAssertNil(profile ?? nil, "instance profile left behind")
    }
}
