import AWS
import Engine

/// Amazon EC2 Auto Scaling resources: groups launched from a launch template, and their
/// target-tracking scaling policies.
public enum AutoScaling {}

extension OperationContext {
    /// Auto Scaling calls in this operation's region.
    var autoScaling: AWS.AutoScaling {
        get throws { try aws.autoScaling(region: region) }
    }
}
