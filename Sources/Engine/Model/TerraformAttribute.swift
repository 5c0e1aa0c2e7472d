/// Where one property of an imgstack resource type lands in the Terraform AWS provider's schema,
/// declared with the property (``Property``'s `terraform:`), so Terraform-format plans
/// (`plan --json`, `show --json`) cannot fall behind the type.
///
/// A property lands on an attribute of the type's own Terraform resource (`aws_s3_bucket.tags`),
/// on a companion resource the provider splits it into (`aws_s3_bucket_versioning`, linked to the
/// main resource by its `bucket`), or nowhere (a setting of imgstack's own). The attribute names
/// and nested block shapes follow the provider's documented schema
/// (registry.terraform.io/providers/hashicorp/aws, "Argument Reference").
///
/// A string literal names an attribute of the type's own resource: `terraform: "cors_rule"`.
public struct TerraformAttribute: Sendable, ExpressibleByStringLiteral {
    /// How the value is written.
    public enum Shape: Sendable {
        /// As imgstack holds it (strings, numbers, lists of strings, tag maps).
        case value
        /// A JSON document written as a JSON string, as the provider takes policies.
        case json
        /// Nested blocks: a map becomes a one-item list (Terraform writes every block as a list),
        /// a list of maps a list of blocks, each key in snake case unless `renamed` names it
        /// (`["id": "origin_id"]`, at any depth). Every key is taken for a property name: a map
        /// keyed by user data or AWS names (a managed rule group's rule names, environment
        /// variables) is not a block, and is written by a ``converted(_:)`` or ``assembled(_:)``
        /// shape that keeps its keys as written.
        case blocks(renamed: [String: String])
        /// A conversion of the type's own (`"Enabled"` for `true`). It must keep `.unknown`
        /// where the value holds it.
        case converted(@Sendable (Value) -> Value)
        /// Built from the resource's values (properties by state name), not this property's
        /// alone: one provider block holding several of the type's settings
        /// (`access_log_settings { destination_arn, format }`); the others are declared
        /// `.none`, naming the block. It must keep `.unknown` where a value it uses holds it.
        case assembled(@Sendable (_ values: [String: Value]) -> Value)
    }

    /// Which Terraform resource carries the value.
    public enum Target: Sendable {
        /// The type's own resource (`ResourceSchema.terraformType`).
        case own
        /// Resources of their own in the provider (`aws_s3_bucket_versioning`), each with
        /// attribute `link.attribute` holding the main resource's `link.source` (`bucket` = its
        /// `id`). `instances` gives each companion's other attributes from the property's value,
        /// keyed by its index (nil for a single resource, a key for one of several, as
        /// Terraform's `for_each` writes `aws_iam_role_policy.app["read"]`); none when the value
        /// means "no such resource" (versioning never enabled).
        /// `values` are the resource's values by state name, for a companion holding several of
        /// the type's settings (``TerraformAttribute/companion(_:link:assembled:)``).
        case companion(type: String, link: TerraformLink, instances: @Sendable (_ value: Value, _ values: [String: Value]) -> [String?: [String: Value]])
        /// The type's own resource, once per key of this property's value, as Terraform's
        /// `for_each` writes it (`aws_s3_object.site["index.html"]`): `instances` gives each
        /// instance's attributes of its own (its `key`, its `source_hash`), added to the
        /// resource's other attributes; `id`, when given, applies only once the resource exists (its
        /// `id` is known).
        /// The resource is never written without an index.
        case forEach(instances: @Sendable (Value) -> [String: [String: Value]])
        /// No attribute in the provider: a setting of imgstack's own, with why.
        case none(reason: String)
    }

    /// The attribute's name; nil for the property's name in snake case.
    public var name: String?
    /// How the value is written; nil until ``Property`` resolves it from the Swift type.
    public var shape: Shape?
    /// Which resource carries it.
    public var target: Target
    /// Further attributes of the type's own resource holding the same value (a user pool
    /// client's one token validity is the provider's `access_token_validity` and
    /// `id_token_validity`).
    public var alsoWrittenAs: [String]

    /// An attribute of the type's own resource, and the attributes `alsoWrittenAs` holding the same value.
    public init(_ name: String? = nil, _ shape: Shape? = nil, alsoWrittenAs: [String] = []) {
        self.name = name
        self.shape = shape
        self.target = .own
        self.alsoWrittenAs = alsoWrittenAs
    }

    public init(stringLiteral name: String) {
        self.init(name)
    }

    /// Nested blocks named `name` (nil: the property's name in snake case).
    public static func blocks(_ name: String? = nil, renamed: [String: String] = [:]) -> TerraformAttribute {
        TerraformAttribute(name, .blocks(renamed: renamed))
    }

    /// A JSON document written as a string, under `name` (nil: the property's name in snake case).
    public static func json(_ name: String? = nil) -> TerraformAttribute {
        TerraformAttribute(name, .json)
    }

