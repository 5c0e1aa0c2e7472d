import AWS
import Engine

/// Converts a bucket's sub-configurations between imgstack values (as stored in state and
/// shown in plans) and the AWS layer's types, and brings values to one canonical form.
enum BucketConfiguration {
    // MARK: - Normal forms

    /// The canonical form of a bucket property: no null members, order-free lists sorted,
    /// lifecycle rules by id.
    static func normalize(_ name: String, _ value: Value) -> Value {
        let property = S3.Bucket.property
        switch name {
        case property.encryption.name, property.website.name, property.publicAccessBlock.name: return withoutNulls(value)
        case property.cors.name:
            guard case .list(let rules) = value else { return value }
            return .list(rules.map { rule in
                guard case .map(var entries) = withoutNulls(rule) else { return rule }
                for key in ["allowedMethods", "allowedOrigins", "allowedHeaders", "exposeHeaders"] {
                    entries[key] = sorted(entries[key] ?? .list([]))
                }
                return .map(entries)
            })
        case property.lifecycle.name:
            guard case .list(let rules) = value, !value.containsUnknown else { return value }
            return .list(rules.map { rule in
                guard case .map(var entries) = withoutNulls(rule) else { return rule }
                if entries["prefix"] == nil { entries["prefix"] = "" }
                if entries["enabled"] == nil { entries["enabled"] = true }
                return .map(entries)
            }.sorted { $0["id"].canonicalJSON < $1["id"].canonicalJSON })
        default: return value
        }
    }

    private static func withoutNulls(_ value: Value) -> Value {
        guard case .map(let entries) = value else { return value }
        return .map(entries.filter { !$0.value.isNull })
    }

    private static func sorted(_ value: Value) -> Value {
        guard case .list(let items) = value, !value.containsUnknown else { return value }
        return .list(items.sorted { $0.canonicalJSON < $1.canonicalJSON })
    }

    // MARK: - Values to AWS

    static func encryption(_ value: Value) -> AWS.S3.ServerSideEncryption? {
        guard let algorithm = value["algorithm"].stringValue else { return nil }
        return AWS.S3.ServerSideEncryption(algorithm: algorithm, kmsKeyID: value["kmsKeyID"].stringValue,
                                           bucketKeyEnabled: value["bucketKey"].boolValue ?? false)
    }

    static func publicAccessBlock(_ value: Value) -> AWS.S3.PublicAccessBlock {
        AWS.S3.PublicAccessBlock(blockPublicAcls: value["blockPublicAcls"].boolValue ?? false,
                                 ignorePublicAcls: value["ignorePublicAcls"].boolValue ?? false,
                                 blockPublicPolicy: value["blockPublicPolicy"].boolValue ?? false,
                                 restrictPublicBuckets: value["restrictPublicBuckets"].boolValue ?? false)
    }

    static func corsRules(_ value: Value) -> [AWS.S3.CORSRule] {
        (value.listValue ?? []).map { rule in
            AWS.S3.CORSRule(id: rule["id"].stringValue, allowedHeaders: strings(rule["allowedHeaders"]),
                            allowedMethods: strings(rule["allowedMethods"]), allowedOrigins: strings(rule["allowedOrigins"]),
                            exposeHeaders: strings(rule["exposeHeaders"]), maxAgeSeconds: rule["maxAgeSeconds"].intValue)
        }
    }

    static func website(_ value: Value) -> AWS.S3.Website? {
        value["indexDocument"].stringValue.map { AWS.S3.Website(indexDocument: $0, errorDocument: value["errorDocument"].stringValue) }
    }

    static func lifecycleRules(_ value: Value) -> [AWS.S3.LifecycleRule] {
        (value.listValue ?? []).map { rule in
            AWS.S3.LifecycleRule(id: rule["id"].stringValue ?? "", prefix: rule["prefix"].stringValue ?? "",
                                 enabled: rule["enabled"].boolValue ?? true, expirationDays: rule["expirationDays"].intValue,
                                 noncurrentVersionExpirationDays: rule["noncurrentVersionExpirationDays"].intValue,
                                 abortIncompleteMultipartUploadDays: rule["abortIncompleteMultipartUploadDays"].intValue)
        }
    }

    static func tags(_ value: Value) -> [String: String] {
        (value.mapValue ?? [:]).compactMapValues(\.stringValue)
    }

    private static func strings(_ value: Value) -> [String] {
        (value.listValue ?? []).compactMap(\.stringValue)
    }

    // MARK: - AWS to values

    static func value(_ encryption: AWS.S3.ServerSideEncryption?) -> Value {
        guard let encryption else { return .null }
        var entries: [String: Value] = ["algorithm": .string(encryption.algorithm), "bucketKey": .bool(encryption.bucketKeyEnabled)]
        if let key = encryption.kmsKeyID { entries["kmsKeyID"] = .string(key) }
        return .map(entries)
    }

    static func value(_ block: AWS.S3.PublicAccessBlock) -> Value {
        ["blockPublicAcls": .bool(block.blockPublicAcls), "ignorePublicAcls": .bool(block.ignorePublicAcls),
         "blockPublicPolicy": .bool(block.blockPublicPolicy), "restrictPublicBuckets": .bool(block.restrictPublicBuckets)]
    }

    static func value(_ rules: [AWS.S3.CORSRule]) -> Value {
        .list(rules.map { rule in
            var entries: [String: Value] = [
                "allowedMethods": .list(rule.allowedMethods.map(Value.string)), "allowedOrigins": .list(rule.allowedOrigins.map(Value.string)),
                "allowedHeaders": .list(rule.allowedHeaders.map(Value.string)), "exposeHeaders": .list(rule.exposeHeaders.map(Value.string)),
            ]
            if let id = rule.id { entries["id"] = .string(id) }
            if let maxAge = rule.maxAgeSeconds { entries["maxAgeSeconds"] = .int(maxAge) }
            return .map(entries)
        })
    }

    /// The key under which a read configuration lists what S3 holds that the stack's form cannot
    /// express (a lifecycle rule's `Transition`, a website's `RoutingRules`). A stack never sets
    /// it, so such settings show as drift and the next write, which replaces the whole
    /// configuration, removes them.
    static let unmanaged = "unmanagedByImgstack"

    static func value(_ website: AWS.S3.Website?) -> Value {
        guard let website else { return .null }
        var entries: [String: Value] = ["indexDocument": .string(website.indexDocument)]
        if let error = website.errorDocument { entries["errorDocument"] = .string(error) }
        if !website.unmodeled.isEmpty { entries[unmanaged] = .list(website.unmodeled.map(Value.string)) }
        return .map(entries)
    }

    static func value(_ rules: [AWS.S3.LifecycleRule]) -> Value {
        .list(rules.map { rule in
            var entries: [String: Value] = ["id": .string(rule.id), "prefix": .string(rule.prefix), "enabled": .bool(rule.enabled)]
            if let days = rule.expirationDays { entries["expirationDays"] = .int(days) }
            if let days = rule.noncurrentVersionExpirationDays { entries["noncurrentVersionExpirationDays"] = .int(days) }
            if let days = rule.abortIncompleteMultipartUploadDays { entries["abortIncompleteMultipartUploadDays"] = .int(days) }
            if !rule.unmodeled.isEmpty { entries[unmanaged] = .list(rule.unmodeled.map(Value.string)) }
            return .map(entries)
        })
    }
}
