import AWS
import Engine

extension CloudWatch {
    /// A CloudWatch Logs log group (`aws_cloudwatch_log_group`).
    ///
    /// ```swift
    /// let logs = stack.add(CloudWatch.LogGroup("api-access", name: "/aws/apigateway/upload-api", retentionInDays: 30))
    /// ```
    ///
    /// Declaring the group a Lambda function or an API Gateway stage writes to lets imgstack
    /// delete it with the stack: a group AWS creates on first write is left behind by destroy.
    /// Its `id` is the group's name.
    public struct LogGroup: Resource {
        public static let terraformType = "aws_cloudwatch_log_group"

        /// The resource's name in the stack.
        public var name: String
        /// The group's name: 1–512 letters, digits, `.`, `-`, `_`, `/` and `#`, unique in the
        /// account's region. Changing it replaces the group (and loses its events).
        public var groupName: Text
        /// Days events are kept: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,
        /// 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653 (`PutRetentionPolicy`); nil keeps
        /// them for ever.
        public var retentionInDays: Int?
        /// The ARN of the KMS key that encrypts new events (e.g. `key.arn`); its key policy must
        /// let `logs.<region>.amazonaws.com` use it. Nil: CloudWatch Logs' own encryption.
        public var kmsKeyID: Text?
        /// Tags: at most 49 (AWS takes 50; one is imgstack's intent tag); keys 1–128 characters, values at most 256; `aws:` and `imgstack:` prefixes are reserved.
        public var tags: [String: Text]
        /// Dependencies beside those that references imply.
        public var dependsOn: [Address] = []

        /// Declares a log group.
        /// - Parameters:
        ///   - name: the resource's name in the stack.
        ///   - groupName: the log group's name in CloudWatch Logs.
        ///   - retentionInDays: days events are kept; nil for ever.
        ///   - kmsKeyID: a KMS key ARN, or nil.
        ///   - tags: the group's tags.
        public init(_ name: String, name groupName: Text, retentionInDays: Int? = nil, kmsKeyID: Text? = nil, tags: [String: Text] = [:]) {
            self.name = name
            self.groupName = groupName
            self.retentionInDays = retentionInDays
            self.kmsKeyID = kmsKeyID
            self.tags = tags
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.groupName, groupName)
            list.set(property.retentionInDays, retentionInDays ?? 0)
            list.set(property.kmsKeyID, kmsKeyID)
            list.set(property.tags, tags)
            return list.values
        }

        /// `arn:aws:logs:<region>:<account>:log-group:<name>` (no trailing `:*`), as IAM
        /// policies and the tagging calls name it.
        public var arn: Text { attribute("arn") }

        public static func makeType() -> any ResourceType { LogGroupType() }
    }
}

extension CloudWatch.LogGroup {
    /// A log group's properties, each declared once.
    struct Properties: PropertySet {
        let groupName = Property<String>("name", forcesReplacement: true)
        /// 0: events never expire (Terraform's `retention_in_days` default).
        let retentionInDays = Property<Int>("retentionInDays", default: 0)
        /// "": no key of the stack's.
        let kmsKeyID = Property<String>("kmsKeyID", terraform: "kms_key_id", default: "")
        let tags = Property<[String: String]>("tags", default: [:])
    }

    static let property = Properties()
}

/// Creates, reads, updates and deletes CloudWatch Logs log groups. The id is the group's name.
struct LogGroupType: ResourceType {
    static let schema = ResourceSchema(CloudWatch.LogGroup.self, CloudWatch.LogGroup.Properties.self,
                                       attributes: [AttributeSchema("arn")], uniqueName: [CloudWatch.LogGroup.property.groupName])

    var schema: ResourceSchema { Self.schema }
    private var property: CloudWatch.LogGroup.Properties { CloudWatch.LogGroup.property }

