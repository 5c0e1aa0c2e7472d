import AWS
import Engine

/// Amazon SNS resources: topics and their subscriptions.
public enum SNS {}

extension OperationContext {
    /// SNS calls in this operation's region.
    var sns: AWS.SNS {
        get throws { try aws.sns(region: region) }
    }
}
