/// What the planner needs to know about one property of a resource type.
public struct PropertySchema: Sendable {
    /// The property's name as stored in state and shown in plans (`versioning`, `tags`).
    public var name: String
    /// A change to this property can only be made by replacing the resource.
    public var forcesReplacement: Bool
    /// The value is secret: redacted in plans, outputs and logs.
    public var sensitive: Bool
    /// The value a stack gets when it does not set the property. Nil means "AWS decides":
    /// an unset property with no default is not compared at all.
    public var defaultValue: Value?
    /// A setting of this machine, not of the resource (the local directory a package is made
    /// from): a change of it alone changes nothing in AWS, so the planner does not count it.
    /// What the directory holds is compared through another property (a digest).
    public var local: Bool
    /// A setting of how the resource is deleted, not of the resource itself (a bucket's
    /// `forceDestroy`): a destroy uses the stack's declared value when it differs from the
    /// recorded one, and its plan says so, as the setting cannot have been applied yet.
    public var appliesAtDeletion: Bool
    /// The property holding this one's digest (an object's `md5` of its `content`): where the
    /// stack declares the digest and the record has one, the digests are compared instead of
    /// the values (an imported object's body is not read back). Nil: compared itself.
    public var digest: String?
    /// The Terraform AWS provider's attribute name for it (`target_key_id`), used where imgstack
    /// writes Terraform's formats.
    public var terraformName: String
    /// Where it lands in the provider's schema (attribute, shape, companion resource); its
    /// `shape` is nil when the declaration never said how a structured value is written, which
    /// the resource type conformance tests refuse.
    public var terraform: TerraformAttribute

    /// Creates a property schema. Resource types declare theirs as ``Property`` values.
    /// - Parameters:
    ///   - terraformName: nil for `name` in snake case (or the name `terraform` gives).
    ///   - terraform: where it lands in the provider's schema; nil for an attribute of the type's
    ///     own resource, written as is.
    public init(_ name: String, terraformName: String? = nil, terraform: TerraformAttribute? = nil, forcesReplacement: Bool = false,
                sensitive: Bool = false, default defaultValue: Value? = nil, local: Bool = false, appliesAtDeletion: Bool = false) {
        self.name = name
        self.terraformName = terraformName ?? terraform?.name ?? name.snakeCased
        self.terraform = terraform ?? TerraformAttribute(nil, .value)
        self.terraform.name = self.terraformName
        self.forcesReplacement = forcesReplacement
        self.sensitive = sensitive
        self.defaultValue = defaultValue
        self.local = local
        self.appliesAtDeletion = appliesAtDeletion
    }
}

/// A value AWS computes for a resource (`arn`, `id`, a client secret).
public struct AttributeSchema: Sendable {
    /// The attribute's name.
    public var name: String {
        didSet { terraformName = terraform.name ?? name.snakeCased }
    }
    /// The value is secret: redacted wherever shown.
    public var sensitive: Bool
    /// The value may change on an in-place update (a new Lambda version), so it is unknown
    /// in a plan that updates the resource.
    public var changesOnUpdate: Bool
    /// The properties whose change gives it a new value (a bucket's website endpoint changes with
    /// its `website`, not its tags); empty: any in-place update may, when ``changesOnUpdate``.
    public var changesWith: Set<String>
    /// Where it lands in the Terraform AWS provider's resource: an attribute of the type's own
    /// resource (by default the name in snake case), or `.none("why")` for one of imgstack's own.
    public var terraform: TerraformAttribute {
        didSet { terraformName = terraform.name ?? name.snakeCased }
    }
    /// Its name in the type's own Terraform resource: `terraform`'s name, else the name in snake
    /// case (made once, not per value written).
    public private(set) var terraformName: String

    /// Creates an attribute schema.
    /// - Parameters:
    ///   - changesOnUpdate: any in-place update may give it a new value.
    ///   - changesWith: only an update of one of these properties may (implies `changesOnUpdate`).
    public init(_ name: String, sensitive: Bool = false, changesOnUpdate: Bool = false, changesWith: [any PropertyDeclaration] = [],
                terraform: TerraformAttribute = TerraformAttribute()) {
        self.name = name
        self.sensitive = sensitive
        self.changesOnUpdate = changesOnUpdate || !changesWith.isEmpty
        self.changesWith = Set(changesWith.map(\.schema.name))
        self.terraform = terraform
        self.terraformName = terraform.name ?? name.snakeCased
    }

