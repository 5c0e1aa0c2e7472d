import AWS
import Engine
import Foundation

extension CloudFront {
    /// A CloudFront distribution (`aws_cloudfront_distribution`) serving S3 and custom origins
    /// (an API Gateway stage), with the CloudFront default certificate and no geo restriction, and
    /// optionally filtered by a WAFv2 web ACL (`webACLID`).
    ///
    /// ```swift
    /// let cdn = stack.add(CloudFront.Distribution(
    ///     "images", comment: "image server",
    ///     origins: [CloudFront.Origin(id: "images", domainName: bucket.bucketRegionalDomainName, originAccessControlID: oac.id)],
    ///     defaultCacheBehavior: CloudFront.CacheBehavior(targetOriginID: "images", responseHeadersPolicyID: cors.id),
    ///     defaultRootObject: "index.html"))
    /// ```
    ///
    /// Destroying a distribution disables it, waits until that is deployed, then deletes it:
    /// CloudFront refuses to delete an enabled distribution (`DistributionNotDisabled`).
    public struct Distribution: Resource {
        public static let terraformType = "aws_cloudfront_distribution"

        public var name: String
        /// Whether the distribution serves requests.
        public var enabled: Bool
        /// Free text, up to 128 characters.
        public var comment: String
        /// Where content comes from: at least one; ids unique.
        public var origins: [Origin]
        /// The behaviour for paths no ordered behaviour matches (no path pattern).
        public var defaultCacheBehavior: CacheBehavior
        /// Behaviours by path pattern, in precedence order (first match wins).
        public var orderedCacheBehaviors: [CacheBehavior]
        /// What viewers get for origin errors; one per error code.
        public var customErrorResponses: [CustomErrorResponse]
        /// `PriceClass_All` (default), `PriceClass_200` or `PriceClass_100`.
        public var priceClass: String
        /// The object served for `/` (`index.html`, no leading `/`); empty for none.
        public var defaultRootObject: String
        /// Standard access logs; nil for none.
        public var logging: Logging?
        /// `http2` (default), `http1.1`, `http3` or `http2and3`.
        public var httpVersion: String
        /// Accept IPv6 viewers.
        public var isIPV6Enabled: Bool
        /// Tags (at most 49: CloudFront takes 50; one is imgstack's intent tag).
        public var tags: [String: Text]
        /// Wait after create and update until the distribution is deployed (minutes on AWS).
        /// imgstack's own setting: it changes nothing in AWS. Destroy always waits.
        public var waitForDeployment: Bool
        /// The ARN of a WAFv2 web ACL of scope `CLOUDFRONT` (created in us-east-1) that filters
        /// every request (`WebACLId`, Terraform's `web_acl_id`); nil for none.
        public var webACLID: Text?
        public var dependsOn: [Address] = []

        /// Declares a distribution.
        public init(_ name: String, enabled: Bool = true, comment: String = "", origins: [Origin], defaultCacheBehavior: CacheBehavior,
                    orderedCacheBehaviors: [CacheBehavior] = [], customErrorResponses: [CustomErrorResponse] = [],
                    priceClass: String = "PriceClass_All", defaultRootObject: String = "", logging: Logging? = nil,
                    httpVersion: String = "http2", isIPV6Enabled: Bool = true, tags: [String: Text] = [:], waitForDeployment: Bool = true,
                    webACLID: Text? = nil) {
            self.name = name
            self.enabled = enabled
            self.comment = comment
            self.origins = origins
            self.defaultCacheBehavior = defaultCacheBehavior
            self.orderedCacheBehaviors = orderedCacheBehaviors
            self.customErrorResponses = customErrorResponses
            self.priceClass = priceClass
            self.defaultRootObject = defaultRootObject
            self.logging = logging
            self.httpVersion = httpVersion
            self.isIPV6Enabled = isIPV6Enabled
            self.tags = tags
            self.waitForDeployment = waitForDeployment
            self.webACLID = webACLID
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.enabled, enabled)
            list.set(property.comment, comment)
            list.set(property.origins, origins)
            list.set(property.defaultCacheBehavior, defaultCacheBehavior)
            list.set(property.orderedCacheBehaviors, orderedCacheBehaviors)
            list.set(property.customErrorResponses, customErrorResponses)
            list.set(property.priceClass, priceClass)
            list.set(property.defaultRootObject, defaultRootObject)
            list.set(property.logging, logging)
            list.set(property.httpVersion, httpVersion)
            list.set(property.isIPV6Enabled, isIPV6Enabled)
            list.set(property.tags, tags)
            list.set(property.waitForDeployment, waitForDeployment)
            list.set(property.webACLID, webACLID ?? "")
            // Declared, so it is recorded and read: anything AWS holds there is drift.
            list.set(property.unmanagedByImgstack, [String]())
            return list.values
        }

