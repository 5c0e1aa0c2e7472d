import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// Every resource type declares the AWS calls it makes and the IAM access they need
/// (`AccessDeclaring`), and `imgstack policy` is generated from those declarations. What each
/// type really calls is checked against the emulator by every integration test that runs it
/// through `StackHarness`; these tests check the declarations' own form and the generator.
final class DeclaredAccessTests: XCTestCase {
    /// The run's own fields, and `parameterAccount` (the account, `*` for an SSM public parameter, whose ARN names none).
    private let placeholders: Set<String> = ["partition", "region", "account", "parameterAccount"]

    func testEveryRegisteredTypeDeclaresWellFormedAccess() throws {
        let action = try NSRegularExpression(pattern: #"^[a-z0-9-]+:[A-Za-z]+\*?$"#)
        for (name, type) in ResourceCatalog.types().sorted(by: { $0.key < $1.key }) {
            guard let access = ResourceCatalog.access(of: type) else {
                XCTFail("\(name) declares no IAM access: add `extension <Type>Type: AccessDeclaring` in its file")
                continue
            }
            XCTAssertFalse(access.calls.isEmpty, name)
            var operations = Set<String>()
            for call in access.calls {
                let label = "\(name) \(call.service.actionPrefix):\(call.operation)"
                XCTAssertTrue(operations.insert(label).inserted, "\(label) is declared twice")
                XCTAssertFalse(call.phases.isEmpty, "\(label) has no phase")
                for grant in call.grants {
                    XCTAssertEqual(grant.resources.isEmpty, grant.actions.isEmpty, "\(label): actions need resources, and only they do")
                    for text in grant.actions {
                        XCTAssertNotNil(action.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), "\(label): \(text) is not an IAM action")
                    }
                }
                for resource in call.grants.flatMap(\.resources) {
                    switch resource {
                    case .anyResource(let reason):
                        XCTAssertFalse(reason.isEmpty, "\(label): a `*` resource needs its reason")
                    case .arn(let template):
                        XCTAssertTrue(template.hasPrefix("arn:{partition}:"), "\(label): \(template)")
                        for field in Self.fields(of: template).map(Self.firstProperty) where !placeholders.contains(field) {
                            XCTAssertNotNil(type.schema.property(field), "\(label): {\(field)} in \(template) is not a property of \(name)")
                        }
                    case .heldIn(let path, let template):
                        XCTAssertTrue(template.hasPrefix("arn:{partition}:"), "\(label): \(template)")
                        XCTAssertNotNil(type.schema.property(Self.firstProperty(path)), "\(label): \(path) is not a property path of \(name)")
                    }
                }
                for condition in call.grants.flatMap(\.conditions) {
                    let paths: [String]
                    switch condition {
                    case .anySet(let set): paths = set
                    case .equals(let property, _): paths = [property]
                    }
                    for path in paths {
                        XCTAssertNotNil(type.schema.property(Self.firstProperty(path)), "\(label): \(path) is not a property path of \(name)")
                    }
                }
                if call.phases.contains(.settle) || call.phases.contains(.read) {
                    // Every command settles and refreshes first, `plan` too: those phases only read.
                    XCTAssertTrue(["Get", "List", "Describe", "Head"].contains { call.operation.hasPrefix($0) },
                                  "\(label) is declared for refresh or settling, which only read")
                }
            }
        }
    }

    func testACallTheTypeDoesNotDeclareIsNamedWithItsType() {
        let undeclared = AWSClient.CallRecord(service: .kms, operation: "PutKeyPolicy", caller: "kms.alias", outcome: .succeeded)
        let problem = ResourceCatalog.undeclaredCall(undeclared)
        XCTAssertEqual(problem, "kms.alias called kms:PutKeyPolicy, which its AccessDeclaring declaration does not list")
        XCTAssertNil(ResourceCatalog.undeclaredCall(AWSClient.CallRecord(service: .kms, operation: "CreateAlias", caller: "kms.alias", outcome: .succeeded)))
        XCTAssertNil(ResourceCatalog.undeclaredCall(AWSClient.CallRecord(service: .kms, operation: "PutKeyPolicy", caller: nil, outcome: .succeeded)),
                     "a call made outside a resource's operation belongs to no type")
    }

