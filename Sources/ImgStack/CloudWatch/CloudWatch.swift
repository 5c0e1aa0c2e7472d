import AWS
import Engine

/// Amazon CloudWatch resources: metric alarms and CloudWatch Logs log groups.
public enum CloudWatch {}

extension OperationContext {
    /// CloudWatch calls in this operation's region.
    var cloudWatch: AWS.CloudWatch {
        get throws { try aws.cloudWatch(region: region) }
    }
}

extension OperationContext {
    /// CloudWatch Logs calls in this operation's region.
    var logs: AWS.CloudWatchLogs {
        get throws { try aws.cloudWatchLogs(region: region) }
    }
}
