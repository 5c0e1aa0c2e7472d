import AWS
import Engine

extension S3 {
    /// One destination of a bucket's event notifications (a `lambda_function`, `queue` or `topic`
    /// block of Terraform's `aws_s3_bucket_notification`).
    ///
    /// ```swift
    /// .lambda(mover.arn, permission: allowS3, events: ["s3:ObjectCreated:*"], prefix: "uploads/")
    /// ```
    public struct Notification: Sendable {
        /// What receives the events.
        public enum Kind: String, Sendable, CaseIterable {
            /// A Lambda function, which must let `s3.amazonaws.com` invoke it.
            case lambdaFunction
            /// An SQS queue, whose policy must let `s3.amazonaws.com` `sqs:SendMessage`.
            case queue
            /// An SNS topic, whose policy must let `s3.amazonaws.com` `sns:Publish`.
            case topic
        }

        /// The kind of destination.
        public var kind: Kind
        /// The function, queue or topic ARN.
        public var arn: Text
        /// S3 event types, such as `s3:ObjectCreated:*` or `s3:ObjectRemoved:Delete` (at least one).
        public var events: [String]
        /// Only keys starting with this (at most 1,024 characters).
        public var prefix: String?
        /// Only keys ending with this (at most 1,024 characters).
        public var suffix: String?
        /// The permission that lets S3 invoke the function: the notification is written after it.
        public var permission: Address?

        /// A Lambda function destination.
        /// - Parameters:
        ///   - functionARN: the function's ARN (S3 takes no name).
        ///   - permission: the `Lambda.Permission` letting `s3.amazonaws.com` invoke it, which AWS
        ///     checks when the configuration is written (`InvalidArgument` otherwise); imgstack
        ///     writes the notification after it.
        public static func lambda(_ functionARN: Text, permission: Lambda.Permission?, events: [String], prefix: String? = nil,
                                  suffix: String? = nil) -> Notification {
            Notification(kind: .lambdaFunction, arn: functionARN, events: events, prefix: prefix, suffix: suffix, permission: permission?.address)
        }

        /// An SQS queue destination (a standard queue; its policy must let S3 send to it).
        public static func queue(_ queueARN: Text, events: [String], prefix: String? = nil, suffix: String? = nil) -> Notification {
            Notification(kind: .queue, arn: queueARN, events: events, prefix: prefix, suffix: suffix)
        }

        /// An SNS topic destination (its policy must let S3 publish to it).
        public static func topic(_ topicARN: Text, events: [String], prefix: String? = nil, suffix: String? = nil) -> Notification {
            Notification(kind: .topic, arn: topicARN, events: events, prefix: prefix, suffix: suffix)
        }

        /// The destination as a property item: `{"arn", "events", "prefix"?, "suffix"?}`.
        var expression: Engine.Expression {
            var entries: [String: Engine.Expression] = ["arn": arn.expression, "events": events.expression]
            if let prefix { entries["prefix"] = prefix.expression }
            if let suffix { entries["suffix"] = suffix.expression }
            return Engine.Expression.map(entries).literal.map(Engine.Expression.value) ?? .map(entries)
        }
    }
}

/// The rules of notification destinations, checked before any call.
enum NotificationRules {
    /// The event types S3 takes (botocore's `s3` model, shape `Event`).
    static let events: Set<String> = [
        "s3:ReducedRedundancyLostObject", "s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
        "s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated",
        "s3:ObjectRestore:*", "s3:ObjectRestore:Post", "s3:ObjectRestore:Completed", "s3:ObjectRestore:Delete", "s3:Replication:*",
        "s3:Replication:OperationFailedReplication", "s3:Replication:OperationNotTracked", "s3:Replication:OperationMissedThreshold",
        "s3:Replication:OperationReplicatedAfterThreshold", "s3:LifecycleTransition", "s3:IntelligentTiering", "s3:ObjectAcl:Put",
        "s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete", "s3:LifecycleExpiration:DeleteMarkerCreated", "s3:ObjectTagging:*",
        "s3:ObjectTagging:Put", "s3:ObjectTagging:Delete",
    ]