    func testTheApplyPolicyScopesEachResourceToItsARNAndGivesReasonsForStar() throws {
        let stack = Stack("policy") { stack in
            let key = stack.add(KMS.Key("data", description: "data"))
            stack.add(S3.Bucket("images", bucket: "acme-images"))
            stack.add(S3.Bucket("logs", bucket: "acme-logs-\(key.keyID)"))
        }
        let definition = try stack.evaluate(variables: [:], region: "eu-west-1").definition
        let policy = try DeployPolicy(definition, backend: .local, account: "123456789012", for: .apply)

        let images = try XCTUnwrap(policy.statements.first { $0.resources == ["arn:aws:s3:::acme-images"] })
        XCTAssertEqual(images.sid, "S3BucketImages")
        XCTAssertTrue(images.actions.contains("s3:PutEncryptionConfiguration"), "\(images.actions)")
        XCTAssertTrue(images.actions.contains("s3:DeleteBucket"), "apply deletes what the stack no longer declares")
        XCTAssertFalse(images.actions.contains("s3:PutBucketEncryption"), "PutBucketEncryption is no IAM action")
        XCTAssertTrue(policy.statements.contains { $0.resources == ["arn:aws:s3:::acme-logs-*"] }, "a name only known after apply keeps its prefix")
        XCTAssertTrue(policy.statements.contains { $0.resources == ["arn:aws:kms:eu-west-1:123456789012:key/*"] && $0.actions.contains("kms:DescribeKey") })

        let star = try XCTUnwrap(policy.statements.first { $0.resources == ["*"] && $0.actions.contains("kms:CreateKey") })
        XCTAssertTrue(star.reasons.contains { $0.contains("kms:CreateKey takes no resource") }, "\(star.reasons)")
        XCTAssertEqual(policy.reasons[star.sid], star.reasons)
        for statement in policy.statements where statement.resources == ["*"] {
            XCTAssertFalse(statement.reasons.isEmpty, "\(statement.sid): every `*` says why")
        }
    }

    func testAnSSMParameterPathIsItsARNWithOneSlash() throws {
        let stack = Stack("policy") { stack in
            stack.add(SSM.Parameter("db", name: "/app/db-url", value: "postgres://db"))
            stack.add(SSM.Parameter("flat", name: "flag", value: "on"))
        }
        let definition = try stack.evaluate(variables: [:], region: "eu-west-1").definition
        let resources = try DeployPolicy(definition, backend: .local, account: "123456789012", for: .apply).statements.flatMap(\.resources)
        XCTAssertTrue(resources.contains("arn:aws:ssm:eu-west-1:123456789012:parameter/app/db-url"), "\(resources)")
        XCTAssertTrue(resources.contains("arn:aws:ssm:eu-west-1:123456789012:parameter/flag"), "\(resources)")
        XCTAssertFalse(resources.contains { $0.contains("parameter//") }, "\(resources)")
    }

