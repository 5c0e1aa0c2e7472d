import AWS
import Engine
import Foundation

extension SNS {
    /// A notification topic (`aws_sns_topic`).
    ///
    /// ```swift
    /// let alerts = stack.add(SNS.Topic("alerts", topicName: "images-alerts", displayName: "Image server alerts"))
    /// ```
    public struct Topic: Resource {
        public static let terraformType = "aws_sns_topic"

        public var name: String
        /// The topic name: 1–256 letters, digits, `-` and `_` (a FIFO topic ends in `.fifo`),
        /// unique in the region. Changing it replaces the topic.
        public var topicName: Text
        /// The name shown as the sender of SMS and email notifications (up to 100 characters).
        public var displayName: String
        /// The KMS key (id, ARN or alias) that encrypts messages at rest; empty for none.
        public var kmsMasterKeyID: Text
        /// Tags.
        public var tags: [String: Text]
        /// A region other than the stack's: a CloudWatch alarm notifies topics of its own region only.
        public var region: String?
        public var dependsOn: [Address] = []

        /// Declares a topic.
        public init(_ name: String, topicName: Text, displayName: String = "", kmsMasterKeyID: Text = "", tags: [String: Text] = [:],
                    region: String? = nil) {
            self.name = name
            self.topicName = topicName
            self.displayName = displayName
            self.kmsMasterKeyID = kmsMasterKeyID
            self.tags = tags
            self.region = region
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.topicName, topicName)
            list.set(property.displayName, displayName)
            list.set(property.kmsMasterKeyID, kmsMasterKeyID)
            list.set(property.tags, tags)
            return list.values
        }

        /// The topic ARN.
        public var arn: Text { attribute("arn") }

        public static func makeType() -> any ResourceType { TopicType() }
    }
}

extension SNS.Topic {
    /// A topic's properties, each declared once.
    struct Properties: PropertySet {
        let topicName = Property<String>("topicName", terraform: "name", forcesReplacement: true)
        let displayName = Property<String>("displayName", default: "")
        let kmsMasterKeyID = Property<String>("kmsMasterKeyID", default: "")
        let tags = Property<[String: String]>("tags", default: [:])
    }

    static let property = Properties()
}

/// Creates, reads, updates and deletes SNS topics. The id is the topic ARN.
struct TopicType: ResourceType {
    static let schema = ResourceSchema(SNS.Topic.self, SNS.Topic.Properties.self, attributes: [AttributeSchema("arn")],
                                       uniqueName: [SNS.Topic.property.topicName])

