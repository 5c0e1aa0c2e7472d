import AWS
import Engine
import Foundation

/// The command a deploy policy is for: which phases of each resource's life it grants.
public enum PolicyPurpose: String, CaseIterable, Sendable {
    /// `imgstack plan`: refresh reads, and the state lock; and settling a crashed apply's
    /// unfinished creates, which every command does first.
    case plan
    /// `imgstack apply`: create, read, update and delete (a resource the stack no longer
    /// declares), and settling.
    case apply
    /// `imgstack destroy`: read and delete, and settling.
    case destroy
    /// Every command, `import` included.
    case all

    /// The phases the purpose grants.
    public var phases: Set<AccessPhase> {
        switch self {
        case .plan: return [.read, .settle]
        case .apply: return [.create, .read, .update, .delete, .settle]
        case .destroy: return [.read, .delete, .settle]
        case .all: return Set(AccessPhase.allCases)
        }
    }
}

/// One statement of a generated policy.
public struct PolicyStatement: Sendable, Equatable {
    /// The statement id, from the resource address it was made for (`S3BucketImages`).
    public var sid: String
    /// The IAM actions, sorted.
    public var actions: [String]
    /// The ARNs, sorted; `["*"]` for actions that take no resource.
    public var resources: [String]
    /// Why `"Resource": "*"`, one line per action group; empty for scoped statements.
    public var reasons: [String]
}

/// The least-privilege IAM policy a CI role needs to run one command on one stack, generated
/// from the calls each resource type declares (``AccessDeclaring``) and the state backend's
/// own needs. Statements allow only; a value only known after apply becomes `*` inside the ARN.
public struct DeployPolicy: Sendable {
    /// The statements, in the stack's resource order, then its lookups', then the state backend's.
    public var statements: [PolicyStatement]

    /// Generates the policy of `definition` for `purpose`.
    /// - Parameters:
    ///   - definition: the evaluated stack.
    ///   - backend: the stack's state backend; an S3 backend adds its object, lock and KMS key.
    ///   - account: the AWS account id; nil writes `*` in ARNs' account field.
    /// - Throws: ``UndeclaredAccessError`` when a resource's type or a lookup's kind declares no calls.
    public init(_ definition: StackDefinition, backend: StateBackendChoice, account: String?, for purpose: PolicyPurpose) throws {
        var statements: [PolicyStatement] = []
        let stack = Dictionary(uniqueKeysWithValues: definition.resources.map { ($0.address, $0) })
        for resource in definition.resources {
            guard let access = ResourceCatalog.access(of: resource.type) else {
                throw UndeclaredAccessError(typeName: resource.address.type)
            }
            let fill = ARNFill(values: resource.properties, defaultValue: { resource.type.schema.property($0)?.defaultValue },
                               stack: stack, region: resource.region ?? definition.region, account: account)
            statements += Self.statements(sid: Self.sid(resource.address), calls: access.calls, phases: purpose.phases, fill: fill)
        }
        // Lookups are read on every plan, so every purpose grants their reads.
        for lookup in definition.lookups {
            guard let access = ResourceCatalog.access(of: lookup.type) else {
                throw UndeclaredAccessError(typeName: lookup.address.type)
            }
            let fill = ARNFill(values: lookup.arguments, defaultValue: { _ in nil }, stack: stack, region: lookup.region ?? definition.region, account: account)
            statements += Self.statements(sid: Self.sid(lookup.address), calls: access.calls, phases: Set(AccessPhase.allCases), fill: fill)
        }
        statements += Self.backendStatements(backend, stack: definition.name, region: definition.region, account: account)
        self.statements = Self.merged(statements)
    }

    /// The most characters one customer managed policy holds, whitespace not counted (IAM User
    /// Guide, "IAM and AWS STS quotas": managed policy size 6,144 characters).
    public static let managedPolicyCharacterLimit = 6_144

    /// The policy document: `{"Version": "2012-10-17", "Statement": […]}`, all statements in one.
    public var document: [String: Any] {
        Self.document(statements)
    }

