import AWS
import Engine

extension S3 {
    /// A bucket's event notifications: the one notification configuration a bucket has, sending
    /// chosen events to Lambda functions, SQS queues and SNS topics (`aws_s3_bucket_notification`).
    ///
    /// ```swift
    /// let allowS3 = stack.add(Lambda.Permission("s3", functionName: mover.arn, statementID: "AllowS3",
    ///                                           principal: "s3.amazonaws.com", sourceARN: uploads.arn))
    /// stack.add(S3.BucketNotification("uploads", bucket: uploads.bucketName, destinations: [
    ///     .lambda(mover.arn, permission: allowS3, events: ["s3:ObjectCreated:*"]),
    /// ]))
    /// ```
    ///
    /// AWS keeps one configuration per bucket: declare one `BucketNotification` per bucket (a
    /// second would overwrite the first). AWS checks every destination when the configuration is
    /// written, so a Lambda destination names the permission that lets S3 invoke it and is
    /// written after it.
    public struct BucketNotification: Resource {
        public static let terraformType = "aws_s3_bucket_notification"

        /// The resource's name in the stack.
        public var name: String
        /// The bucket's name. Changing it replaces the configuration.
        public var bucket: Text
        /// Where events go. Two destinations may not share an event type with overlapping
        /// prefix and suffix filters (AWS refuses the configuration).
        public var destinations: [Notification]
        /// Dependencies beside those that references imply (each Lambda destination's permission is one).
        public var dependsOn: [Address] = []

        /// Declares a bucket's notification configuration.
        public init(_ name: String, bucket: Text, destinations: [Notification]) {
            self.name = name
            self.bucket = bucket
            self.destinations = destinations
            dependsOn = destinations.compactMap(\.permission)
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.bucket, bucket)
            for kind in Notification.Kind.allCases {
                let items = destinations.filter { $0.kind == kind }.map(\.expression)
                list.set(property.destinations(kind), expression: Engine.Expression.list(items).literal.map(Engine.Expression.value) ?? .list(items))
            }
            return list.values
        }

        public static func makeType() -> any ResourceType { BucketNotificationType() }
    }
}

extension S3.BucketNotification {
    /// A notification configuration's properties, each declared once: the bucket and one list of
    /// `{"arn", "events", "prefix"?, "suffix"?}` per kind of destination, and what the stack cannot express.
    struct Properties: PropertySet {
        let bucket = Property<String>("bucket", forcesReplacement: true)
        let lambdaFunctions = Property<Value>("lambdaFunctions", terraform: .blocks("lambda_function", renamed: [
            "arn": "lambda_function_arn", "prefix": "filter_prefix", "suffix": "filter_suffix",
        ]), default: .list([]))
        let queues = Property<Value>("queues", terraform: .blocks("queue", renamed: [
            "arn": "queue_arn", "prefix": "filter_prefix", "suffix": "filter_suffix",
        ]), default: .list([]))
        let topics = Property<Value>("topics", terraform: .blocks("topic", renamed: [
            "arn": "topic_arn", "prefix": "filter_prefix", "suffix": "filter_suffix",
        ]), default: .list([]))
        /// What the bucket's configuration holds that a stack cannot declare (`EventBridgeConfiguration`):
        /// never set by a stack, so it shows as drift, and the next write removes it.
        let unmanagedByImgstack = Property<[String]>("unmanagedByImgstack", terraform: .none("read only: the settings a stack cannot express"), default: [])

        func destinations(_ kind: S3.Notification.Kind) -> Property<Value> {
            switch kind {
            case .lambdaFunction: return lambdaFunctions
            case .queue: return queues
            case .topic: return topics
            }
        }
    }

    static let property = Properties()
}

/// Writes, reads and clears bucket notification configurations. The id is the bucket's name.
struct BucketNotificationType: ResourceType {
    static let schema = ResourceSchema(S3.BucketNotification.self, S3.BucketNotification.Properties.self)

    var schema: ResourceSchema { Self.schema }
    private var property: S3.BucketNotification.Properties { S3.BucketNotification.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let name = properties.literal(property.bucket), let problem = BucketName.problem(name) {
            issues.append(ValidationIssue(address, property.bucket, problem))
        }
        var seen: [(S3.Notification.Kind, NotificationRules.Item)] = []
        for kind in S3.Notification.Kind.allCases {
            let declared = property.destinations(kind)
            for item in NotificationRules.items(properties[declared]) {
                issues += NotificationRules.problems(item, kind: kind).map { ValidationIssue(address, declared, $0) }
                if let other = seen.first(where: { NotificationRules.overlap($0.1, item) }) {
                    issues.append(ValidationIssue(address, declared, "overlaps a \(other.0.rawValue) destination: AWS refuses two destinations "
                                                      + "sharing an event type whose prefix and suffix filters overlap"))
                }
                seen.append((kind, item))
            }
        }
        return issues
    }

