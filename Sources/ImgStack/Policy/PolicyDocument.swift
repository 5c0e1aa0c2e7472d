import Engine

/// An IAM policy document as typed Swift: identity policies, trust policies, bucket and key
/// policies all use it. References and interpolations may appear wherever a string does.
///
/// ```swift
/// PolicyDocument([
///     Statement(effect: .allow, actions: ["s3:GetObject"], resources: ["\(bucket.arn)/*"],
///               principal: .service("cloudfront.amazonaws.com"),
///               conditions: [.stringEquals("AWS:SourceArn", [distribution.arn])]),
/// ])
/// ```
public struct PolicyDocument: Sendable, ExpressionConvertible {
    /// The policy language version; `2012-10-17` unless a document says otherwise.
    public var version: String
    /// An optional policy id.
    public var id: String?
    /// The statements.
    public var statements: [Statement]
    /// The JSON text of a document written as JSON instead (see `init(json:)`).
    public var json: String?
    /// JSON text holding references, for documents whose keys come from other values (an OIDC
    /// issuer in a condition key); see ``assumableByServiceAccount(_:namespace:oidcProviderARN:issuer:)``.
    var template: Text?

    /// Creates a document.
    public init(version: String = "2012-10-17", id: String? = nil, _ statements: [Statement]) {
        self.version = version
        self.id = id
        self.statements = statements
        self.json = nil
        self.template = nil
    }

    /// A document from JSON text, for policies kept as files or carried over from Terraform.
    /// `imgstack validate` checks it like a typed one (an unknown `Effect` is an error).
    public init(json: String) {
        self.version = ""
        self.id = nil
        self.statements = []
        self.json = json
        self.template = nil
    }

    /// The document as the map its JSON is rendered from.
    public var expression: Expression {
        if let template {
            return template.literal.map { .value((try? Engine.Value(jsonText: $0)) ?? .string($0)) } ?? template.expression
        }
        if let json {
            return .value((try? Engine.Value(jsonText: json)) ?? .string(json))
        }
        var entries: [String: Expression] = ["Version": .value(.string(version)), "Statement": .list(statements.map(\.expression))]
        if let id { entries["Id"] = .value(.string(id)) }
        return Expression.map(entries).literal.map(Expression.value) ?? .map(entries)
    }
}

/// One statement of a policy document.
public struct Statement: Sendable, ExpressionConvertible {
    /// Allow or deny.
    public enum Effect: String, Sendable {
        /// `"Allow"`.
        case allow = "Allow"
        /// `"Deny"`.
        case deny = "Deny"
    }

    /// An optional statement id.
    public var sid: String?
    /// Whether the statement allows or denies.
    public var effect: Effect
    /// The actions (`s3:GetObject`, `kms:*`).
    public var actions: [Text]
    /// Actions the statement applies to all but.
    public var notActions: [Text]
    /// The resource ARNs.
    public var resources: [Text]
    /// Resources the statement applies to all but.
    public var notResources: [Text]
    /// Who the statement is about (resource and trust policies).
    public var principal: Principal?
    /// Who the statement is about all but.
    public var notPrincipal: Principal?
    /// Conditions that must hold.
    public var conditions: [Condition]

    /// Creates a statement.
    public init(sid: String? = nil, effect: Effect, actions: [Text] = [], notActions: [Text] = [],
                resources: [Text] = [], notResources: [Text] = [], principal: Principal? = nil,
                notPrincipal: Principal? = nil, conditions: [Condition] = []) {
        self.sid = sid
        self.effect = effect
        self.actions = actions
        self.notActions = notActions
        self.resources = resources
        self.notResources = notResources
        self.principal = principal
        self.notPrincipal = notPrincipal
        self.conditions = conditions
    }

