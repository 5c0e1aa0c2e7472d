import AWS
import ImgStack

/// The album site: the files of `site/` and the `config.js` that tells them where everything is.
enum ImageServerSite {
    static func add(to stack: StackBuilder, settings: ImageServerSettings, storage: ImageServerStorage, identity: ImageServerIdentity,
         distribution: ImageServerDistribution) {
        let bucket = storage.bucket.bucketName
        stack.add(S3.Objects("site", bucket: bucket, directory: ImageServerFiles.site, cacheControl: "max-age=300"))
        let providers = settings.providerNames.map { "\"\($0)\"" }.joined(separator: ", ")
        let endpoints = siteEndpoints(stack).map { ", \"endpoints\": {\($0)}" } ?? ""
        let config: Text = """
            window.IMAGE_SERVER_CONFIG = {"region": "\(stack.region)", "bucket": "\(bucket)", \
            "cloudFrontDomain": "\(distribution.resource.domainName)", "userPoolId": "\(identity.userPool.poolID)", \
            "clientId": "\(identity.client.clientID)", "identityPoolId": "\(identity.identityPool.poolID)", \
            "hostedUIDomain": "\(identity.hostedUIDomain)", "identityProviders": [\(providers)]\(endpoints)};

            """
        stack.add(S3.Object("config", bucket: bucket, key: "config.js", content: config, contentType: "text/javascript",
                            cacheControl: "max-age=60"))
    }

    /// The services the page calls from the browser, by the name `config.js` gives them.
    private static let browserServices: [(name: String, service: AWSService)] = [
        ("s3", .s3), ("cognito-idp", .cognitoIdentityProvider), ("cognito-identity", .cognitoIdentity),
    ]

    /// `"s3": "http://…", …` for each service the page calls whose endpoint this run overrides
    /// (`--endpoint-url`, `AWS_ENDPOINT_URL_<SERVICE>`, …), so the album works against the same
    /// emulator imgstack deployed to; nil against AWS, where the page uses AWS's own hosts.
    private static func siteEndpoints(_ stack: StackBuilder) -> String? {
        let custom = browserServices.compactMap { entry in
            stack.customEndpoint(of: entry.service).map { "\"\(entry.name)\": \"\($0.absoluteString)\"" }
        }
        return custom.isEmpty ? nil : custom.joined(separator: ", ")
    }
}
