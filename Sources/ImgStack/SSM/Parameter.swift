import AWS
import Crypto
import Engine
import Foundation

extension SSM {
    /// A Parameter Store parameter (`aws_ssm_parameter`): a `String`, a `StringList` (values
    /// joined by commas) or a `SecureString` encrypted with a KMS key.
    ///
    /// ```swift
    /// stack.add(SSM.Parameter("client_secret", name: "/app/cognito/client-secret", type: .secureString,
    ///                         value: client.clientSecret, keyID: key.arn))
    /// ```
    ///
    /// A `SecureString`'s value is sensitive: plans, outputs and logs show `(sensitive value)`, and
    /// state records only its SHA-256 digest, so drift made outside imgstack is found by comparing
    /// digests, never by printing the value. Changing the name or the type replaces the parameter.
    public struct Parameter: Resource {
        public static let terraformType = "aws_ssm_parameter"

        /// The kind of value (`ParameterType` in the SSM API).
        public enum ParameterType: String, Sendable {
            /// Plain text.
            case string = "String"
            /// Values joined by commas (`a,b,c`).
            case stringList = "StringList"
            /// Text encrypted with a KMS key; sensitive.
            case secureString = "SecureString"
        }

        /// The storage tier (`ParameterTier` in the SSM API).
        public enum Tier: String, Sendable {
            /// Values up to 4 KB, no charge.
            case standard = "Standard"
            /// Values up to 8 KB, policies, charged.
            case advanced = "Advanced"
            /// Standard until a value or feature needs Advanced.
            case intelligentTiering = "Intelligent-Tiering"
        }

        public var name: String
        /// The parameter's name: letters, digits, `_`, `.`, `-`, and `/` between hierarchy levels
        /// (a name with a `/` starts with one; 15 levels at most); 1011 characters at most; not
        /// starting with `aws` or `ssm`. Changing it replaces the parameter.
        public var parameterName: Text
        /// The kind of value. Changing it replaces the parameter.
        public var type: ParameterType
        /// The value: 4,096 characters at most in the Standard tier, 8,192 in Advanced.
        public var value: Text
        /// What the parameter is for (1,024 characters at most).
        public var description: Text?
        /// The KMS key (id, ARN or alias) a `SecureString` is encrypted with; nil for
        /// `alias/aws/ssm`. Only for `SecureString`.
        public var keyID: Text?
        /// The storage tier; moving from Advanced back to Standard deletes and recreates the
        /// parameter, as AWS allows no other way.
        public var tier: Tier
        /// Tags (50 at most).
        public var tags: [String: Text]
        public var dependsOn: [Address] = []

        /// Declares a parameter.
        public init(_ name: String, name parameterName: Text, type: ParameterType = .string, value: Text, description: Text? = nil,
                    keyID: Text? = nil, tier: Tier = .standard, tags: [String: Text] = [:]) {
            self.name = name
            self.parameterName = parameterName
            self.type = type
            self.value = value
            self.description = description
            self.keyID = keyID
            self.tier = tier
            self.tags = tags
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.parameterName, parameterName)
            list.set(property.type, type.rawValue)
            list.set(type == .secureString ? property.secureValue : property.value, value)
            list.set(property.description, description)
            list.set(property.keyID, keyID)
            list.set(property.tier, tier.rawValue)
            list.set(property.tags, tags.isEmpty ? nil : tags)
            return list.values
        }

        /// The parameter's ARN.
        public var arn: Text { attribute("arn") }
        /// The parameter's version, counted up by each write.
        public var version: Text { attribute("version") }

        public static func makeType() -> any ResourceType { SSMParameterType() }
    }
}

extension SSM.Parameter {
    /// A parameter's properties, each declared once.
    struct Properties: PropertySet {
        let parameterName = Property<String>("name", forcesReplacement: true)
        let type = Property<String>("type", forcesReplacement: true, default: "String")
        /// The value of a `String` or `StringList` (Terraform's `insecure_value`).
        let value = Property<String>("value", terraform: "insecure_value")
        /// The value of a `SecureString`, recorded as its digest (``SSMParameterType/digest(_:)``).
        let secureValue = Property<String>("secureValue", terraform: "value", sensitive: true)
        let description = Property<String>("description", default: "")
        let keyID = Property<String>("keyID", terraform: "key_id")
        let tier = Property<String>("tier", default: "Standard")
        let tags = Property<[String: String]>("tags", default: [:])
    }

