import Engine

/// Plans built by hand for the rendering tests: one of each action, drift, outputs, a secret.
enum SamplePlan {
    static let secret = "s3cr3t-client-value"

    static func everyAction() -> Plan {
        var prior = StateFile(stack: "quickstart", lineage: "00000000-0000-0000-0000-000000000001")
        prior.serial = 7
        let changes: [ResourceChange] = [
            ResourceChange(
                address: Address(type: "s3.bucket", name: "site"), terraformType: "aws_s3_bucket", action: .create,
                region: "eu-west-1", id: nil, before: nil,
                after: ["bucket": "quickstart-site", "versioning": true, "tags": ["team": "web"], "arn": .unknown, "id": .unknown],
                changedProperties: ["bucket", "tags", "versioning"]),
            ResourceChange(
                address: Address(type: "kms.alias", name: "data"), terraformType: "aws_kms_alias", action: .update,
                region: "eu-west-1", id: "alias/quickstart",
                before: ["name": "alias/quickstart", "targetKeyID": "1111", "arn": "arn:aws:kms:eu-west-1:123456789012:alias/quickstart", "id": "alias/quickstart"],
                after: ["name": "alias/quickstart", "targetKeyID": .unknown, "arn": "arn:aws:kms:eu-west-1:123456789012:alias/quickstart", "id": "alias/quickstart"],
                changedProperties: ["targetKeyID"]),
            ResourceChange(
                address: Address(type: "s3.bucket", name: "logs"), terraformType: "aws_s3_bucket", action: .replace,
                replaceOrder: .deleteBeforeCreate, region: "eu-west-1", id: "old-logs",
                before: ["bucket": "old-logs", "versioning": false, "arn": "arn:aws:s3:::old-logs", "id": "old-logs"],
                after: ["bucket": "new-logs", "versioning": false, "arn": .unknown, "id": .unknown],
                changedProperties: ["bucket"], replacePaths: ["bucket"], actionReason: .replaceBecauseCannotUpdate),
            ResourceChange(
                address: Address(type: "cognito.user_pool_client", name: "web"), terraformType: "aws_cognito_user_pool_client",
                action: .update, region: "eu-west-1", id: "client-1",
                before: ["name": "web", "callbackURLs": ["https://a.example/"], "clientSecret": .string(secret), "id": "client-1"],
                after: ["name": "web", "callbackURLs": ["https://a.example/", "https://b.example/"], "clientSecret": .string(secret), "id": "client-1"],
                changedProperties: ["callbackURLs"], sensitiveNames: ["clientSecret"]),
            ResourceChange(
                address: Address(type: "kms.key", name: "old"), terraformType: "aws_kms_key", action: .delete,
                region: "eu-west-1", id: "2222",
                before: ["description": "old key", "arn": "arn:aws:kms:eu-west-1:123456789012:key/2222", "id": "2222"],
                after: nil, actionReason: .deleteBecauseNoResourceConfig, deletionNote: "scheduled for deletion in 30 days"),
            ResourceChange(
                address: Address(type: "iam.role", name: "app"), terraformType: "aws_iam_role", action: .noop,
                region: "eu-west-1", id: "app", before: ["name": "app", "id": "app"], after: ["name": "app", "id": "app"]),
        ]
        let drift = [
            Drift(address: Address(type: "iam.role", name: "app"), deleted: false,
                  changes: [PropertyDrift(name: "maxSessionDuration", recorded: 3600, actual: 7200)]),
            Drift(address: Address(type: "s3.bucket", name: "gone"), deleted: true),
        ]
        let outputs = [
            OutputChange(name: "bucket_arn", before: nil, after: .unknown, sensitive: false),
            OutputChange(name: "client_secret", before: .string(secret), after: .string(secret + "-rotated"), sensitive: true),
            OutputChange(name: "region", before: "eu-west-1", after: "eu-west-1", sensitive: false),
        ]
        return Plan(stack: "quickstart", isDestroy: false, prior: prior, variables: ["prefix": "quickstart"],
                    changes: changes, drift: drift, outputs: outputs,
                    warnings: ["allowed_cidr is 0.0.0.0/0: the buckets accept requests from anywhere"], targets: [])
    }

    static func empty() -> Plan {
        Plan(stack: "quickstart", isDestroy: false, prior: StateFile(stack: "quickstart", lineage: "x"), variables: [:],
             changes: [], drift: [], outputs: [], warnings: [], targets: [])
    }
}
