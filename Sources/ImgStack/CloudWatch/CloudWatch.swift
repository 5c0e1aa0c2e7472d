import AWS
import Engine

/// Amazon CloudWatch resources: metric alarms.
public enum CloudWatch {}

extension OperationContext {
    /// CloudWatch calls in this operation's region.
    var cloudWatch: AWS.CloudWatch {
        get throws { try aws.cloudWatch(region: region) }
    }
}
