import AWS
import Engine

/// AWS Identity and Access Management resources: roles, managed policies, their attachments,
/// instance profiles and OpenID Connect providers. IAM is global; its ARNs have no region.
public enum IAM {}

/// Rules and helpers the IAM resource types share.
enum IAMRules {
    /// Role, policy and instance profile names: 1–64 (roles, profiles) or 1–128 (policies)
    /// characters of letters, digits and `+=,.@_-`.
    static func nameProblem(_ name: String, maximum: Int) -> String? {
        guard !name.isEmpty, name.count <= maximum else { return "must be 1 to \(maximum) characters, not \(name.count)" }
        let allowed = name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "+=,.@_-".unicodeScalars.contains($0)) }
        return allowed ? nil : "\"\(name)\" may contain only letters, digits and +=,.@_-"
    }

    /// Paths: `/` or `/segment/…/`, at most 512 characters.
    static func pathProblem(_ path: String) -> String? {
        guard path.hasPrefix("/"), path.hasSuffix("/"), path.count <= 512 else {
            return "\"\(path)\" must start and end with \"/\" (for example \"/service/\") and be at most 512 characters"
        }
        return nil
    }

    /// Role and policy descriptions: at most 1,000 characters (`roleDescriptionType`,
    /// `policyDescriptionType` in botocore's iam model).
    static func descriptionProblem(_ description: String) -> String? {
        description.count <= 1000 ? nil : "must be at most 1000 characters, not \(description.count)"
    }

    /// Tag problems of a literal `tags` property; IAM takes at most 50 tags per entity.
    static func tagIssues(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        TagRules.problems(properties["tags"]?.literal, limit: 50).map { ValidationIssue(subject: address.description, property: "tags", message: $0) }
    }

    /// The issues of one literal property, named after it.
    static func check(_ properties: [String: Engine.Expression], _ property: String, address: Address,
                      _ rule: (String) -> String?) -> [ValidationIssue] {
        guard let text = properties[property]?.literal?.stringValue, let problem = rule(text) else { return [] }
        return [ValidationIssue(subject: address.description, property: property, message: problem)]
    }

    /// Policy-document issues of a property.
    static func policyIssues(_ properties: [String: Engine.Expression], _ property: String, address: Address) -> [ValidationIssue] {
        guard let policy = properties[property] else { return [] }
        return PolicyNormalizer.issues(policy).map { ValidationIssue(subject: address.description, property: property, message: $0) }
    }

    /// Tags as strings.
    static func tags(_ value: Value?) -> [String: String] {
        (value?.mapValue ?? [:]).compactMapValues(\.stringValue)
    }

    /// IAM is eventually consistent: a role or policy created a moment ago may not be visible
    /// to the next call yet (`NoSuchEntity`), so such calls are retried for up to ~20 s.
    static func retryingNewEntity<T>(_ call: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await call()
            } catch let error as AWSError where error.code == "NoSuchEntity" && attempt < 6 {
                attempt += 1
                try await Task.sleep(nanoseconds: UInt64(attempt) * 600_000_000)
            }
        }
    }

    /// Applies tag changes: removes keys no longer wanted, then sets the wanted ones.
    static func retag(old: Value?, new: Value?, untag: ([String]) async throws -> Void, tag: ([String: String]) async throws -> Void) async throws {
        let wanted = tags(new)
        let removed = Set(tags(old).keys).subtracting(wanted.keys)
        if !removed.isEmpty { try await untag(removed.sorted()) }
        if !wanted.isEmpty { try await tag(wanted) }
    }
}