    func normalize(_ name: String, _ value: Value) -> Value {
        guard S3.Notification.Kind.allCases.contains(where: { property.destinations($0).name == name }), case .list(let items) = value else {
            return value
        }
        // AWS keeps destinations and their event types as sets.
        let normal = items.map { item -> Value in
            guard case .map(var entries) = item else { return item }
            if case .list(let events)? = entries["events"] { entries["events"] = .list(events.sorted { $0.canonicalJSON < $1.canonicalJSON }) }
            return .map(entries.filter { $0.value != .null })
        }
        return .list(normal.sorted { $0.canonicalJSON < $1.canonicalJSON })
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let bucket = properties[property.bucket] ?? ""
        try await put(bucket, properties, context: context)
        return ResourceSnapshot(id: bucket, properties: normalized(properties))
    }

    /// Writes the whole configuration; S3 replaces whatever the bucket had.
    private func put(_ bucket: String, _ properties: [String: Value], context: OperationContext) async throws {
        let destinations = S3.Notification.Kind.allCases.flatMap { kind in
            (properties[property.destinations(kind).name]?.listValue ?? []).map { Self.destination($0, kind: kind) }
        }
        do {
            try await context.s3.putBucketNotification(bucket, destinations)
        } catch let error as AWSError where error.code == .invalidArgument && error.message.contains("Unable to validate") {
            throw NotificationDestinationError(bucket: bucket, address: context.address, message: error.message)
        }
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        let s3 = try context.s3
        guard let configuration = try await nilWhenMissing(.noSuchBucket, call: { try await s3.bucketNotification(recorded.id) }) else {
            return nil
        }
        var properties: [String: Value] = [property.bucket.name: .string(recorded.id)]
        properties[property.unmanagedByImgstack] = configuration.unmodeled
        for kind in S3.Notification.Kind.allCases {
            let items = configuration.destinations.filter { $0.kind == Self.awsKind(kind) }.map(Self.item)
            properties[property.destinations(kind).name] = normalize(property.destinations(kind).name, .list(items))
        }
        return ResourceSnapshot(id: recorded.id, properties: properties)
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        try await put(current.id, desired, context: context)
        return ResourceSnapshot(id: current.id, properties: normalized(desired))
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        // A bucket always has a configuration: deleting it is writing an empty one.
        let s3 = try context.s3
        _ = try await nilWhenMissing(.noSuchBucket) { try await s3.putBucketNotification(current.id, []) }
    }

    /// A notification configuration is imported by its bucket's name.
    func validateImportID(_ id: String) -> String? {
        S3Rules.bucketImportIDProblem(id, expected: "a bucket notification is imported by its bucket's name")
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(ResourceSnapshot(id: id, properties: [:]), context: context)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let bucket = properties[property.bucket] else { return nil }
        return try await read(ResourceSnapshot(id: bucket, properties: [:]), context: context)
    }

    // MARK: - Helpers

    private func normalized(_ properties: [String: Value]) -> [String: Value] {
        properties.reduce(into: [:]) { $0[$1.key] = normalize($1.key, $1.value) }
    }

    static func awsKind(_ kind: S3.Notification.Kind) -> AWS.S3.NotificationDestination.Kind {
        switch kind {
        case .lambdaFunction: return .lambdaFunction
        case .queue: return .queue
        case .topic: return .topic
        }
    }

    static func destination(_ item: Value, kind: S3.Notification.Kind) -> AWS.S3.NotificationDestination {
        let entries = item.mapValue ?? [:]
        return AWS.S3.NotificationDestination(kind: awsKind(kind), arn: entries["arn"]?.stringValue ?? "",
                                              events: (entries["events"]?.listValue ?? []).compactMap(\.stringValue),
                                              prefix: entries["prefix"]?.stringValue, suffix: entries["suffix"]?.stringValue)
    }

    static func item(_ destination: AWS.S3.NotificationDestination) -> Value {
        var entries: [String: Value] = ["arn": .string(destination.arn), "events": .list(destination.events.map(Value.string))]
        if let prefix = destination.prefix { entries["prefix"] = .string(prefix) }
        if let suffix = destination.suffix { entries["suffix"] = .string(suffix) }
        return .map(entries)
    }
}

extension BucketNotificationType: AccessDeclaring {
    /// S3 actions per the Service Authorization Reference (Amazon S3): the configuration's
    /// `Put…`/`Get…Configuration` calls need `s3:PutBucketNotification`/`s3:GetBucketNotification`;
    /// a delete writes an empty configuration.
    static let access: ResourceAccess = {
        let bucket = ARNPattern.arn("arn:{partition}:s3:::{bucket}")
        return ResourceAccess([
            IAMCall(.s3, "PutBucketNotificationConfiguration", in: .writing.union([.delete]), needs: ["s3:PutBucketNotification"], on: [bucket]),
            IAMCall(.s3, "GetBucketNotificationConfiguration", in: .readingBack, needs: ["s3:GetBucketNotification"], on: [bucket]),
        ])
    }()
}
