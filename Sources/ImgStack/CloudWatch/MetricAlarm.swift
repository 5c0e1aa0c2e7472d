import AWS
import Engine
import Foundation

extension CloudWatch {
    /// An alarm on one metric (`aws_cloudwatch_metric_alarm`).
    ///
    /// ```swift
    /// stack.add(CloudWatch.MetricAlarm("edge-errors", alarmName: "images-edge-errors", namespace: "AWS/Lambda",
    ///                                  metricName: "Errors", dimensions: ["FunctionName": "us-east-1.images-auth"],
    ///                                  statistic: "Sum", period: 300, evaluationPeriods: 1, threshold: 1,
    ///                                  comparisonOperator: "GreaterThanOrEqualToThreshold", alarmActions: [topic.arn],
    ///                                  region: "us-east-1"))
    /// ```
    ///
    /// Metrics of Lambda@Edge and CloudFront are published in `us-east-1`, so their alarms
    /// take `region: "us-east-1"`.
    public struct MetricAlarm: Resource {
        public static let terraformType = "aws_cloudwatch_metric_alarm"

        public var name: String
        /// The alarm name: 1–255 characters, unique in the region. Changing it replaces the alarm.
        public var alarmName: Text
        /// The metric's namespace, e.g. `AWS/Lambda`.
        public var namespace: String
        /// The metric's name, e.g. `Errors`.
        public var metricName: String
        /// The metric's dimensions (at most 30).
        public var dimensions: [String: Text]
        /// `SampleCount`, `Average`, `Sum`, `Minimum` or `Maximum`. Exactly one of `statistic`
        /// and `extendedStatistic` is set.
        public var statistic: String?
        /// A percentile, `p0.0` to `p100`, e.g. `p99`.
        public var extendedStatistic: String?
        /// Seconds per period: 10, 20, 30 or a multiple of 60.
        public var period: Int
        /// Periods compared with the threshold (at least 1).
        public var evaluationPeriods: Int
        /// Breaching periods among them that set off the alarm; all of them when nil.
        public var datapointsToAlarm: Int?
        /// The threshold.
        public var threshold: Double
        /// `GreaterThanOrEqualToThreshold`, `GreaterThanThreshold`, `LessThanThreshold` or
        /// `LessThanOrEqualToThreshold`.
        public var comparisonOperator: String
        /// `missing` (default), `notBreaching`, `breaching` or `ignore`.
        public var treatMissingData: String
        /// ARNs notified on entering `ALARM` (SNS topics, …); at most 5.
        public var alarmActions: [Text]
        /// ARNs notified on returning to `OK`; at most 5.
        public var okActions: [Text]
        /// What the alarm means (up to 1,024 characters).
        public var description: String
        /// Tags.
        public var tags: [String: Text]
        /// A region other than the stack's.
        public var region: String?
        public var dependsOn: [Address] = []

        /// Declares an alarm.
        public init(_ name: String, alarmName: Text, namespace: String, metricName: String, dimensions: [String: Text] = [:],
                    statistic: String? = nil, extendedStatistic: String? = nil, period: Int, evaluationPeriods: Int,
                    datapointsToAlarm: Int? = nil, threshold: Double, comparisonOperator: String, treatMissingData: String = "missing",
                    alarmActions: [Text] = [], okActions: [Text] = [], description: String = "", tags: [String: Text] = [:],
                    region: String? = nil) {
            self.name = name
            self.alarmName = alarmName
            self.namespace = namespace
            self.metricName = metricName
            self.dimensions = dimensions
            self.statistic = statistic
            self.extendedStatistic = extendedStatistic
            self.period = period
            self.evaluationPeriods = evaluationPeriods
            self.datapointsToAlarm = datapointsToAlarm
            self.threshold = threshold
            self.comparisonOperator = comparisonOperator
            self.treatMissingData = treatMissingData
            self.alarmActions = alarmActions
            self.okActions = okActions
            self.description = description
            self.tags = tags
            self.region = region
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.alarmName, alarmName)
            list.set(property.namespace, namespace)
            list.set(property.metricName, metricName)
            list.set(property.dimensions, dimensions)
            list.set(property.statistic, statistic)
            list.set(property.extendedStatistic, extendedStatistic)
            list.set(property.period, period)
            list.set(property.evaluationPeriods, evaluationPeriods)
            list.set(property.datapointsToAlarm, datapointsToAlarm)
            list.set(property.threshold, expression: .value(.double(threshold)))
            list.set(property.comparisonOperator, comparisonOperator)
            list.set(property.treatMissingData, treatMissingData)
            list.set(property.alarmActions, alarmActions)
            list.set(property.okActions, okActions)
            list.set(property.description, description)
            list.set(property.tags, tags)
            return list.values
        }

