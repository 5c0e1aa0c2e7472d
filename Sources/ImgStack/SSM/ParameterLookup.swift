import AWS
import Engine

extension SSM {
    /// The value of an existing SSM parameter, such as the public parameters AWS publishes
    /// (Terraform's `aws_ssm_parameter` data source), read with SSM `GetParameter`. The latest
    /// Amazon Linux 2023 AMI is ``latestAmazonLinux2023AMI(_:region:)``.
    ///
    /// ```swift
    /// let ami = stack.lookup(SSM.ParameterLookup.latestAmazonLinux2023AMI("al2023"))
    /// // ami.value is the AMI id, e.g. ami-0841e304792db6a16
    /// ```
    public struct ParameterLookup: Lookup {
        public static let typeName = "ssm.parameter"
        public static let terraformType = "aws_ssm_parameter"

        /// The public parameter AWS keeps at the newest Amazon Linux 2023 AMI for x86_64 with
        /// the default kernel (Amazon Linux 2023 user guide, "Amazon Linux 2023 AMI IDs in
        /// Parameter Store").
        public static let amazonLinux2023x86_64 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"

        public var name: String
        /// The parameter's name (`/aws/service/…`) or ARN.
        public var parameterName: Text
        public var region: String?

        /// Declares the lookup. A `SecureString` is refused: its value would be recorded in
        /// state and plans in clear.
        /// - Parameters:
        ///   - name: its name in the stack.
        ///   - parameterName: the parameter's name or ARN.
        ///   - region: where the parameter is, when not in the stack's region.
        public init(_ name: String, parameterName: Text, region: String? = nil) {
            self.name = name
            self.parameterName = parameterName
            self.region = region
        }

        /// The newest Amazon Linux 2023 AMI (x86_64, default kernel) in the stack's region.
        public static func latestAmazonLinux2023AMI(_ name: String, region: String? = nil) -> ParameterLookup {
            ParameterLookup(name, parameterName: Text(amazonLinux2023x86_64), region: region)
        }

        public var arguments: [String: Engine.Expression] { ["parameterName": parameterName.expression] }

        /// The value (for an AMI parameter, the AMI id).
        public var value: Text { attribute("value") }
        /// The parameter's version.
        public var version: Text { attribute("version") }
        /// `String` or `StringList`.
        public var type: Text { attribute("type") }
        /// The parameter's ARN.
        public var arn: Text { attribute("arn") }

        public static func makeType() -> any LookupType { ParameterLookupType() }
    }
}

/// Reads a parameter with `GetParameter` (SSM API reference).
struct ParameterLookupType: LookupType {
    let schema = LookupSchema(typeName: SSM.ParameterLookup.typeName, terraformType: SSM.ParameterLookup.terraformType,
                              arguments: ["parameterName"], attributes: ["value", "version", "type", "arn"])

    func validate(_ arguments: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        guard arguments["parameterName"] != nil else {
            return [ValidationIssue(subject: address.description, property: "parameterName", message: "is required")]
        }
        return []
    }

    func read(_ arguments: [String: Engine.Value], context: OperationContext) async throws -> [String: Engine.Value] {
        let name = arguments["parameterName"]?.stringValue ?? ""
        guard let parameter = try await nilWhenMissing(.parameterNotFound, call: { try await context.ssm.getParameter(name) }) else {
            throw LookupError.noMatch(context.address, "no SSM parameter is named \(name) in \(context.region)")
        }
        guard parameter.type != "SecureString" else {
            throw LookupError(context.address, "\(name) is a SecureString; a lookup records its value in state and plans in clear, so it reads String and StringList parameters only")
        }
        return ["value": .string(parameter.value), "version": .int(parameter.version), "type": .string(parameter.type),
                "arn": parameter.arn.map(Engine.Value.string) ?? .null]
    }
}

extension ParameterLookupType: AccessDeclaring {
    /// `GetParameter` on the parameter's ARN (Service Authorization Reference, AWS Systems
    /// Manager), which names no account for a public parameter (`/aws/service/…`); no
    /// decryption: a SecureString is refused, not read.
    static let access = ResourceAccess([
        IAMCall(.ssm, "GetParameter", in: Set(AccessPhase.allCases), on: [.arn("arn:{partition}:ssm:{region}:{parameterAccount}:parameter/{parameterName}")]),
    ])
}
