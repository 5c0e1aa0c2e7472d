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
        public static let typeName = "kms.alias"

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
            list.set("name", aliasName)
            list.set("targetKeyID", targetKeyID)
            return list.values
        }

        /// The alias ARN.
        public var arn: Text { attribute("arn") }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { AliasType(aws: aws) }
    }
}

/// Creates, retargets and deletes KMS aliases.
struct AliasType: ResourceType {
    let aws: AWSClient

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: KMS.Alias.typeName, terraformType: "aws_kms_alias",
            properties: [PropertySchema("name", forcesReplacement: true), PropertySchema("targetKeyID")],
            attributes: [AttributeSchema("arn")],
            uniqueNameProperty: "name")
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        guard let name = properties["name"]?.literal?.stringValue else { return [] }
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
        return problem.map { [ValidationIssue(subject: address.description, property: "name", message: $0)] } ?? []
    }

    /// KMS answers with key ids; a stack may name the key by ARN. Compare key ids.
    func normalize(_ property: String, _ value: Value) -> Value {
        guard property == "targetKeyID", case .string(let text) = value, text.hasPrefix("arn:"), let slash = text.lastIndex(of: "/") else {
            return value
        }
        return .string(String(text[text.index(after: slash)...]))
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let name = properties["name"]?.stringValue ?? ""
        try await aws.kms.createAlias(name, targetKeyID: properties["targetKeyID"]?.stringValue ?? "", region: context.region)
        return try await find(name, region: context.region) ?? ResourceSnapshot(id: name, properties: properties)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(recorded.id, region: context.region)
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        if changed.contains("targetKeyID") {
            try await aws.kms.updateAlias(current.id, targetKeyID: desired["targetKeyID"]?.stringValue ?? "", region: context.region)
        }
        return try await find(current.id, region: context.region) ?? current
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        do {
            try await aws.kms.deleteAlias(current.id, region: context.region)
        } catch let error as AWSError where error.code == "NotFoundException" {
            return
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await find(id, region: context.region)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let name = properties["name"]?.stringValue else { return nil }
        return try await find(name, region: context.region)
    }

    private func find(_ name: String, region: String) async throws -> ResourceSnapshot? {
        guard let alias = try await aws.kms.listAliases(region: region).first(where: { $0.name == name }) else { return nil }
        return ResourceSnapshot(id: alias.name,
                                properties: ["name": .string(alias.name), "targetKeyID": .string(alias.targetKeyID ?? "")],
                                attributes: ["arn": alias.arn.map(Value.string) ?? .null])
    }
}
