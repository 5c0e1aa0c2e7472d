import ImgStack

/// The quickstart stack: an S3 bucket with one object, a KMS key with an alias, and an IAM
/// role with a managed policy attached — the smallest stack that exercises every part of the
/// engine (references, policies, replacement, deletion order).
public let quickstart = Stack(
    "quickstart", summary: "A bucket with one object, a KMS key with an alias, an IAM role with a managed policy"
) { stack in
    let prefix = stack.variable("prefix", default: "quickstart", description: "Prefix of every name (bucket, alias, role, policy)")
    let greeting = stack.variable("greeting", default: "Hello from imgstack", description: "The text of hello.txt")
    let versioning = stack.variable("versioning", default: true, description: "Keep object versions in the bucket")
    let rotation = stack.variable("key_rotation", default: true, description: "Rotate the KMS key yearly")
    let withObject = stack.variable("with_object", default: true, description: "Upload hello.txt into the bucket")

    let key = stack.add(KMS.Key("data", description: "\(prefix) data key", enableKeyRotation: rotation,
                                deletionWindowInDays: 7, tags: ["stack": "quickstart"]))
    stack.add(KMS.Alias("data", name: "alias/\(prefix)-data", targetKeyID: key.keyID))

    let bucket = stack.add(S3.Bucket("data", bucket: "\(prefix)-data-bucket", versioning: versioning,
                                     encryption: .kms(kmsKeyID: key.arn, bucketKey: true),
                                     publicAccessBlock: S3.PublicAccessBlock(),
                                     tags: ["stack": "quickstart"], forceDestroy: true))
    if withObject {
        stack.add(S3.Object("hello", bucket: bucket.bucketName, key: "hello.txt", content: Text(greeting + "\n")))
    }

    let role = stack.add(IAM.Role("reader", name: "\(prefix)-reader", assumeRolePolicy: PolicyDocument([
        Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service("ec2.amazonaws.com")),
    ]), description: "Reads the quickstart bucket"))
    let policy = stack.add(IAM.Policy("read", name: "\(prefix)-read", document: PolicyDocument([
        Statement(sid: "ReadObjects", effect: .allow, actions: ["s3:GetObject"], resources: ["\(bucket.arn)/*"]),
        Statement(sid: "ListBucket", effect: .allow, actions: ["s3:ListBucket"], resources: [bucket.arn]),
        Statement(sid: "Decrypt", effect: .allow, actions: ["kms:Decrypt"], resources: [key.arn]),
    ])))
    stack.add(IAM.RolePolicyAttachment("read", role: role.roleName, policyARN: policy.arn))

    stack.output("bucket", bucket.bucketName, description: "The data bucket's name")
    stack.output("bucket_arn", bucket.arn)
    stack.output("key_arn", key.arn)
    stack.output("role_arn", role.arn)
}
