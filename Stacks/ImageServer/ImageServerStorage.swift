import ImgStack

/// The images bucket and the customer managed key that encrypts it. The policies that open
/// them to CloudFront come with the distribution (`ImageServerDistribution`), which needs the
/// bucket first.
struct ImageServerStorage {
    let key: KMS.Key
    let bucket: S3.Bucket

    init(_ stack: StackBuilder, settings: ImageServerSettings) {
        key = stack.add(KMS.Key("images", description: "Encrypts the \(settings.service) images bucket", enableKeyRotation: true,
                                deletionWindowInDays: 7, tags: settings.tags))
        stack.add(KMS.Alias("images", name: "alias/\(settings.service)-images", targetKeyID: key.keyID))
        bucket = stack.add(S3.Bucket(
            "images", bucket: Text(settings.bucketName),
            encryption: .kms(kmsKeyID: key.arn, bucketKey: true),
            publicAccessBlock: S3.PublicAccessBlock(),
            ownership: .bucketOwnerEnforced,
            // The site lists the bucket with the identity pool's credentials from the CloudFront
            // domain; the request is signed, so the policy, not CORS, decides who may list.
            cors: [S3.CORSRule(id: "signed-listing", allowedMethods: ["GET", "HEAD"], allowedOrigins: ["*"], allowedHeaders: ["*"],
                               exposeHeaders: ["ETag"], maxAgeSeconds: 3000)],
            tags: settings.tags, forceDestroy: settings.deleteImagesOnDestroy))
    }
}
