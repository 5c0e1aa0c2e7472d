import ImgStack

/// Seed 001's CI deploy role: GitHub Actions' OIDC provider, a role only one repository's main
/// branch can assume with web identity, and a policy scoped to the resources of the stack it
/// deploys (`quickstart`) and to its S3 state — no `*` where AWS accepts a resource ARN.
public let deployRole = Stack(
    "deploy-role",
    summary: "GitHub OIDC provider and a CI deploy role for one repository's main branch, scoped to the quickstart stack"
) { stack in
    let account = stack.variable("account_id", default: nil as String?, description: "The AWS account the role deploys into (12 digits)")
    let region = stack.variable("deploy_region", default: "eu-west-1", description: "The region the deployed stack lives in")
    let repository = stack.variable("github_repository", default: "example-org/image-stacks",
                                    description: "owner/name of the only repository allowed to assume the role")
    let branch = stack.variable("branch", default: "main", description: "The only branch allowed to assume the role")
    let prefix = stack.variable("deployed_prefix", default: "quickstart", description: "The quickstart stack's `prefix` variable")
    let stateBucket = stack.variable("state_bucket", default: "image-stacks-state", description: "The S3 bucket holding imgstack state")
    if !account.isEmpty, account.count != 12 || !account.allSatisfy(\.isNumber) {
        stack.invalid("var.account_id", "\"\(account)\" is not a 12-digit AWS account id")
    }

    let github = stack.add(IAM.OpenIDConnectProvider("github", url: "https://token.actions.githubusercontent.com",
                                                     clientIDs: ["sts.amazonaws.com"]))
    let role = stack.add(IAM.Role("deploy", name: "\(prefix)-deploy", assumeRolePolicy: PolicyDocument([
        Statement(sid: "GitHubMainBranchOnly", effect: .allow, actions: ["sts:AssumeRoleWithWebIdentity"],
                  principal: .federated(github.arn),
                  conditions: [
                      .stringEquals("token.actions.githubusercontent.com:aud", ["sts.amazonaws.com"]),
                      .stringEquals("token.actions.githubusercontent.com:sub", ["repo:\(repository):ref:refs/heads/\(branch)"]),
                  ]),
    ]), description: "Assumed by GitHub Actions on \(repository)@\(branch) to deploy the \(prefix) stack", maxSessionDuration: 3600))

    let bucket = "arn:aws:s3:::\(prefix)-data-bucket"
    let keys = "arn:aws:kms:\(region):\(account):key/*"
    let policy = stack.add(IAM.Policy("deploy", name: "\(prefix)-deploy", document: PolicyDocument([
        Statement(sid: "State", effect: .allow, actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                  resources: [Text("arn:aws:s3:::\(stateBucket)/*")]),
        Statement(sid: "StateBucket", effect: .allow, actions: ["s3:ListBucket", "s3:GetBucketVersioning"],
                  resources: [Text("arn:aws:s3:::\(stateBucket)")]),
        Statement(sid: "DataBucket", effect: .allow,
                  actions: ["s3:CreateBucket", "s3:DeleteBucket", "s3:ListBucket", "s3:ListBucketVersions", "s3:GetBucket*", "s3:PutBucket*",
                            "s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration", "s3:GetLifecycleConfiguration",
                            "s3:PutLifecycleConfiguration"],
                  resources: [Text(bucket)]),
        Statement(sid: "DataObjects", effect: .allow,
                  actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObjectTagging", "s3:PutObjectTagging"],
                  resources: [Text("\(bucket)/*")]),
        // CreateKey, ListKeys and ListAliases accept no resource ARN (AWS's service authorization
        // reference), so they are the one place "*" is needed; keys themselves are managed only
        // when they carry the stack's tag.
        Statement(sid: "CreateKeys", effect: .allow, actions: ["kms:CreateKey", "kms:ListKeys", "kms:ListAliases"], resources: ["*"]),
        Statement(sid: "ManageStackKeys", effect: .allow,
                  actions: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GetKeyRotationStatus", "kms:EnableKeyRotation",
                            "kms:DisableKeyRotation", "kms:UpdateKeyDescription", "kms:ListResourceTags", "kms:TagResource",
                            "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"],
                  resources: [Text(keys)], conditions: [.stringEquals("aws:ResourceTag/stack", ["quickstart"])]),
        Statement(sid: "StackAlias", effect: .allow, actions: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"],
                  resources: [Text("arn:aws:kms:\(region):\(account):alias/\(prefix)-data")]),
        Statement(sid: "StackRoleAndPolicy", effect: .allow,
                  actions: ["iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:TagRole",
                            "iam:UntagRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole",
                            "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:CreatePolicy", "iam:DeletePolicy", "iam:GetPolicy",
                            "iam:GetPolicyVersion", "iam:ListPolicyVersions", "iam:CreatePolicyVersion", "iam:DeletePolicyVersion"],
                  resources: [Text("arn:aws:iam::\(account):role/\(prefix)-reader"), Text("arn:aws:iam::\(account):policy/\(prefix)-read")]),
    ]), description: "What CI needs to deploy the \(prefix) stack and keep its state"))
    stack.add(IAM.RolePolicyAttachment("deploy", role: role.roleName, policyARN: policy.arn))

    stack.output("role_arn", role.arn, description: "Give it to aws-actions/configure-aws-credentials as role-to-assume")
    stack.output("oidc_provider_arn", github.arn)
}