    /// The ARN service each kind takes.
    static func service(_ kind: S3.Notification.Kind) -> String {
        switch kind {
        case .lambdaFunction: return "lambda"
        case .queue: return "sqs"
        case .topic: return "sns"
        }
    }

    /// A destination as far as it is known before apply.
    struct Item {
        var arn: String?
        var events: [String]?
        var prefix: String?
        var suffix: String?
    }

    /// The items of a destinations property, literal or holding references.
    static func items(_ expression: Engine.Expression?) -> [Item] {
        func item(_ entries: [String: Engine.Expression]) -> Item {
            Item(arn: entries["arn"]?.literal?.stringValue, events: entries["events"]?.literal?.listValue?.compactMap(\.stringValue),
                 prefix: entries["prefix"]?.literal?.stringValue, suffix: entries["suffix"]?.literal?.stringValue)
        }
        switch expression {
        case .value(.list(let values))?:
            return values.map { item(($0.mapValue ?? [:]).mapValues(Engine.Expression.value)) }
        case .list(let expressions)?:
            return expressions.map { expression in
                switch expression {
                case .map(let entries): return item(entries)
                case .value(.map(let values)): return item(values.mapValues(Engine.Expression.value))
                default: return Item()
                }
            }
        default:
            return []
        }
    }

    /// Problems of one destination.
    static func problems(_ item: Item, kind: S3.Notification.Kind) -> [String] {
        var problems: [String] = []
        if let events = item.events {
            if events.isEmpty { problems.append("a destination needs at least one event type") }
            for event in events where !Self.events.contains(event) {
                problems.append("\"\(event)\" is not an S3 event type (such as s3:ObjectCreated:* or s3:ObjectRemoved:Delete)")
            }
        }
        for (name, value) in [("prefix", item.prefix), ("suffix", item.suffix)] where (value?.count ?? 0) > 1024 {
            problems.append("a \(name) filter is at most 1024 characters")
        }
        if let arn = item.arn, !arn.hasPrefix("arn:") || arn.split(separator: ":", omittingEmptySubsequences: false).dropFirst(2).first != Substring(service(kind)) {
            problems.append("\"\(arn)\" is not an ARN of \(service(kind))")
        }
        return problems
    }

    /// Why two destinations cannot both be configured: AWS refuses configurations whose filters
    /// overlap for a shared event type ("Configurations overlap. Configurations on the same bucket
    /// cannot share a common event type", PutBucketNotificationConfiguration).
    static func overlap(_ first: Item, _ second: Item) -> Bool {
        guard let left = first.events, let right = second.events else { return false }
        let shareEvent = left.contains { a in right.contains { b in covers(a, b) || covers(b, a) } }
        let prefixesOverlap = (first.prefix ?? "").hasPrefix(second.prefix ?? "") || (second.prefix ?? "").hasPrefix(first.prefix ?? "")
        let suffixesOverlap = (first.suffix ?? "").hasSuffix(second.suffix ?? "") || (second.suffix ?? "").hasSuffix(first.suffix ?? "")
        return shareEvent && prefixesOverlap && suffixesOverlap
    }

    /// True when event type `wide` includes `narrow` (`s3:ObjectCreated:*` includes `s3:ObjectCreated:Put`).
    static func covers(_ wide: String, _ narrow: String) -> Bool {
        wide == narrow || (wide.hasSuffix(":*") && narrow.hasPrefix(String(wide.dropLast())))
    }
}

/// S3 refused a notification configuration because it could not validate a destination.
struct NotificationDestinationError: Error, Sendable, CustomStringConvertible {
    /// The bucket's name.
    var bucket: String
    /// The resource it belongs to.
    var address: Address
    /// S3's message.
    var message: String

    var description: String {
        "S3 refused the notification configuration of bucket \(bucket) (\(address)): InvalidArgument: \(message). S3 tests every "
            + "destination when the configuration is written: a Lambda function needs a Lambda.Permission letting s3.amazonaws.com "
            + "invoke it (sourceARN the bucket's ARN) — pass it as permission: of .lambda(…) so imgstack writes the notification after "
            + "it; a queue's or topic's policy must let s3.amazonaws.com sqs:SendMessage or sns:Publish. Then apply again"
    }
}
