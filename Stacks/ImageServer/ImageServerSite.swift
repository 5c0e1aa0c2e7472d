import ImgStack

/// The album site: the files of `site/` and the `config.js` that tells them where everything is.
enum ImageServerSite {
    static func add(to stack: StackBuilder, settings: ImageServerSettings, storage: ImageServerStorage, identity: ImageServerIdentity,
         distribution: ImageServerDistribution) {
        let bucket = storage.bucket.bucketName
        stack.add(S3.Objects("site", bucket: bucket, directory: ImageServerFiles.site, cacheControl: "max-age=300"))
        let providers = settings.providerNames.map { "\"\($0)\"" }.joined(separator: ", ")
        let config: Text = """
            window.IMAGE_SERVER_CONFIG = {"region": "\(stack.region)", "bucket": "\(bucket)", \
            "cloudFrontDomain": "\(distribution.resource.domainName)", "userPoolId": "\(identity.userPool.poolID)", \
            "clientId": "\(identity.client.clientID)", "identityPoolId": "\(identity.identityPool.poolID)", \
            "hostedUIDomain": "\(identity.hostedUIDomain)", "identityProviders": [\(providers)]};

            """
        stack.add(S3.Object("config", bucket: bucket, key: "config.js", content: config, contentType: "text/javascript",
                            cacheControl: "max-age=60"))
    }
}
