import Foundation

/// Typed calls to Amazon SNS topics and subscriptions (query protocol, API version 2010-03-31).
public struct SNS: Sendable {
    /// A subscription as `ListSubscriptionsByTopic` shows it.
    public struct Subscription: Sendable, Equatable {
        /// The subscription ARN, or `PendingConfirmation` while an email or HTTP endpoint has
        /// not confirmed it (AWS lists no ARN then).
        public var arn: String
        /// The topic ARN.
        public var topicARN: String
        /// `email`, `sqs`, `lambda`, `https`, …
        public var `protocol`: String
        /// The address, queue ARN, function ARN or URL.
        public var endpoint: String
    }

    let client: AWSClient
    /// The region every call goes to; nil for the client's configured region.
    public let region: String?

    /// Creates the SNS calls of `client` in `region`.
    public init(client: AWSClient, region: String? = nil) {
        self.client = client
        self.region = region
    }

    // MARK: - Topics

    /// Creates a topic, or returns the existing one's ARN when the name and attributes match
    /// (`CreateTopic` is idempotent).
    /// - Parameters:
    ///   - name: 1–256 characters: letters, digits, `-`, `_` (FIFO topics end in `.fifo`).
    ///   - attributes: e.g. `DisplayName`, `KmsMasterKeyId`.
    ///   - tags: tags.
    /// - Returns: the topic ARN.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func createTopic(_ name: String, attributes: [String: String], tags: [String: String]) async throws -> String {
        var parameters: QueryParameters = ["Name": name]
        parameters.addMap("Attributes", attributes)
        if !tags.isEmpty { parameters.addList("Tags", structures: Self.tagStructures(tags)) }
        let result = try await client.query(.sns, "CreateTopic", parameters, region: region)
        guard let arn = result.string("TopicArn") else {
            throw AWSClientError(.invalidResponse, "CreateTopic answered no TopicArn")
        }
        return arn
    }

    /// A topic's attributes (`GetTopicAttributes`).
    /// - Returns: the attributes, nil when there is no such topic (`NotFound`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func topicAttributes(_ arn: String) async throws -> [String: String]? {
        try await nilWhenMissing(.notFound) {
            Self.entries(try await client.query(.sns, "GetTopicAttributes", ["TopicArn": arn], region: region))
        }
    }

    /// Sets one topic attribute (`SetTopicAttributes`); an empty value removes it.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func setTopicAttribute(_ arn: String, name: String, value: String) async throws {
        _ = try await client.query(.sns, "SetTopicAttributes", ["TopicArn": arn, "AttributeName": name, "AttributeValue": value], region: region)
    }

    /// Deletes a topic and its subscriptions (`DeleteTopic`; AWS succeeds for a topic already gone).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func deleteTopic(_ arn: String) async throws {
        _ = try await client.query(.sns, "DeleteTopic", ["TopicArn": arn], region: region)
    }

    // MARK: - Tags

    /// The tags of a topic (`ListTagsForResource`).
    /// - Throws: `AWSError` (`ResourceNotFound`), `AWSClientError`.
    public func tags(_ arn: String) async throws -> [String: String] {
        let result = try await client.query(.sns, "ListTagsForResource", ["ResourceArn": arn], region: region)
        return Dictionary(result.list("Tags").map { ($0.string("Key") ?? "", $0.string("Value") ?? "") }, uniquingKeysWith: { _, last in last })
    }

    /// Adds or overwrites tags (`TagResource`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func tagResource(_ arn: String, tags: [String: String]) async throws {
        var parameters: QueryParameters = ["ResourceArn": arn]
        parameters.addList("Tags", structures: Self.tagStructures(tags))
        _ = try await client.query(.sns, "TagResource", parameters, region: region)
    }

    /// Removes tags by key (`UntagResource`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func untagResource(_ arn: String, keys: [String]) async throws {
        var parameters: QueryParameters = ["ResourceArn": arn]
        parameters.addList("TagKeys", keys.sorted())
        _ = try await client.query(.sns, "UntagResource", parameters, region: region)
    }

    // MARK: - Subscriptions

    /// Subscribes an endpoint to a topic (`Subscribe` with `ReturnSubscriptionArn`, so a
    /// subscription pending confirmation still comes back with its ARN).
    /// - Returns: what AWS answered as `SubscriptionArn`.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func subscribe(topicARN: String, protocol: String, endpoint: String) async throws -> String {
        let parameters: QueryParameters = ["TopicArn": topicARN, "Protocol": `protocol`, "Endpoint": endpoint, "ReturnSubscriptionArn": "true"]
        let result = try await client.query(.sns, "Subscribe", parameters, region: region)
        return result.string("SubscriptionArn") ?? ""
    }

    /// A subscription's attributes (`GetSubscriptionAttributes`): `TopicArn`, `Protocol`,
    /// `Endpoint`, `PendingConfirmation`, ….
    /// - Returns: nil when there is no such subscription (`NotFound`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func subscriptionAttributes(_ arn: String) async throws -> [String: String]? {
        try await nilWhenMissing(.notFound) {
            Self.entries(try await client.query(.sns, "GetSubscriptionAttributes", ["SubscriptionArn": arn], region: region))
        }
    }

    /// The subscriptions of a topic, following `NextToken` pages (`ListSubscriptionsByTopic`).
    /// - Throws: `AWSError` (`NotFound` for a missing topic), `AWSClientError`.
    public func subscriptions(topicARN: String) async throws -> [Subscription] {
        try await Paginator.collect({ token in
            var parameters: QueryParameters = ["TopicArn": topicARN]
            parameters["NextToken"] = token
            return try await client.query(.sns, "ListSubscriptionsByTopic", parameters, region: region)
        }, items: { result in
            result.list("Subscriptions").map {
                Subscription(arn: $0.string("SubscriptionArn") ?? "", topicARN: $0.string("TopicArn") ?? "",
                             protocol: $0.string("Protocol") ?? "", endpoint: $0.string("Endpoint") ?? "")
            }
        }, next: { $0.string("NextToken") })
    }

    /// Deletes a subscription (`Unsubscribe`).
    /// - Throws: `AWSError` (`NotFound` when already gone), `AWSClientError`.
    public func unsubscribe(_ arn: String) async throws {
        _ = try await client.query(.sns, "Unsubscribe", ["SubscriptionArn": arn], region: region)
    }

    static func tagStructures(_ tags: [String: String]) -> [[String: String]] {
        tags.sorted { $0.key < $1.key }.map { ["Key": $0.key, "Value": $0.value] }
    }

    /// The `<Attributes><entry><key>…<value>…` map of an answer.
    static func entries(_ result: XMLNode) -> [String: String] {
        Dictionary(result.list("Attributes").map { ($0.string("key") ?? "", $0.string("value") ?? "") }, uniquingKeysWith: { _, last in last })
    }
}

extension AWSClient {
    /// The typed SNS calls of this client, in its configured region.
    public var sns: SNS { SNS(client: self) }

    /// The typed SNS calls of this client in `region`.
    public func sns(region: String) -> SNS { SNS(client: self, region: region) }
}
