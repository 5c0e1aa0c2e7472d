import AWS
import Engine

extension WAFv2 {
    /// A WAF web ACL (`aws_wafv2_web_acl`): AWS managed rule groups and rate limits in front of a
    /// CloudFront distribution (`CLOUDFRONT` scope, always in `us-east-1`) or a regional API
    /// Gateway stage or load balancer (`REGIONAL`).
    ///
    /// ```swift
    /// let firewall = stack.add(WAFv2.WebACL("edge", name: "upload-api", scope: .cloudFront, defaultAction: .allow, rules: [
    ///     .managedRuleGroup("AWSManagedRulesCommonRuleSet", priority: 0, overrides: ["SizeRestrictions_BODY": .count]),
    ///     .rateLimit(name: "per-ip", priority: 1, limit: 500),
    /// ], metricName: "upload-api"))
    /// ```
    ///
    /// A distribution takes it as `webACLId: firewall.arn`. Its `id` is the web ACL's id;
    /// imported as `<id>/<name>/<scope>` (Terraform's form).
    public struct WebACL: ImgStack.Resource {
        public static let terraformType = "aws_wafv2_web_acl"

        /// Where the web ACL is used.
        public enum Scope: String, Sendable, ExpressionConvertible {
            /// CloudFront distributions: the web ACL lives in `us-east-1`.
            case cloudFront = "CLOUDFRONT"
            /// Regional resources (API Gateway stages, load balancers) of its region.
            case regional = "REGIONAL"

            public var expression: Engine.Expression { .value(.string(rawValue)) }
        }

        /// The resource's name in the stack.
        public var name: String
        /// The web ACL's name: 1–128 letters, digits, `_` and `-`, unique per scope and region.
        public var webACLName: Text
        /// `CLOUDFRONT` or `REGIONAL`. Changing it (or the name) replaces the web ACL.
        public var scope: Scope
        /// What a request no rule matched gets: `.allow` or `.block`.
        public var defaultAction: RuleAction
        /// What it is for (up to 256 characters).
        public var description: String
        /// The rules, each with a unique name and priority.
        public var rules: [Rule]
        /// The web ACL's CloudWatch metric (1–255 letters, digits and `_#:.-/`).
        public var metricName: String
        /// Publish CloudWatch metrics (the web ACL's and its rules').
        public var cloudWatchMetrics: Bool
        /// Keep samples of matching requests.
        public var sampledRequests: Bool
        /// Tags: at most 49 (AWS takes 50; one is imgstack's intent tag); `aws:` and `imgstack:` prefixes are reserved.
        public var tags: [String: Text]
        /// A region other than the stack's: `REGIONAL` only; a `CLOUDFRONT` web ACL is in `us-east-1`.
        public var requestedRegion: String?
        /// Dependencies beside those that references imply.
        public var dependsOn: [Address] = []

        /// Declares a web ACL.
        public init(_ name: String, name webACLName: Text, scope: Scope, defaultAction: RuleAction = .allow, description: String = "",
                    rules: [Rule] = [], metricName: String, cloudWatchMetrics: Bool = true, sampledRequests: Bool = true,
                    tags: [String: Text] = [:], region: String? = nil) {
            self.name = name
            self.webACLName = webACLName
            self.scope = scope
            self.defaultAction = defaultAction
            self.description = description
            self.rules = rules
            self.metricName = metricName
            self.cloudWatchMetrics = cloudWatchMetrics
            self.sampledRequests = sampledRequests
            self.tags = tags
            self.requestedRegion = region
        }

        /// `CLOUDFRONT` web ACLs live in `us-east-1`.
        public var region: String? { scope == .cloudFront ? (requestedRegion ?? "us-east-1") : requestedRegion }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.webACLName, webACLName)
            list.set(property.scope, scope)
            list.set(property.defaultAction, defaultAction.rawValue)
            list.set(property.description, description)
            list.set(property.rules, expression: .value(.list(rules.map(\.value))))
            list.set(property.metricName, metricName)
            list.set(property.cloudWatchMetrics, cloudWatchMetrics)
            list.set(property.sampledRequests, sampledRequests)
            list.set(property.tags, tags)
            // Declared, so it is recorded and read: anything WAF holds there is drift.
            list.set(property.unmanagedByImgstack, [String]())
            // Recorded for CLOUDFRONT so validation can refuse another region.
            list.set(property.region, scope == .cloudFront ? region : nil)
            return list.values
        }

        /// The web ACL's ARN: what a CloudFront distribution's `webACLId` takes.
        public var arn: Text { attribute("arn") }

        public static func makeType() -> any ResourceType { WebACLType() }
    }
}

extension WAFv2.WebACL {
    /// A web ACL's properties, each declared once.
    struct Properties: PropertySet {
        let webACLName = Property<String>("name", forcesReplacement: true)
        let scope = Property<String>("scope", forcesReplacement: true)
        let defaultAction = Property<String>("defaultAction", terraform: WebACLTerraform.defaultAction, default: "ALLOW")
        let description = Property<String>("description", default: "")
        /// In priority order.
        let rules = Property<Value>("rules", terraform: WebACLTerraform.rules, default: .list([]))
        let metricName = Property<String>("metricName", terraform: WebACLTerraform.visibility)
        let cloudWatchMetrics = Property<Bool>("cloudWatchMetrics", terraform: .none(WebACLTerraform.inVisibilityConfig), default: true)
        let sampledRequests = Property<Bool>("sampledRequests", terraform: .none(WebACLTerraform.inVisibilityConfig), default: true)
        let tags = Property<[String: String]>("tags", default: [:])
        /// Read only: the web ACL's own settings WAF holds that a stack cannot express
        /// (`CustomResponseBodies`, `CaptchaConfig`, `TokenDomains`, a custom response on the
        /// default action, …). Always empty in a stack, so a setting added outside imgstack shows
        /// as drift, and the next update (`UpdateWebACL` writes the web ACL whole) removes it. A
        /// rule's own such settings are listed under the same key in that rule.
        let unmanagedByImgstack = Property<[String]>("unmanagedByImgstack", terraform: .none("read only: the settings a stack cannot express"), default: [])
        /// CLOUDFRONT only: the region it was declared in.
        let region = Property<String>("region", forcesReplacement: true)
    }

    static let property = Properties()
}