    static let property = Properties()
}

/// Creates, reads, updates and deletes SSM parameters (SSM API reference: `PutParameter`,
/// `GetParameter`, `DescribeParameters`, `DeleteParameter`, tagging calls).
struct SSMParameterType: ResourceType {
    static let schema = ResourceSchema(SSM.Parameter.self, SSM.Parameter.Properties.self,
                                       attributes: [AttributeSchema("arn"), AttributeSchema("version", changesOnUpdate: true)],
                                       uniqueName: [SSM.Parameter.property.parameterName])

    var schema: ResourceSchema { Self.schema }
    private var property: SSM.Parameter.Properties { SSM.Parameter.property }

    /// How state records a `SecureString`'s value: `sha256:` and the hex digest of its UTF-8 bytes.
    static let digestPrefix = "sha256:"

    /// The digest form of `secret`; a value already in that form is kept, so the form is stable.
    static func digest(_ secret: String) -> String {
        if isDigest(secret) { return secret }
        return digestPrefix + SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private static func isDigest(_ text: String) -> Bool {
        text.hasPrefix(digestPrefix) && text.count == digestPrefix.count + 64 && text.dropFirst(digestPrefix.count).allSatisfy(\.isHexDigit)
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let name = properties.literal(property.parameterName), let problem = SSMParameterRules.problem(withName: name) {
            issues.append(ValidationIssue(address, property.parameterName, problem))
        }
        let tier = properties.literal(property.tier) ?? "Standard"
        let limit = tier == "Advanced" ? 8192 : 4096
        for valueProperty in [property.value, property.secureValue] {
            guard let value = properties.literal(valueProperty) else { continue }
            if value.isEmpty { issues.append(ValidationIssue(address, valueProperty, "must not be empty")) }
            if value.utf8.count > limit {
                issues.append(ValidationIssue(address, valueProperty, "is \(value.utf8.count) bytes; the \(tier) tier takes at most \(limit)"))
            }
        }
        if properties[property.keyID] != nil, properties.literal(property.type) != "SecureString" {
            issues.append(ValidationIssue(address, property.keyID, "a KMS key is only for SecureString parameters"))
        }
        if let description = properties.literal(property.description), description.count > 1024 {
            issues.append(ValidationIssue(address, property.description, "must be at most 1024 characters, not \(description.count)"))
        }
        for problem in TagRules.problems(properties[property.tags]?.literal, limit: 49) {
            issues.append(ValidationIssue(address, property.tags, problem))
        }
        return issues
    }

    func normalize(_ name: String, _ value: Engine.Value) -> Engine.Value {
        guard name == property.secureValue.name, case .string(let secret) = value else { return value }
        return .string(Self.digest(secret))
    }

    // MARK: - Create

    func create(_ properties: [String: Engine.Value], context: OperationContext) async throws -> ResourceSnapshot {
        let ssm = try context.ssm
        let name = properties[property.parameterName] ?? ""
        // The intent tag tells a parameter this run created from another of the same name.
        let tags = AWS.KeyValueTag.list(TagRules.withIntent(properties[property.tags], context))
        try await ssm.putParameter(input(properties, overwrite: false, tags: tags))
        return try await snapshot(properties, name: name, ssm: ssm)
    }

    private func input(_ properties: [String: Engine.Value], overwrite: Bool, tags: [AWS.SSM.Tag]?) -> AWS.SSM.PutParameterInput {
        AWS.SSM.PutParameterInput(
            name: properties[property.parameterName] ?? "", value: properties[property.secureValue] ?? properties[property.value] ?? "",
            type: properties.value(property.type) ?? "String", description: properties.value(property.description),
            keyID: properties[property.keyID], tier: properties.value(property.tier), overwrite: overwrite,
            tags: overwrite || tags?.isEmpty != false ? nil : tags)
    }

    /// What state records after a write: the properties as written (a secret as its digest),
    /// with the ARN and version read back.
    private func snapshot(_ properties: [String: Engine.Value], name: String, ssm: AWS.SSM) async throws -> ResourceSnapshot {
        let parameter = try await ssm.getParameter(name)
        var recorded = properties
        if let secret = properties[property.secureValue] { recorded[property.secureValue] = Self.digest(secret) }
        return ResourceSnapshot(id: name, properties: recorded, attributes: Self.attributes(parameter))
    }

    // MARK: - Read

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, declared: Set(recorded.properties.keys), ssm: try context.ssm)
    }

    func readForDestroy(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        // Without decryption: a destroy has no use for a SecureString's value.
        let ssm = try context.ssm
        return try await recordedIfExists(recorded) {
            try await nilWhenMissing(.parameterNotFound, call: { try await ssm.getParameter(recorded.id, withDecryption: false) })
        }
    }

    private func read(_ name: String, declared: Set<String>, ssm: AWS.SSM) async throws -> ResourceSnapshot? {
        // The metadata and the tags are read by the parameter's name, alongside its value.
        let readsMetadata = declared.contains(property.description) || declared.contains(property.keyID) || declared.contains(property.tier)
        let readsTags = declared.contains(property.tags)
        guard let (parameter, (metadata, tags)) = try await ConcurrentReads.alongside(
            { try await nilWhenMissing(.parameterNotFound, call: { try await ssm.getParameter(name, withDecryption: true) }) },
            {
                async let metadata = readsMetadata ? ssm.describeParameter(name) : nil
                async let tags = readsTags ? ssm.tags(ofParameter: name) : nil
                return try await (metadata, tags)
            }) else { return nil }
        var properties: [String: Engine.Value] = [property.parameterName.name: .string(parameter.name)]
        if declared.contains(property.type) { properties[property.type] = parameter.type }
        if parameter.type == "SecureString" {
            if declared.contains(property.secureValue) || declared.contains(property.value) { properties[property.secureValue] = Self.digest(parameter.value) }
        } else if declared.contains(property.value) || declared.contains(property.secureValue) {
            properties[property.value] = parameter.value
        }
        if let metadata {
            if declared.contains(property.description) { properties[property.description] = metadata.description ?? "" }
            if declared.contains(property.keyID) { properties[property.keyID.name] = metadata.keyID.map(Engine.Value.string) ?? .null }
            if declared.contains(property.tier) { properties[property.tier] = metadata.tier ?? "Standard" }
        }
        if let tags {
            properties[property.tags.name] = TagRules.visible(Dictionary(tags.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last }))
        }
        return ResourceSnapshot(id: parameter.name, properties: properties, attributes: Self.attributes(parameter))
    }

    // MARK: - Update

    func update(_ current: ResourceSnapshot, to desired: [String: Engine.Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let ssm = try context.ssm
        let name = current.id
        let written: Set<String> = [property.value.name, property.secureValue.name, property.description.name, property.keyID.name, property.tier.name]
        if !changed.isDisjoint(with: written) {
            if current.properties[property.tier] == "Advanced", desired.value(property.tier) == "Standard" {
                // An advanced parameter cannot become standard again; it is deleted and written
                // anew (SSM user guide, "Changing a standard parameter to an advanced parameter").
                try await ssm.deleteParameter(name)
                try await ssm.putParameter(input(desired, overwrite: false, tags: AWS.KeyValueTag.list(desired[property.tags])))
            } else {
                // PutParameter needs the value whatever changed.
                try await ssm.putParameter(input(desired, overwrite: true, tags: nil))
            }
        }
        if changed.contains(property.tags) {
            let wanted = AWS.KeyValueTag.list(desired[property.tags])
            let removed = Set((current.properties[property.tags] ?? [:]).keys).subtracting(wanted.map(\.key))
            if !removed.isEmpty { try await ssm.untagParameter(name, keys: removed.sorted()) }
            if !wanted.isEmpty { try await ssm.tagParameter(name, tags: wanted) }
        }
        return try await snapshot(desired, name: name, ssm: ssm)
    }

    // MARK: - Delete, import, recovery

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let ssm = try context.ssm
        _ = try await nilWhenMissing(.parameterNotFound) { try await ssm.deleteParameter(current.id) }
    }

    func validateImportID(_ id: String) -> String? {
        SSMParameterRules.problem(withName: id)
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, declared: SSM.Parameter.Properties.names, ssm: try context.ssm)
    }

    /// A parameter is found again by its name, and adopted only when it carries this create's
    /// intent tag (a same-named parameter of someone else's is not ours).
    func findCreated(from properties: [String: Engine.Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let intent = context.intentID, let name = properties[property.parameterName] else { return nil }
        let ssm = try context.ssm
        guard try await nilWhenMissing(.parameterNotFound, call: { try await ssm.getParameter(name) }) != nil else { return nil }
        let tags = try await ssm.tags(ofParameter: name)
        guard tags.contains(where: { $0.key == TagRules.intentKey && $0.value == intent }) else { return nil }
        return try await read(name, declared: Set(properties.keys), ssm: ssm)
    }

    // MARK: - Helpers

    static func attributes(_ parameter: AWS.SSM.Parameter) -> [String: Engine.Value] {
        ["arn": parameter.arn.map(Engine.Value.string) ?? .null, "version": .int(parameter.version)]
    }
}

