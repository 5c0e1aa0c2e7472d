import ImgStack

/// Alarms on the edge function (errors, throttles, runs near its timeout) and on the
/// distribution (4xx and 5xx error rates), all notifying one SNS topic. They live in
/// us-east-1: CloudFront publishes its metrics there, and so does Lambda@Edge for runs served
/// from there (runs elsewhere report in their own region under `us-east-1.<function>`).
enum ImageServerMonitoring {
    static func add(to stack: StackBuilder, settings: ImageServerSettings, edge: ImageServerEdge, distribution: ImageServerDistribution) {
        let region = ImageServerSettings.edgeRegion
        let topic = stack.add(SNS.Topic("alarms", topicName: "\(settings.service)-alarms", displayName: "\(settings.service) alarms",
                                        tags: settings.tags, region: region))
        if !settings.alarmEmail.isEmpty {
            stack.add(SNS.Subscription("alarm-email", topicARN: topic.arn, protocol: "email", endpoint: Text(settings.alarmEmail), region: region))
        }
        let edgeMetrics: [String: Text] = ["FunctionName": "us-east-1.\(edge.function.functionName)"]
        let cloudFrontMetrics: [String: Text] = ["DistributionId": distribution.resource.id, "Region": "Global"]
        let alarms: [(name: String, namespace: String, metric: String, dimensions: [String: Text], statistic: String,
                      threshold: Double, periods: Int, what: String)] = [
            ("edge-errors", "AWS/Lambda", "Errors", edgeMetrics, "Sum", 1, 1,
             "The edge token check failed to run (an exception or a timeout), so writes were refused with 5xx"),
            ("edge-throttles", "AWS/Lambda", "Throttles", edgeMetrics, "Sum", 1, 1,
             "The edge token check was throttled: raise the account's Lambda concurrency in us-east-1"),
            ("edge-duration", "AWS/Lambda", "Duration", edgeMetrics, "Maximum", Double(ImageServerEdge.timeoutSeconds) * 800, 1,
             "The edge token check ran above 80% of its \(ImageServerEdge.timeoutSeconds) s timeout (slow JWKS or Cognito answers)"),
            ("cloudfront-4xx", "AWS/CloudFront", "4xxErrorRate", cloudFrontMetrics, "Average", 5, 2,
             "More than 5% of requests got 4xx answers (refused tokens, missing images) for 10 minutes"),
            ("cloudfront-5xx", "AWS/CloudFront", "5xxErrorRate", cloudFrontMetrics, "Average", 1, 2,
             "More than 1% of requests got 5xx answers (origin or edge function failures) for 10 minutes"),
        ]
        for alarm in alarms {
            stack.add(CloudWatch.MetricAlarm(
                alarm.name, alarmName: "\(settings.service)-\(alarm.name)", namespace: alarm.namespace, metricName: alarm.metric,
                dimensions: alarm.dimensions, statistic: alarm.statistic, period: 300, evaluationPeriods: alarm.periods,
                threshold: alarm.threshold, comparisonOperator: "GreaterThanOrEqualToThreshold", treatMissingData: "notBreaching",
                alarmActions: [topic.arn], okActions: [topic.arn], description: alarm.what, tags: settings.tags, region: region))
        }
    }
}