    /// Whether an in-place update changing `changed` may give it a new value.
    public func changes(updating changed: some Sequence<String>) -> Bool {
        changesOnUpdate && (changesWith.isEmpty || changed.contains { changesWith.contains($0) })
    }
}

/// The planner's view of a resource type.
public struct ResourceSchema: Sendable {
    /// imgstack's type name, the first part of addresses: `s3.bucket`.
    public var typeName: String
    /// The Terraform AWS provider's name for the same thing (`aws_s3_bucket`), used in JSON plans.
    public var terraformType: String
    /// The properties a stack may set.
    public var properties: [PropertySchema] {
        didSet { collectSensitiveNames() }
    }
    /// The attributes AWS computes. `id` is always available and need not be listed.
    public var attributes: [AttributeSchema] {
        didSet { collectSensitiveNames() }
    }
    /// The names of the secret properties and attributes, sorted (made once, not per resource
    /// planned).
    public private(set) var sensitiveNames: [String] = []
    /// The properties that together name the resource uniquely in the account (a bucket name;
    /// a role and policy ARN for an attachment). When a replacement keeps all of them, the new
    /// resource would collide with the old, so the old one is deleted first.
    public var uniqueNameProperties: [String]
    /// Each object is a snapshot of what it depends on, taken when it is created (an API
    /// Gateway deployment serves the methods that exist at that moment). Its create waits for
    /// every change of those resources, deletions included: a dependency the stack no longer
    /// declares (a removed method) is deleted first, so the new snapshot does not hold it; that
    /// deletion does not wait for the snapshot's old object, which keeps its own copy.
    public var capturesDependencies: Bool

    /// Attributes of the Terraform resource that every resource of this type has, because
    /// imgstack always writes them so (a distribution's default certificate): written into
    /// Terraform-format plans beside the properties.
    public var terraformConstants: [String: Value]

    /// Creates a schema.
    /// - Parameters:
    ///   - uniqueNameProperty: a single property that names the resource uniquely.
    ///   - capturesDependencies: see ``capturesDependencies``.
    ///   - terraformConstants: see ``terraformConstants``.
    ///   - digests: a property's name → the name of the property holding its digest (see
    ///     ``PropertySchema/digest``).
    public init(typeName: String, terraformType: String, properties: [PropertySchema], attributes: [AttributeSchema],
                uniqueNameProperty: String? = nil, uniqueNameProperties: [String] = [], capturesDependencies: Bool = false,
                terraformConstants: [String: Value] = [:], digests: [String: String] = [:]) {
        self.typeName = typeName
        self.terraformType = terraformType
        self.properties = properties.map { property in
            var property = property
            property.digest = digests[property.name]
            return property
        }
        self.attributes = attributes
        self.uniqueNameProperties = (uniqueNameProperty.map { [$0] } ?? []) + uniqueNameProperties
        self.capturesDependencies = capturesDependencies
        self.terraformConstants = terraformConstants
        collectSensitiveNames()
    }

    private mutating func collectSensitiveNames() {
        sensitiveNames = Set(properties.filter(\.sensitive).map(\.name) + attributes.filter(\.sensitive).map(\.name)).sorted()
    }

    /// The schema of the property called `name`.
    public func property(_ name: String) -> PropertySchema? {
        properties.first { $0.name == name }
    }

    /// The schema of the attribute called `name`.
    public func attribute(_ name: String) -> AttributeSchema? {
        attributes.first { $0.name == name }
    }

    /// True when `name` names a property, an attribute or `id`.
    public func hasMember(_ name: String) -> Bool {
        name == "id" || property(name) != nil || attribute(name) != nil
    }

    /// True when the property or attribute called `name` is secret.
    public func isSensitive(_ name: String) -> Bool {
        property(name)?.sensitive ?? attribute(name)?.sensitive ?? false
    }
}
