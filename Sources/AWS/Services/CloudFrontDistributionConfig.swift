import Foundation

extension CloudFront {
    /// The part of a distribution's configuration imgstack manages (botocore `DistributionConfig`).
    ///
    /// Written with the CloudFront default certificate, no geo restriction and no aliases. Elements are written in the model's member order: CloudFront validates the
    /// body against its schema, which is a sequence.
    public struct DistributionConfig: Sendable, Equatable {
        /// Unique per created distribution; CloudFront keeps it for life and needs it back on update.
        public var callerReference: String
        /// Free text, up to 128 characters.
        public var comment: String
        /// Whether the distribution serves requests.
        public var enabled: Bool
        /// Where content comes from.
        public var origins: [Origin]
        /// The behaviour for paths no ordered behaviour matches.
        public var defaultCacheBehavior: CacheBehavior
        /// Behaviours by path pattern, first match wins.
        public var cacheBehaviors: [CacheBehavior]
        /// What viewers get for origin errors.
        public var customErrorResponses: [CustomErrorResponse]
        /// The object served for `/`, empty for none.
        public var defaultRootObject: String
        /// Standard access logging, nil when off.
        public var logging: Logging?
        /// `PriceClass_All`, `PriceClass_200`, `PriceClass_100`.
        public var priceClass: String
        /// `http1.1`, `http2`, `http3`, `http2and3`.
        public var httpVersion: String
        /// Whether viewers may connect over IPv6.
        public var isIPV6Enabled: Bool
        /// Settings the distribution holds that this type does not model (`Aliases`,
        /// a custom `ViewerCertificate`, …), named when read; empty in a configuration to write.
        public var unmodeled: [String] = []
        /// The ARN of the WAFv2 web ACL (CLOUDFRONT scope) that filters requests (`WebACLId`); empty for none.
        public var webACLID: String

        /// Creates a configuration.
        public init(callerReference: String, comment: String, enabled: Bool, origins: [Origin], defaultCacheBehavior: CacheBehavior,
                    cacheBehaviors: [CacheBehavior] = [], customErrorResponses: [CustomErrorResponse] = [], defaultRootObject: String = "",
                    logging: Logging? = nil, priceClass: String = "PriceClass_All", httpVersion: String = "http2", isIPV6Enabled: Bool = true,
                    webACLID: String = "") {
            self.callerReference = callerReference
            self.comment = comment
            self.enabled = enabled
            self.origins = origins
            self.defaultCacheBehavior = defaultCacheBehavior
            self.cacheBehaviors = cacheBehaviors
            self.customErrorResponses = customErrorResponses
            self.defaultRootObject = defaultRootObject
            self.logging = logging
            self.priceClass = priceClass
            self.httpVersion = httpVersion
            self.isIPV6Enabled = isIPV6Enabled
            self.webACLID = webACLID
        }
    }

    /// An origin (botocore `Origin`): an S3 bucket reached through an origin access control
    /// (`S3OriginConfig`), or any HTTP server such as an API Gateway stage (`CustomOriginConfig`).
    public struct Origin: Sendable, Equatable {
        /// The origin's id, which cache behaviours target.
        public var id: String
        /// The bucket's regional domain name, `bucket.s3.us-east-1.amazonaws.com`.
        public var domainName: String
        /// A path prefix added to every request, `/images`; empty for none.
        public var originPath: String
        /// The origin access control that signs requests to the bucket; empty for none.
        public var originAccessControlID: String
        /// Settings of the origin that this type does not model (`CustomHeaders`, `OriginShield`),
        /// named when read; empty in an origin to write.
        public var unmodeled: [String] = []
        /// How CloudFront connects to a custom origin; nil for an S3 origin.
        public var custom: CustomOriginConfig?

        /// Creates an origin.
        public init(id: String, domainName: String, originPath: String = "", originAccessControlID: String = "",
                    custom: CustomOriginConfig? = nil) {
            self.id = id
            self.domainName = domainName
            self.originPath = originPath
            self.originAccessControlID = originAccessControlID
            self.custom = custom
        }
    }

    /// A cache behaviour (botocore `DefaultCacheBehavior` when `pathPattern` is nil, else `CacheBehavior`),
    /// using cache and origin request policies rather than the legacy `ForwardedValues`.
    public struct CacheBehavior: Sendable, Equatable {
        /// The path pattern, nil for the default behaviour.
        public var pathPattern: String?
        /// The origin id requests go to.
        public var targetOriginID: String
        /// `allow-all`, `https-only`, `redirect-to-https`.
        public var viewerProtocolPolicy: String
        /// Methods CloudFront forwards.
        public var allowedMethods: [String]
        /// Methods whose answers CloudFront caches.
        public var cachedMethods: [String]
        /// Gzip/Brotli compression of eligible answers.
        public var compress: Bool
        /// Lambda@Edge functions by version ARN.
        public var lambdaFunctionAssociations: [LambdaFunctionAssociation]
        /// The cache policy id.
        public var cachePolicyID: String
        /// The origin request policy id; empty for none.
        public var originRequestPolicyID: String
        /// The response headers policy id; empty for none.
        public var responseHeadersPolicyID: String
        /// Settings of the behaviour that this type does not model (`FunctionAssociations`,
        /// `TrustedKeyGroups`, …), named when read; empty in a behaviour to write.
        public var unmodeled: [String] = []

