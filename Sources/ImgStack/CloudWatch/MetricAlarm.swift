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
        public static let typeName = "cloudwatch.metric_alarm"

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
            var list = PropertyList()
            list.set("alarmName", alarmName)
            list.set("namespace", namespace)
            list.set("metricName", metricName)
            list.set("dimensions", dimensions)
            list.set("statistic", statistic)
            list.set("extendedStatistic", extendedStatistic)
            list.set("period", period)
            list.set("evaluationPeriods", evaluationPeriods)
            list.set("datapointsToAlarm", datapointsToAlarm)
            list.set("threshold", expression: .value(.double(threshold)))
            list.set("comparisonOperator", comparisonOperator)
            list.set("treatMissingData", treatMissingData)
            list.set("alarmActions", alarmActions)
            list.set("okActions", okActions)
            list.set("description", description)
            list.set("tags", tags)
            return list.values
        }

        /// The alarm ARN.
        public var arn: Text { attribute("arn") }

        public static func makeType(_ aws: AWSClient) -> any ResourceType { MetricAlarmType(aws: aws) }
    }
}

/// Creates, reads, updates and deletes metric alarms. The id is the alarm name.
struct MetricAlarmType: ResourceType {
    let aws: AWSClient

    static let statistics = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"]
    static let operators = ["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold",
                            "LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold"]
    static let missingDataTreatments = ["missing", "notBreaching", "breaching", "ignore"]

