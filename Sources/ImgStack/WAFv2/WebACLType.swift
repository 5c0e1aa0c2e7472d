import AWS
import Engine
import Foundation

/// Creates, reads, updates and deletes web ACLs. The id is the web ACL's id.
///
/// Every change sends the lock token of the version it was read from; when another change came
/// first (`WAFOptimisticLockException`) the web ACL is read again and the change sent once more.
struct WebACLType: ResourceType {
    static let schema = ResourceSchema(WAFv2.WebACL.self, WAFv2.WebACL.Properties.self, attributes: [AttributeSchema("arn")],
                                       uniqueName: [WAFv2.WebACL.property.webACLName, WAFv2.WebACL.property.scope])

    var schema: ResourceSchema { Self.schema }
    private var property: WAFv2.WebACL.Properties { WAFv2.WebACL.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        WebACLValidation(address: address, properties: properties).issues()
    }

    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: ImportIDForm.uuid + #"/[\w-]{1,128}/(CLOUDFRONT|REGIONAL)"#,
                             expected: "a web ACL is imported as <id>/<name>/<CLOUDFRONT or REGIONAL> (the id a UUID)")
    }

    /// Rules compare in priority order.
    func normalize(_ name: String, _ value: Value) -> Value {
        guard name == property.rules.name, case .list(let rules) = value else { return value }
        return .list(rules.sorted { ($0["priority"].intValue ?? 0) < ($1["priority"].intValue ?? 0) })
    }

    private func settings(_ properties: [String: Value]) -> AWS.WAFV2.WebACLSettings {
        let sampled = properties.value(property.sampledRequests) ?? true
        let metrics = properties.value(property.cloudWatchMetrics) ?? true
        let description = properties.value(property.description) ?? ""
        return AWS.WAFV2.WebACLSettings(
            defaultAction: properties.value(property.defaultAction) ?? "ALLOW", description: description.isEmpty ? nil : description,
            rules: (properties[property.rules.name]?.listValue ?? []).map { WebACLRules.awsRule($0, sampled: sampled, metrics: metrics) },
            visibilityConfig: .init(sampledRequestsEnabled: sampled, cloudWatchMetricsEnabled: metrics, metricName: properties[property.metricName] ?? ""))
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let waf = try context.wafv2
        let name = properties[property.webACLName] ?? ""
        let scope = properties[property.scope] ?? "REGIONAL"
        let tags = AWS.KeyValueTag.list(TagRules.withIntent(properties[property.tags], context))
        let summary = try await waf.createWebACL(name: name, scope: scope, settings(properties), tags: tags)
        let id = summary.id ?? ""
        return try await read(name: name, scope: scope, id: id, declared: Set(properties.keys), context: context)
            ?? ResourceSnapshot(id: id, properties: properties, attributes: ["arn": summary.arn.map(Value.string) ?? .null])
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(name: recorded.properties[property.webACLName] ?? "", scope: recorded.properties[property.scope] ?? "",
                       id: recorded.id, declared: Set(recorded.properties.keys), context: context,
                       recordedARN: recorded.attributes["arn"]?.stringValue)
    }

    func readForDestroy(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await recordedIfExists(recorded) {
            try await read(name: recorded.properties[property.webACLName] ?? "", scope: recorded.properties[property.scope] ?? "",
                           id: recorded.id, declared: [], context: context)
        }
    }

    /// The web ACL as `GetWebACL` answers; tags only when declared (one more call: by the
    /// `recordedARN` alongside the web ACL when there is one, else by the ARN it gives). With
    /// `owner` (recovery), nil unless the web ACL carries the intent tag of `owner`'s create.
    private func read(name: String, scope: String, id: String, declared: Set<String>, context: OperationContext,
                      recordedARN: String? = nil, owner: OperationContext? = nil) async throws -> ResourceSnapshot? {
        let waf = try context.wafv2
        guard let (versioned, listed) = try await ConcurrentReads.withTags(
            { try await nilWhenMissing(.wafNonexistentItemException, call: { try await waf.webACL(name: name, scope: scope, id: id) }) },
            arn: \.webACL.arn, recordedARN: recordedARN, readsTags: declared.contains(property.tags) || owner != nil,
            tags: { try await waf.tags($0) }) else { return nil }
        let acl = versioned.webACL
        var properties: [String: Value] = [:]
        properties[property.webACLName] = acl.name
        properties[property.scope] = scope
        properties[property.defaultAction] = acl.defaultAction.name ?? "?"
        properties[property.description] = acl.description ?? ""
        properties[property.rules.name] = .list((acl.rules ?? []).sorted { $0.priority < $1.priority }.map(WebACLRules.value))
        properties[property.metricName] = acl.visibilityConfig.metricName
        properties[property.cloudWatchMetrics] = acl.visibilityConfig.cloudWatchMetricsEnabled
        properties[property.sampledRequests] = acl.visibilityConfig.sampledRequestsEnabled
        properties[property.unmanagedByImgstack] = acl.unmodeled
        if let listed {
            let tags = Dictionary(listed.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
            if let owner, !TagRules.carryIntent(tags, of: owner) { return nil }
            if declared.contains(property.tags) { properties[property.tags.name] = TagRules.visible(tags) }
        }
        if declared.contains(property.region) { properties[property.region] = context.region }
        return ResourceSnapshot(id: acl.id, properties: properties, attributes: ["arn": .string(acl.arn)])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let waf = try context.wafv2
        let name = current.properties[property.webACLName] ?? ""
        let scope = current.properties[property.scope] ?? ""
        let configuration = [property.defaultAction.name, property.description.name, property.rules.name, property.metricName.name,
                             property.cloudWatchMetrics.name, property.sampledRequests.name, property.unmanagedByImgstack.name]
        if !changed.isDisjoint(with: configuration) {
            try await withFreshLockToken(name: name, scope: scope, id: current.id, waf: waf) { token in
                try await waf.updateWebACL(name: name, scope: scope, id: current.id, settings(desired), lockToken: token)
            }
        }
        if changed.contains(property.tags), let arn = current.attributes["arn"]?.stringValue {
            let wanted = desired[property.tags] ?? [:]
            let removed = Set((current.properties[property.tags] ?? [:]).keys).subtracting(wanted.keys)
            if !removed.isEmpty { try await waf.untagResource(arn, keys: removed.sorted()) }
            if !wanted.isEmpty { try await waf.tagResource(arn, tags: wanted.sorted { $0.key < $1.key }.map { .init(key: $0.key, value: $0.value) }) }
        }
        return try await read(name: name, scope: scope, id: current.id, declared: Set(desired.keys), context: context) ?? current
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let waf = try context.wafv2
        let name = current.properties[property.webACLName] ?? ""
        let scope = current.properties[property.scope] ?? ""
        _ = try await nilWhenMissing(.wafNonexistentItemException) {
            try await withFreshLockToken(name: name, scope: scope, id: current.id, waf: waf) { token in
                try await waf.deleteWebACL(name: name, scope: scope, id: current.id, lockToken: token)
            }
        }
    }

    /// Runs `change` with the web ACL's current lock token; when another change came first
    /// (`WAFOptimisticLockException`), reads the web ACL again and runs it once more.
    private func withFreshLockToken(name: String, scope: String, id: String, waf: AWS.WAFV2,
                                    _ change: (String) async throws -> Void) async throws {
        let token = try await waf.webACL(name: name, scope: scope, id: id).lockToken
        do {
            try await change(token)
        } catch let error as AWSError where error.code == .wafOptimisticLockException {
            try await change(try await waf.webACL(name: name, scope: scope, id: id).lockToken)
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard validateImportID(id) == nil else { return nil }
        let parts = id.split(separator: "/").map(String.init)
        return try await read(name: parts[1], scope: parts[2], id: parts[0], declared: WAFv2.WebACL.Properties.names.subtracting([property.region.name]),
                              context: context)
    }

    /// Names are unique per scope and region; the one by that name is the crashed apply's only
    /// when it carries that create's intent tag (a same-named one of someone else's is not adopted).
    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let name = properties[property.webACLName], let scope = properties[property.scope] else { return nil }
        let waf = try context.wafv2
        guard let summary = try await waf.webACLs(scope: scope).first(where: { $0.name == name }), let id = summary.id else { return nil }
        return try await read(name: name, scope: scope, id: id, declared: Set(properties.keys), context: context, owner: context)
    }
}

