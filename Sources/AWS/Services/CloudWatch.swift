import Foundation

/// Typed calls to Amazon CloudWatch alarms (query protocol, signed as `monitoring`, API
/// version 2010-08-01).
public struct CloudWatch: Sendable {
    /// A metric alarm as `PutMetricAlarm` takes it and `DescribeAlarms` returns it.
    public struct MetricAlarm: Sendable, Equatable {
        /// The alarm name, unique in the account and region.
        public var name: String
        /// The metric's namespace, e.g. `AWS/Lambda`.
        public var namespace: String
        /// The metric's name, e.g. `Errors`.
        public var metricName: String
        /// The metric's dimensions.
        public var dimensions: [String: String]
        /// `SampleCount`, `Average`, `Sum`, `Minimum` or `Maximum`; nil with an extended statistic.
        public var statistic: String?
        /// A percentile such as `p99`; nil with a statistic.
        public var extendedStatistic: String?
        /// Seconds over which the statistic is applied.
        public var period: Int
        /// Periods compared with the threshold.
        public var evaluationPeriods: Int
        /// Breaching periods among them that set off the alarm; nil means all of them.
        public var datapointsToAlarm: Int?
        /// The threshold.
        public var threshold: Double
        /// e.g. `GreaterThanOrEqualToThreshold`.
        public var comparisonOperator: String
        /// `missing`, `notBreaching`, `breaching` or `ignore`.
        public var treatMissingData: String?
        /// ARNs notified on entering `ALARM`.
        public var alarmActions: [String]
        /// ARNs notified on returning to `OK`.
        public var okActions: [String]
        /// What the alarm is for.
        public var description: String?
        /// The alarm ARN (set by AWS; ignored by `putMetricAlarm`).
        public var arn: String?

        /// Creates an alarm description.
        public init(name: String, namespace: String, metricName: String, dimensions: [String: String] = [:], statistic: String?,
                    extendedStatistic: String? = nil, period: Int, evaluationPeriods: Int, datapointsToAlarm: Int? = nil,
                    threshold: Double, comparisonOperator: String, treatMissingData: String? = nil, alarmActions: [String] = [],
                    okActions: [String] = [], description: String? = nil, arn: String? = nil) {
            self.name = name
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
            self.arn = arn
        }
    }

    let client: AWSClient
    /// The region every call goes to; nil for the client's configured region.
    public let region: String?

    /// Creates the CloudWatch calls of `client` in `region`.
    public init(client: AWSClient, region: String? = nil) {
        self.client = client
        self.region = region
    }