    var schema: ResourceSchema {
        ResourceSchema(
            typeName: CloudWatch.MetricAlarm.typeName, terraformType: "aws_cloudwatch_metric_alarm",
            properties: [
                PropertySchema("alarmName", forcesReplacement: true),
                PropertySchema("namespace"), PropertySchema("metricName"),
                PropertySchema("dimensions", default: .map([:])),
                PropertySchema("statistic", default: .null), PropertySchema("extendedStatistic", default: .null),
                PropertySchema("period"), PropertySchema("evaluationPeriods"),
                // Unset, AWS uses evaluationPeriods; DescribeAlarms then lists none.
                PropertySchema("datapointsToAlarm", default: .null),
                PropertySchema("threshold"), PropertySchema("comparisonOperator"),
                PropertySchema("treatMissingData", default: "missing"),
                PropertySchema("alarmActions", default: .list([])), PropertySchema("okActions", default: .list([])),
                PropertySchema("description", default: ""),
                PropertySchema("tags", default: .map([:])),
            ],
            attributes: [AttributeSchema("arn")],
            uniqueNameProperty: "alarmName")
    }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func add(_ property: String, _ problem: String) {
            issues.append(ValidationIssue(subject: address.description, property: property, message: problem))
        }
        if let name = properties["alarmName"]?.literal?.stringValue, name.isEmpty || name.count > 255 {
            add("alarmName", "must be 1 to 255 characters, not \(name.count)")
        }
        switch (properties["statistic"], properties["extendedStatistic"]) {
        case (nil, nil): add("statistic", "set either statistic or extendedStatistic")
        case (.some, .some): add("extendedStatistic", "set either statistic or extendedStatistic, not both")
        default: break
        }
        if let statistic = properties["statistic"]?.literal?.stringValue, !Self.statistics.contains(statistic) {
            add("statistic", "must be one of \(Self.statistics.joined(separator: ", ")), not \"\(statistic)\"")
        }
        if let percentile = properties["extendedStatistic"]?.literal?.stringValue, !Self.isPercentile(percentile) {
            add("extendedStatistic", "must be a percentile from p0.0 to p100, such as p99, not \"\(percentile)\"")
        }
        if let period = properties["period"]?.literal?.intValue, !([10, 20, 30].contains(period) || (period >= 60 && period % 60 == 0)) {
            add("period", "must be 10, 20, 30 or a multiple of 60 seconds, not \(period)")
        }
        let periods = properties["evaluationPeriods"]?.literal?.intValue
        if let periods, periods < 1 { add("evaluationPeriods", "must be at least 1, not \(periods)") }
        if let datapoints = properties["datapointsToAlarm"]?.literal?.intValue, datapoints < 1 || datapoints > (periods ?? Int.max) {
            add("datapointsToAlarm", "must be 1 to evaluationPeriods (\(periods.map(String.init) ?? "?")), not \(datapoints)")
        }
        if let comparison = properties["comparisonOperator"]?.literal?.stringValue, !Self.operators.contains(comparison) {
            add("comparisonOperator", "must be one of \(Self.operators.prefix(4).joined(separator: ", ")), not \"\(comparison)\"")
        }
        if let treatment = properties["treatMissingData"]?.literal?.stringValue, !Self.missingDataTreatments.contains(treatment) {
            add("treatMissingData", "must be one of \(Self.missingDataTreatments.joined(separator: ", ")), not \"\(treatment)\"")
        }
        for property in ["alarmActions", "okActions"] {
            if case .list(let items)? = properties[property]?.literal ?? Self.listShape(properties[property]), items.count > 5 {
                add(property, "AWS takes at most 5 actions, not \(items.count)")
            }
        }
        if let description = properties["description"]?.literal?.stringValue, description.count > 1024 {
            add("description", "must be at most 1024 characters, not \(description.count)")
        }
        for problem in TagRules.problems(properties["tags"]?.literal, limit: 50) { add("tags", problem) }
        return issues
    }

    func normalize(_ property: String, _ value: Value) -> Value {
        switch property {
        case "threshold":
            if case .int(let number) = value { return .double(Double(number)) }
            return value
        case "alarmActions", "okActions":
            // AWS keeps actions as a set; the order they were given in means nothing.
            guard case .list(let items) = value else { return value }
            return .list(items.sorted { $0.canonicalJSON < $1.canonicalJSON })
        default:
            return value
        }
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let alarm = Self.alarm(properties)
        try await aws.cloudWatch.putMetricAlarm(alarm, tags: Self.strings(properties["tags"]), region: context.region)
        guard let created = try await aws.cloudWatch.metricAlarm(alarm.name, region: context.region) else {
            throw AWSClientError(.invalidResponse, "CloudWatch created alarm \(alarm.name) but does not show it")
        }
        return ResourceSnapshot(id: alarm.name, properties: normalized(properties), attributes: ["arn": .string(created.arn ?? "")])
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, declared: Set(recorded.properties.keys), context: context)
    }

    private func read(_ name: String, declared: Set<String>, context: OperationContext) async throws -> ResourceSnapshot? {
        guard let alarm = try await aws.cloudWatch.metricAlarm(name, region: context.region) else { return nil }
        var actual: [String: Value] = [
            "alarmName": .string(alarm.name), "namespace": .string(alarm.namespace), "metricName": .string(alarm.metricName),
            "dimensions": .map(alarm.dimensions.mapValues(Value.string)),
            "statistic": alarm.statistic.map(Value.string) ?? .null, "extendedStatistic": alarm.extendedStatistic.map(Value.string) ?? .null,
            "period": .int(alarm.period), "evaluationPeriods": .int(alarm.evaluationPeriods),
            "datapointsToAlarm": alarm.datapointsToAlarm.map(Value.int) ?? .null,
            "threshold": .double(alarm.threshold), "comparisonOperator": .string(alarm.comparisonOperator),
            "treatMissingData": .string(alarm.treatMissingData ?? "missing"),
            "alarmActions": normalize("alarmActions", .list(alarm.alarmActions.map(Value.string))),
            "okActions": normalize("okActions", .list(alarm.okActions.map(Value.string))),
            "description": .string(alarm.description ?? ""),
        ]
        if declared.contains("tags"), let arn = alarm.arn {
            actual["tags"] = TagRules.visible(try await aws.cloudWatch.tags(arn, region: context.region))
        }
        return ResourceSnapshot(id: alarm.name, properties: actual.filter { declared.contains($0.key) && $0.value != .null },
                                attributes: ["arn": .string(alarm.arn ?? "")])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let arn = current.attributes["arn"]?.stringValue ?? ""
        // PutMetricAlarm sets every setting at once; tags are not changed by it on an existing alarm.
        if !changed.subtracting(["tags"]).isEmpty {
            try await aws.cloudWatch.putMetricAlarm(Self.alarm(desired), region: context.region)
        }
        if changed.contains("tags") {
            let wanted = Self.strings(desired["tags"])
            let removed = Set(Self.strings(current.properties["tags"]).keys).subtracting(wanted.keys)
            if !removed.isEmpty { try await aws.cloudWatch.untagResource(arn, keys: removed.sorted(), region: context.region) }
            if !wanted.isEmpty { try await aws.cloudWatch.tagResource(arn, tags: wanted, region: context.region) }
        }
        return ResourceSnapshot(id: current.id, properties: normalized(desired), attributes: current.attributes)
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        do {
            try await aws.cloudWatch.deleteAlarms([current.id], region: context.region)
        } catch let error as AWSError where error.code == "ResourceNotFound" || error.code == "ResourceNotFoundException" {
            return
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, declared: Set(schema.properties.map(\.name)), context: context)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let name = properties["alarmName"]?.stringValue else { return nil }
        return try await read(name, declared: Set(properties.keys), context: context)
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
        AWS.CloudWatch.MetricAlarm(
            name: properties["alarmName"]?.stringValue ?? "", namespace: properties["namespace"]?.stringValue ?? "",
            metricName: properties["metricName"]?.stringValue ?? "", dimensions: Self.strings(properties["dimensions"]),
            statistic: properties["statistic"]?.stringValue, extendedStatistic: properties["extendedStatistic"]?.stringValue,
            period: properties["period"]?.intValue ?? 60, evaluationPeriods: properties["evaluationPeriods"]?.intValue ?? 1,
            datapointsToAlarm: properties["datapointsToAlarm"]?.intValue, threshold: number(properties["threshold"]),
            comparisonOperator: properties["comparisonOperator"]?.stringValue ?? "",
            treatMissingData: properties["treatMissingData"]?.stringValue ?? "missing",
            alarmActions: (properties["alarmActions"]?.listValue ?? []).compactMap(\.stringValue),
            okActions: (properties["okActions"]?.listValue ?? []).compactMap(\.stringValue),
            description: properties["description"]?.stringValue)
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