/// AWS's rules for parameter names (SSM user guide, "Requirements and constraints for parameter names").
enum SSMParameterRules {
    /// What AWS would refuse in `name`; nil when it is valid.
    static func problem(withName name: String) -> String? {
        if name.isEmpty || name.count > 1011 { return "must be 1 to 1011 characters, not \(name.count)" }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-/")
        if let bad = name.first(where: { !allowed.contains($0) }) {
            return "\"\(name)\" holds \"\(bad)\"; use letters, digits, '_', '.', '-' and '/' between levels"
        }
        if name.contains("/"), !name.hasPrefix("/") { return "\"\(name)\" has levels, so it must start with \"/\"" }
        let first = name.split(separator: "/").first.map { $0.lowercased() } ?? ""
        if first.hasPrefix("aws") || first.hasPrefix("ssm") { return "\"\(name)\": names starting with aws or ssm are reserved" }
        if name.split(separator: "/").count > 15 { return "\"\(name)\" has more than 15 levels" }
        return nil
    }
}

extension SSMParameterType: AccessDeclaring {
    /// Systems Manager actions per the Service Authorization Reference (AWS Systems Manager):
    /// the parameter's ARN holds its name without the leading `/`; a SecureString value is
    /// encrypted on write and decrypted on read with its KMS key (granted only for a SecureString).
    static let access: ResourceAccess = {
        let parameter = ARNPattern.arn("arn:{partition}:ssm:{region}:{account}:parameter/{name}")
        let key = ARNPattern.arn("arn:{partition}:kms:{region}:{account}:key/*")
        let secure = GrantCondition.equals("type", "SecureString")
        return ResourceAccess([
            IAMCall(.ssm, "PutParameter", in: .writing, needs: ["ssm:PutParameter", "ssm:AddTagsToResource"], on: [parameter],
                    alsoNeeds: [IAMGrant(["kms:Encrypt"], on: [key], when: secure)]),
            IAMCall(.ssm, "GetParameter", in: .readingBack, on: [parameter], alsoNeeds: [IAMGrant(["kms:Decrypt"], on: [key], when: secure)]),
            IAMCall(.ssm, "DescribeParameters", in: .readingBack, on: [.anyResource(reason: "ssm:DescribeParameters takes no resource")]),
            IAMCall(.ssm, "ListTagsForResource", in: .readingBack, on: [parameter]),
            IAMCall(.ssm, "AddTagsToResource", in: [.update], on: [parameter]),
            IAMCall(.ssm, "RemoveTagsFromResource", in: [.update], on: [parameter]),
            IAMCall(.ssm, "DeleteParameter", in: [.update, .delete], on: [parameter]),
        ])
    }()
}