        /// The alarm ARN.
        public var arn: Text { attribute("arn") }

        public static func makeType() -> any ResourceType { MetricAlarmType() }
    }
}

extension CloudWatch.MetricAlarm {
    /// An alarm's properties, each declared once. Those with a null default are compared as
    /// absent when a stack leaves them out.
    struct Properties: PropertySet {
        let alarmName = Property<String>("alarmName", forcesReplacement: true)
        let namespace = Property<String>("namespace")
        let metricName = Property<String>("metricName")
        let dimensions = Property<[String: String]>("dimensions", default: [:])
        let statistic = Property<Value>("statistic", terraform: TerraformAttribute("statistic", .value), default: Value.null)
        let extendedStatistic = Property<Value>("extendedStatistic", terraform: TerraformAttribute("extended_statistic", .value), default: Value.null)
        let period = Property<Int>("period")
        let evaluationPeriods = Property<Int>("evaluationPeriods")
        /// Unset, AWS uses evaluationPeriods; DescribeAlarms then lists none.
        let datapointsToAlarm = Property<Value>("datapointsToAlarm", terraform: TerraformAttribute("datapoints_to_alarm", .value), default: Value.null)
        let threshold = Property<Double>("threshold")
        let comparisonOperator = Property<String>("comparisonOperator")
        let treatMissingData = Property<String>("treatMissingData", default: "missing")
        let alarmActions = Property<[String]>("alarmActions", default: [])
        let okActions = Property<[String]>("okActions", default: [])
        let description = Property<String>("description", terraform: "alarm_description", default: "")
        let tags = Property<[String: String]>("tags", default: [:])
    }

    static let property = Properties()
}

/// Creates, reads, updates and deletes metric alarms. The id is the alarm name.
struct MetricAlarmType: ResourceType {
    static let schema = ResourceSchema(CloudWatch.MetricAlarm.self, CloudWatch.MetricAlarm.Properties.self,
                                       attributes: [AttributeSchema("arn")], uniqueName: [CloudWatch.MetricAlarm.property.alarmName])

    var schema: ResourceSchema { Self.schema }
    private var property: CloudWatch.MetricAlarm.Properties { CloudWatch.MetricAlarm.property }

