import ImgStack

/// Seed 001's CI deploy role for this stack, the way `Stacks/DeployRole` builds one: GitHub
/// Actions' OIDC provider, a role only one repository's branch can assume, and a policy naming
/// the stack's own resources by ARN. Actions that AWS authorizes on no resource ARN (creating
/// a user pool, listing what a crashed apply may have made) are the only ones on `*`
/// (``unscopedActions``; the README's blast-radius table lists them).
struct UploadAPIDeployRole {
    let role: IAM.Role

    /// Actions the service authorization reference lists with no resource type: granted on `*`.
    static let unscopedActions = ["cognito-idp:CreateUserPool", "cognito-idp:ListUserPools", "wafv2:ListWebACLs",
                                  "cloudfront:ListDistributions"]
    /// GitHub Actions' OIDC issuer.
    static let githubIssuer = "token.actions.githubusercontent.com"

    init(_ stack: StackBuilder, settings: UploadAPISettings) {
        let deploy = settings.deployment
        let account = deploy.accountID
        let service = settings.service
        let roleName = "\(service)-deploy"
        let github = stack.add(IAM.OpenIDConnectProvider("github", url: "https://\(Self.githubIssuer)", clientIDs: ["sts.amazonaws.com"]))
        role = stack.add(IAM.Role("deploy", name: Text(roleName), assumeRolePolicy: PolicyDocument([
            Statement(sid: "GitHubBranchOnly", effect: .allow, actions: ["sts:AssumeRoleWithWebIdentity"],
                      principal: .federated(github.arn),
                      conditions: [
                          .stringEquals("\(Self.githubIssuer):aud", ["sts.amazonaws.com"]),
                          .stringEquals("\(Self.githubIssuer):sub", [Text("repo:\(deploy.repository):ref:refs/heads/\(deploy.branch)")]),
                      ]),
        ]), description: "Assumed by GitHub Actions on \(deploy.repository)@\(deploy.branch) to deploy \(service)", tags: settings.tags))

        let policy = stack.add(IAM.Policy("deploy", name: Text(roleName), document: PolicyDocument(
            Self.stateStatements(deploy) + Self.storageStatements(settings, account: account)
                + Self.apiStatements(settings, account: account) + Self.edgeStatements(settings, account: account)
                + [
                    // Refresh reads the role, its policy and the provider; changing them needs an
                    // administrator: a role able to rewrite its own policy could grant itself anything.
                    Statement(sid: "ReadOwnAccess", effect: .allow,
                              actions: ["iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:GetPolicy",
                                        "iam:GetPolicyVersion", "iam:ListPolicyVersions", "iam:GetOpenIDConnectProvider"],
                              resources: ["arn:aws:iam::\(account):role/\(roleName)", "arn:aws:iam::\(account):policy/\(roleName)",
                                          "arn:aws:iam::\(account):oidc-provider/\(Self.githubIssuer)"]),
                    Statement(sid: "NoResourceLevelPermissions", effect: .allow, actions: Self.unscopedActions.map { Text($0) }, resources: ["*"]),
                ]),
            description: "What CI needs to deploy \(service) and keep its state", tags: settings.tags))
        stack.add(IAM.RolePolicyAttachment("deploy", role: role.roleName, policyARN: policy.arn))
    }

    private static func stateStatements(_ deploy: UploadAPISettings.DeploySettings) -> [Statement] {
        [
            Statement(sid: "State", effect: .allow, actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                      resources: ["arn:aws:s3:::\(deploy.stateBucket)/*"]),
            Statement(sid: "StateBucket", effect: .allow, actions: ["s3:ListBucket", "s3:GetBucketVersioning"],
                      resources: ["arn:aws:s3:::\(deploy.stateBucket)"]),
        ]
    }

