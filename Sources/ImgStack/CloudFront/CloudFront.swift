import AWS
import Engine

/// Amazon CloudFront resources: distributions, origin access controls and response headers policies.
///
/// CloudFront is global: its calls are signed for `us-east-1` whatever the stack's region.
public enum CloudFront {}

extension OperationContext {
    /// CloudFront calls from this operation's region (the endpoint resolver sends them to
    /// CloudFront's one global endpoint).
    var cloudFront: AWS.CloudFront {
        get throws { try aws.cloudFront(region: region) }
    }
}