        /// The distribution ARN.
        public var arn: Text { attribute("arn") }
        /// The `*.cloudfront.net` host name.
        public var domainName: Text { attribute("domainName") }
        /// The Route 53 hosted zone of every CloudFront domain, for alias records.
        public var hostedZoneID: Text { attribute("hostedZoneID") }
        /// `Deployed` or `InProgress`.
        public var status: Text { attribute("status") }
        /// The current version, sent in `If-Match` on update and delete.
        public var etag: Text { attribute("etag") }

        public static func makeType() -> any ResourceType { DistributionType() }
    }
}

extension CloudFront.Distribution {
    /// A distribution's properties, each declared once. Origins, behaviours, error responses
    /// and logging are structured values (see ``CloudFrontValues``).
    struct Properties: PropertySet {
        let enabled = Property<Bool>("enabled", default: true)
        let comment = Property<String>("comment", default: "")
        let origins = Property<Value>("origins", terraform: .blocks("origin", renamed: DistributionType.terraformRenamed))
        let defaultCacheBehavior = Property<Value>("defaultCacheBehavior", terraform: .blocks(renamed: DistributionType.terraformRenamed))
        let orderedCacheBehaviors = Property<Value>("orderedCacheBehaviors", terraform: .blocks("ordered_cache_behavior", renamed: DistributionType.terraformRenamed), default: .list([]))
        let customErrorResponses = Property<Value>("customErrorResponses", terraform: .blocks("custom_error_response"), default: .list([]))
        let priceClass = Property<String>("priceClass", default: "PriceClass_All")
        let defaultRootObject = Property<String>("defaultRootObject", default: "")
        let logging = Property<Value>("logging", terraform: .blocks("logging_config"), default: .null)
        let httpVersion = Property<String>("httpVersion", default: "http2")
        let isIPV6Enabled = Property<Bool>("isIPV6Enabled", default: true)
        let webACLID = Property<String>("webACLID", terraform: "web_acl_id", default: "")
        let tags = Property<[String: String]>("tags", default: [:])
        /// imgstack's own: whether create and update wait for the deployment.
        let waitForDeployment = Property<Bool>("waitForDeployment", default: true)
        /// Read only: the distribution-level settings AWS holds that a stack cannot express
        /// (`Aliases`, `WebACLId`, a custom `ViewerCertificate`, geo `Restrictions`, …). Always
        /// empty in a stack, so a setting added outside imgstack shows as drift, and the next
        /// update (which writes the configuration whole) removes it.
        let unmanagedByImgstack = Property<[String]>("unmanagedByImgstack", terraform: .none("read only: the settings a stack cannot express"), default: [])
    }

    static let property = Properties()
}

/// Creates, reads, updates (with the ETag of `GetDistributionConfig`), disables and deletes distributions.
struct DistributionType: ResourceType {
    var waiter = DeploymentWaiter()