    /// The image bucket, the function, its role and the two log groups.
    private static func storageStatements(_ settings: UploadAPISettings, account: String) -> [Statement] {
        let bucket = "arn:aws:s3:::\(settings.bucketName)"
        let functionRole = "arn:aws:iam::\(account):role/\(settings.functionName)"
        let logGroups = [settings.functionLogGroup, settings.accessLogGroup].flatMap { name -> [Text] in
            let arn = "arn:aws:logs:\(settings.region):\(account):log-group:\(name)"
            return [Text(arn), Text("\(arn):*")]
        }
        return [
            Statement(sid: "ImageBucket", effect: .allow,
                      actions: ["s3:CreateBucket", "s3:DeleteBucket", "s3:ListBucket", "s3:ListBucketVersions", "s3:GetBucket*", "s3:PutBucket*",
                                "s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration"],
                      resources: [Text(bucket)]),
            Statement(sid: "ImageObjects", effect: .allow, actions: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
                      resources: [Text("\(bucket)/*")]),
            Statement(sid: "UploadFunction", effect: .allow,
                      actions: ["lambda:CreateFunction", "lambda:GetFunction", "lambda:GetFunctionConfiguration", "lambda:UpdateFunctionCode",
                                "lambda:UpdateFunctionConfiguration", "lambda:PublishVersion", "lambda:DeleteFunction", "lambda:ListTags",
                                "lambda:TagResource", "lambda:UntagResource", "lambda:AddPermission", "lambda:RemovePermission",
                                "lambda:GetPolicy"],
                      resources: [Text("arn:aws:lambda:\(settings.region):\(account):function:\(settings.functionName)")]),
            Statement(sid: "UploadFunctionRole", effect: .allow,
                      actions: ["iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:TagRole",
                                "iam:UntagRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy",
                                "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole"],
                      resources: [Text(functionRole)]),
            Statement(sid: "PassUploadFunctionRole", effect: .allow, actions: ["iam:PassRole"], resources: [Text(functionRole)],
                      conditions: [.stringEquals("iam:PassedToService", ["lambda.amazonaws.com"])]),
            Statement(sid: "LogGroups", effect: .allow,
                      actions: ["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy",
                                "logs:AssociateKmsKey", "logs:DisassociateKmsKey", "logs:TagResource", "logs:UntagResource",
                                "logs:ListTagsForResource"],
                      resources: logGroups),
            // DescribeLogGroups is authorized on the account's log groups of the region, not on one.
            Statement(sid: "FindLogGroups", effect: .allow, actions: ["logs:DescribeLogGroups"],
                      resources: [Text("arn:aws:logs:\(settings.region):\(account):log-group:*")]),
        ]
    }

    /// The REST API (API Gateway's resource ARNs are paths: one API's id is not known before it
    /// is created, so every REST API of the region) and the user pool (any pool of the region
    /// tagged with the service).
    private static func apiStatements(_ settings: UploadAPISettings, account: String) -> [Statement] {
        let region = settings.region
        return [
            Statement(sid: "RestAPIs", effect: .allow,
                      actions: ["apigateway:GET", "apigateway:POST", "apigateway:PUT", "apigateway:PATCH", "apigateway:DELETE"],
                      resources: [Text("arn:aws:apigateway:\(region)::/restapis"), Text("arn:aws:apigateway:\(region)::/restapis/*"),
                                  Text("arn:aws:apigateway:\(region)::/tags/*")]),
            Statement(sid: "UserPool", effect: .allow,
                      actions: ["cognito-idp:DescribeUserPool", "cognito-idp:UpdateUserPool", "cognito-idp:DeleteUserPool",
                                "cognito-idp:SetUserPoolMfaConfig", "cognito-idp:GetUserPoolMfaConfig", "cognito-idp:CreateUserPoolClient",
                                "cognito-idp:DescribeUserPoolClient", "cognito-idp:UpdateUserPoolClient", "cognito-idp:DeleteUserPoolClient",
                                "cognito-idp:ListUserPoolClients", "cognito-idp:TagResource", "cognito-idp:UntagResource",
                                "cognito-idp:ListTagsForResource"],
                      resources: [Text("arn:aws:cognito-idp:\(region):\(account):userpool/*")],
                      conditions: [.stringEquals("aws:ResourceTag/service", [Text(settings.service)])]),
        ]
    }

    /// The web ACL (in us-east-1), the AWS managed rule groups it uses, and the distribution
    /// (whose id is not known before it is created: every distribution of the account).
    private static func edgeStatements(_ settings: UploadAPISettings, account: String) -> [Statement] {
        let wafRegion = UploadAPISettings.webACLRegion
        return [
            Statement(sid: "WebACL", effect: .allow,
                      actions: ["wafv2:CreateWebACL", "wafv2:GetWebACL", "wafv2:UpdateWebACL", "wafv2:DeleteWebACL",
                                "wafv2:ListTagsForResource", "wafv2:TagResource", "wafv2:UntagResource"],
                      resources: [Text("arn:aws:wafv2:\(wafRegion):\(account):global/webacl/\(settings.service)/*")]),
            Statement(sid: "ManagedRuleGroups", effect: .allow, actions: ["wafv2:CreateWebACL", "wafv2:UpdateWebACL"],
                      resources: [Text("arn:aws:wafv2:\(wafRegion):\(account):global/managedruleset/*/*")]),
            Statement(sid: "Distribution", effect: .allow,
                      actions: ["cloudfront:CreateDistribution", "cloudfront:CreateDistributionWithTags", "cloudfront:GetDistribution",
                                "cloudfront:GetDistributionConfig", "cloudfront:UpdateDistribution", "cloudfront:DeleteDistribution",
                                "cloudfront:TagResource", "cloudfront:UntagResource", "cloudfront:ListTagsForResource"],
                      resources: [Text("arn:aws:cloudfront::\(account):distribution/*")]),
        ]
    }
}