    /// `LogGroupName` in botocore's logs model (1–512 characters), anchored.
    static let namePattern = #"^[\.\-_/#A-Za-z0-9]+$"#

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let name = properties.literal(property.groupName), let problem = Self.problem(withName: name) {
            issues.append(ValidationIssue(address, property.groupName, problem))
        }
        if let days = properties.literal(property.retentionInDays), days != 0, !AWS.CloudWatchLogs.allowedRetentionDays.contains(days) {
            let allowed = AWS.CloudWatchLogs.allowedRetentionDays.map(String.init).joined(separator: ", ")
            issues.append(ValidationIssue(address, property.retentionInDays,
                                          "\(days) is not a retention CloudWatch Logs accepts: use one of \(allowed) days, or nil to keep events for ever"))
        }
        if let key = properties.literal(property.kmsKeyID) {
            if key.count > 256 {
                issues.append(ValidationIssue(address, property.kmsKeyID, "must be at most 256 characters, not \(key.count)"))
            } else if !(key.hasPrefix("arn:") && key.contains(":key/")) {
                issues.append(ValidationIssue(address, property.kmsKeyID,
                                              "\"\(key)\" is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>): CloudWatch Logs takes only the ARN"))
            }
        }
        for problem in TagRules.problems(properties[property.tags]?.literal, limit: 49) {
            issues.append(ValidationIssue(address, property.tags, problem))
        }
        return issues
    }

    /// A log group is imported by its name.
    func validateImportID(_ id: String) -> String? {
        Self.problem(withName: id)
    }

    /// What AWS would refuse in a log group name (`CreateLogGroup`'s `logGroupName`), nil when valid.
    private static func problem(withName name: String) -> String? {
        if !(1...512).contains(name.count) {
            return "must be 1 to 512 characters, not \(name.count)"
        }
        if !ImportIDForm.matches(name, namePattern) {
            return "\"\(name)\" may contain only letters, digits, '.', '-', '_', '/' and '#'"
        }
        return nil
    }

    // MARK: - Create, read

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let logs = try context.logs
        let name = properties[property.groupName] ?? ""
        let key = properties.value(property.kmsKeyID) ?? ""
        try await logs.createLogGroup(name, kmsKeyID: key.isEmpty ? nil : key, tags: TagRules.withIntent(properties[property.tags], context))
        if let days = properties[property.retentionInDays], days != 0 {
            try await logs.putRetentionPolicy(name, days: days)
        }
        return try await read(name, declared: Set(properties.keys), logs: logs)
            ?? ResourceSnapshot(id: name, properties: properties)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, declared: Set(recorded.properties.keys), logs: try context.logs,
                       recordedARN: recorded.attributes["arn"]?.stringValue)
    }

    func readForDestroy(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await recordedIfExists(recorded) { try await read(recorded.id, declared: [], logs: try context.logs) }
    }

    /// The group as CloudWatch Logs describes it; tags only when declared (one more call: by the
    /// `recordedARN` alongside the group when there is one, else by the ARN the group gives).
    /// With `owner` (recovery), nil unless the group carries the intent tag of `owner`'s create.
    private func read(_ name: String, declared: Set<String>, logs: AWS.CloudWatchLogs, recordedARN: String? = nil,
                      owner: OperationContext? = nil) async throws -> ResourceSnapshot? {
        guard let (group, tags) = try await ConcurrentReads.withTags(
            { try await logs.logGroup(name) }, arn: Self.arn, recordedARN: recordedARN,
            readsTags: declared.contains(property.tags) || owner != nil, tags: { try await logs.tags($0) }) else { return nil }
        let arn = Self.arn(group)
        var properties: [String: Value] = [:]
        properties[property.groupName] = group.logGroupName
        properties[property.retentionInDays] = group.retentionInDays ?? 0
        properties[property.kmsKeyID] = group.kmsKeyId ?? ""
        if let tags {
            if let owner, !TagRules.carryIntent(tags, of: owner) { return nil }
            if declared.contains(property.tags) { properties[property.tags.name] = TagRules.visible(tags) }
        }
        return ResourceSnapshot(id: group.logGroupName, properties: properties, attributes: ["arn": .string(arn)])
    }

    /// The group's own ARN: `logGroupArn`, else its `arn` without the trailing `:*`.
    private static func arn(_ group: AWS.CloudWatchLogs.LogGroup) -> String {
        group.logGroupArn ?? arnWithoutWildcard(group.arn ?? "")
    }

    /// `…:log-group:<name>:*` → `…:log-group:<name>`.
    static func arnWithoutWildcard(_ arn: String) -> String {
        arn.hasSuffix(":*") ? String(arn.dropLast(2)) : arn
    }

    // MARK: - Update

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let logs = try context.logs
        let name = current.id
        if changed.contains(property.retentionInDays) {
            let days = desired.value(property.retentionInDays) ?? 0
            if days == 0 {
                try await logs.deleteRetentionPolicy(name)
            } else {
                try await logs.putRetentionPolicy(name, days: days)
            }
        }
        if changed.contains(property.kmsKeyID) {
            let key = desired.value(property.kmsKeyID) ?? ""
            if key.isEmpty {
                try await logs.disassociateKmsKey(name)
            } else {
                try await logs.associateKmsKey(name, kmsKeyID: key)
            }
        }
        if changed.contains(property.tags), let arn = current.attributes["arn"]?.stringValue {
            let wanted = desired[property.tags] ?? [:]
            let removed = Set((current.properties[property.tags] ?? [:]).keys).subtracting(wanted.keys)
            if !removed.isEmpty { try await logs.untagResource(arn, keys: removed.sorted()) }
            if !wanted.isEmpty { try await logs.tagResource(arn, tags: wanted) }
        }
        return try await read(name, declared: Set(desired.keys), logs: logs) ?? current
    }

    // MARK: - Delete, import, recovery

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let logs = try context.logs
        _ = try await nilWhenMissing(.resourceNotFoundException) { try await logs.deleteLogGroup(current.id) }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, declared: CloudWatch.LogGroup.Properties.names, logs: try context.logs)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        // Names are unique in the account's region; the group is the crashed apply's only when it
        // carries that create's intent tag (a same-named one of someone else's is not adopted).
        guard let name = properties[property.groupName] else { return nil }
        return try await read(name, declared: Set(properties.keys), logs: try context.logs, owner: context)
    }
}