    /// The hosted zone id of every `*.cloudfront.net` name (AWS documents it as a constant).
    static let hostedZoneID = "Z2FDTNDATAQYW2"

    static let schema = ResourceSchema(
        CloudFront.Distribution.self, CloudFront.Distribution.Properties.self,
        attributes: [
            AttributeSchema("arn"), AttributeSchema("domainName"), AttributeSchema("hostedZoneID"),
            AttributeSchema("status", changesOnUpdate: true), AttributeSchema("etag", changesOnUpdate: true),
        ],
        // What every configuration written here holds (CloudFrontDistributionConfig): CloudFront's
        // default certificate, whose security policy is TLSv1, and no geo restriction.
        terraformConstants: [
            "viewer_certificate": [["cloudfront_default_certificate": true, "minimum_protocol_version": "TLSv1"]],
            "restrictions": [["geo_restriction": [["restriction_type": "none", "locations": .list([])]]]],
        ])

    /// imgstack's names inside origins and cache behaviours that the provider's blocks name
    /// otherwise (provider docs, `aws_cloudfront_distribution`: `origin`, `custom_origin_config`,
    /// `lambda_function_association`); the rest are the same words in snake case.
    static let terraformRenamed = [
        "id": "origin_id", "customOrigin": "custom_origin_config", "protocolPolicy": "origin_protocol_policy",
        "sslProtocols": "origin_ssl_protocols", "readTimeout": "origin_read_timeout",
        "keepaliveTimeout": "origin_keepalive_timeout", "lambdaAssociations": "lambda_function_association",
    ]

    var schema: ResourceSchema { Self.schema }
    private var property: CloudFront.Distribution.Properties { CloudFront.Distribution.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        DistributionValidation.issues(properties, address: address)
    }

    func normalize(_ name: String, _ value: Value) -> Value {
        switch name {
        case property.defaultCacheBehavior.name: return CloudFrontValues.normalizeBehavior(value)
        case property.orderedCacheBehaviors.name: return value.listValue.map { .list($0.map(CloudFrontValues.normalizeBehavior)) } ?? value
        default: return value
        }
    }

    func deletionNote(_ properties: [String: Value]) -> String? {
        "CloudFront distributions are disabled first and deleted once that is deployed (usually 5 to 15 minutes)"
    }

