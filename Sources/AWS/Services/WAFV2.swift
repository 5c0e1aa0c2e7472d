import Foundation

/// Typed calls to AWS WAF (JSON 1.1, target prefix `AWSWAF_20190729`; member names from
/// botocore's `wafv2` 2019-07-29 model): web ACLs with managed rule groups and rate-based rules.
///
/// Every change to a web ACL carries the lock token of the version it was made from; WAF answers
/// `WAFOptimisticLockException` when another change came first.
public struct WAFV2: Sendable {
    /// An empty JSON object, as WAF spells an action without settings (`{"Count": {}}`).
    public struct Empty: Sendable, Equatable, Codable {
        /// Creates one.
        public init() {}
    }

    /// One action: exactly one member is set (`Allow`, `Block`, `Count`; `None` only in an
    /// `OverrideAction`).
    public struct Action: Sendable, Equatable, Codable {
        /// Let the request through.
        public var allow: Empty?
        /// Refuse it (403).
        public var block: Empty?
        /// Count it and go on.
        public var count: Empty?
        /// Keep the rule group's own actions (`OverrideAction` only).
        public var none: Empty?

        /// `ALLOW`, `BLOCK`, `COUNT` or `NONE` as WAF's object.
        public init(_ name: String) {
            switch name {
            case "ALLOW": allow = Empty()
            case "BLOCK": block = Empty()
            case "NONE": none = Empty()
            default: count = Empty()
            }
        }

        /// `ALLOW`, `BLOCK`, `COUNT`, `NONE`, or nil for another action.
        public var name: String? {
            allow != nil ? "ALLOW" : block != nil ? "BLOCK" : count != nil ? "COUNT" : none != nil ? "NONE" : nil
        }

        enum CodingKeys: String, CodingKey { case allow = "Allow", block = "Block", count = "Count", none = "None" }
    }

    /// `VisibilityConfig`: metrics and sampled requests.
    public struct VisibilityConfig: Sendable, Equatable, Codable {
        /// Keep a sample of matching requests.
        public var sampledRequestsEnabled: Bool
        /// Publish CloudWatch metrics.
        public var cloudWatchMetricsEnabled: Bool
        /// The metric's name: 1–255 letters, digits, `-` and `_`.
        public var metricName: String

        /// Creates a configuration.
        public init(sampledRequestsEnabled: Bool, cloudWatchMetricsEnabled: Bool, metricName: String) {
            self.sampledRequestsEnabled = sampledRequestsEnabled
            self.cloudWatchMetricsEnabled = cloudWatchMetricsEnabled
            self.metricName = metricName
        }

        enum CodingKeys: String, CodingKey {
            case sampledRequestsEnabled = "SampledRequestsEnabled", cloudWatchMetricsEnabled = "CloudWatchMetricsEnabled", metricName = "MetricName"
        }
    }

    /// `RuleActionOverride`: a rule of a managed group whose action is replaced.
    public struct RuleActionOverride: Sendable, Equatable, Codable {
        /// The group's rule.
        public var name: String
        /// The action used instead.
        public var actionToUse: Action

        /// Creates an override.
        public init(name: String, actionToUse: Action) {
            self.name = name
            self.actionToUse = actionToUse
        }

        enum CodingKeys: String, CodingKey { case name = "Name", actionToUse = "ActionToUse" }
    }

    /// `ManagedRuleGroupStatement`.
    public struct ManagedRuleGroupStatement: Sendable, Equatable, Codable {
        /// `AWS` for AWS managed rules.
        public var vendorName: String
        /// The group (`AWSManagedRulesCommonRuleSet`).
        public var name: String
        /// Rules whose action is replaced.
        public var ruleActionOverrides: [RuleActionOverride]?

        /// Creates a statement.
        public init(vendorName: String, name: String, ruleActionOverrides: [RuleActionOverride]?) {
            self.vendorName = vendorName
            self.name = name
            self.ruleActionOverrides = ruleActionOverrides
        }

        enum CodingKeys: String, CodingKey { case vendorName = "VendorName", name = "Name", ruleActionOverrides = "RuleActionOverrides" }
    }

    /// `RateBasedStatement`: requests per evaluation window from one IP.
    public struct RateBasedStatement: Sendable, Equatable, Codable {
        /// Requests allowed per window (10–2,000,000,000).
        public var limit: Int
        /// `IP` (the only key imgstack sets).
        public var aggregateKeyType: String
        /// Seconds per window: 60, 120, 300 or 600 (WAF's default 300).
        public var evaluationWindowSec: Int?

        /// Creates a statement.
        public init(limit: Int, aggregateKeyType: String, evaluationWindowSec: Int?) {
            self.limit = limit
            self.aggregateKeyType = aggregateKeyType
            self.evaluationWindowSec = evaluationWindowSec
        }

        enum CodingKeys: String, CodingKey { case limit = "Limit", aggregateKeyType = "AggregateKeyType", evaluationWindowSec = "EvaluationWindowSec" }
    }

    /// `Statement`, as far as imgstack writes one: one of its members is set.
    public struct Statement: Sendable, Equatable, Codable {
        /// A managed rule group.
        public var managedRuleGroupStatement: ManagedRuleGroupStatement?
        /// A rate limit.
        public var rateBasedStatement: RateBasedStatement?

