import ImgStack

/// Seed 001's CI deploy role: GitHub Actions' OIDC provider, a role only one repository's main
/// branch can assume with web identity, and the policy `imgstack policy` generates for the stack
/// it deploys (`quickstart`) and its S3 state — no `*` where AWS accepts a resource ARN.
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
    let stateKey = stack.variable("state_key", default: "quickstart/", description: "The quickstart stack's state key in the bucket (a prefix ends in /)")
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

    // The policy is `imgstack policy --stack quickstart --for all` for the deployed stack's
    // variables, its S3 state and this account: generated from what imgstack calls, so it
    // follows the quickstart stack and imgstack's resource types as they change.
    let deployed = StateBackendChoice.s3(bucket: stateBucket, key: stateKey)
    let generated: DeployPolicy?
    do {
        let definition = try quickstart.evaluate(variables: ["prefix": .string(prefix)], region: region).definition
        generated = try DeployPolicy(definition, backend: deployed, account: account.isEmpty ? nil : account, for: .all)
    } catch {
        stack.invalid("var.deployed_prefix", "the quickstart stack's policy cannot be generated: \(error)")
        generated = nil
    }
    // A policy longer than one managed policy holds becomes several, each attached.
    for (index, statements) in (generated?.documentStatements() ?? [[]]).enumerated() {
        let name = index == 0 ? "deploy" : "deploy_\(index + 1)"
        let policy = stack.add(IAM.Policy(name, name: index == 0 ? "\(prefix)-deploy" : "\(prefix)-deploy-\(index + 1)", document: PolicyDocument(statements.map {
            Statement(sid: $0.sid, effect: .allow, actions: $0.actions.map { Text($0) }, resources: $0.resources.map { Text($0) })
        }), description: "What CI needs to deploy the \(prefix) stack and keep its state"))
        stack.add(IAM.RolePolicyAttachment(name, role: role.roleName, policyARN: policy.arn))
    }

    stack.output("role_arn", role.arn, description: "Give it to aws-actions/configure-aws-credentials as role-to-assume")
    stack.output("oidc_provider_arn", github.arn)
}
