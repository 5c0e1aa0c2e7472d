import AWS
import Engine

extension KMS {
    /// A friendly name for a KMS key (`aws_kms_alias`). Retargeting it to another key is an
    /// update in place.
    ///
    /// ```swift
    /// stack.add(KMS.Alias("data", name: "alias/images", targetKeyID: key.keyID))
    /// ```
    public struct Alias: Resource {
        public static let terraformType = "aws_kms_alias"

        public var name: String
        /// The alias name: `alias/` followed by letters, digits, `/`, `_` and `-` (256 characters
        /// at most); `alias/aws/` is reserved for AWS. Changing it replaces the alias.
        public var aliasName: Text
        /// The key it points at: a key id or ARN.
        public var targetKeyID: Text
        public var dependsOn: [Address] = []

        /// Declares an alias.
        /// - Parameters:
        ///   - name: the resource's name in the stack.
        ///   - aliasName: `alias/…`.
        ///   - targetKeyID: the key's id or ARN, e.g. `key.keyID`.
        public init(_ name: String, name aliasName: Text, targetKeyID: Text) {
            self.name = name
            self.aliasName = aliasName
            self.targetKeyID = targetKeyID
        }

        public var properties: [String: Engine.Expression] {
            var list = PropertyList()
            list.set(Self.property.aliasName, aliasName)
            list.set(Self.property.targetKeyID, targetKeyID)
            return list.values
        }

        /// The alias ARN.
        public var arn: Text { attribute("arn") }

        public static func makeType() -> any ResourceType { AliasType() }
    }
}

extension KMS.Alias {
    /// An alias's properties, each declared once.
    struct Properties: PropertySet {
        let aliasName = Property<String>("name", forcesReplacement: true)
        let targetKeyID = Property<String>("targetKeyID", terraform: "target_key_id")
    }

    static let property = Properties()
}

/// Creates, retargets and deletes KMS aliases.
struct AliasType: ResourceType {
    static let schema = ResourceSchema(KMS.Alias.self, KMS.Alias.Properties.self, attributes: [AttributeSchema("arn")],
                                       uniqueName: [KMS.Alias.property.aliasName])

    var schema: ResourceSchema { Self.schema }
    private var property: KMS.Alias.Properties { KMS.Alias.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        guard let name = properties.literal(property.aliasName) else { return [] }
        return Self.problem(withName: name).map { [ValidationIssue(address, property.aliasName, $0)] } ?? []
    }

    /// An alias is imported by its name, which AWS's rules for names apply to.
    func validateImportID(_ id: String) -> String? {
        Self.problem(withName: id)
    }

    /// What AWS would refuse in an alias name (CreateAlias's `AliasName`), nil when it is valid.
    private static func problem(withName name: String) -> String? {
        let problem: String?
        if !name.hasPrefix("alias/") {
            problem = "\"\(name)\" must start with \"alias/\" (for example \"alias/\(name)\")"
        } else if name.hasPrefix("alias/aws/") {
            problem = "\"\(name)\": the alias/aws/ prefix is reserved for AWS managed keys"
        } else if name.count > 256 || name == "alias/" {
            problem = "\"\(name)\" must be 7 to 256 characters"
        } else if !name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "/_-".unicodeScalars.contains($0)) }) {
            problem = "\"\(name)\" may contain only letters, digits, '/', '_' and '-'"
        } else {
            problem = nil
        }
        return problem
    }

    /// KMS answers with key ids; a stack may name the key by ARN. Compare key ids.
    func normalize(_ name: String, _ value: Value) -> Value {
        guard name == property.targetKeyID.name, case .string(let text) = value, text.hasPrefix("arn:"), let slash = text.lastIndex(of: "/") else {
            return value
        }
        return .string(String(text[text.index(after: slash)...]))
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let kms = try context.kms
        let name = properties[property.aliasName] ?? ""
        try await kms.createAlias(name, targetKeyID: properties[property.targetKeyID] ?? "")
        return try await find(name, kms: kms) ?? ResourceSnapshot(id: name, properties: properties)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(recorded.id, kms: try context.kms)
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let kms = try context.kms
        if changed.contains(property.targetKeyID) {
            try await kms.updateAlias(current.id, targetKeyID: desired[property.targetKeyID] ?? "")
        }
        return try await find(current.id, kms: kms) ?? current
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let kms = try context.kms
        _ = try await nilWhenMissing(.notFoundException) { try await kms.deleteAlias(current.id) }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(id, kms: try context.kms)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let name = properties[property.aliasName] else { return nil }
        return try await find(name, kms: try context.kms)
    }

    private func find(_ name: String, kms: AWS.KMS) async throws -> ResourceSnapshot? {
        guard let alias = try await kms.listAliases().first(where: { $0.name == name }) else { return nil }
        var properties: [String: Value] = [:]
        properties[property.aliasName] = alias.name
        properties[property.targetKeyID] = alias.targetKeyID ?? ""
        return ResourceSnapshot(id: alias.name, properties: properties, attributes: ["arn": alias.arn.map(Value.string) ?? .null])
    }
}

extension AliasType: AccessDeclaring {
    /// KMS actions per the Service Authorization Reference (AWS KMS): an alias's create, update
    /// and delete are checked on the alias and on its key.
    static let access: ResourceAccess = {
        let alias = ARNPattern.arn("arn:{partition}:kms:{region}:{account}:{name}")
        let key = ARNPattern.arn("arn:{partition}:kms:{region}:{account}:key/*")
        return ResourceAccess([
            IAMCall(.kms, "CreateAlias", in: [.create], on: [alias, key]),
            IAMCall(.kms, "ListAliases", in: .readingBack, on: [.anyResource(reason: "kms:ListAliases takes no resource")]),
            IAMCall(.kms, "UpdateAlias", in: [.update], on: [alias, key]),
            IAMCall(.kms, "DeleteAlias", in: [.delete], on: [alias, key]),
        ])
    }()
}
