import AWS
import Engine

/// The parts of a resource's life in which a resource type calls AWS.
public enum AccessPhase: String, CaseIterable, Sendable {
    /// `create`.
    case create
    /// `read`: every plan's refresh.
    case read
    /// `update`.
    case update
    /// `delete`.
    case delete
    /// `importResource`.
    case `import`
    /// `findCreated`: an unfinished create a crashed apply left is looked for and adopted, which
    /// every command that reads state does first (plan, apply, destroy). The calls it makes
    /// beyond `read`'s: the account-wide list a resource is found in. Reads only, since `plan`
    /// settles too: what a crash left half-made is recorded as it is, and the plan shows the rest.
    case settle
}

/// What an IAM statement grants an action on.
public enum ARNPattern: Sendable, Hashable {
    /// An ARN template. `{partition}`, `{region}` and `{account}` are the run's; `{name}` is the
    /// resource's property `name` (its state name), filled from the stack where it is known
    /// before apply. A part only known after apply becomes `*`, so a bucket named
    /// `"images-\(account)"` is granted as `arn:aws:s3:::images-*`. A value starting with `/`
    /// right after a `/` of the template loses its own (`parameter/{name}` with `/app/db` is
    /// `parameter/app/db`, as SSM's ARNs are). `{parameterAccount}` is the account, or `*`
    /// for an SSM public parameter (a `parameterName` under `/aws/service/`), whose ARN names none. `{role->path}` is
    /// the property `path` of the stack's resource the property `role` refers to (`*` when `role`
    /// is not a reference to one), so a role named by reference is granted with its own path;
    /// a chain (`{launchTemplateID->instanceProfileARN->role->name}`) that meets a property the
    /// stack leaves unset names nothing, and the template grants nothing. `{url#host}` is the
    /// property `url` without its `https://` (an OIDC provider's ARN).
    case arn(String)
    /// The ARNs a property holds, one per value at `path`: `role`; `roles[]` (every value of a
    /// list or map property); `defaultCacheBehavior.lambdaAssociations[].lambdaARN` (`.` reads
    /// a key of a structured value). A literal ARN is granted as written; a reference to a
    /// resource of the stack as `template` filled from that resource's properties
    /// (`arn:{partition}:iam::{account}:role{path}{name}` for `role.arn`); anything else (a
    /// name, an expression) as `template` filled from this resource's own properties, `*` for
    /// what it does not have. Nothing where the stack sets no value there.
    case heldIn(String, ofReferenced: String)
    /// `"Resource": "*"`: AWS grants the action on no resource (the Service Authorization
    /// Reference lists no resource type for it, e.g. `kms:CreateKey`, `s3:ListAllMyBuckets`).
    /// `reason` says so in the generated policy.
    case anyResource(reason: String)
}

/// One AWS API operation a resource type calls, the IAM actions AWS checks for it and what
/// they act on. IAM action names are the Service Authorization Reference's, which are not
/// always the operation's name (`PutBucketEncryption` needs `s3:PutEncryptionConfiguration`).
public struct IAMCall: Sendable {
    /// The service called.
    public var service: AWSService
    /// The API operation as the AWS layer sends it (botocore's operation name).
    public var operation: String
    /// The IAM actions AWS checks for the call.
    public var actions: [String]
    /// What the actions act on.
    public var resources: [ARNPattern]
    /// When the type makes the call.
    public var phases: Set<AccessPhase>
    /// Further actions AWS checks for the call on other resources (`iam:PassRole` on the role a
    /// Lambda function is created with).
    public var alsoNeeds: [IAMGrant]
    /// When the type makes the call only for some values of its properties (a bucket is
    /// emptied only with `forceDestroy`): the condition; nil when it always may.
    public var condition: GrantCondition?

    /// Declares one call.
    /// - Parameters:
    ///   - service: the service called.
    ///   - operation: the API operation (`CreateAlias`).
    ///   - phases: when the type makes it.
    ///   - actions: the IAM actions it needs; nil for the one action of the operation's name
    ///     (`kms:CreateAlias`).
    ///   - resources: what the actions act on.
    ///   - alsoNeeds: further actions on other resources.
    ///   - condition: the property values the call is made for; nil for all.
    public init(_ service: AWSService, _ operation: String, in phases: Set<AccessPhase>, needs actions: [String]? = nil, on resources: [ARNPattern],
                alsoNeeds: [IAMGrant] = [], when condition: GrantCondition? = nil) {
        self.service = service
        self.operation = operation
        self.actions = actions ?? ["\(service.actionPrefix):\(operation)"]
        self.resources = resources
        self.phases = phases
        self.alsoNeeds = alsoNeeds
        self.condition = condition
    }