    var schema: ResourceSchema { Self.schema }
    private var property: SNS.Topic.Properties { SNS.Topic.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let name = properties.literal(property.topicName), let problem = Self.nameProblem(name) {
            issues.append(ValidationIssue(address, property.topicName, problem))
        }
        if let display = properties.literal(property.displayName), display.count > 100 {
            issues.append(ValidationIssue(address, property.displayName, "must be at most 100 characters, not \(display.count)"))
        }
        for problem in TagRules.problems(properties[property.tags]?.literal, limit: 49) {
            issues.append(ValidationIssue(address, property.tags, problem))
        }
        return issues
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let name = properties[property.topicName] ?? ""
        var attributes: [String: String] = [:]
        if let display = properties[property.displayName], !display.isEmpty { attributes["DisplayName"] = display }
        if let key = properties[property.kmsMasterKeyID], !key.isEmpty { attributes["KmsMasterKeyId"] = key }
        // A FIFO topic must say so when created; the name alone is refused.
        if name.hasSuffix(".fifo") { attributes["FifoTopic"] = "true" }
        let arn = try await context.sns.createTopic(name, attributes: attributes,
                                                     tags: TagRules.withIntent(Self.strings(properties[property.tags.name]), context))
        return ResourceSnapshot(id: arn, properties: properties, attributes: ["arn": .string(arn)])
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, declared: Set(recorded.properties.keys), sns: try context.sns)
    }

    func readForDestroy(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await recordedIfExists(recorded) { try await read(recorded.id, declared: [], sns: try context.sns) }
    }

    private func read(_ arn: String, declared: Set<String>, sns: AWS.SNS) async throws -> ResourceSnapshot? {
        // The tags are read by the topic's ARN, alongside its attributes.
        let readsTags = declared.contains(property.tags)
        guard let (attributes, tags) = try await ConcurrentReads.alongside({ try await sns.topicAttributes(arn) }, {
            readsTags ? try await sns.tags(arn) : nil
        }) else { return nil }
        return snapshot(arn, attributes: attributes, tags: tags, declared: declared)
    }

    /// The topic as `GetTopicAttributes` and, when declared, `ListTagsForResource` answered.
    private func snapshot(_ arn: String, attributes: [String: String], tags: [String: String]?, declared: Set<String>) -> ResourceSnapshot {
        var properties: [String: Value] = [:]
        // The name is the ARN's last field: arn:aws:sns:region:account:name.
        properties[property.topicName] = arn.split(separator: ":").last.map(String.init) ?? ""
        properties[property.displayName] = attributes["DisplayName"] ?? ""
        properties[property.kmsMasterKeyID] = attributes["KmsMasterKeyId"] ?? ""
        if let tags { properties[property.tags.name] = TagRules.visible(tags) }
        return ResourceSnapshot(id: arn, properties: properties.filter { declared.contains($0.key) }, attributes: ["arn": .string(arn)])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let arn = current.id
        let sns = try context.sns
        if changed.contains(property.displayName) {
            try await sns.setTopicAttribute(arn, name: "DisplayName", value: desired[property.displayName] ?? "")
        }
        if changed.contains(property.kmsMasterKeyID) {
            // An empty value turns server-side encryption off.
            try await sns.setTopicAttribute(arn, name: "KmsMasterKeyId", value: desired[property.kmsMasterKeyID] ?? "")
        }
        if changed.contains(property.tags) {
            let wanted = Self.strings(desired[property.tags.name])
            let removed = Set(Self.strings(current.properties[property.tags.name]).keys).subtracting(wanted.keys)
            if !removed.isEmpty { try await sns.untagResource(arn, keys: removed.sorted()) }
            if !wanted.isEmpty { try await sns.tagResource(arn, tags: wanted) }
        }
        return ResourceSnapshot(id: arn, properties: desired, attributes: current.attributes)
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let sns = try context.sns
        _ = try await nilWhenMissing(.notFound) { try await sns.deleteTopic(current.id) }
    }

    /// A topic is imported by its ARN, whose last field is the topic's name.
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: ImportIDForm.arn("sns", resource: #"[A-Za-z0-9_-]{1,256}(\.fifo)?"#),
                             expected: "an SNS topic is imported by its ARN (arn:aws:sns:REGION:ACCOUNT:NAME)")
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, declared: SNS.Topic.Properties.names, sns: try context.sns)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let name = properties[property.topicName] else { return nil }
        // The ARN is derived from the name: ask STS for the account rather than creating the topic.
        let identity = try await context.aws.sts.getCallerIdentity()
        let partition = identity.arn.split(separator: ":").dropFirst().first.map(String.init) ?? "aws"
        let arn = "arn:\(partition):sns:\(context.region):\(identity.account):\(name)"
        let sns = try context.sns
        // Only the topic the crashed create tagged: a same-named topic of someone else's is not adopted.
        guard let attributes = try await sns.topicAttributes(arn) else { return nil }
        let tags = try await sns.tags(arn)
        guard TagRules.carryIntent(tags, of: context) else { return nil }
        return snapshot(arn, attributes: attributes, tags: tags, declared: Set(properties.keys))
    }

    /// Topic names: 1–256 letters, digits, `-` and `_`; FIFO topics end in `.fifo`.
    static func nameProblem(_ name: String) -> String? {
        let base = name.hasSuffix(".fifo") ? String(name.dropLast(5)) : name
        guard !name.isEmpty, name.count <= 256 else { return "must be 1 to 256 characters, not \(name.count)" }
        let allowed = !base.isEmpty && base.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
        return allowed ? nil : "\"\(name)\" may contain only letters, digits, - and _ (and end in .fifo for a FIFO topic)"
    }

    static func strings(_ value: Value?) -> [String: String] {
        (value?.mapValue ?? [:]).compactMapValues(\.stringValue)
    }
}

extension TopicType: AccessDeclaring {
    /// SNS actions per the Service Authorization Reference (Amazon SNS); STS `GetCallerIdentity`
    /// needs no permission (STS API reference).
    static let access: ResourceAccess = {
        let topic = ARNPattern.arn("arn:{partition}:sns:{region}:{account}:{topicName}")
        return ResourceAccess([
            IAMCall(.sts, "GetCallerIdentity", in: Set(AccessPhase.allCases), needs: [], on: []),
            IAMCall(.sns, "CreateTopic", in: [.create], needs: ["sns:CreateTopic", "sns:TagResource"], on: [topic]),
            IAMCall(.sns, "GetTopicAttributes", in: .readingBack, on: [topic]),
            IAMCall(.sns, "SetTopicAttributes", in: .writing, on: [topic]),
            IAMCall(.sns, "ListTagsForResource", in: .readingBack, on: [topic]),
            IAMCall(.sns, "TagResource", in: .writing, on: [topic]),
            IAMCall(.sns, "UntagResource", in: .writing, on: [topic]),
            IAMCall(.sns, "DeleteTopic", in: [.delete], on: [topic]),
        ])
    }()
}
