import Engine

extension ECR {
    /// One rule of a repository's lifecycle policy: which images it selects and when they
    /// expire (the only action ECR has). Rules are evaluated by ascending priority; an image is
    /// expired by at most one rule. See "Lifecycle policy properties" in the ECR user guide
    /// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html).
    ///
    /// ```swift
    /// [.expireUntagged(afterDays: 14), .keepLast(30, tagStatus: .tagged(prefixes: ["v"])), .keepLast(100)]
    /// ```
    public struct LifecycleRule: Sendable, Hashable {
        /// Which images a rule looks at (`selection.tagStatus`).
        public enum TagStatus: Sendable, Hashable {
            /// Every image, tagged or not. ECR requires a rule with `any` to have the highest
            /// priority (to be evaluated last).
            case any
            /// Images without a tag.
            case untagged
            /// Images with a tag starting with one of `prefixes` (`tagPrefixList`, at least one,
            /// none empty).
            case tagged(prefixes: [String])
        }

        /// When selected images expire (`selection.countType`).
        public enum Limit: Sendable, Hashable {
            /// Keep the newest `count` images; expire the rest (`imageCountMoreThan`).
            case imageCountMoreThan(Int)
            /// Expire images pushed more than `days` days ago (`sinceImagePushed`, `countUnit` `days`).
            case sinceImagePushed(days: Int)
        }

        /// The images the rule selects.
        public var tagStatus: TagStatus
        /// When they expire.
        public var limit: Limit
        /// Shown in the console; nil for none.
        public var description: String?
        /// `rulePriority` (at least 1, unique in the policy); nil for the rule's position in the
        /// list (1 for the first).
        public var priority: Int?

        /// Creates a rule.
        public init(tagStatus: TagStatus, limit: Limit, description: String? = nil, priority: Int? = nil) {
            self.tagStatus = tagStatus
            self.limit = limit
            self.description = description
            self.priority = priority
        }

        /// Keeps the newest `count` images of `tagStatus` and expires older ones.
        public static func keepLast(_ count: Int, tagStatus: TagStatus = .any, description: String? = nil, priority: Int? = nil) -> Self {
            Self(tagStatus: tagStatus, limit: .imageCountMoreThan(count), description: description, priority: priority)
        }

        /// Expires untagged images `days` days after they were pushed.
        public static func expireUntagged(afterDays days: Int, description: String? = nil, priority: Int? = nil) -> Self {
            Self(tagStatus: .untagged, limit: .sinceImagePushed(days: days), description: description, priority: priority)
        }

        /// Expires images of `tagStatus` `days` days after they were pushed.
        public static func expire(olderThanDays days: Int, tagStatus: TagStatus, description: String? = nil, priority: Int? = nil) -> Self {
            Self(tagStatus: tagStatus, limit: .sinceImagePushed(days: days), description: description, priority: priority)
        }

        /// The rule as ECR's lifecycle policy JSON has it.
        func document(priority defaultPriority: Int) -> Value {
            var selection: [String: Value] = [:]
            switch tagStatus {
            case .any: selection["tagStatus"] = "any"
            case .untagged: selection["tagStatus"] = "untagged"
            case .tagged(let prefixes):
                selection["tagStatus"] = "tagged"
                selection["tagPrefixList"] = .list(prefixes.map(Value.string))
            }
            switch limit {
            case .imageCountMoreThan(let count):
                selection["countType"] = "imageCountMoreThan"
                selection["countNumber"] = .int(count)
            case .sinceImagePushed(let days):
                selection["countType"] = "sinceImagePushed"
                selection["countUnit"] = "days"
                selection["countNumber"] = .int(days)
            }
            var rule: [String: Value] = [
                "rulePriority": .int(priority ?? defaultPriority), "selection": .map(selection), "action": ["type": "expire"],
            ]
            if let description { rule["description"] = .string(description) }
            return .map(rule)
        }

        /// A lifecycle policy document of `rules`, each given its priority or its position.
        static func policy(_ rules: [LifecycleRule]) -> Value {
            .map(["rules": .list(rules.enumerated().map { $1.document(priority: $0 + 1) })])
        }
    }
}