    /// Creates an alarm or replaces every setting of the one with the same name (`PutMetricAlarm`).
    /// - Parameters:
    ///   - alarm: the alarm; nil members are not sent.
    ///   - tags: tags, applied only when the alarm is created (AWS ignores them on an update).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func putMetricAlarm(_ alarm: MetricAlarm, tags: [String: String] = [:]) async throws {
        var parameters = QueryParameters()
        parameters["AlarmName"] = alarm.name
        parameters["Namespace"] = alarm.namespace
        parameters["MetricName"] = alarm.metricName
        if !alarm.dimensions.isEmpty {
            parameters.addList("Dimensions", structures: alarm.dimensions.sorted { $0.key < $1.key }.map { ["Name": $0.key, "Value": $0.value] })
        }
        parameters["Statistic"] = alarm.statistic
        parameters["ExtendedStatistic"] = alarm.extendedStatistic
        parameters["Period"] = String(alarm.period)
        parameters["EvaluationPeriods"] = String(alarm.evaluationPeriods)
        parameters["DatapointsToAlarm"] = alarm.datapointsToAlarm.map(String.init)
        parameters["Threshold"] = String(alarm.threshold)
        parameters["ComparisonOperator"] = alarm.comparisonOperator
        parameters["TreatMissingData"] = alarm.treatMissingData
        // PutMetricAlarm replaces the whole alarm: an empty list clears the actions.
        parameters.addList("AlarmActions", alarm.alarmActions)
        parameters.addList("OKActions", alarm.okActions)
        parameters["AlarmDescription"] = alarm.description
        if !tags.isEmpty { parameters.addList("Tags", structures: Self.tagStructures(tags)) }
        _ = try await client.query(.cloudWatch, "PutMetricAlarm", parameters, region: region)
    }

    /// Reads one metric alarm (`DescribeAlarms` with `AlarmNames`).
    /// - Returns: the alarm, nil when there is none by that name.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func metricAlarm(_ name: String) async throws -> MetricAlarm? {
        var parameters = QueryParameters()
        parameters.addList("AlarmNames", [name])
        parameters.addList("AlarmTypes", ["MetricAlarm"])
        let result = try await client.query(.cloudWatch, "DescribeAlarms", parameters, region: region)
        return result.list("MetricAlarms").first { $0.string("AlarmName") == name }.map(Self.alarm)
    }

    /// Deletes alarms (`DeleteAlarms`).
    /// - Throws: `AWSError` (`ResourceNotFound` when an alarm does not exist), `AWSClientError`.
    public func deleteAlarms(_ names: [String]) async throws {
        var parameters = QueryParameters()
        parameters.addList("AlarmNames", names)
        _ = try await client.query(.cloudWatch, "DeleteAlarms", parameters, region: region)
    }

    /// The tags of an alarm (`ListTagsForResource`).
    /// - Throws: `AWSError` (`ResourceNotFoundException`), `AWSClientError`.
    public func tags(_ arn: String) async throws -> [String: String] {
        let result = try await client.query(.cloudWatch, "ListTagsForResource", ["ResourceARN": arn], region: region)
        return Dictionary(result.list("Tags").map { ($0.string("Key") ?? "", $0.string("Value") ?? "") }, uniquingKeysWith: { _, last in last })
    }

    /// Adds or overwrites tags (`TagResource`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func tagResource(_ arn: String, tags: [String: String]) async throws {
        var parameters: QueryParameters = ["ResourceARN": arn]
        parameters.addList("Tags", structures: Self.tagStructures(tags))
        _ = try await client.query(.cloudWatch, "TagResource", parameters, region: region)
    }

    /// Removes tags by key (`UntagResource`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func untagResource(_ arn: String, keys: [String]) async throws {
        var parameters: QueryParameters = ["ResourceARN": arn]
        parameters.addList("TagKeys", keys.sorted())
        _ = try await client.query(.cloudWatch, "UntagResource", parameters, region: region)
    }

    static func tagStructures(_ tags: [String: String]) -> [[String: String]] {
        tags.sorted { $0.key < $1.key }.map { ["Key": $0.key, "Value": $0.value] }
    }

    static func alarm(_ node: XMLNode) -> MetricAlarm {
        let dimensions = Dictionary(node.list("Dimensions").map { ($0.string("Name") ?? "", $0.string("Value") ?? "") },
                                    uniquingKeysWith: { _, last in last })
        return MetricAlarm(
            name: node.string("AlarmName") ?? "", namespace: node.string("Namespace") ?? "", metricName: node.string("MetricName") ?? "",
            dimensions: dimensions, statistic: node.string("Statistic"), extendedStatistic: node.string("ExtendedStatistic"),
            period: Int(node.string("Period") ?? "") ?? 0, evaluationPeriods: Int(node.string("EvaluationPeriods") ?? "") ?? 0,
            datapointsToAlarm: node.string("DatapointsToAlarm").flatMap { Int($0) }, threshold: Double(node.string("Threshold") ?? "") ?? 0,
            comparisonOperator: node.string("ComparisonOperator") ?? "", treatMissingData: node.string("TreatMissingData"),
            alarmActions: node.list("AlarmActions").map(\.text), okActions: node.list("OKActions").map(\.text),
            description: node.string("AlarmDescription"), arn: node.string("AlarmArn"))
    }
}

extension AWSClient {
    /// The typed CloudWatch calls of this client, in its configured region.
    public var cloudWatch: CloudWatch { CloudWatch(client: self) }

    /// The typed CloudWatch calls of this client in `region`.
    public func cloudWatch(region: String) -> CloudWatch { CloudWatch(client: self, region: region) }
}

extension AWSErrorCode {
    /// CloudWatch (query protocol): no alarm by that name (`DeleteAlarms`).
    public static let resourceNotFound: Self = "ResourceNotFound"
}
