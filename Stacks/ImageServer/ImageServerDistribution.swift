import ImgStack

/// CloudFront in front of the bucket: an origin access control signing its requests, response
/// headers policies answering preflights and adding security headers (the album's
/// Content-Security-Policy on the site, one that forbids any script on uploaded objects, and
/// `nosniff` on both), the edge function on every viewer request, and the bucket and key
/// policies that let exactly this distribution read, write and decrypt.
struct ImageServerDistribution {
    let resource: CloudFront.Distribution

    init(_ stack: StackBuilder, settings: ImageServerSettings, storage: ImageServerStorage, edge: ImageServerEdge) {
        let service = settings.service
        let originAccess = stack.add(CloudFront.OriginAccessControl(
            "images", controlName: "\(service)-images", description: "Signs \(service) requests to its bucket"))
        let cors = CloudFront.CORSConfig(allowOrigins: ["*"], allowHeaders: ["*"],
                                         allowMethods: ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"], exposeHeaders: ["ETag"])
        let sitePolicy = stack.add(CloudFront.ResponseHeadersPolicy(
            "cors", policyName: "\(service)-cors-with-preflight", comment: "CORS with preflight, all headers; the album's CSP",
            cors: cors, securityHeaders: CloudFront.SecurityHeadersConfig(
                contentSecurityPolicy: ImageServerHeaders.siteContentSecurityPolicy(stack), frameOptions: "DENY", referrerPolicy: "same-origin")))
        let uploadsPolicy = stack.add(CloudFront.ResponseHeadersPolicy(
            "uploads", policyName: "\(service)-uploads", comment: "CORS with preflight; uploads never run script",
            cors: cors, securityHeaders: CloudFront.SecurityHeadersConfig(
                contentSecurityPolicy: ImageServerHeaders.uploadsContentSecurityPolicy, frameOptions: "DENY", referrerPolicy: "same-origin")))
        func behavior(_ pathPattern: String?, _ headers: CloudFront.ResponseHeadersPolicy) -> CloudFront.CacheBehavior {
            CloudFront.CacheBehavior(
                pathPattern: pathPattern, targetOriginID: settings.s3OriginID, viewerProtocolPolicy: "redirect-to-https",
                // Uploads and deletes come through CloudFront too; the edge function checks them.
                allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"], cachedMethods: ["GET", "HEAD"],
                cachePolicyID: Text(CloudFront.CacheBehavior.cachingOptimized),
                originRequestPolicyID: Text(CloudFront.CacheBehavior.corsS3Origin), responseHeadersPolicyID: headers.id,
                lambdaAssociations: [CloudFront.LambdaAssociation(eventType: "viewer-request", lambdaARN: edge.function.qualifiedARN)])
        }
        resource = stack.add(CloudFront.Distribution(
            "site", comment: "\(service) image album",
            origins: [CloudFront.Origin(id: settings.s3OriginID, domainName: storage.bucket.bucketRegionalDomainName,
                                        originAccessControlID: originAccess.id)],
            // The site's files sit at the top of the bucket; uploads are under `<identity id>/`,
            // so every path with a second slash is an uploaded object.
            defaultCacheBehavior: behavior(nil, sitePolicy),
            orderedCacheBehaviors: [behavior(ImageServerHeaders.uploadsPathPattern, uploadsPolicy)],
            customErrorResponses: [CloudFront.CustomErrorResponse(errorCode: 404, errorCachingMinTTL: 10)],
            priceClass: settings.priceClass, defaultRootObject: "index.html", tags: settings.tags))

        let distributionOnly = Condition.stringEquals("AWS:SourceArn", [resource.arn])
        stack.add(S3.BucketPolicy("images", bucket: storage.bucket.bucketName, policy: PolicyDocument([
            Statement(sid: "CloudFrontReadsAndWrites", effect: .allow, actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                      resources: ["\(storage.bucket.arn)/*"], principal: .service("cloudfront.amazonaws.com"), conditions: [distributionOnly]),
            Statement(sid: "DenyWithoutTLS", effect: .deny, actions: ["s3:*"],
                      resources: [storage.bucket.arn, "\(storage.bucket.arn)/*"], principal: .anyone,
                      conditions: [.bool("aws:SecureTransport", false)]),
        ])))
        let key = storage.key
        stack.add(KMS.KeyPolicy("images", keyID: key.keyID, policy: PolicyDocument([
            // Without this statement KMS refuses the policy: the account must keep control of its key.
            Statement(sid: "AccountAdministersKey", effect: .allow, actions: ["kms:*"], resources: ["*"],
                      principal: .aws("arn:\(key.partition):iam::\(key.accountID):root")),
            Statement(sid: "CloudFrontUsesKey", effect: .allow, actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"],
                      resources: ["*"], principal: .service("cloudfront.amazonaws.com"), conditions: [distributionOnly]),
        ])))
    }
}
