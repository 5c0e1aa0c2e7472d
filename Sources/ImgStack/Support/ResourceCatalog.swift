import AWS
import Engine

/// Every resource type imgstack knows: the one registry, so state holding a type the stack no
/// longer declares can still be refreshed and deleted. A conformance test
/// (`ResourceTypeConformanceTests`) fails when a type in `Sources/ImgStack` is missing here, or
/// lacks a doc page or README row.
public enum ResourceCatalog {
    /// The resource declarations' types, one line each.
    public static let resources: [any Resource.Type] = [
        S3.Bucket.self,
        S3.BucketPolicy.self,
        S3.BucketNotification.self,
        S3.Object.self,
        S3.Objects.self,
        KMS.Key.self,
        KMS.Alias.self,
        KMS.KeyPolicy.self,
        IAM.Role.self,
        IAM.Policy.self,
        IAM.RolePolicyAttachment.self,
        IAM.InstanceProfile.self,
        IAM.OpenIDConnectProvider.self,
        CloudFront.OriginAccessControl.self,
        CloudFront.ResponseHeadersPolicy.self,
        CloudFront.Distribution.self,
        Cognito.UserPool.self,
        Cognito.UserPoolClient.self,
        Cognito.UserPoolDomain.self,
        Cognito.IdentityProvider.self,
        Cognito.IdentityPool.self,
        Cognito.IdentityPoolRoles.self,
        Lambda.Function.self,
        Lambda.Permission.self,
        CloudWatch.MetricAlarm.self,
        CloudWatch.LogGroup.self,
        SNS.Topic.self,
        SNS.Subscription.self,
        SSM.Parameter.self,
        ECR.Repository.self,
        ECR.LifecyclePolicy.self,
        APIGateway.RestAPI.self,
        APIGateway.Resource.self,
        APIGateway.Method.self,
        APIGateway.Integration.self,
        APIGateway.Authorizer.self,
        APIGateway.Deployment.self,
        APIGateway.Stage.self,
        WAFv2.WebACL.self,
        EC2.SecurityGroup.self,
        EC2.SecurityGroupRule.self,
        EC2.LaunchTemplate.self,
        AutoScaling.Group.self,
        AutoScaling.ScalingPolicy.self,
        ELBv2.LoadBalancer.self,
        ELBv2.TargetGroup.self,
        ELBv2.Listener.self,
    ]

    /// The implementations, keyed by type name (each takes its AWS client from the operation).
    public static func types() -> [String: any ResourceType] {
        Dictionary(uniqueKeysWithValues: resources.map { ($0.typeName, $0.makeType()) })
    }

    /// The calls `type` declares and the IAM access they need, nil when it declares none.
    public static func access(of type: any ResourceType) -> ResourceAccess? {
        (type as? any AccessDeclaring).map { Swift.type(of: $0).access }
    }

    /// The kinds of lookup (Terraform's data sources), one line each.
    public static let lookups: [any Lookup.Type] = [
        STS.CallerIdentity.self,
        KMS.KeyLookup.self,
        SSM.ParameterLookup.self,
        EC2.VPCLookup.self,
        EC2.SubnetsLookup.self,
    ]

    /// The lookup implementations, keyed by kind (`kms.key`).
    public static func lookupTypes() -> [String: any LookupType] {
        Dictionary(uniqueKeysWithValues: lookups.map { ($0.typeName, $0.makeType()) })
    }

    /// The calls a lookup of `kind` makes and the IAM access they need, nil when it declares none.
    public static func access(of kind: any LookupType) -> ResourceAccess? {
        (kind as? any AccessDeclaring).map { Swift.type(of: $0).access }
    }

    /// Why `record` breaks its caller's declaration: a resource type (or lookup) called an
    /// operation it does not declare (``AccessDeclaring``), or, when `phases` is given, declares
    /// only for other phases (a plan's refresh calling what only apply is granted). Nil for a
    /// declared call, or one made outside a resource's operation (the state backend, a test's
    /// own setup).
    /// - Parameters:
    ///   - record: the call.
    ///   - phases: the phases the running command is in (`[.read]` for a plan); nil checks none.
    public static func undeclaredCall(_ record: AWSClient.CallRecord, during phases: Set<AccessPhase>? = nil) -> String? {
        guard let caller = record.caller else { return nil }
        let declared: ResourceAccess??
        if caller.hasPrefix(Address.lookupPrefix) {
            declared = declaredLookups[String(caller.dropFirst(Address.lookupPrefix.count))].map { access(of: $0) }
        } else {
            declared = declaredTypes[caller].map { access(of: $0) }
        }
        guard let declared else { return nil }
        let operation = "\(record.service.actionPrefix):\(record.operation)"
        guard let access = declared else {
            return "\(caller) called \(operation) but declares no IAM access (AccessDeclaring)"
        }
        guard let call = access.call(record.service, record.operation) else {
            return "\(caller) called \(operation), which its AccessDeclaring declaration does not list"
        }
        guard let phases, call.phases.isDisjoint(with: phases) else { return nil }
        return "\(caller) called \(operation) during \(names(phases)), but its AccessDeclaring declaration lists it only for \(names(call.phases))"
    }

    private static let declaredTypes = types()

    private static func names(_ phases: Set<AccessPhase>) -> String {
        phases.map(\.rawValue).sorted().joined(separator: ", ")
    }
    private static let declaredLookups = lookupTypes()

    /// The Swift name a stack writes for `resource`: `KMS.Key`.
    public static func swiftName(_ resource: any Resource.Type) -> String {
        String(reflecting: resource).split(separator: ".").suffix(2).joined(separator: ".")
    }
}
