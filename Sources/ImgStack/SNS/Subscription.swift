import AWS
import Engine
import Foundation

extension SNS {
    /// A subscription of an endpoint to a topic (`aws_sns_topic_subscription`). Every property
    /// forces a new subscription.
    ///
    /// ```swift
    /// stack.add(SNS.Subscription("oncall", topicARN: alerts.arn, protocol: "email", endpoint: "oncall@example.com"))
    /// ```
    ///
    /// An `email`, `email-json`, `http` or `https` subscription stays pending until the
    /// recipient confirms it. AWS cannot delete a pending one: it expires after three days.
    public struct Subscription: Resource {
        /// Kept as the Terraform-like name state files already hold (the derived name would be
        /// `sns.subscription`).
        public static let typeName = "sns.topic_subscription"
        public static let terraformType = "aws_sns_topic_subscription"

        public var name: String
        /// The topic's ARN.
        public var topicARN: Text
        /// `email`, `email-json`, `http`, `https`, `sms`, `sqs`, `lambda`, `firehose` or `application`.
        public var `protocol`: String
        /// The address, number, URL or ARN the protocol delivers to.
        public var endpoint: Text
        /// The topic's region when it is not the stack's.
        public var region: String?
        public var dependsOn: [Address] = []

        /// Declares a subscription.
        public init(_ name: String, topicARN: Text, protocol: String, endpoint: Text, region: String? = nil) {
            self.name = name
            self.region = region
            self.topicARN = topicARN
            self.protocol = `protocol`
            self.endpoint = endpoint
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.topicARN, topicARN)
            list.set(property.protocol, `protocol`)
            list.set(property.endpoint, endpoint)
            return list.values
        }

        /// The subscription ARN.
        public var arn: Text { attribute("arn") }

        public static func makeType() -> any ResourceType { SubscriptionType() }
    }
}

extension SNS.Subscription {
    /// A subscription's properties, each declared once; every one forces a new subscription.
    struct Properties: PropertySet {
        let topicARN = Property<String>("topicARN", forcesReplacement: true)
        let `protocol` = Property<String>("protocol", forcesReplacement: true)
        let endpoint = Property<String>("endpoint", forcesReplacement: true)
    }

    static let property = Properties()
}

/// Subscribes and unsubscribes endpoints. The id is the subscription ARN.
struct SubscriptionType: ResourceType {
    static let schema = ResourceSchema(SNS.Subscription.self, SNS.Subscription.Properties.self, attributes: [AttributeSchema("arn")])

    var schema: ResourceSchema { Self.schema }
    private var property: SNS.Subscription.Properties { SNS.Subscription.property }

