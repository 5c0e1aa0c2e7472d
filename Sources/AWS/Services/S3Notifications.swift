import Foundation

extension S3 {
    /// One destination of a bucket's event notifications: a `LambdaFunctionConfiguration`,
    /// `QueueConfiguration` or `TopicConfiguration` of `PutBucketNotificationConfiguration`.
    public struct NotificationDestination: Sendable, Equatable {
        /// What the destination is.
        public enum Kind: String, Sendable, CaseIterable {
            /// A Lambda function (`CloudFunctionConfiguration`, ARN in `CloudFunction`).
            case lambdaFunction = "CloudFunction"
            /// An SQS queue (`QueueConfiguration`, ARN in `Queue`).
            case queue = "Queue"
            /// An SNS topic (`TopicConfiguration`, ARN in `Topic`).
            case topic = "Topic"

            /// The configuration element's name.
            var element: String { self == .lambdaFunction ? "CloudFunctionConfiguration" : "\(rawValue)Configuration" }
        }

        /// The kind of destination.
        public var kind: Kind
        /// The configuration's id (S3 makes one up when none is given).
        public var id: String?
        /// The function, queue or topic ARN.
        public var arn: String
        /// Event types, e.g. `s3:ObjectCreated:*`.
        public var events: [String]
        /// Only keys starting with this (`prefix` filter rule).
        public var prefix: String?
        /// Only keys ending with this (`suffix` filter rule).
        public var suffix: String?

        /// Creates a destination.
        public init(kind: Kind, id: String? = nil, arn: String, events: [String], prefix: String? = nil, suffix: String? = nil) {
            self.kind = kind
            self.id = id
            self.arn = arn
            self.events = events
            self.prefix = prefix
            self.suffix = suffix
        }
    }

    /// A bucket's notification configuration as `GetBucketNotificationConfiguration` returns it.
    public struct NotificationConfiguration: Sendable, Equatable {
        /// Every Lambda function, queue and topic destination, in the order S3 lists them.
        public var destinations: [NotificationDestination]
        /// Paths of what S3 holds that ``NotificationDestination`` does not model
        /// (`EventBridgeConfiguration`), so a reader can name it rather than drop it.
        public var unmodeled: [String]
    }

    /// Reads a bucket's notification configuration (`GetBucketNotificationConfiguration`).
    /// - Throws: `AWSError` (`NoSuchBucket`), `AWSClientError`.
    public func bucketNotification(_ bucket: String) async throws -> NotificationConfiguration {
        let response = try await client.s3("GetBucketNotificationConfiguration", method: "GET", bucket: bucket, query: [("notification", "")],
                                           region: region)
        let root = try XMLNode.parse(response.body)
        let destinations = NotificationDestination.Kind.allCases.flatMap { kind in
            root.all(kind.element).map { node in
                // S3 answers the filter rule names capitalised (`Prefix`), whatever was written.
                let rules = node.path("Filter/S3Key")?.all("FilterRule") ?? []
                func rule(_ name: String) -> String? { rules.first { $0.string("Name")?.lowercased() == name }?.string("Value") }
                return NotificationDestination(kind: kind, id: node.string("Id"), arn: node.string(kind.rawValue) ?? "",
                                               events: node.all("Event").map(\.text), prefix: rule("prefix"), suffix: rule("suffix"))
            }
        }
        let modeled = NotificationDestination.Kind.allCases.flatMap { kind in
            ["Id", kind.rawValue, "Event", "Filter/S3Key/FilterRule/Name", "Filter/S3Key/FilterRule/Value"].map { "\(kind.element)/\($0)" }
        }
        return NotificationConfiguration(destinations: destinations, unmodeled: root.unread(modeled))
    }

    /// Replaces the bucket's whole notification configuration (`PutBucketNotificationConfiguration`);
    /// no destinations removes every notification. AWS checks each destination when it is written:
    /// a function, queue or topic whose policy does not let `s3.amazonaws.com` send to it is
    /// refused with `InvalidArgument` ("Unable to validate the following destination configurations").
    /// - Throws: `AWSError` (`InvalidArgument`, `NoSuchBucket`), `AWSClientError`.
    public func putBucketNotification(_ bucket: String, _ destinations: [NotificationDestination]) async throws {
        let body = XMLNode("NotificationConfiguration", attributes: Self.namespace, children: destinations.map { destination in
            var children: [XMLNode] = []
            if let id = destination.id { children.append(XMLNode("Id", text: id)) }
            children.append(XMLNode(destination.kind.rawValue, text: destination.arn))
            children += destination.events.map { XMLNode("Event", text: $0) }
            let rules = [("prefix", destination.prefix), ("suffix", destination.suffix)].compactMap { name, value in
                value.map { XMLNode("FilterRule", children: [XMLNode("Name", text: name), XMLNode("Value", text: $0)]) }
            }
            if !rules.isEmpty { children.append(XMLNode("Filter", children: [XMLNode("S3Key", children: rules)])) }
            return XMLNode(destination.kind.element, children: children)
        })
        try await putConfiguration("PutBucketNotificationConfiguration", bucket, "notification", body)
    }
}

extension AWSErrorCode {
    /// S3: a request argument S3 refuses — for `PutBucketNotificationConfiguration`, a destination
    /// it could not validate ("Unable to validate the following destination configurations").
    public static let invalidArgument: Self = "InvalidArgument"
}
