import ImgStack

/// The quickstart stack: an S3 bucket with one object, a KMS key with an alias, and an IAM
/// role with a managed policy attached.
public let quickstart = Stack("quickstart", summary: "A bucket with one object, a KMS key with an alias, an IAM role with a managed policy") { stack in
    _ = stack.variable("prefix", default: "quickstart", description: "Prefix of every name")
}