    // MARK: - Create

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let cloudFront = try context.cloudFront
        // The intent id is the caller reference, which CloudFront keeps for life, and a tag, which
        // is how a crashed apply finds the distribution again (listings show neither).
        let intent = context.intentID ?? UUID().uuidString
        let config = CloudFrontValues.config(properties, callerReference: intent)
        let tags = CloudFrontValues.awsTags(properties[property.tags]) + [AWS.CloudFront.Tag(key: TagRules.intentKey, value: intent)]
        var distribution = try await cloudFront.createDistribution(config, tags: tags)
        if properties[property.waitForDeployment] != false {
            distribution = try await waiter.wait(for: distribution.id, cloudFront: cloudFront, context: context)
        }
        return snapshot(distribution, declared: Set(properties.keys), tags: properties[property.tags.name],
                        wait: properties[property.waitForDeployment])
    }

    // MARK: - Read

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, declared: Set(recorded.properties.keys), wait: recorded.properties[property.waitForDeployment],
                       cloudFront: try context.cloudFront, recordedARN: recorded.attributes["arn"]?.stringValue)
    }

    func readForDestroy(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await recordedIfExists(recorded) { try await read(recorded.id, declared: [], wait: nil, cloudFront: try context.cloudFront) }
    }

    /// Reads the distribution and, when declared, its tags (not part of its configuration): by
    /// the `recordedARN` alongside the distribution when there is one, else by the ARN it gives.
    private func read(_ id: String, declared: Set<String>, wait: Bool?, cloudFront: AWS.CloudFront,
                      recordedARN: String? = nil) async throws -> ResourceSnapshot? {
        guard let (distribution, tags) = try await ConcurrentReads.withTags(
            { try await nilWhenMissing(.noSuchDistribution, call: { try await cloudFront.getDistribution(id) }) }, arn: \.arn,
            recordedARN: recordedARN, readsTags: declared.contains(property.tags), tags: { try await cloudFront.listTags($0) }) else { return nil }
        return snapshot(distribution, declared: declared, tags: tags.map(CloudFrontValues.tagMap), wait: wait)
    }

    // MARK: - Update

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let cloudFront = try context.cloudFront
        var distribution: AWS.CloudFront.Distribution?
        if !changed.isDisjoint(with: CloudFrontValues.configProperties) {
            // UpdateDistribution replaces the whole configuration and needs the caller reference
            // and the ETag of the configuration it replaces.
            let (config, etag) = try await cloudFront.getDistributionConfig(current.id)
            let wanted = CloudFrontValues.config(desired, callerReference: config.callerReference)
            var updated = try await cloudFront.updateDistribution(current.id, config: wanted, ifMatch: etag)
            if desired[property.waitForDeployment] != false {
                updated = try await waiter.wait(for: current.id, cloudFront: cloudFront, context: context)
            }
            distribution = updated
        }
        if changed.contains(property.tags), let arn = current.attributes["arn"]?.stringValue {
            let wanted = CloudFrontValues.awsTags(desired[property.tags])
            let removed = Set((current.properties[property.tags] ?? [:]).keys).subtracting(wanted.map(\.key))
            if !removed.isEmpty { try await cloudFront.untagResource(arn, keys: removed.sorted()) }
            if !wanted.isEmpty { try await cloudFront.tagResource(arn, tags: wanted) }
        }
        let latest: AWS.CloudFront.Distribution
        if let distribution {
            latest = distribution
        } else {
            latest = try await cloudFront.getDistribution(current.id)
        }
        return snapshot(latest, declared: Set(desired.keys), tags: desired[property.tags.name], wait: desired[property.waitForDeployment])
    }

    // MARK: - Delete

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let cloudFront = try context.cloudFront
        _ = try await nilWhenMissing(.noSuchDistribution) {
            let (config, etag) = try await cloudFront.getDistributionConfig(current.id)
            if config.enabled {
                var disabled = config
                disabled.enabled = false
                context.report("disabling CloudFront distribution \(current.id) before deleting it")
                _ = try await cloudFront.updateDistribution(current.id, config: disabled, ifMatch: etag)
            }
            // Deleting needs the disabled configuration deployed, and the ETag of that version.
            let deployed = try await waiter.wait(for: current.id, cloudFront: cloudFront, context: context)
            try await cloudFront.deleteDistribution(current.id, ifMatch: deployed.etag)
        }
    }

    // MARK: - Import, recovery

    /// A distribution is imported by its id, upper-case letters and digits.
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: CloudFrontIDs.pattern,
                             expected: "a CloudFront distribution is imported by its id (upper-case letters and digits, such as E2QWRUHEXAMPLE)")
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, declared: CloudFront.Distribution.Properties.names, wait: true, cloudFront: try context.cloudFront)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let intent = context.intentID else { return nil }
        let cloudFront = try context.cloudFront
        for summary in try await cloudFront.listDistributions() {
            let tags = try await cloudFront.listTags(summary.arn)
            if tags.contains(where: { $0.key == TagRules.intentKey && $0.value == intent }) {
                return try await read(summary.id, declared: Set(properties.keys), wait: properties[property.waitForDeployment],
                                      cloudFront: cloudFront)
            }
        }
        return nil
    }

    // MARK: - Helpers

    private func snapshot(_ distribution: AWS.CloudFront.Distribution, declared: Set<String>, tags: Value?, wait: Bool?) -> ResourceSnapshot {
        var all = CloudFrontValues.properties(distribution.config)
        all[property.tags.name] = tags ?? .map([:])
        all[property.waitForDeployment] = wait ?? true
        var properties: [String: Value] = [:]
        for name in declared { properties[name] = normalize(name, all[name] ?? .null) }
        return ResourceSnapshot(id: distribution.id, properties: properties, attributes: [
            "arn": .string(distribution.arn), "domainName": .string(distribution.domainName),
            "hostedZoneID": .string(Self.hostedZoneID), "status": .string(distribution.status), "etag": .string(distribution.etag),
        ])
    }
}

