import AWS
import Engine
import Foundation

extension Lambda {
    /// One statement of a function's resource policy, letting a service or account invoke it
    /// (`aws_lambda_permission`). Every property forces a new statement: Lambda has no call
    /// to change one.
    ///
    /// ```swift
    /// stack.add(Lambda.Permission("sns", functionName: function.arn, statementID: "AllowSNS",
    ///                             principal: "sns.amazonaws.com", sourceARN: topic.arn))
    /// ```
    public struct Permission: Resource {
        public static let terraformType = "aws_lambda_permission"

        public var name: String
        /// The function's name or ARN.
        public var functionName: Text
        /// The statement id: 1–100 letters, digits, `-` and `_`, unique in the function's policy.
        public var statementID: String
        /// The action granted, `lambda:InvokeFunction` by default.
        public var action: String
        /// A service (`sns.amazonaws.com`), an account id, or an ARN.
        public var principal: Text
        /// Only calls on behalf of this resource (a topic, a bucket, a rule).
        public var sourceARN: Text?
        /// Only calls on behalf of this account (for S3 buckets, whose ARNs hold no account).
        public var sourceAccount: Text?
        /// A version or alias the statement applies to; the unqualified function when nil.
        public var qualifier: Text?
        public var dependsOn: [Address] = []

        /// Declares a permission.
        public init(_ name: String, functionName: Text, statementID: String, action: String = "lambda:InvokeFunction", principal: Text,
                    sourceARN: Text? = nil, sourceAccount: Text? = nil, qualifier: Text? = nil) {
            self.name = name
            self.functionName = functionName
            self.statementID = statementID
            self.action = action
            self.principal = principal
            self.sourceARN = sourceARN
            self.sourceAccount = sourceAccount
            self.qualifier = qualifier
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.functionName, functionName)
            list.set(property.statementID, statementID)
            list.set(property.action, action)
            list.set(property.principal, principal)
            list.set(property.sourceARN, sourceARN)
            list.set(property.sourceAccount, sourceAccount)
            list.set(property.qualifier, qualifier)
            return list.values
        }

        public static func makeType() -> any ResourceType { PermissionType() }
    }
}

extension Lambda.Permission {
    /// A permission's properties, each declared once. Every one forces a new statement.
    struct Properties: PropertySet {
        let functionName = Property<String>("functionName", forcesReplacement: true)
        let statementID = Property<String>("statementID", forcesReplacement: true)
        let action = Property<String>("action", forcesReplacement: true, default: "lambda:InvokeFunction")
        let principal = Property<String>("principal", forcesReplacement: true)
        let sourceARN = Property<Value>("sourceARN", terraform: TerraformAttribute("source_arn", .value), forcesReplacement: true, default: .null)
        let sourceAccount = Property<Value>("sourceAccount", terraform: TerraformAttribute("source_account", .value), forcesReplacement: true, default: .null)
        let qualifier = Property<Value>("qualifier", terraform: TerraformAttribute("qualifier", .value), forcesReplacement: true, default: .null)
    }

    static let property = Properties()
}

/// Adds, reads and removes statements of a function's policy. The id is
/// `function/statementID`, or `function:qualifier/statementID` with a qualifier.
struct PermissionType: ResourceType {
    static let schema = ResourceSchema(Lambda.Permission.self, Lambda.Permission.Properties.self)

    var schema: ResourceSchema { Self.schema }
    private var property: Lambda.Permission.Properties { Lambda.Permission.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let statement = properties.literal(property.statementID) {
            let allowed = statement.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
            if statement.isEmpty || statement.count > 100 || !allowed {
                issues += LambdaRules.issue(address, property.statementID, "\"\(statement)\" must be 1 to 100 letters, digits, - and _")
            }
        }
        if let action = properties.literal(property.action), !action.hasPrefix("lambda:") {
            issues += LambdaRules.issue(address, property.action, "must be a Lambda action such as lambda:InvokeFunction, not \"\(action)\"")
        }
        if properties.literal(property.principal)?.isEmpty == true {
            issues += LambdaRules.issue(address, property.principal, "must name a service, an account or an ARN")
        }
        return issues
    }

    /// An account's root ARN and its bare id are one principal (``PolicyNormalizer/accountPrincipal(_:)``).
    func normalize(_ name: String, _ value: Value) -> Value {
        name == property.principal.name ? PolicyNormalizer.accountPrincipal(value) : value
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let function = properties[property.functionName] ?? ""
        let statement = properties[property.statementID] ?? ""
        let qualifier = properties[property.qualifier]?.stringValue
        let lambda = try context.lambda
        // A role created moments ago is not a valid principal until IAM has propagated it.
        try await LambdaRules.newPrincipal.run(context, reason: "the permission's principal is not visible to Lambda yet") {
            try await lambda.addPermission(
                function: function, statementID: statement, action: properties[property.action] ?? "lambda:InvokeFunction",
                principal: properties[property.principal] ?? "", sourceARN: properties[property.sourceARN]?.stringValue,
                sourceAccount: properties[property.sourceAccount]?.stringValue, qualifier: qualifier)
        }
        return ResourceSnapshot(id: Self.id(function: function, qualifier: qualifier, statement: statement), properties: properties)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let (function, qualifier, statement) = Self.parse(recorded.id) else { return nil }
        return try await read(function: recorded.properties[property.functionName] ?? function, qualifier: qualifier, statement: statement,
                              declared: Set(recorded.properties.keys), recorded: recorded.properties, id: recorded.id, context: context)
    }

