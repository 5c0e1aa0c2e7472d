import ImgStack

/// Seed 004's microservice storage, done better: a rotating KMS key; two private, versioned
/// buckets (`initial` and `final`) encrypted with it under a bucket key; bucket policies that
/// refuse requests from outside `allowed_cidr` and requests without TLS; and an EC2 role with an
/// instance profile allowed exactly the S3 and KMS actions the service needs, on those buckets'
/// and that key's ARNs only.
public let microserviceStorage = Stack(
    "microservice-storage",
    summary: "KMS key, two SSE-KMS buckets locked to one CIDR and TLS, and a least-privilege EC2 role"
) { stack in
    let service = stack.variable("service", default: "microservice", description: "Prefix of every name")
    let allowedCIDR = stack.variable("allowed_cidr", default: "0.0.0.0/0",
                                     description: "The only network the buckets accept requests from (the service's address)")
    if allowedCIDR == "0.0.0.0/0" {
        stack.warn("allowed_cidr is 0.0.0.0/0: the buckets accept requests from any address. Set --var allowed_cidr=<the service's CIDR>.")
    }
    if !isCIDR(allowedCIDR) {
        stack.invalid("var.allowed_cidr", "\"\(allowedCIDR)\" is not an IPv4 CIDR such as 203.0.113.10/32")
    }

    let key = stack.add(KMS.Key("storage", description: "\(service) storage key", enableKeyRotation: true,
                                tags: ["service": Text(service)]))
    stack.add(KMS.Alias("storage", name: "alias/\(service)-storage", targetKeyID: key.keyID))

    var buckets: [S3.Bucket] = []
    for stage in ["initial", "final"] {
        let bucket = stack.add(S3.Bucket(stage, bucket: "\(service)-\(stage)-storage", versioning: true,
                                         encryption: .kms(kmsKeyID: key.arn, bucketKey: true),
                                         publicAccessBlock: S3.PublicAccessBlock(),
                                         tags: ["service": Text(service), "stage": Text(stage)]))
        stack.add(S3.BucketPolicy(stage, bucket: bucket.bucketName, policy: PolicyDocument([
            Statement(sid: "DenyOutsideAllowedNetwork", effect: .deny, actions: ["s3:*"],
                      resources: [bucket.arn, "\(bucket.arn)/*"], principal: .anyone,
                      conditions: [.notIpAddress("aws:SourceIp", [Text(allowedCIDR)])]),
            Statement(sid: "DenyWithoutTLS", effect: .deny, actions: ["s3:*"],
                      resources: [bucket.arn, "\(bucket.arn)/*"], principal: .anyone,
                      conditions: [.bool("aws:SecureTransport", false)]),
        ])))
        buckets.append(bucket)
    }

    let role = stack.add(IAM.Role("service", name: "\(service)-storage", assumeRolePolicy: PolicyDocument([
        Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service("ec2.amazonaws.com")),
    ]), description: "Lets the \(service) instances use their storage buckets and key"))
    let policy = stack.add(IAM.Policy("storage", name: "\(service)-storage", document: PolicyDocument([
        Statement(sid: "ListBuckets", effect: .allow, actions: ["s3:ListBucket", "s3:GetBucketLocation"],
                  resources: buckets.map(\.arn)),
        Statement(sid: "ReadWriteObjects", effect: .allow, actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                  resources: buckets.map { "\($0.arn)/*" }),
        Statement(sid: "UseStorageKey", effect: .allow, actions: ["kms:Decrypt", "kms:GenerateDataKey"],
                  resources: [key.arn]),
    ]), description: "S3 and KMS access of the \(service) storage"))
    stack.add(IAM.RolePolicyAttachment("storage", role: role.roleName, policyARN: policy.arn))
    let profile = stack.add(IAM.InstanceProfile("service", name: "\(service)-storage", role: role.roleName))

    stack.output("s3_initial_bucket_arn", buckets[0].arn, description: "module.s3_initial.s3_bucket_arn in the seed")
    stack.output("s3_final_bucket_arn", buckets[1].arn, description: "module.s3_final.s3_bucket_arn in the seed")
    stack.output("kms_key_arn", key.arn, description: "module.kms.aws_kms_key_arn in the seed")
    stack.output("instance_profile", profile.profileName, description: "Attach to the service's EC2 instances")
}

/// True for `a.b.c.d/n` with octets 0–255 and n 0–32.
private func isCIDR(_ text: String) -> Bool {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let bits = Int(parts[1]), (0...32).contains(bits) else { return false }
    let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
    return octets.count == 4 && octets.allSatisfy { Int($0).map { (0...255).contains($0) } ?? false }
}
