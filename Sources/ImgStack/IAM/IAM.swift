import AWS
import Engine

/// AWS Identity and Access Management resources: roles, managed policies, their attachments,
/// instance profiles and OpenID Connect providers. IAM is global; its ARNs have no region.
public enum IAM {}

extension OperationContext {
    /// IAM calls bound to this operation's region. IAM is global: the region only picks the
    /// partition (`iam.amazonaws.com`, signed in `us-east-1`, outside China).
    var iam: AWS.IAM {
        get throws { try aws.iam(region: region) }
    }
}

/// Rules and helpers the IAM resource types share.
enum IAMRules {
    /// One character of a role, policy or instance profile name (`roleNameType`,
    /// `policyNameType`, `instanceProfileNameType` in botocore's iam model: `[\w+=,.@-]+`).
    static let nameCharacter = #"[\w+=,.@-]"#

    /// A customer managed policy's ARN, `arn:aws:iam::ACCOUNT:policy/PATH/NAME` (or an AWS
    /// managed policy's, whose account is `aws`), as an import id pattern.
    static let policyARNPattern = ImportIDForm.arn("iam", regional: false, account: #"\d{12}|aws"#,
                                                   resource: #"policy/([\x21-\x2E\x30-\x7E]+/)*"# + nameCharacter + "{1,128}")

    /// IAM is eventually consistent: a role or policy created a moment ago may not be visible
    /// to the next call yet (`NoSuchEntity`), so such calls are retried for up to ~20 s.
    static let newEntity = EventualConsistency([.init(.noSuchEntity)], window: 20, interval: 1)

    /// A trust policy naming a principal created moments ago (a role made earlier in the same
    /// apply) is refused until IAM has propagated it: `MalformedPolicyDocument` "Invalid
    /// principal in policy" (`CreateRole`, `UpdateAssumeRolePolicy` references). Retried every
    /// 2 s for 30 s.
    static let newPrincipals = EventualConsistency([.init(.malformedPolicyDocument, messageContains: "principal")], window: 30, interval: 2)

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

    /// Tag problems of a literal tags property; IAM takes at most 50 tags per entity.
    static func tagIssues(_ properties: [String: Engine.Expression], _ tags: Property<[String: String]>,
                          address: Address) -> [ValidationIssue] {
        // IAM takes 50 tags; imgstack's intent tag is one of them.
        TagRules.problems(properties[tags]?.literal, limit: 49).map { ValidationIssue(address, tags, $0) }
    }

    /// The issues of one literal property, named after it.
    static func check(_ properties: [String: Engine.Expression], _ property: Property<String>, address: Address,
                      _ rule: (String) -> String?) -> [ValidationIssue] {
        guard let text = properties.literal(property), let problem = rule(text) else { return [] }
        return [ValidationIssue(address, property, problem)]
    }

    /// Policy-document issues of a property.
    static func policyIssues(_ properties: [String: Engine.Expression], _ property: Property<Value>, address: Address) -> [ValidationIssue] {
        guard let policy = properties[property] else { return [] }
        return PolicyNormalizer.issues(policy).map { ValidationIssue(address, property, $0) }
    }

    /// Applies tag changes: removes keys no longer wanted, then sets the wanted ones.
    static func retag(old: [String: String]?, new: [String: String]?, untag: ([String]) async throws -> Void,
                      tag: ([String: String]) async throws -> Void) async throws {
        let wanted = new ?? [:]
        let removed = Set((old ?? [:]).keys).subtracting(wanted.keys)
        if !removed.isEmpty { try await untag(removed.sorted()) }
        if !wanted.isEmpty { try await tag(wanted) }
    }
}