    private func read(function: String, qualifier: String?, statement: String, declared: Set<String>, recorded: [String: Value],
                      id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let text = try await context.lambda.policy(function: function, qualifier: qualifier),
              let policy = try? Value(jsonText: text),
              let found = (policy["Statement"].listValue ?? []).first(where: { $0["Sid"].stringValue == statement }) else { return nil }
        let condition = found["Condition"]
        var actual: [String: Value] = [:]
        actual[property.functionName.name] = recorded[property.functionName.name] ?? .string(function)
        actual[property.statementID] = statement
        actual[property.action.name] = Self.single(found["Action"])
        actual[property.principal.name] = Self.principal(found["Principal"])
        actual[property.sourceARN.name] = condition["ArnLike"]["AWS:SourceArn"].isNull
            ? condition["ArnEquals"]["AWS:SourceArn"] : condition["ArnLike"]["AWS:SourceArn"]
        actual[property.sourceAccount.name] = condition["StringEquals"]["AWS:SourceAccount"]
        actual[property.qualifier.name] = qualifier.map(Value.string) ?? .null
        return ResourceSnapshot(id: id, properties: actual.filter { declared.contains($0.key) })
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        // Every property forces replacement, so the planner never updates a permission in place.
        ResourceSnapshot(id: current.id, properties: desired, attributes: current.attributes)
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        guard let (function, qualifier, statement) = Self.parse(current.id) else { return }
        let lambda = try context.lambda
        // Already gone: the statement, or the whole function.
        _ = try await nilWhenMissing(.resourceNotFoundException) {
            try await lambda.removePermission(function: current.properties[property.functionName] ?? function, statementID: statement,
                                              qualifier: qualifier)
        }
    }

    /// A permission is imported as `<function>/<statement id>` or
    /// `<function>:<qualifier>/<statement id>`; the function by its name or ARN (`FunctionName`,
    /// `Qualifier`, `StatementId` in botocore's lambda model).
    func validateImportID(_ id: String) -> String? {
        let function = "(" + ImportIDForm.arn("lambda", resource: "function:") + ")?[A-Za-z0-9_-]{1,64}"
        return ImportIDForm.problem(id, matching: function + #"(:[A-Za-z0-9$_-]{1,128})?/[A-Za-z0-9_.-]{1,100}"#,
                                    expected: "a Lambda permission is imported as FUNCTION/STATEMENT_ID or FUNCTION:QUALIFIER/STATEMENT_ID (my-function/AllowSNS)")
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let (function, qualifier, statement) = Self.parse(id) else { return nil }
        return try await read(function: function, qualifier: qualifier, statement: statement,
                              declared: Lambda.Permission.Properties.names, recorded: [:], id: id, context: context)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        let function = properties[property.functionName] ?? ""
        let statement = properties[property.statementID] ?? ""
        let qualifier = properties[property.qualifier]?.stringValue
        return try await read(function: function, qualifier: qualifier, statement: statement, declared: Set(properties.keys),
                              recorded: properties, id: Self.id(function: function, qualifier: qualifier, statement: statement), context: context)
    }

    // MARK: - Helpers

    static func id(function: String, qualifier: String?, statement: String) -> String {
        (qualifier.map { "\(function):\($0)" } ?? function) + "/" + statement
    }

    /// Splits `function[:qualifier]/statement`; a function ARN holds colons of its own, so the
    /// qualifier is the eighth ARN field or the second field of a plain name.
    static func parse(_ id: String) -> (function: String, qualifier: String?, statement: String)? {
        guard let slash = id.lastIndex(of: "/") else { return nil }
        let target = String(id[..<slash])
        let statement = String(id[id.index(after: slash)...])
        let parts = target.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let nameFields = target.hasPrefix("arn:") ? 7 : 1
        guard !statement.isEmpty, parts.count >= nameFields else { return nil }
        let function = parts.prefix(nameFields).joined(separator: ":")
        let qualifier = parts.count > nameFields ? parts[nameFields...].joined(separator: ":") : nil
        return (function, qualifier, statement)
    }

    /// `Action` is a string in the statements Lambda writes; a one-item list means the same.
    static func single(_ value: Value) -> Value {
        if case .list(let items) = value, items.count == 1 { return items[0] }
        return value
    }

    /// The principal as one string: Lambda writes `{"Service": …}` for a service and
    /// `{"AWS": "arn:aws:iam::ACCOUNT:root"}` for an account id given bare (``normalize(_:_:)``
    /// makes those two equal).
    static func principal(_ value: Value) -> Value {
        let named = value["Service"].isNull ? value["AWS"] : value["Service"]
        return single(named.isNull ? value : named)
    }
}

extension PermissionType: AccessDeclaring {
    /// Lambda actions per the Service Authorization Reference (AWS Lambda).
    static let access: ResourceAccess = {
        // `functionName` is a name or an ARN, written or a reference to a function of the stack.
        let function = ARNPattern.heldIn("functionName", ofReferenced: "arn:{partition}:lambda:{region}:{account}:function:{functionName}")
        return ResourceAccess([
            IAMCall(.lambda, "AddPermission", in: [.create], on: [function]),
            IAMCall(.lambda, "GetPolicy", in: .readingBack, on: [function]),
            IAMCall(.lambda, "RemovePermission", in: [.delete], on: [function]),
        ])
    }()
}