    /// One companion resource of the provider's (see ``Target/companion(type:link:instances:)``),
    /// none when `attributes` answers nil.
    public static func companion(_ type: String, link: TerraformLink,
                                 attributes: @escaping @Sendable (Value) -> [String: Value]?) -> TerraformAttribute {
        companions(type, link: link) { value in attributes(value).map { [nil: $0] } ?? [:] }
    }

    /// Companion resources of the provider's, one per key (see ``Target/companion(type:link:instances:)``).
    public static func companions(_ type: String, link: TerraformLink,
                                  instances: @escaping @Sendable (Value) -> [String?: [String: Value]]) -> TerraformAttribute {
        var attribute = TerraformAttribute(nil, .value)
        attribute.target = .companion(type: type, link: link) { value, _ in instances(value) }
        return attribute
    }

    /// One companion resource holding several of the type's settings, built from the resource's
    /// values by state name (`aws_api_gateway_method_settings` holds a stage's burst and rate
    /// limits); none when `attributes` answers nil. The other settings it holds are declared
    /// `.none`, naming it. It must keep `.unknown` where a value it uses holds it.
    public static func companion(_ type: String, link: TerraformLink,
                                 assembled attributes: @escaping @Sendable (_ values: [String: Value]) -> [String: Value]?) -> TerraformAttribute {
        var attribute = TerraformAttribute(nil, .value)
        attribute.target = .companion(type: type, link: link) { _, values in attributes(values).map { [nil: $0] } ?? [:] }
        return attribute
    }

    /// One nested block `name { field = value, … }` holding several of the type's settings
    /// (`health_check { path, interval, … }`): each field the value of the property `fields`
    /// pairs it with, left out when that has none; `constants` beside them (`type = "forward"`).
    /// There is no block (`[]`) when none of the fields `presentWith` names has a value other
    /// than null or `""` (no `access_log_settings` without a destination). The other properties
    /// it holds are declared `.none("written in <name>")`; unknown values are kept. `fields` is
    /// read when a plan is written, not when the properties are declared (it names them).
    public static func block(_ name: String, constants: [String: Value] = [:], presentWith: Set<String> = [],
                             _ fields: @escaping @Sendable () -> KeyValuePairs<String, any PropertyDeclaration>) -> TerraformAttribute {
        TerraformAttribute(name, .assembled { values in
            var block = constants
            for (field, property) in fields() {
                if let value = values[property.schema.name], value != .null { block[field] = value }
            }
            guard presentWith.isEmpty || presentWith.contains(where: { block[$0].map { $0 != "" } ?? false }) else { return .list([]) }
            return .list([.map(block)])
        })
    }

    /// The type's own resource once per key (see ``Target/forEach(instances:)``).
    public static func forEach(instances: @escaping @Sendable (Value) -> [String: [String: Value]]) -> TerraformAttribute {
        var attribute = TerraformAttribute(nil, .value)
        attribute.target = .forEach(instances: instances)
        return attribute
    }

    /// A setting the provider has no attribute for.
    public static func none(_ reason: String) -> TerraformAttribute {
        var attribute = TerraformAttribute(nil, .value)
        attribute.target = .none(reason: reason)
        return attribute
    }
}

/// How a companion resource names the resource it belongs to: its attribute `attribute` holds
/// the main resource's `source` (`aws_s3_bucket_versioning.bucket` = `aws_s3_bucket.<name>.id`).
public struct TerraformLink: Sendable, Hashable {
    /// The companion's attribute (`bucket`, `role`).
    public var attribute: String
    /// The main resource's attribute it holds (`id`, `name`).
    public var source: String

    /// A link from `attribute` to the main resource's `source`.
    public init(_ attribute: String, to source: String) {
        self.attribute = attribute
        self.source = source
    }
}

extension TerraformAttribute.Shape {
    /// `value` in this shape; unknown stays unknown.
    /// - Parameter values: the resource's values by state name, for an ``assembled(_:)`` shape.
    public func apply(_ value: Value, in values: [String: Value] = [:]) -> Value {
        switch self {
        case .value: return value
        // A document with an unknown part is unknown as a whole, as `jsonencode` of it is in Terraform.
        case .json: return value.containsUnknown ? .unknown : value.isNull ? value : .string(value.canonicalJSON)
        case .blocks(let renamed): return Self.block(value, renamed: renamed, nested: false)
        case .converted(let convert): return value == .unknown ? .unknown : convert(value)
        case .assembled(let build): return build(values)
        }
    }

    private static func block(_ value: Value, renamed: [String: String], nested: Bool) -> Value {
        switch value {
        case .map(let entries):
            var fields: [String: Value] = [:]
            for (key, field) in entries { fields[renamed[key] ?? key.snakeCased] = block(field, renamed: renamed, nested: true) }
            return .list([.map(fields)])
        case .list(let items):
            // A list of blocks stays a list; each block is one map, not a one-item list.
            return .list(items.map { item in
                if case .list(let wrapped) = block(item, renamed: renamed, nested: true), item.mapValue != nil { return wrapped[0] }
                return block(item, renamed: renamed, nested: true)
            })
        case .null where !nested: return .list([])
        default: return value
        }
    }
}
