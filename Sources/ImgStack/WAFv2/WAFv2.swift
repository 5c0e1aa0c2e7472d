import AWS
import Engine

/// AWS WAF resources: web ACLs.
public enum WAFv2 {}

extension OperationContext {
    /// WAF calls in this operation's region (`us-east-1` for `CLOUDFRONT` web ACLs).
    var wafv2: AWS.WAFV2 {
        get throws { try aws.wafv2(region: region) }
    }
}
