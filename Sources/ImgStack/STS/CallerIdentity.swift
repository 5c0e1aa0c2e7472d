import AWS
import Engine

extension STS {
    /// The account, partition and ARN of the credentials a run uses (Terraform's
    /// `aws_caller_identity` and `aws_partition` data sources), read with STS
    /// `GetCallerIdentity`, which needs no permission.
    ///
    /// ```swift
    /// let me = stack.lookup(STS.CallerIdentity("current"))
    /// stack.add(S3.Bucket("logs", name: "logs-\(me.accountID)"))
    /// ```
    public struct CallerIdentity: Lookup {
        public static let typeName = "sts.caller_identity"
        public static let terraformType = "aws_caller_identity"

        public var name: String

        /// Declares the lookup.
        /// - Parameter name: its name in the stack.
        public init(_ name: String) {
            self.name = name
        }

        public var arguments: [String: Engine.Expression] { [:] }

        /// The 12-digit account id.
        public var accountID: Text { attribute("accountID") }
        /// The partition the account is in (`aws`, `aws-cn`, `aws-us-gov`), from the caller's ARN.
        public var partition: Text { attribute("partition") }
        /// The ARN of the user or assumed role.
        public var arn: Text { attribute("arn") }
        /// The caller's unique id (`AIDA…`, or `AROA…:session` for a role).
        public var userID: Text { attribute("userID") }

        public static func makeType() -> any LookupType { CallerIdentityLookup() }
    }
}

/// Reads the caller's identity with `GetCallerIdentity` (STS API reference).
struct CallerIdentityLookup: LookupType {
    let schema = LookupSchema(typeName: STS.CallerIdentity.typeName, terraformType: STS.CallerIdentity.terraformType,
                              arguments: [], attributes: ["accountID", "partition", "arn", "userID"])

    func read(_ arguments: [String: Engine.Value], context: OperationContext) async throws -> [String: Engine.Value] {
        let identity = try await context.aws.sts.getCallerIdentity()
        return ["accountID": .string(identity.account), "partition": .string(identity.partition), "arn": .string(identity.arn),
                "userID": .string(identity.userID)]
    }
}

extension CallerIdentityLookup: AccessDeclaring {
    /// `GetCallerIdentity` needs no permission ("No permissions are required to perform this
    /// operation", STS API Reference), so it grants nothing.
    static let access = ResourceAccess([
        IAMCall(.sts, "GetCallerIdentity", in: Set(AccessPhase.allCases), needs: [], on: []),
    ])
}
