import Foundation

/// Typed calls to Elastic Load Balancing v2 (query protocol, signed as `elasticloadbalancing`,
/// API version 2015-12-01): application load balancers, target groups and listeners, and the
/// tags all three carry. Member names follow botocore's `elbv2` model.
public struct ELBV2: Sendable {
    let client: AWSClient
    /// The region every call goes to; nil for the client's configured region.
    public let region: String?

    /// Creates the Elastic Load Balancing v2 calls of `client` in `region`.
    public init(client: AWSClient, region: String? = nil) {
        self.client = client
        self.region = region
    }

    func call(_ operation: String, _ parameters: QueryParameters) async throws -> XMLNode {
        try await client.query(.elbv2, operation, parameters, region: region)
    }

    /// The tags of a load balancer, target group or listener (`DescribeTags`).
    /// - Parameter arn: the resource's ARN.
    /// - Returns: the tags, keyed by tag key.
    /// - Throws: `AWSError` (`LoadBalancerNotFound`, `TargetGroupNotFound`, `ListenerNotFound`), `AWSClientError`.
    public func tags(_ arn: String) async throws -> [String: String] {
        var parameters = QueryParameters()
        parameters.addList("ResourceArns", [arn])
        let result = try await call("DescribeTags", parameters)
        let description = result.list("TagDescriptions").first { $0.string("ResourceArn") == arn }
        return Dictionary((description?.list("Tags") ?? []).map { ($0.string("Key") ?? "", $0.string("Value") ?? "") },
                          uniquingKeysWith: { _, last in last })
    }

    /// Adds or overwrites tags (`AddTags`); does nothing for no tags (the model needs at least one).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func addTags(_ arn: String, tags: [String: String]) async throws {
        guard !tags.isEmpty else { return }
        var parameters = QueryParameters()
        parameters.addList("ResourceArns", [arn])
        parameters.addList("Tags", structures: Self.tagStructures(tags))
        _ = try await call("AddTags", parameters)
    }

    /// Removes tags by key (`RemoveTags`); does nothing for no keys.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func removeTags(_ arn: String, keys: [String]) async throws {
        guard !keys.isEmpty else { return }
        var parameters = QueryParameters()
        parameters.addList("ResourceArns", [arn])
        parameters.addList("TagKeys", keys.sorted())
        _ = try await call("RemoveTags", parameters)
    }

    /// Sets a resource's tags to exactly `wanted`, given the ones it had.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func replaceTags(_ arn: String, had: [String: String], wanted: [String: String]) async throws {
        try await removeTags(arn, keys: Set(had.keys).subtracting(wanted.keys).sorted())
        try await addTags(arn, tags: wanted)
    }

    static func tagStructures(_ tags: [String: String]) -> [[String: String]] {
        tags.sorted { $0.key < $1.key }.map { ["Key": $0.key, "Value": $0.value] }
    }

    static func int(_ node: XMLNode, _ path: String) -> Int? {
        node.string(path).flatMap { Int($0) }
    }
}

extension AWSClient {
    /// The typed Elastic Load Balancing v2 calls of this client, in its configured region.
    public var elbv2: ELBV2 { ELBV2(client: self) }

    /// The typed Elastic Load Balancing v2 calls of this client in `region`.
    public func elbv2(region: String) -> ELBV2 { ELBV2(client: self, region: region) }
}

extension AWSErrorCode {
    /// Elastic Load Balancing v2: no load balancer by that ARN or name.
    public static let loadBalancerNotFound: Self = "LoadBalancerNotFound"
    /// Elastic Load Balancing v2: no target group by that ARN or name.
    public static let targetGroupNotFound: Self = "TargetGroupNotFound"
    /// Elastic Load Balancing v2: no listener by that ARN.
    public static let listenerNotFound: Self = "ListenerNotFound"
}
