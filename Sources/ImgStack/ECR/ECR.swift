import AWS
import Engine

/// Amazon Elastic Container Registry resources: repositories and their lifecycle policies.
public enum ECR {}

extension OperationContext {
    /// ECR calls in this operation's region.
    var ecr: AWS.ECR {
        get throws { try aws.ecr(region: region) }
    }
}