        /// Creates a cache behaviour.
        public init(pathPattern: String? = nil, targetOriginID: String, viewerProtocolPolicy: String, allowedMethods: [String] = ["GET", "HEAD"],
                    cachedMethods: [String] = ["GET", "HEAD"], compress: Bool = true, lambdaFunctionAssociations: [LambdaFunctionAssociation] = [],
                    cachePolicyID: String, originRequestPolicyID: String = "", responseHeadersPolicyID: String = "") {
            self.pathPattern = pathPattern
            self.targetOriginID = targetOriginID
            self.viewerProtocolPolicy = viewerProtocolPolicy
            self.allowedMethods = allowedMethods
            self.cachedMethods = cachedMethods
            self.compress = compress
            self.lambdaFunctionAssociations = lambdaFunctionAssociations
            self.cachePolicyID = cachePolicyID
            self.originRequestPolicyID = originRequestPolicyID
            self.responseHeadersPolicyID = responseHeadersPolicyID
        }
    }

    /// A Lambda@Edge function run at one event of a cache behaviour.
    public struct LambdaFunctionAssociation: Sendable, Equatable {
        /// The function's version ARN (`…:function:name:3`); `$LATEST` and aliases are refused by CloudFront.
        public var arn: String
        /// `viewer-request`, `viewer-response`, `origin-request`, `origin-response`.
        public var eventType: String
        /// Whether the request body is passed to the function (request events only).
        public var includeBody: Bool

        /// Creates an association.
        public init(arn: String, eventType: String, includeBody: Bool = false) {
            self.arn = arn
            self.eventType = eventType
            self.includeBody = includeBody
        }
    }

    /// What viewers get when the origin answers an HTTP error.
    public struct CustomErrorResponse: Sendable, Equatable {
        /// The origin's status, 400 to 599.
        public var errorCode: Int
        /// The page served instead, `/index.html`; empty for none.
        public var responsePagePath: String
        /// The status viewers get, `200`; empty to keep the origin's.
        public var responseCode: String
        /// Seconds CloudFront caches the error; nil for CloudFront's default (10).
        public var errorCachingMinTTL: Int?

        /// Creates a custom error response.
        public init(errorCode: Int, responsePagePath: String = "", responseCode: String = "", errorCachingMinTTL: Int? = nil) {
            self.errorCode = errorCode
            self.responsePagePath = responsePagePath
            self.responseCode = responseCode
            self.errorCachingMinTTL = errorCachingMinTTL
        }
    }

    /// Standard access logging into an S3 bucket.
    public struct Logging: Sendable, Equatable {
        /// The bucket's domain name, `logs.s3.amazonaws.com`.
        public var bucket: String
        /// A key prefix, `cloudfront/`; empty for none.
        public var prefix: String
        /// Whether cookies are logged.
        public var includeCookies: Bool

        /// Creates a logging configuration.
        public init(bucket: String, prefix: String = "", includeCookies: Bool = false) {
            self.bucket = bucket
            self.prefix = prefix
            self.includeCookies = includeCookies
        }
    }
}

// MARK: - XML

extension CloudFront.DistributionConfig {
    /// The `<DistributionConfig>` element, members in the model's order.
    func xml() -> XMLNode {
        let logging = self.logging
        return XMLNode("DistributionConfig", children: [
            XMLNode("CallerReference", text: callerReference),
            XMLNode("Aliases", children: [XMLNode("Quantity", text: "0")]),
            XMLNode("DefaultRootObject", text: defaultRootObject),
            CloudFront.quantityList("Origins", origins.map { $0.xml() }),
            defaultCacheBehavior.xml(name: "DefaultCacheBehavior"),
            CloudFront.quantityList("CacheBehaviors", cacheBehaviors.map { $0.xml(name: "CacheBehavior") }),
            CloudFront.quantityList("CustomErrorResponses", customErrorResponses.map { $0.xml() }),
            XMLNode("Comment", text: comment),
            // Logging off is written out as Enabled false with empty bucket and prefix: an absent
            // element on update would keep nothing CloudFront can tell apart from "unchanged".
            XMLNode("Logging", children: [
                XMLNode("Enabled", text: String(logging != nil)),
                XMLNode("IncludeCookies", text: String(logging?.includeCookies ?? false)),
                XMLNode("Bucket", text: logging?.bucket ?? ""),
                XMLNode("Prefix", text: logging?.prefix ?? ""),
            ]),
            XMLNode("PriceClass", text: priceClass),
            XMLNode("Enabled", text: String(enabled)),
            XMLNode("ViewerCertificate", children: [XMLNode("CloudFrontDefaultCertificate", text: "true")]),
            XMLNode("Restrictions", children: [XMLNode("GeoRestriction", children: [
                XMLNode("RestrictionType", text: "none"), XMLNode("Quantity", text: "0"),
            ])]),
            XMLNode("WebACLId", text: webACLID),
            XMLNode("HttpVersion", text: httpVersion),
            XMLNode("IsIPV6Enabled", text: String(isIPV6Enabled)),
        ])
    }

