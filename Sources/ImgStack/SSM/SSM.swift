import AWS
import Engine

/// AWS Systems Manager Parameter Store: parameters, and lookups of public ones.
public enum SSM {}

extension OperationContext {
    /// SSM calls in this operation's region.
    var ssm: AWS.SSM {
        get throws { try aws.ssm(region: region) }
    }
}
