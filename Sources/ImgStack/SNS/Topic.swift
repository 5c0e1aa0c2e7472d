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
        public static let typeName = "sns.topic"

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
            var list = PropertyList()
            list.set("topicName", topicName)
            list.set("displayName", displayName)
            list.set("kmsMasterKeyID", kmsMasterKeyID)
            list.set("tags", tags)
            return list.values
        }

        /// The topic ARN.
        public var arn: Text { attribute("arn") }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { TopicType(aws: aws) }
    }
}

/// Creates, reads, updates and deletes SNS topics. The id is the topic ARN.
struct TopicType: ResourceType {
    let aws: AWSClient

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: SNS.Topic.typeName, terraformType: "aws_sns_topic",
            properties: [
                PropertySchema("topicName", forcesReplacement: true),
                PropertySchema("displayName", default: ""),
                PropertySchema("kmsMasterKeyID", default: ""),
                PropertySchema("tags", default: .map([:])),
            ],
            attributes: [AttributeSchema("arn")],
            uniqueNameProperty: "topicName")
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let name = properties["topicName"]?.literal?.stringValue, let problem = Self.nameProblem(name) {
            issues.append(ValidationIssue(subject: address.description, property: "topicName", message: problem))
        }
        if let display = properties["displayName"]?.literal?.stringValue, display.count > 100 {
            issues.append(ValidationIssue(subject: address.description, property: "displayName", message: "must be at most 100 characters, not \(display.count)"))
        }
        for problem in TagRules.problems(properties["tags"]?.literal, limit: 50) {
            issues.append(ValidationIssue(subject: address.description, property: "tags", message: problem))
        }
        return issues
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let name = properties["topicName"]?.stringValue ?? ""
        var attributes: [String: String] = [:]
        if let display = properties["displayName"]?.stringValue, !display.isEmpty { attributes["DisplayName"] = display }
        if let key = properties["kmsMasterKeyID"]?.stringValue, !key.isEmpty { attributes["KmsMasterKeyId"] = key }
        // A FIFO topic must say so when created; the name alone is refused.
        if name.hasSuffix(".fifo") { attributes["FifoTopic"] = "true" }
        let arn = try await aws.sns.createTopic(name, attributes: attributes, tags: Self.strings(properties["tags"]), region: context.region)
        return ResourceSnapshot(id: arn, properties: properties, attributes: ["arn": .string(arn)])
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, declared: Set(recorded.properties.keys), context: context)
    }

    private func read(_ arn: String, declared: Set<String>, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let attributes = try await aws.sns.topicAttributes(arn, region: context.region) else { return nil }
        var properties: [String: Value] = [
            // The name is the ARN's last field: arn:aws:sns:region:account:name.
            "topicName": .string(arn.split(separator: ":").last.map(String.init) ?? ""),
            "displayName": .string(attributes["DisplayName"] ?? ""),
            "kmsMasterKeyID": .string(attributes["KmsMasterKeyId"] ?? ""),
        ]
        if declared.contains("tags") { properties["tags"] = TagRules.visible(try await aws.sns.tags(arn, region: context.region)) }
        return ResourceSnapshot(id: arn, properties: properties.filter { declared.contains($0.key) }, attributes: ["arn": .string(arn)])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let arn = current.id
        if changed.contains("displayName") {
            try await aws.sns.setTopicAttribute(arn, name: "DisplayName", value: desired["displayName"]?.stringValue ?? "", region: context.region)
        }
        if changed.contains("kmsMasterKeyID") {
            // An empty value turns server-side encryption off.
            try await aws.sns.setTopicAttribute(arn, name: "KmsMasterKeyId", value: desired["kmsMasterKeyID"]?.stringValue ?? "", region: context.region)
        }
        if changed.contains("tags") {
            let wanted = Self.strings(desired["tags"])
            let removed = Set(Self.strings(current.properties["tags"]).keys).subtracting(wanted.keys)
            if !removed.isEmpty { try await aws.sns.untagResource(arn, keys: removed.sorted(), region: context.region) }
            if !wanted.isEmpty { try await aws.sns.tagResource(arn, tags: wanted, region: context.region) }
        }
        return ResourceSnapshot(id: arn, properties: desired, attributes: current.attributes)
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        do {
            try await aws.sns.deleteTopic(current.id, region: context.region)
        } catch let error as AWSError where error.code == "NotFound" {
            return
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, declared: ["topicName", "displayName", "kmsMasterKeyID", "tags"], context: context)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let name = properties["topicName"]?.stringValue else { return nil }
        // The ARN is derived from the name: ask STS for the account rather than creating the topic.
        let identity = try await aws.sts.getCallerIdentity()
        let partition = identity.arn.split(separator: ":").dropFirst().first.map(String.init) ?? "aws"
        return try await read("arn:\(partition):sns:\(context.region):\(identity.account):\(name)", declared: Set(properties.keys), context: context)
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