    /// Reads the members imgstack manages from a `<DistributionConfig>` element, naming the
    /// settings it holds that imgstack writes only as "none" (``unmodeled``).
    init(xml node: XMLNode) {
        self.init(members: node)
        unmodeled = CloudFront.unmodeled(node, [
            ("Aliases", CloudFront.counted), ("OriginGroups", CloudFront.counted),
            ("Restrictions", { ($0.string("GeoRestriction/RestrictionType") ?? "none") != "none" }),
            ("ViewerCertificate", { ($0.string("CloudFrontDefaultCertificate") ?? "true") != "true" }),
            ("ContinuousDeploymentPolicyId", CloudFront.nonEmpty), ("Staging", { $0.text == "true" }),
        ])
    }

    private init(members node: XMLNode) {
        let logging = node["Logging"]
        self.init(
            callerReference: node.string("CallerReference") ?? "",
            comment: node.string("Comment") ?? "",
            enabled: node.string("Enabled") == "true",
            origins: node.list("Origins/Items").map(CloudFront.Origin.init(xml:)),
            defaultCacheBehavior: CloudFront.CacheBehavior(xml: node["DefaultCacheBehavior"] ?? XMLNode("DefaultCacheBehavior")),
            cacheBehaviors: node.list("CacheBehaviors/Items").map(CloudFront.CacheBehavior.init(xml:)),
            customErrorResponses: node.list("CustomErrorResponses/Items").map(CloudFront.CustomErrorResponse.init(xml:)),
            defaultRootObject: node.string("DefaultRootObject") ?? "",
            logging: logging?.string("Enabled") == "true"
                ? CloudFront.Logging(bucket: logging?.string("Bucket") ?? "", prefix: logging?.string("Prefix") ?? "",
                                     includeCookies: logging?.string("IncludeCookies") == "true")
                : nil,
            priceClass: node.string("PriceClass") ?? "PriceClass_All",
            httpVersion: node.string("HttpVersion") ?? "http2",
            isIPV6Enabled: node.string("IsIPV6Enabled") == "true",
            webACLID: node.string("WebACLId") ?? "")
    }
}

extension CloudFront.Origin {
    func xml() -> XMLNode {
        var children = [
            XMLNode("Id", text: id),
            XMLNode("DomainName", text: domainName),
            XMLNode("OriginPath", text: originPath),
            // An empty origin access identity: access goes through the origin access control.
            custom?.xml() ?? XMLNode("S3OriginConfig", children: [XMLNode("OriginAccessIdentity", text: "")]),
        ]
        if !originAccessControlID.isEmpty { children.append(XMLNode("OriginAccessControlId", text: originAccessControlID)) }
        return XMLNode("Origin", children: children)
    }

    init(xml node: XMLNode) {
        self.init(id: node.string("Id") ?? "", domainName: node.string("DomainName") ?? "", originPath: node.string("OriginPath") ?? "",
                  originAccessControlID: node.string("OriginAccessControlId") ?? "",
                  custom: node["CustomOriginConfig"].map(CloudFront.CustomOriginConfig.init(xml:)))
        unmodeled = CloudFront.unmodeled(node, [("CustomHeaders", CloudFront.counted), ("OriginShield", CloudFront.enabled)])
    }
}