        /// Creates a statement.
        public init(managedRuleGroupStatement: ManagedRuleGroupStatement? = nil, rateBasedStatement: RateBasedStatement? = nil) {
            self.managedRuleGroupStatement = managedRuleGroupStatement
            self.rateBasedStatement = rateBasedStatement
        }

        enum CodingKeys: String, CodingKey { case managedRuleGroupStatement = "ManagedRuleGroupStatement", rateBasedStatement = "RateBasedStatement" }
    }

    /// `Rule`.
    public struct Rule: Sendable, Equatable, Codable {
        /// Unique in the web ACL.
        public var name: String
        /// Evaluation order, lowest first; unique in the web ACL.
        public var priority: Int
        /// What the rule matches.
        public var statement: Statement
        /// What a matching request gets (rules with their own statement).
        public var action: Action?
        /// `NONE` or `COUNT` (rule group rules).
        public var overrideAction: Action?
        /// Metrics and samples of the rule.
        public var visibilityConfig: VisibilityConfig
        /// Read only: what WAF holds for the rule that imgstack cannot write, as member paths
        /// (`RuleLabels`, `Statement/ManagedRuleGroupStatement/ScopeDownStatement`,
        /// `Action/Block/CustomResponse`); never sent.
        public var unmodeled: [String] = []

        /// Creates a rule.
        public init(name: String, priority: Int, statement: Statement, action: Action?, overrideAction: Action?, visibilityConfig: VisibilityConfig) {
            self.name = name
            self.priority = priority
            self.statement = statement
            self.action = action
            self.overrideAction = overrideAction
            self.visibilityConfig = visibilityConfig
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name", priority = "Priority", statement = "Statement", action = "Action", overrideAction = "OverrideAction"
            case visibilityConfig = "VisibilityConfig"
        }
    }

    /// Everything `CreateWebACL` and `UpdateWebACL` set.
    public struct WebACLSettings: Sendable, Equatable {
        /// `ALLOW` or `BLOCK`.
        public var defaultAction: String
        /// Up to 256 characters.
        public var description: String?
        /// The rules.
        public var rules: [Rule]
        /// The web ACL's own metrics.
        public var visibilityConfig: VisibilityConfig

        /// Creates settings.
        public init(defaultAction: String, description: String?, rules: [Rule], visibilityConfig: VisibilityConfig) {
            self.defaultAction = defaultAction
            self.description = description
            self.rules = rules
            self.visibilityConfig = visibilityConfig
        }
    }

    /// A web ACL as `GetWebACL` returns it.
    public struct WebACL: Sendable, Equatable, Decodable {
        /// Its name (unique per scope and region).
        public var name: String
        /// Its id (a UUID).
        public var id: String
        /// Its ARN (CloudFront's `webACLId` for a `CLOUDFRONT` web ACL).
        public var arn: String
        /// What requests no rule matched get.
        public var defaultAction: Action
        /// Its description.
        public var description: String?
        /// Its rules.
        public var rules: [Rule]?
        /// Its metrics.
        public var visibilityConfig: VisibilityConfig
        /// What WAF holds for the web ACL itself that imgstack cannot write, as member paths
        /// (`CustomResponseBodies`, `CaptchaConfig`, `DefaultAction/Block/CustomResponse`).
        public var unmodeled: [String] = []

        enum CodingKeys: String, CodingKey {
            case name = "Name", id = "Id", arn = "ARN", defaultAction = "DefaultAction", description = "Description", rules = "Rules"
            case visibilityConfig = "VisibilityConfig"
        }
    }

    /// A web ACL and the lock token of this version of it.
    public struct Versioned: Sendable, Equatable {
        /// The web ACL.
        public var webACL: WebACL
        /// What the next change must send.
        public var lockToken: String
    }

    /// A tag of a resource of this service.
    public typealias Tag = KeyValueTag

    /// `WebACLSummary`, as `CreateWebACL` and `ListWebACLs` return it.
    public struct Summary: Sendable, Equatable, Decodable {
        /// The name.
        public var name: String?
        /// The id.
        public var id: String?
        /// The ARN.
        public var arn: String?
        /// The current lock token.
        public var lockToken: String?

        enum CodingKeys: String, CodingKey { case name = "Name", id = "Id", arn = "ARN", lockToken = "LockToken" }
    }

    let client: AWSClient
    /// The region every call goes to (`us-east-1` for `CLOUDFRONT` scope).
    public let region: String?

    /// Creates the WAF calls of `client` in `region`.
    public init(client: AWSClient, region: String? = nil) {
        self.client = client
        self.region = region
    }

    func call<I: Encodable, O: Decodable>(_ operation: String, _ input: I, as: O.Type = AWSEmpty.self) async throws -> O {
        try await client.json(.wafv2, operation, input, as: O.self, region: region)
    }
}

extension AWSClient {
    /// The typed WAF calls of this client in `region`.
    public func wafv2(region: String) -> WAFV2 { WAFV2(client: self, region: region) }
}

extension AWSErrorCode {
    /// WAF: the lock token is not the latest: someone changed the resource first.
    public static let wafOptimisticLockException: Self = "WAFOptimisticLockException"
    /// WAF: no such web ACL.
    public static let wafNonexistentItemException: Self = "WAFNonexistentItemException"
    /// WAF: a web ACL by that name exists in the scope.
    public static let wafDuplicateItemException: Self = "WAFDuplicateItemException"
}