extension LogGroupType: AccessDeclaring {
    /// CloudWatch Logs actions per the Service Authorization Reference (Amazon CloudWatch Logs).
    static let access: ResourceAccess = {
        let group = ARNPattern.arn("arn:{partition}:logs:{region}:{account}:log-group:{name}")
        return ResourceAccess([
            IAMCall(.cloudWatchLogs, "CreateLogGroup", in: [.create], needs: ["logs:CreateLogGroup", "logs:TagResource"], on: [group]),
            IAMCall(.cloudWatchLogs, "DescribeLogGroups", in: .readingBack, on: [.anyResource(reason: "logs:DescribeLogGroups takes no resource")]),
            IAMCall(.cloudWatchLogs, "PutRetentionPolicy", in: .writing, on: [group]),
            IAMCall(.cloudWatchLogs, "DeleteRetentionPolicy", in: .writing, on: [group]),
            IAMCall(.cloudWatchLogs, "AssociateKmsKey", in: .writing, on: [group]),
            IAMCall(.cloudWatchLogs, "DisassociateKmsKey", in: .writing, on: [group]),
            IAMCall(.cloudWatchLogs, "ListTagsForResource", in: .readingBack, on: [group]),
            IAMCall(.cloudWatchLogs, "TagResource", in: .writing, on: [group]),
            IAMCall(.cloudWatchLogs, "UntagResource", in: .writing, on: [group]),
            IAMCall(.cloudWatchLogs, "DeleteLogGroup", in: [.delete], on: [group]),
        ])
    }()
}