    /// A call the type makes only for some property values is granted only when the stack
    /// declares them: a bucket is emptied only with `forceDestroy`, a security group's default
    /// egress rule revoked only when the group does not keep it.
    func testACallMadeOnlyForSomePropertyValuesIsGrantedOnlyForThem() throws {
        let stack = Stack("policy") { stack in
            stack.add(S3.Bucket("kept", bucket: "acme-kept"))
            stack.add(S3.Bucket("scratch", bucket: "acme-scratch", forceDestroy: true))
        }
        let destroy = try Self.grants(stack, for: .destroy)
        XCTAssertEqual(Set(destroy.filter { $0.action == "s3:DeleteObject" || $0.action == "s3:ListBucketVersions" }.map(\.resource)),
                       ["arn:aws:s3:::acme-scratch", "arn:aws:s3:::acme-scratch/*"])

        let vpc = "vpc-0123456789abcdef0"
        let keeping = Stack("policy") { stack in _ = stack.add(EC2.SecurityGroup("web", name: "web", description: "web", vpcID: Text(vpc))) }
        let kept = try Self.grants(keeping, for: .apply).map(\.action)
        XCTAssertFalse(kept.contains("ec2:RevokeSecurityGroupEgress"), "\(kept)")
        XCTAssertTrue(kept.contains("ec2:AuthorizeSecurityGroupEgress"), "drift repair adds the default rule back: \(kept)")
        let closed = Stack("policy") { stack in
            _ = stack.add(EC2.SecurityGroup("web", name: "web", description: "web", vpcID: Text(vpc), keepDefaultEgress: false))
        }
        let revoked = try Self.grants(closed, for: .apply).map(\.action)
        XCTAssertTrue(revoked.contains("ec2:RevokeSecurityGroupEgress"), "\(revoked)")
        XCTAssertFalse(revoked.contains("ec2:AuthorizeSecurityGroupEgress"), "\(revoked)")

        // A key policy is put, a role's inline policy written, a parameter's value encrypted only
        // when the stack declares one.
        let trust = PolicyDocument([Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service("lambda.amazonaws.com"))])
        let plain = Stack("policy") { stack in
            stack.add(KMS.Key("data", description: "data"))
            stack.add(ImgStack.IAM.Role("app", name: "app", assumeRolePolicy: trust))
            stack.add(SSM.Parameter("flag", name: "flag", value: "on"))
        }
        let plainActions = Set(try Self.grants(plain, for: .all).map(\.action))
        XCTAssertTrue(plainActions.isDisjoint(with: ["kms:PutKeyPolicy", "iam:PutRolePolicy", "kms:Encrypt", "kms:Decrypt"]), "\(plainActions.sorted())")
        let declaring = Stack("policy") { stack in
            stack.add(KMS.Key("data", description: "data", policy: trust))
            stack.add(ImgStack.IAM.Role("app", name: "app", assumeRolePolicy: trust, inlinePolicies: ["logs": trust]))
            stack.add(SSM.Parameter("secret", name: "secret", type: .secureString, value: "s3cret"))
        }
        let declaringActions = Set(try Self.grants(declaring, for: .all).map(\.action))
        XCTAssertTrue(declaringActions.isSuperset(of: ["kms:PutKeyPolicy", "iam:PutRolePolicy", "kms:Encrypt", "kms:Decrypt"]), "\(declaringActions.sorted())")
    }

    /// A repository encrypted with a KMS key grants ECR's grants on that key; one without, none.
    func testAKMSEncryptedRepositoryGrantsTheKeysGrants() throws {
        let stack = Stack("policy") { stack in
            let key = stack.add(KMS.Key("images", description: "images"))
            stack.add(ECR.Repository("sealed", name: "sealed", encryption: .kms(key: key.arn)))
            stack.add(ECR.Repository("plain", name: "plain"))
        }
        let grants = try Self.grants(stack, for: .all).filter { $0.action == "kms:CreateGrant" }
        XCTAssertTrue(grants.allSatisfy { $0.sid.hasPrefix("EcrRepositorySealed") }, "\(grants)")
        XCTAssertEqual(grants.map(\.resource), ["arn:aws:kms:eu-west-1:123456789012:key/*"])
    }

    /// A Lambda permission is granted on its own function, named or referred to, not `function:*`.
    func testALambdaPermissionIsGrantedOnItsFunction() throws {
        let stack = Stack("policy") { stack in
            stack.add(ImgStack.Lambda.Permission("invoke", functionName: "mover", statementID: "s3", principal: "s3.amazonaws.com"))
        }
        let resources = Set(try Self.grants(stack, for: .apply).filter { $0.action == "lambda:AddPermission" }.map(\.resource))
        XCTAssertEqual(resources, ["arn:aws:lambda:eu-west-1:123456789012:function:mover"])
    }

    func testAPlanPolicyOnlyReadsAndADestroyPolicyDeletes() throws {
        let stack = Stack("policy") { stack in
            stack.add(S3.Bucket("images", bucket: "acme-images"))
        }
        let definition = try stack.evaluate(variables: [:], region: "us-east-1").definition
        let plan = try DeployPolicy(definition, backend: .local, account: nil, for: .plan).statements.flatMap(\.actions)
        XCTAssertTrue(plan.contains("s3:GetEncryptionConfiguration"), "\(plan)")
        XCTAssertFalse(plan.contains { $0.contains(":Put") || $0.contains(":Create") || $0.contains(":Delete") }, "\(plan)")
        let destroy = try DeployPolicy(definition, backend: .local, account: nil, for: .destroy).statements.flatMap(\.actions)
        XCTAssertTrue(destroy.contains("s3:DeleteBucket"), "\(destroy)")
        XCTAssertFalse(destroy.contains("s3:CreateBucket"), "\(destroy)")
    }

    /// Lambda@Edge replication is granted on the associated functions' versions, and only
    /// when a cache behaviour associates one: a distribution without Lambda@Edge is granted no
    /// Lambda action and no service-linked role.
    func testEdgeReplicationIsGrantedOnTheAssociatedFunctionsOnly() throws {
        @Sendable func distribution(_ associations: [ImgStack.CloudFront.LambdaAssociation], ordered: [ImgStack.CloudFront.LambdaAssociation] = []) -> ImgStack.CloudFront.Distribution {
            ImgStack.CloudFront.Distribution("site", origins: [ImgStack.CloudFront.Origin(id: "web", domainName: "example.com")],
                                    defaultCacheBehavior: ImgStack.CloudFront.CacheBehavior(targetOriginID: "web", lambdaAssociations: associations),
                                    orderedCacheBehaviors: [ImgStack.CloudFront.CacheBehavior(pathPattern: "/api/*", targetOriginID: "web", lambdaAssociations: ordered)])
        }
        let trust = PolicyDocument([Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service("lambda.amazonaws.com"))])
        let plain = Stack("policy") { stack in _ = stack.add(distribution([])) }
        let plainGrants = try Self.grants(plain, for: .apply)
        XCTAssertFalse(plainGrants.contains { $0.action.hasPrefix("lambda:") || $0.action == "iam:CreateServiceLinkedRole" }, "\(plainGrants)")

        let edge = Stack("policy") { stack in
            let role = stack.add(ImgStack.IAM.Role("edge", name: "edge-auth", assumeRolePolicy: trust))
            let auth = stack.add(ImgStack.Lambda.Function("auth", functionName: "edge-auth", source: URL(fileURLWithPath: "/tmp"), runtime: "nodejs20.x",
                                                 handler: "index.handler", role: role.arn, files: ["index.js": "exports.handler = async (event) => event"],
                                                 edge: true, region: "us-east-1"))
            stack.add(distribution([.init(eventType: "viewer-request", lambdaARN: auth.qualifiedARN)],
                                   ordered: [.init(eventType: "origin-response", lambdaARN: "arn:aws:lambda:us-east-1:123456789012:function:headers:7")]))
        }
        let edgeGrants = try Self.grants(edge, for: .apply)
        let replicated = Set(edgeGrants.filter { $0.action == "lambda:EnableReplication*" }.map(\.resource))
        XCTAssertEqual(replicated, ["arn:aws:lambda:us-east-1:123456789012:function:edge-auth:*",
                                    "arn:aws:lambda:us-east-1:123456789012:function:headers:7"])
        XCTAssertTrue(edgeGrants.contains { $0.action == "iam:CreateServiceLinkedRole" && $0.resource.hasSuffix("/AWSServiceRoleForLambdaReplicator") })

        // A web ACL given by ARN is read by CloudFront with the caller's permissions; none, none.
        XCTAssertFalse(plainGrants.contains { $0.action == "wafv2:GetWebACL" }, "\(plainGrants)")
        let acl = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/0f0e"
        let guarded = Stack("policy") { stack in
            _ = stack.add(ImgStack.CloudFront.Distribution("site", origins: [ImgStack.CloudFront.Origin(id: "web", domainName: "example.com")],
                                                           defaultCacheBehavior: ImgStack.CloudFront.CacheBehavior(targetOriginID: "web"), webACLID: Text(acl)))
        }
        XCTAssertEqual(Set(try Self.grants(guarded, for: .apply).filter { $0.action == "wafv2:GetWebACL" }.map(\.resource)), [acl])
    }

    /// A role handed over is granted `iam:PassRole` as itself: a literal ARN as written, a
    /// reference to a role of the stack by its path and name; an identity pool's role-mapping
    /// rules the same way. Never `role/*`.
    func testPassRoleIsGrantedOnTheRolesHandedOver() throws {
        let trust = PolicyDocument([Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service("lambda.amazonaws.com"))])
        let stack = Stack("policy") { stack in
            let admin = stack.add(ImgStack.IAM.Role("admin", name: "admins", assumeRolePolicy: trust, path: "/people/"))
            let user = stack.add(ImgStack.IAM.Role("user", name: "users", assumeRolePolicy: trust))
            let pool = stack.add(ImgStack.Cognito.IdentityPool("ids", name: "ids"))
            stack.add(ImgStack.Cognito.IdentityPoolRoles("ids", identityPoolID: pool.poolID, authenticatedRole: user.arn, roleMappings: [
                .init(identityProvider: "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab:client", type: "Rules", rules: [
                    .init(claim: "cognito:groups", matchType: "Contains", value: "admins", roleARN: admin.arn),
                    .init(claim: "cognito:groups", matchType: "Contains", value: "ops", roleARN: "arn:aws:iam::123456789012:role/ops"),
                ]),
            ]))
            stack.add(ImgStack.Lambda.Function("job", functionName: "job", source: URL(fileURLWithPath: "/tmp"), runtime: "python3.12", handler: "job.run",
                                      role: "arn:aws:iam::123456789012:role/service/job", files: ["job.py": "def run(event, context): pass"]))
        }
        XCTAssertFalse(try Self.grants(stack, for: .destroy).contains { $0.action == "iam:PassRole" }, "a destroy clears the pool's roles: it passes none")
        let passed = try Self.grants(stack, for: .apply).filter { $0.action == "iam:PassRole" }
        XCTAssertEqual(Set(passed.filter { $0.sid.hasPrefix("CognitoIdentityPoolRoles") }.map(\.resource)),
                       ["arn:aws:iam::123456789012:role/people/admins", "arn:aws:iam::123456789012:role/users", "arn:aws:iam::123456789012:role/ops"])
        XCTAssertEqual(Set(passed.filter { $0.sid.hasPrefix("LambdaFunction") }.map(\.resource)), ["arn:aws:iam::123456789012:role/service/job"])
    }

    /// Every (statement id, action, resource) a stack's policy grants.
    private static func grants(_ stack: Stack, for purpose: PolicyPurpose) throws -> [(sid: String, action: String, resource: String)] {
        let definition = try stack.evaluate(variables: [:], region: "eu-west-1").definition
        return try DeployPolicy(definition, backend: .local, account: "123456789012", for: purpose).statements.flatMap { statement in
            statement.actions.flatMap { action in statement.resources.map { (statement.sid, action, $0) } }
        }
    }

    func testAnS3BackendAddsItsStateObjectLockAndKey() throws {
        let stack = Stack("site") { stack in
            stack.add(S3.Bucket("images", bucket: "acme-images"))
        }
        let definition = try stack.evaluate(variables: [:], region: "us-east-1").definition
        let backend = StateBackendChoice.s3(bucket: "acme-state", key: "site/", region: "eu-west-1", kmsKeyID: "alias/state")
        let policy = try DeployPolicy(definition, backend: backend, account: "123456789012", for: .plan)
        XCTAssertEqual(policy.statements.first { $0.sid == "StateObjects" }?.resources,
                       ["arn:aws:s3:::acme-state/site/site.state.json", "arn:aws:s3:::acme-state/site/site.state.json.lock"])
        XCTAssertEqual(policy.statements.first { $0.sid == "StateObjects" }?.actions, ["s3:GetObject", "s3:PutObject"])
        // Only the lock is ever deleted; a first run's missing state answers 404 only with s3:ListBucket.
        XCTAssertEqual(policy.statements.first { $0.sid == "StateLock" }?.resources, ["arn:aws:s3:::acme-state/site/site.state.json.lock"])
        XCTAssertEqual(policy.statements.first { $0.sid == "StateBucket" }?.actions, ["s3:GetBucketVersioning", "s3:ListBucket"])
        XCTAssertEqual(policy.statements.first { $0.sid == "StateKey" }?.resources, ["arn:aws:kms:eu-west-1:123456789012:key/*"])
    }

    /// Every kind of lookup declares its reads, each for every phase (lookups are read on every
    /// plan), with templates naming only its arguments.
    func testEveryLookupKindDeclaresItsReadsForEveryPhase() throws {
        for (name, kind) in ResourceCatalog.lookupTypes().sorted(by: { $0.key < $1.key }) {
            let access = try XCTUnwrap(ResourceCatalog.access(of: kind), "\(name) declares no IAM access")
            XCTAssertFalse(access.calls.isEmpty, name)
            for call in access.calls {
                XCTAssertEqual(call.phases, Set(AccessPhase.allCases), "\(name) \(call.operation)")
                for case .arn(let template) in call.grants.flatMap(\.resources) {
                    for field in Self.fields(of: template).map(Self.firstProperty) where !placeholders.contains(field) {
                        XCTAssertTrue(kind.schema.arguments.contains(field), "\(name): {\(field)} in \(template) is not an argument")
                    }
                }
            }
        }
    }

    /// A stack's lookups add their reads to every purpose's policy, a plan's and a destroy's too.
    func testLookupsAddTheirReadsToEveryPurpose() throws {
        let stack = Stack("policy") { stack in
            let key = stack.lookup(KMS.KeyLookup("shared", alias: "alias/shared"))
            let url = stack.lookup(SSM.ParameterLookup("db", parameterName: "/app/db-url"))
            let vpc = stack.lookup(EC2.VPCLookup("main", isDefault: true))
            let subnets = stack.lookup(EC2.SubnetsLookup("main", vpcID: vpc.id))
            let me = stack.lookup(STS.CallerIdentity("me"))
            stack.add(S3.Bucket("images", bucket: "acme-images-\(me.accountID)", encryption: .kms(kmsKeyID: key.arn)))
            stack.output("url", url.value)
            stack.output("subnets", subnets.ids)
        }
        let definition = try stack.evaluate(variables: [:], region: "eu-west-1").definition
        for purpose in PolicyPurpose.allCases {
            let policy = try DeployPolicy(definition, backend: .local, account: "123456789012", for: purpose)
            let grants = Set(policy.statements.flatMap { statement in statement.actions.flatMap { action in statement.resources.map { "\(action) \($0)" } } })
            for expected in ["kms:DescribeKey arn:aws:kms:eu-west-1:123456789012:key/*",
                             "ssm:GetParameter arn:aws:ssm:eu-west-1:123456789012:parameter/app/db-url",
                             "ec2:DescribeVpcs *", "ec2:DescribeSubnets *"] {
                XCTAssertTrue(grants.contains(expected), "\(purpose): \(expected) in \(grants.sorted())")
            }
            XCTAssertFalse(grants.contains { $0.hasPrefix("sts:") }, "GetCallerIdentity needs no permission")
            XCTAssertTrue(policy.statements.contains { $0.sid == "LookupKmsKeyShared" }, "\(policy.statements.map(\.sid))")
        }
    }

    /// During a plan a type may only make the calls it declares for `read`: one declared only
    /// for apply's phases is named, with both phase sets.
    func testACallMadeInAPhaseItIsNotDeclaredForIsNamed() {
        let create = AWSClient.CallRecord(service: .kms, operation: "CreateAlias", caller: "kms.alias", outcome: .succeeded)
        XCTAssertEqual(ResourceCatalog.undeclaredCall(create, during: [.read]),
                       "kms.alias called kms:CreateAlias during read, but its AccessDeclaring declaration lists it only for create")
        XCTAssertNil(ResourceCatalog.undeclaredCall(create), "no phase given: declared is enough")
        XCTAssertNil(ResourceCatalog.undeclaredCall(create, during: [.create, .read, .update, .delete]))
        let list = AWSClient.CallRecord(service: .kms, operation: "ListAliases", caller: "kms.alias", outcome: .succeeded)
        XCTAssertNil(ResourceCatalog.undeclaredCall(list, during: [.read]))
        let lookup = AWSClient.CallRecord(service: .kms, operation: "PutKeyPolicy", caller: "lookup.kms.key", outcome: .succeeded)
        XCTAssertEqual(ResourceCatalog.undeclaredCall(lookup), "lookup.kms.key called kms:PutKeyPolicy, which its AccessDeclaring declaration does not list")
    }

    /// A policy longer than a managed policy holds (6,144 characters, whitespace not counted) is
    /// split into documents that each fit, statements whole and in order; a short one is one document.
    func testALongPolicyIsSplitIntoDocumentsThatEachFitAManagedPolicy() throws {
        let stack = Stack("policy") { stack in
            for index in 1...40 { stack.add(S3.Bucket("images\(index)", bucket: "acme-images-with-a-long-name-\(index)")) }
        }
        let definition = try stack.evaluate(variables: [:], region: "eu-west-1").definition
        let policy = try DeployPolicy(definition, backend: .local, account: "123456789012", for: .all)
        let whole = try JSONSerialization.data(withJSONObject: policy.document, options: [.sortedKeys, .withoutEscapingSlashes])
        XCTAssertGreaterThan(whole.count, DeployPolicy.managedPolicyCharacterLimit * 2, "the example is long enough")

        let documents = policy.documents()
        XCTAssertGreaterThan(documents.count, 2)
        var sids: [String] = []
        for document in documents {
            let text = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted])
            let counted = String(decoding: text, as: UTF8.self).filter { !$0.isWhitespace }.count
            XCTAssertLessThanOrEqual(counted, DeployPolicy.managedPolicyCharacterLimit)
            XCTAssertEqual(document["Version"] as? String, "2012-10-17")
            sids += (document["Statement"] as? [[String: Any]] ?? []).compactMap { $0["Sid"] as? String }
        }
        XCTAssertEqual(sids, policy.statements.map(\.sid), "every statement once, in order")
        XCTAssertEqual(policy.documentStatements().flatMap { $0 }, policy.statements)

        let short = try DeployPolicy(try Stack("short") { $0.add(S3.Bucket("images", bucket: "acme-images")) }
            .evaluate(variables: [:], region: "eu-west-1").definition, backend: .local, account: nil, for: .all)
        XCTAssertEqual(short.documents().count, 1)
        XCTAssertEqual(short.documentStatements(), [short.statements])
    }

    /// The `{…}` fields of an ARN template.
    /// `role` of `{role->path}` (the path of the resource `role` refers to), the field itself otherwise.
    /// `roles[]->path` → `roles`: the property a field starts from, over each element or not.
    /// The property a template field or property path starts at: `role` of `role->path`,
    /// `defaultCacheBehavior` of `defaultCacheBehavior.lambdaAssociations[].lambdaARN`.
    private static func firstProperty(_ field: String) -> String {
        String(field.split(whereSeparator: { "-.[#".contains($0) })[0])
    }

    private static func fields(of template: String) -> [String] {
        template.split(separator: "{").dropFirst().compactMap { $0.split(separator: "}", omittingEmptySubsequences: false).first.map(String.init) }
    }
}
