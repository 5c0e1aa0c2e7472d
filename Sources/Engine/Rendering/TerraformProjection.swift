/// One resource instance as the Terraform AWS provider holds it: `aws_s3_bucket.images` and its
/// attribute values (`.unknown` where known only after apply).
struct TerraformInstance: Equatable {
    /// The provider's resource type (`aws_s3_bucket_versioning`).
    var type: String
    /// The resource's name, the imgstack resource's name.
    var name: String
    /// The key of one of several companions of one property (`for_each`'s `index`).
    var index: String? = nil
    /// Attribute values by the provider's attribute names.
    var values: [String: Value]
    /// Top-level attributes that hold secrets.
    var sensitive: Set<String>
    /// The imgstack property each attribute comes from, for the configuration's expressions.
    var sources: [String: String]
    /// For a companion resource, how it names the main resource.
    var link: TerraformLink?
    /// The address of the main resource this one is split from; nil for the main resource.
    var main: String?
    /// Attributes each `for_each` instance of the type's own resource holds for itself (`key`).
    var eachOwn: Set<String> = []

    /// `type.name`, or `type.name["index"]`: Terraform's address.
    var address: String { index.map { "\(type).\(name)[\(Value.quoted($0))]" } ?? "\(type).\(name)" }
}

/// Projects imgstack resources onto the Terraform AWS provider's resources, from each property's
/// ``TerraformAttribute`` declaration: the type's own resource with its attributes, plus one
/// companion resource for each property the provider splits off (`aws_s3_bucket_versioning`).
///
/// A type without a schema here (a record of a type this build no longer knows) is written
/// under its recorded Terraform type with every name in snake case.
struct TerraformProjection: Sendable {
    /// Schemas by imgstack type name (`s3.bucket`).
    let schemas: [String: ResourceSchema]

    /// The instances `values` (a change's `before` or `after`: properties, attributes and `id`)
    /// project to, the main resource first; a property in `leftToAWS` (one the stack leaves to
    /// AWS) has no companion resource.
    func instances(of address: Address, terraformType: String, values: [String: Value], sensitive: Set<String>,
                   leftToAWS: Set<String> = []) -> [TerraformInstance] {
        var main = TerraformInstance(type: terraformType, name: address.name, values: [:], sensitive: [], sources: [:])
        guard let schema = schemas[address.type] else {
            for (name, value) in values {
                main.values[name.snakeCased] = value
                main.sources[name.snakeCased] = name
                if sensitive.contains(name) { main.sensitive.insert(name.snakeCased) }
            }
            return [main]
        }
        var companions: [TerraformInstance] = []
        var keyed: (property: String, instances: [String: [String: Value]])?
        for property in schema.properties {
            guard let value = values[property.name] else { continue }
            let attribute = property.terraform
            switch attribute.target {
            case .none:
                continue
            case .own:
                let written = (attribute.shape ?? .value).apply(value, in: values)
                for name in [property.terraformName] + attribute.alsoWrittenAs {
                    main.values[name] = written
                    main.sources[name] = property.name
                    if sensitive.contains(property.name) { main.sensitive.insert(name) }
                }
            case .companion(let type, let link, let makeInstances):
                guard !leftToAWS.contains(property.name) else { continue }
                for (index, attributes) in makeInstances(value, values) {
                    var companion = TerraformInstance(type: type, name: address.name, index: index, values: attributes, sensitive: [],
                                                      sources: attributes.mapValues { _ in property.name }, link: link, main: main.address)
                    if sensitive.contains(property.name) { companion.sensitive = Set(attributes.keys) }
                    companions.append(companion)
                }
            case .forEach(let makeInstances):
                keyed = (property.name, makeInstances(value))
            }
        }
        for attribute in schema.attributes {
            guard let value = values[attribute.name], case .own = attribute.terraform.target else { continue }
            let name = attribute.terraformName
            // A property of the same Terraform name wins: it is what the stack declared.
            if main.values[name] == nil { main.values[name] = value }
            if sensitive.contains(attribute.name) { main.sensitive.insert(name) }
        }
        for (name, value) in schema.terraformConstants where main.values[name] == nil { main.values[name] = value }
        if let id = values["id"] { main.values["id"] = id }
        if sensitive.contains("id") { main.sensitive.insert("id") }
        for index in companions.indices {
            guard let link = companions[index].link else { continue }
            companions[index].values[link.attribute] = main.values[link.source] ?? .unknown
        }
        let companionsInOrder = companions.sorted { $0.address < $1.address }
        guard let keyed else { return [main] + companionsInOrder }
        return keyed.instances.keys.sorted().map { key in
            var instance = main
            instance.index = key
            for (name, value) in keyed.instances[key] ?? [:] where name != "id" || !(main.values["id"]?.containsUnknown ?? true) {
                instance.values[name] = value
                instance.sources[name] = keyed.property
                instance.eachOwn.insert(name)
            }
            return instance
        } + companionsInOrder
    }

    /// The Terraform reference for `reference` (`aws_s3_bucket.images.arn`), and the resource it
    /// names; nil for another stack's output, which is no resource of this plan.
    func reference(_ reference: Reference, terraformTypes: [Address: String]) -> (attribute: String, resource: String)? {
        guard !reference.address.isStackReference else { return nil }
        let type = terraformTypes[reference.address] ?? schemas[reference.address.type]?.terraformType ?? reference.address.type
        var resource = "\(type).\(reference.address.name)"
        guard let property = schemas[reference.address.type]?.property(reference.attribute) else {
            return ("\(resource).\(reference.attribute.snakeCased)", resource)
        }
        if case .companion(let companion, _, _) = property.terraform.target { resource = "\(companion).\(reference.address.name)" }
        return ("\(resource).\(property.terraformName)", resource)
    }

    /// What Terraform does to `instance` within an imgstack change of `action`: each instance
    /// may be created, changed, left alone or deleted on its own (a bucket's tags change while
    /// its versioning resource stays as it is).
    static func actions(_ action: ChangeAction, order: ReplaceOrder?, before: TerraformInstance?, after: TerraformInstance?) -> [String] {
        switch (before, after) {
        case (nil, nil): return ["no-op"]
        case (nil, _?): return ["create"]
        case (_?, nil): return ["delete"]
        case let (old?, new?):
            switch action {
            case .replace: return order == .deleteBeforeCreate ? ["delete", "create"] : ["create", "delete"]
            case .create: return ["create"]
            case .delete: return ["delete"]
            case .noop: return ["no-op"]
            case .update:
                return set(old.values) == set(new.values) && !new.values.values.contains(where: \.containsUnknown) ? ["no-op"] : ["update"]
            }
        }
    }

    /// The attributes that hold a value: an attribute absent on one side and `null` on the other
    /// is the same (state leaves out what the stack writes as `null`).
    private static func set(_ values: [String: Value]) -> [String: Value] {
        values.filter { $0.value != .null }
    }
}
