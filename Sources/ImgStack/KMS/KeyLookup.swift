import AWS
import Engine

extension KMS {
    /// An existing KMS key found by its alias (Terraform's `aws_kms_key` data source), read with
    /// KMS `DescribeKey` on `alias/…`. The key is not managed by the stack: imgstack never changes
    /// or deletes it.
    ///
    /// ```swift
    /// let shared = stack.lookup(KMS.KeyLookup("shared", alias: "alias/shared-data"))
    /// stack.add(S3.Bucket("data", name: "data", kmsKeyID: shared.arn))
    /// ```
    public struct KeyLookup: Lookup {
        public static let typeName = "kms.key"
        public static let terraformType = "aws_kms_key"

        public var name: String
        /// The alias: `alias/` and the alias's name.
        public var alias: Text
        public var region: String?

        /// Declares the lookup.
        /// - Parameters:
        ///   - name: its name in the stack.
        ///   - alias: `alias/…`.
        ///   - region: where the key is, when not in the stack's region.
        public init(_ name: String, alias: Text, region: String? = nil) {
            self.name = name
            self.alias = alias
            self.region = region
        }

        public var arguments: [String: Engine.Expression] { ["alias": alias.expression] }

        /// The key's id (a UUID).
        public var keyID: Text { attribute("keyID") }
        /// The key's ARN.
        public var arn: Text { attribute("arn") }
        /// `Enabled`, `Disabled`, `PendingDeletion`, …
        public var keyState: Text { attribute("keyState") }

        public static func makeType() -> any LookupType { KeyLookupType() }
    }
}

/// Finds a key by alias with `DescribeKey` (KMS API reference: `KeyId` takes `alias/NAME`).
struct KeyLookupType: LookupType {
    let schema = LookupSchema(typeName: KMS.KeyLookup.typeName, terraformType: KMS.KeyLookup.terraformType,
                              arguments: ["alias"], attributes: ["keyID", "arn", "keyState"])

    func validate(_ arguments: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        guard let expression = arguments["alias"] else {
            return [ValidationIssue(subject: address.description, property: "alias", message: "is required: the key's alias, alias/NAME")]
        }
        guard let alias = expression.literal?.stringValue else { return [] }
        guard alias.hasPrefix("alias/"), alias.count > "alias/".count else {
            return [ValidationIssue(subject: address.description, property: "alias", message: "\"\(alias)\" must start with \"alias/\" and name an alias")]
        }
        return []
    }

    func read(_ arguments: [String: Engine.Value], context: OperationContext) async throws -> [String: Engine.Value] {
        let alias = arguments["alias"]?.stringValue ?? ""
        guard let key = try await nilWhenMissing(.notFoundException, call: { try await context.kms.describeKey(alias) }) else {
            throw LookupError.noMatch(context.address, "no KMS key has the alias \(alias) in \(context.region)")
        }
        return ["keyID": .string(key.keyID), "arn": .string(key.arn), "keyState": key.keyState.map(Engine.Value.string) ?? .null]
    }
}

extension KeyLookupType: AccessDeclaring {
    /// `DescribeKey` on the alias is authorized on the key it names (Service Authorization
    /// Reference, AWS KMS: `kms:DescribeKey` takes a key), whose id is only known once read.
    static let access = ResourceAccess([
        IAMCall(.kms, "DescribeKey", in: Set(AccessPhase.allCases), on: [.arn("arn:{partition}:kms:{region}:{account}:key/*")]),
    ])
}
