import AWS
import Engine

/// Amazon EC2: networks and the instances' settings.
public enum EC2 {}

extension OperationContext {
    /// EC2 calls in this operation's region.
    var ec2: AWS.EC2 {
        get throws { try aws.ec2(region: region) }
    }
}