    public var expression: Expression {
        var entries: [String: Expression] = ["Effect": .value(.string(effect.rawValue))]
        if let sid { entries["Sid"] = .value(.string(sid)) }
        if !actions.isEmpty { entries["Action"] = .list(actions.map(\.expression)) }
        if !notActions.isEmpty { entries["NotAction"] = .list(notActions.map(\.expression)) }
        if !resources.isEmpty { entries["Resource"] = .list(resources.map(\.expression)) }
        if !notResources.isEmpty { entries["NotResource"] = .list(notResources.map(\.expression)) }
        if let principal { entries["Principal"] = principal.expression }
        if let notPrincipal { entries["NotPrincipal"] = notPrincipal.expression }
        if !conditions.isEmpty {
            var byOperator: [String: [String: Expression]] = [:]
            for condition in conditions {
                byOperator[condition.operator, default: [:]][condition.key] = .list(condition.values.map(\.expression))
            }
            entries["Condition"] = .map(byOperator.mapValues { Expression.map($0) })
        }
        return .map(entries)
    }
}

/// The principal of a statement.
public enum Principal: Sendable {
    /// Everyone: `"*"`.
    case anyone
    /// AWS accounts, users or roles by ARN or account id.
    case aws([Text])
    /// AWS services (`cloudfront.amazonaws.com`).
    case service([Text])
    /// Federated identity providers (`cognito-identity.amazonaws.com`, an OIDC provider ARN).
    case federated([Text])

    /// One AWS service.
    public static func service(_ name: Text) -> Principal { .service([name]) }
    /// One AWS account, user or role.
    public static func aws(_ arn: Text) -> Principal { .aws([arn]) }
    /// One federated provider.
    public static func federated(_ provider: Text) -> Principal { .federated([provider]) }

    var expression: Expression {
        switch self {
        case .anyone: return .value("*")
        case .aws(let arns): return .map(["AWS": .list(arns.map(\.expression))])
        case .service(let names): return .map(["Service": .list(names.map(\.expression))])
        case .federated(let providers): return .map(["Federated": .list(providers.map(\.expression))])
        }
    }
}

/// A condition of a statement: an operator, a key and the values it is compared with.
public struct Condition: Sendable {
    /// The operator (`StringEquals`, `IpAddress`, `ForAnyValue:StringLike`…).
    public var `operator`: String
    /// The condition key (`aws:SourceIp`, `AWS:SourceArn`).
    public var key: String
    /// The values.
    public var values: [Text]

    /// Creates a condition with any operator.
    public init(_ operator: String, _ key: String, _ values: [Text]) {
        self.operator = `operator`
        self.key = key
        self.values = values
    }

    /// `StringEquals`.
    public static func stringEquals(_ key: String, _ values: [Text]) -> Condition { Condition("StringEquals", key, values) }
    /// `StringLike`.
    public static func stringLike(_ key: String, _ values: [Text]) -> Condition { Condition("StringLike", key, values) }
    /// `StringNotEquals`.
    public static func stringNotEquals(_ key: String, _ values: [Text]) -> Condition { Condition("StringNotEquals", key, values) }
    /// `ArnEquals`.
    public static func arnEquals(_ key: String, _ values: [Text]) -> Condition { Condition("ArnEquals", key, values) }
    /// `ArnLike`.
    public static func arnLike(_ key: String, _ values: [Text]) -> Condition { Condition("ArnLike", key, values) }
    /// `IpAddress`.
    public static func ipAddress(_ key: String, _ values: [Text]) -> Condition { Condition("IpAddress", key, values) }
    /// `NotIpAddress`.
    public static func notIpAddress(_ key: String, _ values: [Text]) -> Condition { Condition("NotIpAddress", key, values) }
    /// `Bool`.
    public static func bool(_ key: String, _ value: Bool) -> Condition { Condition("Bool", key, [Text(value ? "true" : "false")]) }
    /// `ForAnyValue:StringLike`.
    public static func forAnyValueStringLike(_ key: String, _ values: [Text]) -> Condition { Condition("ForAnyValue:StringLike", key, values) }
}