extension WebACLType: AccessDeclaring {
    /// WAFv2 actions per the Service Authorization Reference (AWS WAF V2): a web ACL is named
    /// under `regional/` or, for CloudFront, `global/`; a create checks the managed rule groups
    /// it uses; `ListWebACLs` takes no resource.
    static let access: ResourceAccess = {
        let webACL = ARNPattern.arn("arn:{partition}:wafv2:{region}:{account}:*/webacl/{name}/*")
        let managedRuleGroups = ARNPattern.arn("arn:{partition}:wafv2:{region}:{account}:*/managedruleset/*/*")
        return ResourceAccess([
            IAMCall(.wafv2, "ListWebACLs", in: [.create, .settle, .import], on: [.anyResource(reason: "wafv2:ListWebACLs takes no resource; a web ACL is found by its name")]),
            IAMCall(.wafv2, "CreateWebACL", in: [.create], needs: ["wafv2:CreateWebACL", "wafv2:TagResource"], on: [webACL, managedRuleGroups]),
            IAMCall(.wafv2, "GetWebACL", in: .readingBack.union([.delete]), on: [webACL]),
            IAMCall(.wafv2, "UpdateWebACL", in: [.update], on: [webACL, managedRuleGroups]),
            IAMCall(.wafv2, "ListTagsForResource", in: .readingBack, on: [webACL]),
            IAMCall(.wafv2, "TagResource", in: .writing, on: [webACL]),
            IAMCall(.wafv2, "UntagResource", in: .writing, on: [webACL]),
            IAMCall(.wafv2, "DeleteWebACL", in: [.delete], on: [webACL]),
        ])
    }()
}
