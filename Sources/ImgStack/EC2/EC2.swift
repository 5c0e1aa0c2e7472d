import AWS
import Engine

/// Amazon EC2: security groups and their rules, launch templates, and lookups of networks
/// (VPCs and subnets).
public enum EC2 {}

extension OperationContext {
    /// EC2 calls in this operation's region.
    var ec2: AWS.EC2 {
        get throws { try aws.ec2(region: region) }
    }
}

/// Rules and waits the EC2 resource types share.
enum EC2Rules {
    /// A security group cannot be deleted while a network interface uses it, and AWS keeps
    /// answering `DependencyViolation` ("resource sg-… has a dependent object") for minutes after
    /// the instance or load balancer that held the interface is gone, until the interface is
    /// released (`DeleteSecurityGroup`). Retried every 10 s for 10 minutes, reported on the
    /// resource's progress line; Terraform's `aws_security_group` waits up to 15 minutes.
    static let groupInUse = EventualConsistency([.init(.dependencyViolation)], window: 600, interval: 10)

    /// Tag keys of EC2 resources: 1–127 characters (`CreateTags`); 49 tags at most (AWS takes
    /// 50; one is imgstack's intent tag).
    static func tagProblems(_ value: Value?) -> [String] {
        var problems = TagRules.problems(value, limit: 49)
        if case .map(let tags)? = value {
            // TagRules allows 128 characters (IAM, S3); EC2 allows one fewer.
            for key in tags.keys.sorted() where key.count == 128 {
                problems.append("tag key \"\(key)\" must be 1 to 127 characters")
            }
        }
        return problems
    }
}

extension AWS.EC2 {
    /// Makes an EC2 resource's tags `wanted` (`DeleteTags` for the keys only `had` has, then
    /// `CreateTags`); imgstack's own tags are in neither, so they stay.
    func replaceTags(of id: String, had: [String: String], wanted: [String: String]) async throws {
        try await deleteTags([id], keys: Set(had.keys).subtracting(wanted.keys).sorted())
        try await createTags([id], tags: wanted)
    }
}