extension DistributionType: AccessDeclaring {
    /// CloudFront actions per the Service Authorization Reference (Amazon CloudFront). A cache
    /// behaviour's Lambda@Edge association makes CloudFront replicate the function, which AWS
    /// checks on the caller (CloudFront developer guide, "Setting IAM permissions and roles for
    /// Lambda@Edge"): `lambda:GetFunction` and `lambda:EnableReplication*` on each associated
    /// version (`lambda:DisableReplication*` when an update drops one) and
    /// `iam:CreateServiceLinkedRole` for the replicator role; all only when the stack
    /// associates a function. The policy is the declared stack's: every version of an
    /// associated function is granted (by its name), a function the stack no longer
    /// associates is not.
    static let access: ResourceAccess = {
        let distribution = ARNPattern.arn("arn:{partition}:cloudfront::{account}:distribution/*")
        let associated = ["defaultCacheBehavior.lambdaAssociations[].lambdaARN", "orderedCacheBehaviors[].lambdaAssociations[].lambdaARN"]
        func edgeReplication(_ lambdaActions: [String]) -> [IAMGrant] {
            [IAMGrant(lambdaActions, on: associated.map { .heldIn($0, ofReferenced: "arn:{partition}:lambda:us-east-1:{account}:function:{functionName}:*") }),
             .serviceLinkedRole("replicator.lambda.amazonaws.com", "AWSServiceRoleForLambdaReplicator", when: .anySet(associated))]
        }
        // CloudFront reads the web ACL it is given with the caller's permissions ("not accessible
        // by the requester" without them).
        // A web ACL of the stack is named as its own declaration names it (`*/webacl/NAME/*`), so
        // its statement's grant already covers this one.
        let webACL = IAMGrant(["wafv2:GetWebACL"], on: [.heldIn("webACLID", ofReferenced: "arn:{partition}:wafv2:us-east-1:{account}:*/webacl/{name}/*")])
        return ResourceAccess([
            IAMCall(.cloudFront, "ListDistributions", in: [.create, .settle],
                    on: [.anyResource(reason: "cloudfront:ListDistributions takes no resource; a crashed create is found among the account's distributions")]),
            IAMCall(.cloudFront, "CreateDistributionWithTags", in: [.create],
                    needs: ["cloudfront:CreateDistribution", "cloudfront:TagResource"], on: [distribution],
                    alsoNeeds: edgeReplication(["lambda:GetFunction", "lambda:EnableReplication*"]) + [webACL]),
            IAMCall(.cloudFront, "GetDistribution", in: .readingBack.union([.delete]), on: [distribution]),
            IAMCall(.cloudFront, "GetDistributionConfig", in: .readingBack.union([.delete]), on: [distribution]),
            IAMCall(.cloudFront, "UpdateDistribution", in: [.update, .delete],
                    on: [distribution], alsoNeeds: edgeReplication(["lambda:GetFunction", "lambda:EnableReplication*", "lambda:DisableReplication*"]) + [webACL]),
            IAMCall(.cloudFront, "ListTagsForResource", in: .readingBack, on: [distribution]),
            IAMCall(.cloudFront, "TagResource", in: .writing, on: [distribution]),
            IAMCall(.cloudFront, "UntagResource", in: .writing, on: [distribution]),
            IAMCall(.cloudFront, "DeleteDistribution", in: [.delete], on: [distribution]),
        ])
    }()
}
