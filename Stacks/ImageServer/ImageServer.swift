import ImgStack

/// Seed 000's distributed image server, with every item of its "What's left" list: a private
/// bucket encrypted with a customer managed KMS key and reachable only through CloudFront's
/// origin access control; the album site uploaded into it; a Cognito user pool (Google and
/// Facebook sign-in behind variables) and an identity pool whose guests may only read and
/// whose signed-in users may write and delete only under their own prefix; a Lambda@Edge
/// function checking the Cognito ID token of every write; CloudWatch alarms on the function
/// and the distribution notifying an SNS topic.
///
/// The site reads images through CloudFront, lists the bucket with the identity pool's
/// credentials, and uploads and deletes through CloudFront (`PUT`/`DELETE /<identity id>/<file>`
/// with the ID token), where the edge function checks the token and the prefix.
public let imageServer = Stack(
    "image-server",
    summary: "Image album behind CloudFront: private SSE-KMS bucket, Cognito sign-in, Lambda@Edge JWT checks, alarms"
) { stack in
    let settings = ImageServerSettings(stack)
    let storage = ImageServerStorage(stack, settings: settings)
    let identity = ImageServerIdentity(stack, settings: settings, storage: storage)
    let edge = ImageServerEdge(stack, settings: settings, identity: identity)
    let distribution = ImageServerDistribution(stack, settings: settings, storage: storage, edge: edge)
    ImageServerSite.add(to: stack, settings: settings, storage: storage, identity: identity, distribution: distribution)
    ImageServerMonitoring.add(to: stack, settings: settings, edge: edge, distribution: distribution)

    stack.output("site_url", "https://\(distribution.resource.domainName)/",
                 description: "Open it in a browser: the album (sign up, sign in, upload, delete)")
    stack.output("cloudfront_domain", distribution.resource.domainName,
                 description: "The distribution's domain; point a CNAME at it for a domain of your own")
    stack.output("bucket", storage.bucket.bucketName,
                 description: "The private bucket holding the site and the images (SSE-KMS)")
    stack.output("user_pool_id", identity.userPool.poolID,
                 description: "The Cognito user pool: manage users with `aws cognito-idp admin-*`")
    stack.output("client_id", identity.client.clientID,
                 description: "The user pool app client the site and the edge function accept tokens for")
    stack.output("identity_pool_id", identity.identityPool.poolID,
                 description: "The identity pool giving guests read-only and users own-prefix write credentials")
}