    /// The statements grouped into documents that each fit one managed policy: in order, a new
    /// document begun when the next statement would take the current one over `limit`
    /// characters (compact JSON, which has no whitespace to discount). A statement is never
    /// split: one resource's statement stays far below the limit. One group when the whole
    /// policy fits.
    /// - Parameter limit: characters per document; ``managedPolicyCharacterLimit`` by default.
    /// - Returns: the statements of each document.
    public func documentStatements(limit: Int = DeployPolicy.managedPolicyCharacterLimit) -> [[PolicyStatement]] {
        var groups: [[PolicyStatement]] = []
        var current: [PolicyStatement] = []
        for statement in statements {
            if !current.isEmpty, Self.characters(Self.document(current + [statement])) > limit {
                groups.append(current)
                current = []
            }
            current.append(statement)
        }
        if !current.isEmpty || groups.isEmpty { groups.append(current) }
        return groups
    }

    /// The documents of ``documentStatements(limit:)``, each `{"Version": "2012-10-17", "Statement": […]}`.
    /// - Parameter limit: characters per document; ``managedPolicyCharacterLimit`` by default.
    public func documents(limit: Int = DeployPolicy.managedPolicyCharacterLimit) -> [[String: Any]] {
        documentStatements(limit: limit).map(Self.document)
    }

    private static func document(_ statements: [PolicyStatement]) -> [String: Any] {
        ["Version": "2012-10-17", "Statement": statements.map { ["Sid": $0.sid, "Effect": "Allow", "Action": $0.actions, "Resource": $0.resources] }]
    }

