import AWS
import Engine

/// Amazon CloudFront resources: distributions, origin access controls and response headers policies.
///
/// CloudFront is global: its calls are signed for `us-east-1` whatever the stack's region.
public enum CloudFront {}

/// Identifier forms the CloudFront types share.
enum CloudFrontIDs {
    /// A distribution's or origin access control's id: upper-case letters and digits
    /// (`E2QWRUHEXAMPLE`), as an import id pattern.
    static let pattern = "[A-Z0-9]{8,32}"
}

extension OperationContext {
    /// CloudFront calls from this operation's region (the endpoint resolver sends them to
    /// CloudFront's one global endpoint).
    var cloudFront: AWS.CloudFront {
        get throws { try aws.cloudFront(region: region) }
    }
}