    /// Every grant the call needs: its own actions on its resources, then ``alsoNeeds``; each
    /// under the call's ``condition`` as well as its own.
    public var grants: [IAMGrant] {
        ([IAMGrant(actions, on: resources)] + alsoNeeds).map { grant in
            var grant = grant
            grant.conditions += condition.map { [$0] } ?? []
            return grant
        }
    }
}

/// The property values a grant is needed for, judged from the declared stack. A value only
/// known after apply meets every condition: the grant stays.
public enum GrantCondition: Sendable {
    /// At least one of the property paths (as in ``ARNPattern/heldIn(_:ofReferenced:)``) holds
    /// a value: Lambda@Edge replication only when a cache behaviour associates a function.
    case anySet([String])
    /// The property, or its default when the stack leaves it unset, is `value`: a bucket is
    /// emptied only with `forceDestroy` true.
    case equals(String, Value)
}

/// IAM actions on the resources they are granted on.
public struct IAMGrant: Sendable {
    /// The IAM actions.
    public var actions: [String]
    /// What they act on.
    public var resources: [ARNPattern]
    /// What the stack must declare for the grant to be needed, all of them; empty when it
    /// always is.
    public var conditions: [GrantCondition]
    /// The phases of its call that need the grant; nil for all of them.
    public var phases: Set<AccessPhase>?

    /// Grants `actions` on `resources`; with `condition`, only when the stack meets it
    /// (`iam:CreateServiceLinkedRole` for Lambda@Edge replication only when a cache behaviour
    /// associates a function); with `phases`, only in those of its call's phases (an identity
    /// pool's roles are passed when set, not when cleared at delete).
    public init(_ actions: [String], on resources: [ARNPattern], when condition: GrantCondition? = nil, in phases: Set<AccessPhase>? = nil) {
        self.actions = actions
        self.resources = resources
        self.conditions = condition.map { [$0] } ?? []
        self.phases = phases
    }
}

extension IAMGrant {
    /// `iam:CreateServiceLinkedRole` on a service's own role (`aws-service-role/<service>/<role>`),
    /// which the service makes on its first use in the account with the caller's permissions
    /// (IAM User Guide, "Service-linked role permissions").
    public static func serviceLinkedRole(_ service: String, _ role: String, when condition: GrantCondition? = nil) -> IAMGrant {
        IAMGrant(["iam:CreateServiceLinkedRole"], on: [.arn("arn:{partition}:iam::{account}:role/aws-service-role/\(service)/\(role)")], when: condition)
    }
}

extension Set where Element == AccessPhase {
    /// A read that every operation but delete makes: the create and update read back what
    /// they made, refresh and import read it.
    public static let readingBack: Set<AccessPhase> = [.create, .read, .update, .import, .settle]
    /// A write that a create and an update make.
    public static let writing: Set<AccessPhase> = [.create, .update]
}

/// The AWS calls of one resource type, declared in the type's own file next to the calls; the
/// source of `imgstack policy`. Every integration test that runs a type through `StackHarness`
/// fails when the type calls an operation it does not declare.
public struct ResourceAccess: Sendable {
    /// Every call the type makes.
    public var calls: [IAMCall]

    /// Declares a type's calls.
    public init(_ calls: [IAMCall]) {
        self.calls = calls
    }

    /// The declaration of `operation` of `service`, nil when the type does not declare it.
    public func call(_ service: AWSService, _ operation: String) -> IAMCall? {
        calls.first { $0.service == service && $0.operation == operation }
    }
}

/// A resource type that declares its AWS calls and the IAM access they need. Every type in
/// ``ResourceCatalog`` conforms (`ResourceTypeConformanceTests`).
public protocol AccessDeclaring {
    /// The type's calls.
    static var access: ResourceAccess { get }
}
