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
        public static let typeName = "sns.topic_subscription"

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
            var list = PropertyList()
            list.set("topicARN", topicARN)
            list.set("protocol", `protocol`)
            list.set("endpoint", endpoint)
            return list.values
        }

        /// The subscription ARN.
        public var arn: Text { attribute("arn") }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { SubscriptionType(aws: aws) }
    }
}

/// Subscribes and unsubscribes endpoints. The id is the subscription ARN.
struct SubscriptionType: ResourceType {
    let aws: AWSClient

    static let protocols = ["email", "email-json", "http", "https", "sms", "sqs", "lambda", "firehose", "application"]
    /// Protocols whose subscriptions wait for the recipient to confirm.
    static let confirmed = ["email", "email-json", "http", "https"]

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: SNS.Subscription.typeName, terraformType: "aws_sns_topic_subscription",
            properties: [
                PropertySchema("topicARN", forcesReplacement: true),
                PropertySchema("protocol", forcesReplacement: true),
                PropertySchema("endpoint", forcesReplacement: true),
            ],
            attributes: [AttributeSchema("arn")])
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        guard let kind = properties["protocol"]?.literal?.stringValue else { return [] }
        var issues: [ValidationIssue] = []
        if !Self.protocols.contains(kind) {
            issues.append(ValidationIssue(subject: address.description, property: "protocol",
                                          message: "must be one of \(Self.protocols.joined(separator: ", ")), not \"\(kind)\""))
        }
        if let endpoint = properties["endpoint"]?.literal?.stringValue {
            let problem: String?
            switch kind {
            case "email", "email-json": problem = endpoint.contains("@") ? nil : "\"\(endpoint)\" is not an email address"
            case "http": problem = endpoint.hasPrefix("http://") ? nil : "an http endpoint is a URL starting with http://"
            case "https": problem = endpoint.hasPrefix("https://") ? nil : "an https endpoint is a URL starting with https://"
            case "sqs", "lambda", "firehose", "application": problem = endpoint.hasPrefix("arn:") ? nil : "a \(kind) endpoint is an ARN"
            default: problem = nil
            }
            if let problem { issues.append(ValidationIssue(subject: address.description, property: "endpoint", message: problem)) }
        }
        return issues
    }

    func deletionNote(_ properties: [String: Value]) -> String? {
        guard let kind = properties["protocol"]?.stringValue, Self.confirmed.contains(kind) else { return nil }
        return "if the \(kind) subscription was never confirmed, AWS cannot delete it: it expires three days after it was made"
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let topic = properties["topicARN"]?.stringValue ?? ""
        let kind = properties["protocol"]?.stringValue ?? ""
        let endpoint = properties["endpoint"]?.stringValue ?? ""
        var arn = try await aws.sns.subscribe(topicARN: topic, protocol: kind, endpoint: endpoint, region: context.region)
        // Without ReturnSubscriptionArn AWS answers "pending confirmation", which is no ARN;
        // some endpoints still do: find the subscription by its endpoint instead.
        if !arn.hasPrefix("arn:") {
            guard let found = try await lookUp(topic: topic, protocol: kind, endpoint: endpoint, context: context) else {
                throw AWSClientError(.invalidResponse, "SNS answered \"\(arn)\" for the \(kind) subscription of \(endpoint) and lists no ARN for it")
            }
            arn = found
        }
        return ResourceSnapshot(id: arn, properties: properties, attributes: ["arn": .string(arn)])
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, declared: Set(recorded.properties.keys), context: context)
    }

    private func read(_ arn: String, declared: Set<String>, context: OperationContext) async throws -> ResourceSnapshot? {
        guard arn.hasPrefix("arn:"), let attributes = try await aws.sns.subscriptionAttributes(arn, region: context.region) else { return nil }
        let properties: [String: Value] = [
            "topicARN": .string(attributes["TopicArn"] ?? ""), "protocol": .string(attributes["Protocol"] ?? ""),
            "endpoint": .string(attributes["Endpoint"] ?? ""),
        ]
        return ResourceSnapshot(id: arn, properties: properties.filter { declared.contains($0.key) }, attributes: ["arn": .string(arn)])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        // Every property forces replacement, so the planner never updates a subscription in place.
        ResourceSnapshot(id: current.id, properties: desired, attributes: current.attributes)
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        do {
            try await aws.sns.unsubscribe(current.id, region: context.region)
        } catch let error as AWSError where error.code == "NotFound" {
            return
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, declared: ["topicARN", "protocol", "endpoint"], context: context)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let topic = properties["topicARN"]?.stringValue, let kind = properties["protocol"]?.stringValue,
              let endpoint = properties["endpoint"]?.stringValue else { return nil }
        let found: String?
        do {
            found = try await lookUp(topic: topic, protocol: kind, endpoint: endpoint, context: context)
        } catch let error as AWSError where error.code == "NotFound" {
            return nil  // the topic is gone, and its subscriptions with it
        }
        guard let found else { return nil }
        return try await read(found, declared: Set(properties.keys), context: context)
    }

    /// The ARN of the topic's subscription of `endpoint`, nil when there is none with an ARN.
    private func lookUp(topic: String, protocol kind: String, endpoint: String, context: OperationContext) async throws -> String? {
        try await aws.sns.subscriptions(topicARN: topic, region: context.region)
            .first { $0.protocol == kind && $0.endpoint == endpoint && $0.arn.hasPrefix("arn:") }?.arn
    }
}
