import ImgStack

/// The KMS key, the normal and the sensitive bucket (TLS-only), and the mover function that the
/// normal bucket's `ObjectCreated` events call, with its role, log group and invoke permission.
struct FileUploadAppStorage {
    let key: KMS.Key
    let normalBucket: S3.Bucket
    let sensitiveBucket: S3.Bucket
    let mover: Lambda.Function

    /// Days the mover's logs are kept.
    static let logRetentionDays = 30

    init(_ stack: StackBuilder, settings: FileUploadAppSettings) {
        key = stack.add(KMS.Key("data", description: "Encrypts the \(settings.service) sensitive objects and Cognito client secret",
                                enableKeyRotation: true, tags: settings.tags))
        normalBucket = stack.add(S3.Bucket("normal", bucket: "\(settings.service)-normal-\(settings.region)", encryption: .s3Managed,
                                           publicAccessBlock: S3.PublicAccessBlock(), tags: settings.tags))
        sensitiveBucket = stack.add(S3.Bucket("sensitive", bucket: "\(settings.service)-sensitive-\(settings.region)",
                                              encryption: .kms(kmsKeyID: key.arn), publicAccessBlock: S3.PublicAccessBlock(),
                                              tags: settings.tags))
        for bucket in [normalBucket, sensitiveBucket] {
            stack.add(S3.BucketPolicy(bucket.name, bucket: bucket.bucketName, policy: PolicyDocument([
                Statement(sid: "DenyWithoutTLS", effect: .deny, actions: ["s3:*"], resources: [bucket.arn, "\(bucket.arn)/*"],
                          principal: .anyone, conditions: [.bool("aws:SecureTransport", false)]),
            ])))
        }
        let logGroup = stack.add(CloudWatch.LogGroup("mover", name: Text("/aws/lambda/\(settings.moverName)"),
                                                     retentionInDays: Self.logRetentionDays, tags: settings.tags))
        let role = stack.add(IAM.Role(
            "mover", name: Text(settings.moverName),
            assumeRolePolicy: PolicyDocument([
                Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service("lambda.amazonaws.com")),
            ]),
            description: "Runs the \(settings.service) mover function",
            inlinePolicies: ["s3_access": PolicyDocument([
                Statement(sid: "WriteOwnLogs", effect: .allow, actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
                          resources: ["\(logGroup.arn):*"]),
                Statement(sid: "ListBuckets", effect: .allow, actions: ["s3:ListBucket"], resources: [normalBucket.arn, sensitiveBucket.arn]),
                Statement(sid: "PutSensitive", effect: .allow, actions: ["s3:PutObject"], resources: ["\(sensitiveBucket.arn)/*"]),
                Statement(sid: "EncryptSensitive", effect: .allow, actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [key.arn]),
                Statement(sid: "TakeFromNormal", effect: .allow, actions: ["s3:GetObject", "s3:GetObjectTagging", "s3:DeleteObject"],
                          resources: ["\(normalBucket.arn)/*"]),
            ])],
            tags: settings.tags))
        mover = stack.add(Lambda.Function(
            "mover", functionName: Text(settings.moverName), source: FileUploadAppFiles.mover, runtime: "python3.12",
            handler: "mover.handler", role: role.arn, memorySize: 256, timeout: 60,
            environment: ["SENSITIVE_BUCKET": sensitiveBucket.bucketName, "KMS_KEY_ID": key.arn],
            tags: settings.tags).dependsOn(logGroup))
        let permission = stack.add(Lambda.Permission("s3", functionName: mover.arn, statementID: "AllowNormalBucket",
                                                     principal: "s3.amazonaws.com", sourceARN: normalBucket.arn))
        stack.add(S3.BucketNotification("normal", bucket: normalBucket.bucketName, destinations: [
            .lambda(mover.arn, permission: permission, events: ["s3:ObjectCreated:*"]),
        ]))
    }
}