    static let statistics = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"]
    static let operators = ["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold",
                            "LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold"]
    static let missingDataTreatments = ["missing", "notBreaching", "breaching", "ignore"]

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func add(_ property: some PropertyDeclaration, _ problem: String) {
            issues.append(ValidationIssue(address, property, problem))
        }
        if let name = properties.literal(property.alarmName), name.isEmpty || name.count > 255 {
            add(property.alarmName, "must be 1 to 255 characters, not \(name.count)")
        }
        switch (properties[property.statistic], properties[property.extendedStatistic]) {
        case (nil, nil): add(property.statistic, "set either statistic or extendedStatistic")
        case (.some, .some): add(property.extendedStatistic, "set either statistic or extendedStatistic, not both")
        default: break
        }
        if let statistic = properties.literal(property.statistic)?.stringValue, !Self.statistics.contains(statistic) {
            add(property.statistic, "must be one of \(Self.statistics.joined(separator: ", ")), not \"\(statistic)\"")
        }
        if let percentile = properties.literal(property.extendedStatistic)?.stringValue, !Self.isPercentile(percentile) {
            add(property.extendedStatistic, "must be a percentile from p0.0 to p100, such as p99, not \"\(percentile)\"")
        }
        if let period = properties.literal(property.period), !([10, 20, 30].contains(period) || (period >= 60 && period % 60 == 0)) {
            add(property.period, "must be 10, 20, 30 or a multiple of 60 seconds, not \(period)")
        }
        let periods = properties.literal(property.evaluationPeriods)
        if let periods, periods < 1 { add(property.evaluationPeriods, "must be at least 1, not \(periods)") }
        if let datapoints = properties.literal(property.datapointsToAlarm)?.intValue, datapoints < 1 || datapoints > (periods ?? Int.max) {
            add(property.datapointsToAlarm, "must be 1 to evaluationPeriods (\(periods.map(String.init) ?? "?")), not \(datapoints)")
        }
        if let comparison = properties.literal(property.comparisonOperator), !Self.operators.contains(comparison) {
            add(property.comparisonOperator, "must be one of \(Self.operators.prefix(4).joined(separator: ", ")), not \"\(comparison)\"")
        }
        if let treatment = properties.literal(property.treatMissingData), !Self.missingDataTreatments.contains(treatment) {
            add(property.treatMissingData, "must be one of \(Self.missingDataTreatments.joined(separator: ", ")), not \"\(treatment)\"")
        }
        for actions in [property.alarmActions, property.okActions] {
            if case .list(let items)? = properties[actions]?.literal ?? Self.listShape(properties[actions]), items.count > 5 {
                add(actions, "AWS takes at most 5 actions, not \(items.count)")
            }
        }
        if let description = properties.literal(property.description), description.count > 1024 {
            add(property.description, "must be at most 1024 characters, not \(description.count)")
        }
        for problem in TagRules.problems(properties[property.tags]?.literal, limit: 49) { add(property.tags, problem) }
        return issues
    }

    func normalize(_ name: String, _ value: Value) -> Value {
        switch name {
        case property.threshold.name:
            if case .int(let number) = value { return .double(Double(number)) }
            return value
        case property.alarmActions.name, property.okActions.name:
            // AWS keeps actions as a set; the order they were given in means nothing.
            guard case .list(let items) = value else { return value }
            return .list(items.sorted { $0.canonicalJSON < $1.canonicalJSON })
        default:
            return value
        }
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let cloudWatch = try context.cloudWatch
        let alarm = Self.alarm(properties)
        // PutMetricAlarm writes over an alarm of the same name instead of refusing: never take
        // over one this stack did not make.
        if try await cloudWatch.metricAlarm(alarm.name) != nil {
            throw NameTakenError(kind: "CloudWatch alarm", name: alarm.name, address: context.address)
        }
        try await cloudWatch.putMetricAlarm(alarm, tags: TagRules.withIntent(Self.strings(properties[property.tags.name]), context))
        guard let created = try await cloudWatch.metricAlarm(alarm.name) else {
            throw AWSClientError(.invalidResponse, "CloudWatch created alarm \(alarm.name) but does not show it")
        }
        return ResourceSnapshot(id: alarm.name, properties: normalized(properties), attributes: ["arn": .string(created.arn ?? "")])
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, declared: Set(recorded.properties.keys), cloudWatch: try context.cloudWatch,
                       recordedARN: recorded.attributes["arn"]?.stringValue)
    }

    func readForDestroy(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await recordedIfExists(recorded) { try await read(recorded.id, declared: [], cloudWatch: try context.cloudWatch) }
    }

    /// The alarm as `DescribeAlarms` answers; tags only when declared (one more call: by the
    /// `recordedARN` alongside the alarm when there is one, else by the ARN the alarm gives).
    /// With `owner` (recovery), nil unless the alarm carries the intent tag of `owner`'s create.
    private func read(_ name: String, declared: Set<String>, cloudWatch: AWS.CloudWatch, recordedARN: String? = nil,
                      owner: OperationContext? = nil) async throws -> ResourceSnapshot? {
        let readsTags = declared.contains(property.tags) || owner != nil
        guard let (alarm, found) = try await ConcurrentReads.withTags(
            { try await cloudWatch.metricAlarm(name) }, arn: \.arn, recordedARN: recordedARN, readsTags: readsTags,
            tags: { try await cloudWatch.tags($0) }) else { return nil }
        var actual: [String: Value] = [:]
        actual[property.alarmName] = alarm.name
        actual[property.namespace] = alarm.namespace
        actual[property.metricName] = alarm.metricName
        actual[property.dimensions] = alarm.dimensions
        actual[property.statistic] = alarm.statistic.map(Value.string)
        actual[property.extendedStatistic] = alarm.extendedStatistic.map(Value.string)
        actual[property.period] = alarm.period
        actual[property.evaluationPeriods] = alarm.evaluationPeriods
        actual[property.datapointsToAlarm] = alarm.datapointsToAlarm.map(Value.int)
        actual[property.threshold] = alarm.threshold
        actual[property.comparisonOperator] = alarm.comparisonOperator
        actual[property.treatMissingData] = alarm.treatMissingData ?? "missing"
        actual[property.alarmActions.name] = normalize(property.alarmActions.name, .list(alarm.alarmActions.map(Value.string)))
        actual[property.okActions.name] = normalize(property.okActions.name, .list(alarm.okActions.map(Value.string)))
        actual[property.description] = alarm.description ?? ""
        if readsTags {
            // An alarm without an ARN has no tags to read.
            let tags = found ?? [:]
            if let owner, !TagRules.carryIntent(tags, of: owner) { return nil }
            if declared.contains(property.tags) { actual[property.tags.name] = TagRules.visible(tags) }
        }
        return ResourceSnapshot(id: alarm.name, properties: actual.filter { declared.contains($0.key) && $0.value != .null },
                                attributes: ["arn": .string(alarm.arn ?? "")])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let cloudWatch = try context.cloudWatch
        let arn = current.attributes["arn"]?.stringValue ?? ""
        // PutMetricAlarm sets every setting at once; tags are not changed by it on an existing alarm.
        if !changed.subtracting([property.tags.name]).isEmpty {
            try await cloudWatch.putMetricAlarm(Self.alarm(desired))
        }
        if changed.contains(property.tags) {
            let wanted = Self.strings(desired[property.tags.name])
            let removed = Set(Self.strings(current.properties[property.tags.name]).keys).subtracting(wanted.keys)
            if !removed.isEmpty { try await cloudWatch.untagResource(arn, keys: removed.sorted()) }
            if !wanted.isEmpty { try await cloudWatch.tagResource(arn, tags: wanted) }
        }
        return ResourceSnapshot(id: current.id, properties: normalized(desired), attributes: current.attributes)
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let cloudWatch = try context.cloudWatch
        _ = try await nilWhenMissing(.resourceNotFound, .resourceNotFoundException) { try await cloudWatch.deleteAlarms([current.id]) }
    }

    /// An alarm is imported by its name (`AlarmName`: 1 to 255 characters; a control character
    /// names no alarm).
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: ImportIDForm.printable(maximum: 255),
                             expected: "a CloudWatch alarm is imported by its name (1 to 255 characters, no control characters)")
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, declared: CloudWatch.MetricAlarm.Properties.names, cloudWatch: try context.cloudWatch)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        // Only the alarm the crashed create tagged: a same-named one of someone else's is not adopted.
        guard let name = properties[property.alarmName] else { return nil }
        return try await read(name, declared: Set(properties.keys), cloudWatch: try context.cloudWatch, owner: context)
    }

    // MARK: - Helpers

    private func normalized(_ properties: [String: Value]) -> [String: Value] {
        properties.reduce(into: [:]) { $0[$1.key] = normalize($1.key, $1.value) }
    }

    /// A map of strings (dimensions, tags).
    static func strings(_ value: Value?) -> [String: String] {
        (value?.mapValue ?? [:]).compactMapValues(\.stringValue)
    }

    static func alarm(_ properties: [String: Value]) -> AWS.CloudWatch.MetricAlarm {
        let property = CloudWatch.MetricAlarm.property
        return AWS.CloudWatch.MetricAlarm(
            name: properties[property.alarmName] ?? "", namespace: properties[property.namespace] ?? "",
            metricName: properties[property.metricName] ?? "", dimensions: Self.strings(properties[property.dimensions.name]),
            statistic: properties[property.statistic]?.stringValue, extendedStatistic: properties[property.extendedStatistic]?.stringValue,
            period: properties[property.period] ?? 60, evaluationPeriods: properties[property.evaluationPeriods] ?? 1,
            datapointsToAlarm: properties[property.datapointsToAlarm]?.intValue, threshold: number(properties[property.threshold.name]),
            comparisonOperator: properties[property.comparisonOperator] ?? "",
            treatMissingData: properties[property.treatMissingData] ?? "missing",
            alarmActions: (properties[property.alarmActions.name]?.listValue ?? []).compactMap(\.stringValue),
            okActions: (properties[property.okActions.name]?.listValue ?? []).compactMap(\.stringValue),
            description: properties[property.description])
    }

    static func number(_ value: Value?) -> Double {
        switch value {
        case .double(let number)?: return number
        case .int(let number)?: return Double(number)
        default: return 0
        }
    }

    /// `p` followed by a number from 0 to 100 (CloudWatch's simple percentile form).
    static func isPercentile(_ text: String) -> Bool {
        guard text.hasPrefix("p"), let number = Double(text.dropFirst()) else { return false }
        return (0...100).contains(number)
    }

    /// The items of a list expression whose items hold references.
    static func listShape(_ expression: Engine.Expression?) -> Value? {
        if case .list(let items)? = expression { return .list(items.map { _ in .unknown }) }
        return nil
    }
}

extension MetricAlarmType: AccessDeclaring {
    /// CloudWatch actions per the Service Authorization Reference (Amazon CloudWatch).
    static let access: ResourceAccess = {
        let alarm = ARNPattern.arn("arn:{partition}:cloudwatch:{region}:{account}:alarm:{alarmName}")
        return ResourceAccess([
            IAMCall(.cloudWatch, "DescribeAlarms", in: .readingBack, on: [alarm]),
            IAMCall(.cloudWatch, "PutMetricAlarm", in: .writing, needs: ["cloudwatch:PutMetricAlarm", "cloudwatch:TagResource"], on: [alarm]),
            IAMCall(.cloudWatch, "ListTagsForResource", in: .readingBack, on: [alarm]),
            IAMCall(.cloudWatch, "TagResource", in: .writing, on: [alarm]),
            IAMCall(.cloudWatch, "UntagResource", in: .writing, on: [alarm]),
            IAMCall(.cloudWatch, "DeleteAlarms", in: [.delete], on: [alarm]),
        ])
    }()
}