    /// The characters IAM counts: the compact JSON text.
    private static func characters(_ document: [String: Any]) -> Int {
        ((try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()).count
    }

    /// Each `*` statement's reasons, by statement id.
    public var reasons: [String: [String]] {
        Dictionary(uniqueKeysWithValues: statements.filter { !$0.reasons.isEmpty }.map { ($0.sid, $0.reasons) })
    }

    /// One statement per group of actions granted on the same ARNs. An action's ARNs stay in one
    /// statement, so the resource type AWS requires for it (`security-group` for
    /// `ec2:AuthorizeSecurityGroupEgress`) is always beside the optional ones (`security-group-rule`):
    /// no statement grants an action only on resources that alone never authorize it.
    private static func statements(sid: String, calls: [IAMCall], phases: Set<AccessPhase>, fill: ARNFill) -> [PolicyStatement] {
        var arnsByAction: [String: Set<String>] = [:]
        var unscoped: Set<String> = []
        var reasonsByAction: [String: String] = [:]
        let grants = calls.flatMap { call in call.grants.filter { !(($0.phases ?? call.phases).isDisjoint(with: phases)) } }
        for grant in grants where grant.conditions.allSatisfy(fill.meets) {
            for action in grant.actions {
                for pattern in grant.resources {
                    switch pattern {
                    case .arn(let template):
                        // A template over something the stack does not set names nothing.
                        if let arn = fill.arn(template) { arnsByAction[action, default: []].insert(arn) }
                    case .heldIn(let path, let template):
                        let arns = fill.arns(heldIn: path, ofReferenced: template)
                        if !arns.isEmpty { arnsByAction[action, default: []].formUnion(arns) }
                    case .anyResource(let reason):
                        unscoped.insert(action)
                        reasonsByAction[action] = reason
                    }
                }
            }
        }
        var actionsByARNs: [[String]: [String]] = [:]
        for (action, arns) in arnsByAction { actionsByARNs[arns.sorted(), default: []].append(action) }
        var statements = actionsByARNs.map { PolicyStatement(sid: "", actions: $0.value.sorted(), resources: $0.key, reasons: []) }
            .sorted { $0.resources.lexicographicallyPrecedes($1.resources) }
        for index in statements.indices { statements[index].sid = index == 0 ? sid : "\(sid)\(index + 1)" }
        let actions = unscoped.sorted()
        if !actions.isEmpty {
            statements.append(PolicyStatement(sid: sid + "NoResource", actions: actions, resources: ["*"],
                                              reasons: actions.compactMap { reasonsByAction[$0] }.uniqued()))
        }
        return statements
    }

    /// An S3 backend's needs (README "State"): read and write the state object, create and
    /// delete the lock object beside it, check the bucket's versioning, and `s3:ListBucket`, without
    /// which a state not written yet answers 403 instead of 404 (Amazon S3 API Reference,
    /// GetObject); with a KMS key, the data keys of SSE-KMS and of the state's sealing.
    private static func backendStatements(_ backend: StateBackendChoice, stack: String, region: String, account: String?) -> [PolicyStatement] {
        guard case .s3(let bucket, _, let bucketRegion, let kmsKeyID) = backend, let key = backend.stateKey(stack: stack) else { return [] }
        let partition = AWSRegions.partition(of: bucketRegion ?? region) ?? "aws"
        var statements = [
            PolicyStatement(sid: "StateBucket", actions: ["s3:GetBucketVersioning", "s3:ListBucket"], resources: ["arn:\(partition):s3:::\(bucket)"], reasons: []),
            PolicyStatement(sid: "StateObjects", actions: ["s3:GetObject", "s3:PutObject"],
                            resources: ["arn:\(partition):s3:::\(bucket)/\(key)", "arn:\(partition):s3:::\(bucket)/\(key).lock"], reasons: []),
            PolicyStatement(sid: "StateLock", actions: ["s3:DeleteObject"], resources: ["arn:\(partition):s3:::\(bucket)/\(key).lock"], reasons: []),
        ]
        if let kmsKeyID {
            let keyARN = kmsKeyID.hasPrefix("arn:") && kmsKeyID.contains(":key/")
                ? kmsKeyID : "arn:\(partition):kms:\(bucketRegion ?? region):\(account ?? "*"):key/*"
            statements.append(PolicyStatement(sid: "StateKey", actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [keyARN], reasons: []))
        }
        return statements
    }

    /// Every action granted once on each ARN: an action an earlier statement already grants on
    /// all of a statement's resources is left out of it (a key policy's reads after the key's), and
    /// a statement left with no action goes, so removing any one statement takes a grant away.
    private static func merged(_ statements: [PolicyStatement]) -> [PolicyStatement] {
        var granted = Set<[String]>()
        var result: [PolicyStatement] = []
        for var statement in statements {
            statement.actions = statement.actions.filter { action in !statement.resources.allSatisfy { granted.contains([action, $0]) } }
            guard !statement.actions.isEmpty else { continue }
            // Each reason names the action it is for.
            statement.reasons = statement.reasons.filter { reason in statement.actions.contains { reason.contains($0) } }
            for action in statement.actions { for resource in statement.resources { granted.insert([action, resource]) } }
            result.append(statement)
        }
        return result
    }

    /// `s3.bucket.images` → `S3BucketImages`: IAM statement ids are letters and digits.
    private static func sid(_ address: Address) -> String {
        "\(address.type).\(address.name)".split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}

/// A resource whose type (or a lookup whose kind) declares no IAM access: `imgstack policy`
/// cannot say what it needs.
public struct UndeclaredAccessError: Error, CustomStringConvertible {
    /// The type's name (`lookup.kms.key` for a lookup).
    public var typeName: String
    public var description: String {
        "\(typeName) declares no IAM access: add `extension <Type>Type: AccessDeclaring` in its file (CONTRIBUTING.md, \"Adding a resource type\")"
    }
}

/// Fills an ARN template from one resource's properties or one lookup's arguments.
private struct ARNFill {
    /// The resource's properties or the lookup's arguments, by name.
    var values: [String: Engine.Expression]
    /// A property's default when the stack leaves it unset.
    var defaultValue: (String) -> Value?
    /// The stack's resources, to follow a reference to another one's property.
    var stack: [Address: ResourceDeclaration]
    var region: String
    var account: String?

    /// The ARNs held at `path` (``ARNPattern/heldIn(_:ofReferenced:)``): a literal ARN as
    /// written, a reference to a resource of the stack as `template` filled from its properties,
    /// anything else (a name, an expression) as `template` filled from this resource's own.
    func arns(heldIn path: String, ofReferenced template: String) -> [String] {
        values(at: path).compactMap { value in
            if case .value(.string(let arn)) = value, arn.hasPrefix("arn:") { return arn }
            var referenced = self
            if case .reference(let reference) = value, let resource = stack[reference.address] {
                referenced.values = resource.properties
                referenced.defaultValue = { resource.type.schema.property($0)?.defaultValue }
            }
            return referenced.arn(template)
        }
    }

    /// Whether the stack meets `condition`; a value only known after apply meets it.
    func meets(_ condition: GrantCondition) -> Bool {
        switch condition {
        case .anySet(let paths):
            return paths.contains { !values(at: $0).isEmpty }
        case .equals(let name, let expected):
            switch values[name] {
            case .value(let value)?: return value == expected
            case nil: return defaultValue(name) == expected
            default: return true
            }
        }
    }

    /// The values at `path`: its first part is a property; `.key` reads a key of a structured
    /// value; `[]` steps into every element of a list, or every value of a map in key order.
    /// Empty where the stack sets nothing on the way; an empty string or null is nothing.
    func values(at path: String) -> [Engine.Expression] {
        var found: [Engine.Expression] = []
        for (index, part) in path.split(separator: ".").enumerated() {
            let eachElement = part.hasSuffix("[]")
            let key = String(eachElement ? part.dropLast(2) : part)
            found = index == 0 ? values[key].map { [$0] } ?? [] : found.compactMap { Self.field(key, of: $0) }
            if eachElement { found = found.flatMap(Self.elements(of:)) }
        }
        return found.filter { $0 != .value(.string("")) && $0 != .value(.null) }
    }

    private static func field(_ key: String, of value: Engine.Expression) -> Engine.Expression? {
        switch value {
        case .map(let fields): return fields[key]
        case .value(.map(let fields)): return fields[key].map(Engine.Expression.value)
        default: return nil
        }
    }

    private static func elements(of value: Engine.Expression) -> [Engine.Expression] {
        switch value {
        case .list(let items): return items
        case .map(let entries): return entries.keys.sorted().compactMap { entries[$0] }
        case .value(.list(let items)): return items.map(Engine.Expression.value)
        case .value(.map(let entries)): return entries.keys.sorted().compactMap { entries[$0].map(Engine.Expression.value) }
        case .value(.null): return []
        default: return [value]
        }
    }

    /// The ARN `template` names; nil when it follows a property the stack leaves unset.
    func arn(_ template: String) -> String? {
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            guard let filled = value(String(rest[rest.index(after: open)..<close])) else { return nil }
            // A path-like name after a `/` keeps one slash: SSM parameter `/app/db` is `parameter/app/db`.
            result += result.hasSuffix("/") && filled.hasPrefix("/") ? String(filled.dropFirst()) : filled
            rest = rest[rest.index(after: close)...]
        }
        // Two unknown parts side by side are one.
        return (result + rest).replacingOccurrences(of: "**", with: "*")
    }

    private func value(_ name: String) -> String? {
        switch name {
        case "partition": return AWSRegions.partition(of: region) ?? "aws"
        case "region": return region
        case "account": return account ?? "*"
        case "parameterAccount":
            // An SSM public parameter's ARN names no account (`arn:aws:ssm:us-east-1::parameter/aws/service/…`):
            // `*` matches that empty field (no other account can own a name under `/aws/`, a
            // reserved prefix) and keeps the ARN in the form policy linters check for.
            return value("parameterName")?.hasPrefix("/aws/service/") ?? false ? "*" : value("account")
        case _ where name.hasSuffix("#host"):
            // `{url#host}`: the URL without its scheme, as an OIDC provider's ARN names it.
            return value(String(name.dropLast("#host".count))).map { $0.replacingOccurrences(of: "https://", with: "") }
        case _ where name.contains("->"):
            return followed(name.components(separatedBy: "->"))
        default:
            if let expression = values[name] { return known(expression) }
            return defaultValue(name)?.stringValue ?? "*"
        }
    }

    /// `{role->path}`: the property `path` of the stack's resource that the property `role`
    /// refers to (its default when the stack leaves it unset), through any number of `->`; `*`
    /// when a property on the way is not a reference to a resource of the stack; nil when the
    /// stack leaves one on the way unset (a launch template without an instance profile).
    private func followed(_ names: [String]) -> String? {
        var properties = values
        var declaration: ResourceDeclaration?
        for (index, name) in names.enumerated() {
            guard index < names.count - 1 else {
                if let expression = properties[name] { return known(expression) }
                return declaration?.type.schema.property(name)?.defaultValue?.stringValue ?? "*"
            }
            guard let expression = properties[name] else { return nil }
            guard case .reference(let reference) = expression, let next = stack[reference.address] else { return "*" }
            declaration = next
            properties = next.properties
        }
        return "*"
    }

    /// The expression's text with every part only known after apply as `*`; a reference to a
    /// property of another resource of the stack (`bucket.bucketName`) is that property's text.
    private func known(_ expression: Engine.Expression, depth: Int = 0) -> String {
        switch expression {
        case .value(let value): return value.stringValue ?? "*"
        case .concat(let parts):
            let text = parts.map { known($0, depth: depth) }.joined()
            return text.replacingOccurrences(of: "**", with: "*")
        case .reference(let reference):
            guard depth < 8, let property = stack[reference.address]?.properties[reference.attribute] else { return "*" }
            return known(property, depth: depth + 1)
        default: return "*"
        }
    }
}

extension Array where Element: Hashable {
    fileprivate func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
