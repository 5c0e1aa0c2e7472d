import ImgStack

/// What callers reach: a CloudFront distribution in front of the API's stage, filtered by a WAF
/// web ACL (AWS managed rule groups and a per-IP rate limit).
struct UploadAPIEdge {
    let firewall: WAFv2.WebACL
    let distribution: CloudFront.Distribution

    /// The distribution's origin id for the API.
    static let originID = "api"

    init(_ stack: StackBuilder, settings: UploadAPISettings, gateway: UploadAPIGateway) {
        firewall = stack.add(WAFv2.WebACL(
            "edge", name: Text(settings.service), scope: .cloudFront, defaultAction: .allow,
            description: "Filters requests to the \(settings.service) API",
            rules: [
                // The common rule set blocks bodies over 8 KB (SizeRestrictions_BODY): every image
                // upload. Counted instead; the function enforces max_upload_bytes.
                .managedRuleGroup("AWSManagedRulesCommonRuleSet", priority: 0, overrides: ["SizeRestrictions_BODY": .count]),
                .managedRuleGroup("AWSManagedRulesKnownBadInputsRuleSet", priority: 1),
                .managedRuleGroup("AWSManagedRulesAmazonIpReputationList", priority: 2),
                .rateLimit(name: "per-ip", priority: 3, limit: settings.wafRateLimit),
            ],
            metricName: settings.service, tags: settings.tags, region: UploadAPISettings.webACLRegion))

        let apiHost: Text = "\(gateway.api.id).execute-api.\(settings.region).amazonaws.com"
        distribution = stack.add(CloudFront.Distribution(
            "api", comment: "\(settings.service) image upload API",
            origins: [CloudFront.Origin.custom(id: Self.originID, domainName: apiHost, originPath: "/\(settings.stageName)")],
            // Nothing is cached (every answer depends on the caller's token and body); every
            // viewer header but Host goes to API Gateway, Authorization included.
            defaultCacheBehavior: CloudFront.CacheBehavior(
                targetOriginID: Self.originID, viewerProtocolPolicy: "https-only", allowedMethods: CloudFront.CacheBehavior.allMethods,
                cachePolicyID: Text(CloudFront.CacheBehavior.cachingDisabled),
                originRequestPolicyID: Text(CloudFront.CacheBehavior.allViewerExceptHostHeader), compress: false),
            priceClass: "PriceClass_100", tags: settings.tags, webACLID: firewall.arn))
    }
}
