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
        public static let typeName = "lambda.permission"

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
            var list = PropertyList()
            list.set("functionName", functionName)
            list.set("statementID", statementID)
            list.set("action", action)
            list.set("principal", principal)
            list.set("sourceARN", sourceARN)
            list.set("sourceAccount", sourceAccount)
            list.set("qualifier", qualifier)
            return list.values
        }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { PermissionType(aws: aws) }
    }
}

/// Adds, reads and removes statements of a function's policy. The id is
/// `function/statementID`, or `function:qualifier/statementID` with a qualifier.
struct PermissionType: ResourceType {
    let aws: AWSClient

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: Lambda.Permission.typeName, terraformType: "aws_lambda_permission",
            properties: [
                PropertySchema("functionName", forcesReplacement: true),
                PropertySchema("statementID", forcesReplacement: true),
                PropertySchema("action", forcesReplacement: true, default: "lambda:InvokeFunction"),
                PropertySchema("principal", forcesReplacement: true),
                PropertySchema("sourceARN", forcesReplacement: true, default: .null),
                PropertySchema("sourceAccount", forcesReplacement: true, default: .null),
                PropertySchema("qualifier", forcesReplacement: true, default: .null),
            ],
            attributes: [])
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let statement = properties["statementID"]?.literal?.stringValue {
            let allowed = statement.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
            if statement.isEmpty || statement.count > 100 || !allowed {
                issues += LambdaRules.issue(address, "statementID", "\"\(statement)\" must be 1 to 100 letters, digits, - and _")
            }
        }
        if let action = properties["action"]?.literal?.stringValue, !action.hasPrefix("lambda:") {
            issues += LambdaRules.issue(address, "action", "must be a Lambda action such as lambda:InvokeFunction, not \"\(action)\"")
        }
        if properties["principal"]?.literal?.stringValue?.isEmpty == true {
            issues += LambdaRules.issue(address, "principal", "must name a service, an account or an ARN")
        }
        return issues
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let function = properties["functionName"]?.stringValue ?? ""
        let statement = properties["statementID"]?.stringValue ?? ""
        let qualifier = properties["qualifier"]?.stringValue
        try await aws.lambda.addPermission(function: function, statementID: statement, action: properties["action"]?.stringValue ?? "lambda:InvokeFunction",
                                           principal: properties["principal"]?.stringValue ?? "", sourceARN: properties["sourceARN"]?.stringValue,
                                           sourceAccount: properties["sourceAccount"]?.stringValue, qualifier: qualifier, region: context.region)
        return ResourceSnapshot(id: Self.id(function: function, qualifier: qualifier, statement: statement), properties: properties)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let (function, qualifier, statement) = Self.parse(recorded.id) else { return nil }
        return try await read(function: recorded.properties["functionName"]?.stringValue ?? function, qualifier: qualifier, statement: statement,
                              declared: Set(recorded.properties.keys), recorded: recorded.properties, id: recorded.id, context: context)
    }

    private func read(function: String, qualifier: String?, statement: String, declared: Set<String>, recorded: [String: Value],
                      id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let text = try await aws.lambda.policy(function: function, qualifier: qualifier, region: context.region),
              let policy = try? Value(jsonText: text),
              let found = (policy["Statement"].listValue ?? []).first(where: { $0["Sid"].stringValue == statement }) else { return nil }
        let condition = found["Condition"]
        let actual: [String: Value] = [
            "functionName": recorded["functionName"] ?? .string(function),
            "statementID": .string(statement),
            "action": Self.single(found["Action"]),
            "principal": Self.principal(found["Principal"], recorded: recorded["principal"]),
            "sourceARN": condition["ArnLike"]["AWS:SourceArn"].isNull ? condition["ArnEquals"]["AWS:SourceArn"] : condition["ArnLike"]["AWS:SourceArn"],
            "sourceAccount": condition["StringEquals"]["AWS:SourceAccount"],
            "qualifier": qualifier.map(Value.string) ?? .null,
        ]
        return ResourceSnapshot(id: id, properties: actual.filter { declared.contains($0.key) })
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        // Every property forces replacement, so the planner never updates a permission in place.
        ResourceSnapshot(id: current.id, properties: desired, attributes: current.attributes)
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        guard let (function, qualifier, statement) = Self.parse(current.id) else { return }
        do {
            try await aws.lambda.removePermission(function: current.properties["functionName"]?.stringValue ?? function,
                                                  statementID: statement, qualifier: qualifier, region: context.region)
        } catch let error as AWSError where error.code == "ResourceNotFoundException" {
            return  // the statement, or the whole function, is already gone
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let (function, qualifier, statement) = Self.parse(id) else { return nil }
        return try await read(function: function, qualifier: qualifier, statement: statement,
                              declared: ["functionName", "statementID", "action", "principal", "sourceARN", "sourceAccount", "qualifier"],
                              recorded: [:], id: id, context: context)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        let function = properties["functionName"]?.stringValue ?? ""
        let statement = properties["statementID"]?.stringValue ?? ""
        let qualifier = properties["qualifier"]?.stringValue
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

    /// The principal as declared: Lambda writes `{"Service": …}` for a service and
    /// `{"AWS": "arn:aws:iam::ACCOUNT:root"}` for an account id given bare.
    static func principal(_ value: Value, recorded: Value?) -> Value {
        let named = value["Service"].isNull ? value["AWS"] : value["Service"]
        guard case .string(let text) = named.isNull ? value : named else { return named }
        if let declared = recorded?.stringValue, text == "arn:aws:iam::\(declared):root" || text.hasSuffix(":iam::\(declared):root") {
            return .string(declared)
        }
        return .string(text)
    }
}
