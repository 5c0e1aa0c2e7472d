/// The `configuration` and `relevant_attributes` of a Terraform-format plan: each declared
/// resource's attributes as Terraform's configuration expressions — `constant_value` for a
/// literal, `references` (`["aws_s3_bucket.images.arn", "aws_s3_bucket.images"]`) for a value
/// that refers to other resources — which is how tools such as checkov connect a bucket to its
/// public access block. A lookup is a data source there: a value it feeds refers to
/// `data.aws_subnets.public.ids`, and the module lists `data.aws_subnets.public` in mode `data`.
struct TerraformConfiguration {
    let projection: TerraformProjection

    /// The `configuration` object: the AWS provider and the root module's resources.
    /// - Parameter pairs: each change with its `after` projected.
    func configuration(_ plan: Plan, pairs: [(ResourceChange, [TerraformInstance])]) -> Value {
        let types = terraformTypes(plan)
        let planned = Dictionary(plan.changes.map { ($0.address, $0.after ?? [:]) }) { first, _ in first }
        var resources: [Value] = []
        var configured: Set<String> = []
        for (change, instances) in pairs {
            guard let declared = change.declaredReferences else { continue }
            // Companions keyed by index are one block in a configuration (a `for_each`).
            for instance in instances where configured.insert("\(instance.type).\(instance.name)").inserted {
                var attributes = expressions(instance, declared: declared, types: types) { planned[$0.address]?[$0.attribute] }
                if let main = instance.main, instance.index != nil {
                    attributes["for_each"] = .map(["references": .list([.string(main)])])
                } else if instance.index != nil {
                    // The type's own resource once per key: what differs per instance is `each`'s, not a constant.
                    for name in instance.eachOwn { attributes[name] = nil }
                    let keys = instances.filter { $0.type == instance.type && $0.name == instance.name }.compactMap(\.index)
                    attributes["for_each"] = .map(["constant_value": .list(keys.map(Value.string))])
                }
                resources.append(.map([
                    "address": .string("\(instance.type).\(instance.name)"),
                    "mode": "managed",
                    "type": .string(instance.type),
                    "name": .string(instance.name),
                    "provider_config_key": "aws",
                    "schema_version": 0,
                    "expressions": .map(attributes),
                ]))
            }
        }
        for lookup in plan.lookups ?? [] {
            // Its arguments are imgstack's, not the data source's schema (`aws_subnets` selects
            // with `filter` blocks), so none is written as one of the data source's expressions.
            resources.append(.map([
                "address": .string("data.\(lookup.terraformType).\(lookup.address.name)"),
                "mode": "data",
                "type": .string(lookup.terraformType),
                "name": .string(lookup.address.name),
                "provider_config_key": "aws",
                "schema_version": 0,
                "expressions": .map([:]),
            ]))
        }
        return .map([
            "provider_config": .map([
                "aws": .map(["name": "aws", "full_name": .string(JSONPlanRenderer.providerName)]),
            ]),
            "root_module": .map(["resources": .list(resources)]),
        ])
    }

    /// The attributes of other resources that the declared resources refer to.
    func relevantAttributes(_ plan: Plan) -> Value {
        let types = terraformTypes(plan)
        var seen = Set<String>()
        var result: [Value] = []
        let references = plan.changes.flatMap { change in (change.declaredReferences ?? [:]).keys.sorted().flatMap { change.declaredReferences?[$0] ?? [] } }
        for reference in references {
            guard let terraform = projection.reference(reference, terraformTypes: types), seen.insert(terraform.attribute).inserted else { continue }
            let attribute = String(terraform.attribute.dropFirst(terraform.resource.count + 1))
            result.append(.map(["resource": .string(terraform.resource), "attribute": .list([.string(attribute)])]))
        }
        return .list(result)
    }

    /// - Parameter resolve: the planned value of a reference, nil for one outside the plan.
    private func expressions(_ instance: TerraformInstance, declared: [String: [Reference]],
                             types: [Address: String], resolve: (Reference) -> Value?) -> [String: Value] {
        var result: [String: Value] = [:]
        for (attribute, property) in instance.sources {
            guard let references = declared[property] else { continue }
            if references.isEmpty {
                // A secret's literal is not repeated here: the plan marks it sensitive.
                let value = instance.values[attribute] ?? .null
                result[attribute] = instance.sensitive.contains(attribute) || value.containsUnknown ? .map([:]) : .map(["constant_value": value])
            } else {
                let value = instance.values[attribute] ?? .null
                result[attribute] = Self.isBlocks(value)
                    ? blockExpressions(value, references: references, types: types, resolve: resolve)
                    : .map(["references": .list(terraformReferences(references, types: types).map(Value.string))])
            }
        }
        if let link = instance.link, let main = instance.main {
            result[link.attribute] = .map(["references": .list([.string("\(main).\(link.source)"), .string(main)])])
        }
        return result
    }

    /// True for nested blocks: a non-empty list of maps.
    private static func isBlocks(_ value: Value) -> Bool {
        guard let items = value.listValue, !items.isEmpty else { return false }
        return items.allSatisfy { $0.mapValue != nil }
    }

    /// Nested blocks' expressions as Terraform writes them: a list of one object per block, each
    /// argument with its own expression (`access_log_settings: [{destination_arn: {references},
    /// format: {constant_value}}]`). An argument holds the property's references whose planned
    /// value it holds (unknown for unknown, the value or a string containing it when known), else
    /// its `constant_value`; an unknown argument matching none holds them all.
    private func blockExpressions(_ value: Value, references: [Reference], types: [Address: String],
                                  resolve: (Reference) -> Value?) -> Value {
        .list((value.listValue ?? []).map { block in
            .map((block.mapValue ?? [:]).mapValues { argument in
                if Self.isBlocks(argument) { return blockExpressions(argument, references: references, types: types, resolve: resolve) }
                var held = references.filter { Self.argument(argument, holds: resolve($0)) }
                if held.isEmpty, argument.containsUnknown { held = references }
                guard !held.isEmpty else { return .map(["constant_value": argument]) }
                return .map(["references": .list(terraformReferences(held, types: types).map(Value.string))])
            })
        })
    }

    /// Whether `argument` holds `referred`: both unknown (or the reference is outside the plan and
    /// the argument unknown), or the known value itself or inside the argument's string.
    private static func argument(_ argument: Value, holds referred: Value?) -> Bool {
        guard let referred, referred != .unknown else { return argument.containsUnknown }
        if argument == referred { return true }
        if case .string(let text) = argument, case .string(let part) = referred, !part.isEmpty { return text.contains(part) }
        if case .list(let items) = argument { return items.contains(referred) }
        return false
    }

    /// Terraform's reference list: each attribute, then the resource it belongs to.
    private func terraformReferences(_ references: [Reference], types: [Address: String]) -> [String] {
        var result: [String] = []
        for reference in references {
            guard let terraform = projection.reference(reference, terraformTypes: types) else { continue }
            for name in [terraform.attribute, terraform.resource] where !result.contains(name) { result.append(name) }
        }
        return result
    }

    /// Each address's Terraform type; a lookup's as its data source is addressed (`data.aws_subnets`).
    private func terraformTypes(_ plan: Plan) -> [Address: String] {
        Dictionary(plan.changes.map { ($0.address, $0.terraformType) } + (plan.lookups ?? []).map { ($0.address, "data.\($0.terraformType)") }) { first, _ in first }
    }
}