extension CloudFront.CacheBehavior {
    func xml(name: String) -> XMLNode {
        var children: [XMLNode] = []
        if let pathPattern { children.append(XMLNode("PathPattern", text: pathPattern)) }
        children += [
            XMLNode("TargetOriginId", text: targetOriginID),
            XMLNode("ViewerProtocolPolicy", text: viewerProtocolPolicy),
            XMLNode("AllowedMethods", children: [
                XMLNode("Quantity", text: String(allowedMethods.count)),
                XMLNode("Items", children: allowedMethods.map { XMLNode("Method", text: $0) }),
                CloudFront.quantityList("CachedMethods", cachedMethods.map { XMLNode("Method", text: $0) }),
            ]),
            XMLNode("Compress", text: String(compress)),
            CloudFront.quantityList("LambdaFunctionAssociations", lambdaFunctionAssociations.map { association in
                XMLNode("LambdaFunctionAssociation", children: [
                    XMLNode("LambdaFunctionARN", text: association.arn),
                    XMLNode("EventType", text: association.eventType),
                    XMLNode("IncludeBody", text: String(association.includeBody)),
                ])
            }),
            XMLNode("CachePolicyId", text: cachePolicyID),
        ]
        if !originRequestPolicyID.isEmpty { children.append(XMLNode("OriginRequestPolicyId", text: originRequestPolicyID)) }
        if !responseHeadersPolicyID.isEmpty { children.append(XMLNode("ResponseHeadersPolicyId", text: responseHeadersPolicyID)) }
        return XMLNode(name, children: children)
    }

    init(xml node: XMLNode) {
        self.init(
            pathPattern: node.string("PathPattern"),
            targetOriginID: node.string("TargetOriginId") ?? "",
            viewerProtocolPolicy: node.string("ViewerProtocolPolicy") ?? "",
            allowedMethods: node.list("AllowedMethods/Items").map(\.text),
            cachedMethods: node.list("AllowedMethods/CachedMethods/Items").map(\.text),
            compress: node.string("Compress") == "true",
            lambdaFunctionAssociations: node.list("LambdaFunctionAssociations/Items").map {
                CloudFront.LambdaFunctionAssociation(arn: $0.string("LambdaFunctionARN") ?? "", eventType: $0.string("EventType") ?? "",
                                                     includeBody: $0.string("IncludeBody") == "true")
            },
            cachePolicyID: node.string("CachePolicyId") ?? "",
            originRequestPolicyID: node.string("OriginRequestPolicyId") ?? "",
            responseHeadersPolicyID: node.string("ResponseHeadersPolicyId") ?? "")
        unmodeled = CloudFront.unmodeled(node, [
            ("FunctionAssociations", CloudFront.counted), ("TrustedSigners", CloudFront.enabled), ("TrustedKeyGroups", CloudFront.enabled),
            ("FieldLevelEncryptionId", CloudFront.nonEmpty), ("RealtimeLogConfigArn", CloudFront.nonEmpty),
        ])
    }
}

extension CloudFront.CustomErrorResponse {
    func xml() -> XMLNode {
        var children = [XMLNode("ErrorCode", text: String(errorCode))]
        if !responsePagePath.isEmpty { children.append(XMLNode("ResponsePagePath", text: responsePagePath)) }
        if !responseCode.isEmpty { children.append(XMLNode("ResponseCode", text: responseCode)) }
        if let errorCachingMinTTL { children.append(XMLNode("ErrorCachingMinTTL", text: String(errorCachingMinTTL))) }
        return XMLNode("CustomErrorResponse", children: children)
    }

    init(xml node: XMLNode) {
        self.init(errorCode: Int(node.string("ErrorCode") ?? "") ?? 0, responsePagePath: node.string("ResponsePagePath") ?? "",
                  responseCode: node.string("ResponseCode") ?? "", errorCachingMinTTL: node.string("ErrorCachingMinTTL").flatMap { Int($0) })
    }
}

extension CloudFront {
    /// The paths of `settings` that hold a value in `node`. Each is a setting imgstack writes
    /// only as "none" (no aliases, the default certificate, …), so whatever else AWS holds would
    /// be replaced by the next `UpdateDistribution`, which takes the configuration whole.
    static func unmodeled(_ node: XMLNode, _ settings: [(path: String, isSet: (XMLNode) -> Bool)]) -> [String] {
        settings.filter { setting in node.path(setting.path).map(setting.isSet) ?? false }.map(\.path)
    }

    /// A `Quantity`/`Items` list that is not empty.
    static func counted(_ node: XMLNode) -> Bool { (node.string("Quantity") ?? "0") != "0" }

    /// Text that is not empty.
    static func nonEmpty(_ node: XMLNode) -> Bool { !node.text.isEmpty }

    /// An element whose `Enabled` is true.
    static func enabled(_ node: XMLNode) -> Bool { node.string("Enabled") == "true" }

    /// A `Quantity`/`Items` wrapper, the way CloudFront writes every list.
    static func quantityList(_ name: String, _ items: [XMLNode]) -> XMLNode {
        var children = [XMLNode("Quantity", text: String(items.count))]
        if !items.isEmpty { children.append(XMLNode("Items", children: items)) }
        return XMLNode(name, children: children)
    }
}
