/// A tag as the JSON-protocol services that spell it `{"Key": …, "Value": …}` send and return it:
/// SSM (`Tag`, botocore `ssm`), ECR (`Tag`, botocore `ecr`) and WAFV2 (`Tag`, botocore `wafv2`).
/// KMS spells its members `TagKey`/`TagValue` and keeps its own type.
public struct KeyValueTag: Sendable, Equatable, Codable {
    /// The key.
    public var key: String
    /// The value.
    public var value: String

    /// Creates a tag.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// `tags` as a list in key order, so a request's body does not depend on dictionary order.
    public static func list(_ tags: [String: String]?) -> [KeyValueTag] {
        (tags ?? [:]).sorted { $0.key < $1.key }.map { KeyValueTag(key: $0.key, value: $0.value) }
    }

    enum CodingKeys: String, CodingKey { case key = "Key", value = "Value" }
}
