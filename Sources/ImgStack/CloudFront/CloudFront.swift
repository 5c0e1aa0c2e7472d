/// Amazon CloudFront resources: distributions, origin access controls and response headers policies.
///
/// CloudFront is global: its calls are signed for `us-east-1` whatever the stack's region.
public enum CloudFront {}