    static let protocols = ["email", "email-json", "http", "https", "sms", "sqs", "lambda", "firehose", "application"]
    /// Protocols whose subscriptions wait for the recipient to confirm.
    static let confirmed = ["email", "email-json", "http", "https"]

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        guard let kind = properties.literal(property.protocol) else { return [] }
        var issues: [ValidationIssue] = []
        if !Self.protocols.contains(kind) {
            issues.append(ValidationIssue(address, property.protocol, "must be one of \(Self.protocols.joined(separator: ", ")), not \"\(kind)\""))
        }
        if let endpoint = properties.literal(property.endpoint) {
            let problem: String?
            switch kind {
            case "email", "email-json": problem = endpoint.contains("@") ? nil : "\"\(endpoint)\" is not an email address"
            case "http": problem = endpoint.hasPrefix("http://") ? nil : "an http endpoint is a URL starting with http://"
            case "https": problem = endpoint.hasPrefix("https://") ? nil : "an https endpoint is a URL starting with https://"
            case "sqs", "lambda", "firehose", "application": problem = endpoint.hasPrefix("arn:") ? nil : "a \(kind) endpoint is an ARN"
            default: problem = nil
            }
            if let problem { issues.append(ValidationIssue(address, property.endpoint, problem)) }
        }
        return issues
    }

    func deletionNote(_ properties: [String: Value]) -> String? {
        guard let kind = properties[property.protocol], Self.confirmed.contains(kind) else { return nil }
        return "if the \(kind) subscription was never confirmed, AWS cannot delete it: it expires three days after it was made"
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let sns = try context.sns
        let topic = properties[property.topicARN] ?? ""
        let kind = properties[property.protocol] ?? ""
        let endpoint = properties[property.endpoint] ?? ""
        var arn = try await sns.subscribe(topicARN: topic, protocol: kind, endpoint: endpoint)
        // Without ReturnSubscriptionArn AWS answers "pending confirmation", which is no ARN;
        // some endpoints still do: find the subscription by its endpoint instead.
        if !arn.hasPrefix("arn:") {
            guard let found = try await lookUp(topic: topic, protocol: kind, endpoint: endpoint, sns: sns) else {
                throw AWSClientError(.invalidResponse, "SNS answered \"\(arn)\" for the \(kind) subscription of \(endpoint) and lists no ARN for it")
            }
            arn = found
        }
        return ResourceSnapshot(id: arn, properties: properties, attributes: ["arn": .string(arn)])
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, declared: Set(recorded.properties.keys), sns: try context.sns)
    }

    private func read(_ arn: String, declared: Set<String>, sns: AWS.SNS) async throws -> ResourceSnapshot? {
        guard arn.hasPrefix("arn:"), let attributes = try await sns.subscriptionAttributes(arn) else { return nil }
        var properties: [String: Value] = [:]
        properties[property.topicARN] = attributes["TopicArn"] ?? ""
        properties[property.protocol] = attributes["Protocol"] ?? ""
        properties[property.endpoint] = attributes["Endpoint"] ?? ""
        return ResourceSnapshot(id: arn, properties: properties.filter { declared.contains($0.key) }, attributes: ["arn": .string(arn)])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        // Every property forces replacement, so the planner never updates a subscription in place.
        ResourceSnapshot(id: current.id, properties: desired, attributes: current.attributes)
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let sns = try context.sns
        _ = try await nilWhenMissing(.notFound) { try await sns.unsubscribe(current.id) }
    }

    /// A subscription is imported by its ARN: its topic's ARN and the subscription's UUID.
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: ImportIDForm.arn("sns", resource: #"[A-Za-z0-9_-]{1,256}(\.fifo)?:"# + ImportIDForm.uuid),
                             expected: "an SNS subscription is imported by its ARN (arn:aws:sns:REGION:ACCOUNT:TOPIC:UUID)")
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, declared: SNS.Subscription.Properties.names, sns: try context.sns)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let topic = properties[property.topicARN], let kind = properties[property.protocol],
              let endpoint = properties[property.endpoint] else { return nil }
        let sns = try context.sns
        // A missing topic (NotFound) is gone, and its subscriptions with it.
        guard let found = try await nilWhenMissing(.notFound, call: {
            try await lookUp(topic: topic, protocol: kind, endpoint: endpoint, sns: sns)
        }), let arn = found else { return nil }
        return try await read(arn, declared: Set(properties.keys), sns: sns)
    }

    /// The ARN of the topic's subscription of `endpoint`, nil when there is none with an ARN.
    private func lookUp(topic: String, protocol kind: String, endpoint: String, sns: AWS.SNS) async throws -> String? {
        try await sns.subscriptions(topicARN: topic)
            .first { $0.protocol == kind && $0.endpoint == endpoint && $0.arn.hasPrefix("arn:") }?.arn
    }
}

extension SubscriptionType: AccessDeclaring {
    /// SNS actions per the Service Authorization Reference (Amazon SNS): `Unsubscribe` and
    /// `GetSubscriptionAttributes` take no resource.
    static let access: ResourceAccess = {
        let topic = ARNPattern.arn("arn:{partition}:sns:{region}:{account}:*")
        return ResourceAccess([
            IAMCall(.sns, "Subscribe", in: [.create], on: [topic]),
            IAMCall(.sns, "ListSubscriptionsByTopic", in: .readingBack, on: [topic]),
            IAMCall(.sns, "GetSubscriptionAttributes", in: .readingBack,
                    on: [.anyResource(reason: "sns:GetSubscriptionAttributes takes no resource")]),
            IAMCall(.sns, "Unsubscribe", in: [.delete], on: [.anyResource(reason: "sns:Unsubscribe takes no resource")]),
        ])
    }()
}
