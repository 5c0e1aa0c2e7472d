"""IAM identity-policy evaluation for the enforcing emulator, the way AWS authorizes a request.

moto's own enforcement (INITIAL_NO_AUTH_ACTION_COUNT) evaluates every action of every service
but S3 and IAM roles against the resource "*" and names actions by the credential scope
(`monitoring:PutMetricAlarm`), so a policy scoped to ARNs, as AWS wants it, is refused there.
This module builds the request context AWS builds instead: the IAM actions a call needs and
the ARNs they act on, per the Service Authorization Reference ("Actions, resources, and
condition keys for <service>"), resolving names against moto's state (a KMS alias to its key,
a role name to its ARN with its path), and evaluates the caller's policies on each pair as
the IAM policy evaluation logic does: an explicit Deny wins, else an Allow is needed. Most
services' rules are one table each (`rule`: the actions granted on no resource, the parameters
naming a resource by ARN or by id, what a create makes); S3, IAM, KMS aliases, CloudFront and
API Gateway keep their own code. Where AWS authorizes a call against several resources, the
rules check the ones that matter for what imgstack calls; each such simplification is written
above its service and is never more lenient than AWS on those. moto's
`IAMPolicy` is not used for that: it reads a policy's `.` and `?` as regular-expression
characters, which would allow ARNs AWS does not match.

The verifying proxy asks through POST /moto-api/imgstack/authorize with
{"accessKey", "region", "service", "operation", "params", "method", "path"} and gets back
{"allowed": bool, "principal", "action", "resource"} (the first denied pair) or
{"gap": "..."} for an operation this module has no rule for: an unknown call is never allowed.

The test account's static key is the account's root user: AWS does not apply identity
policies to the root user, so its calls are allowed (that is how tests create the IAM user).
"""

import json
import re
import urllib.parse

from fnmatch import fnmatchcase

from moto.iam.access_control import CreateAccessKeyFailure, IAMUserAccessKey
from moto.iam.models import iam_backends

ROOT_ACCESS_KEY = "AKIAIMGSTACKTEST0001"
ACCOUNT = "123456789012"
PARTITION = "aws"


class Gap(Exception):
    """An operation without an authorization rule here."""


class Context:
    """The request: its region, parameters and the pairs (action, resource ARN) it needs."""

    def __init__(self, region, params):
        self.region = region
        self.params = params
        self.needs = []
        # True for a call AWS authorizes for everyone (sts:GetCallerIdentity); otherwise a call
        # whose needs came out empty is a gap, never allowed.
        self.free = False

    def need(self, action, resource):
        self.needs.append((action, resource))

    def param(self, name):
        value = self.params.get(name)
        return value if isinstance(value, str) and value else None


# MARK: - The rule most services share

def fill(context, template, value="*"):
    """An ARN template with `{partition}`, `{region}`, `{account}`, `{id}` (the value) and any
    string parameter of the request (`{Name}`) filled in; a callable template is called with
    the context and the value."""
    if callable(template):
        return template(context, value)
    names = {key: item for key, item in context.params.items() if isinstance(item, str)}
    names.update(partition=PARTITION, region=context.region, account=ACCOUNT, id=value)
    return template.format_map(names)


def rule(service, no_resource=(), creates=None, arns=(), ids=(), every=None, actions=None, tag_on_create=None, also=None):
    """The rule of a service whose calls name their resource in a parameter, as a table. For an
    operation, the first of these that applies gives the resources its action needs:

    - `no_resource`: the operations AWS grants on no resource ("*"): a set, or a predicate on
      the operation's name (EC2's `Describe*`).
    - `creates`: {operation: template}: what a create makes, its id not known yet (`*` in the
      ARN, so only a grant on every id of the kind covers it, as AWS's ARN of the new resource).
    - `arns`: parameters holding the resource's ARN (a string or a list), each a name or
      (name, callable(context, ARN) → ARN).
    - `ids`: (parameter, template) pairs: a parameter holding the resource's name or id (a
      string or a list; the parameter may be a callable(context) → value) and the template its
      ARN is filled from (`{id}`; see `fill`).
    - `every`: {operation: value}: an operation that names none acts on `value` (`*`) in the
      first `ids` template (DescribeAlarms without names: every alarm).

    `actions` maps an operation to its IAM action's name where they differ; `tag_on_create`
    ({operation: (tags parameter, tag action)}) asks the tag action on the resources too when the
    request carries tags; `also(context, operation, resources)` adds what else AWS checks
    (iam:PassRole on a role handed over). An operation none of these covers is a gap."""
    actions = actions or {}
    creates = creates or {}
    every = every or {}
    tag_on_create = tag_on_create or {}

    def values(context, name):
        value = name(context) if callable(name) else context.params.get(name)
        listed = value if isinstance(value, list) else [value]
        return [item for item in listed if isinstance(item, str) and item]

    def resources(context, operation):
        if callable(no_resource) and no_resource(operation) or not callable(no_resource) and operation in no_resource:
            return ["*"]
        if operation in creates:
            return [fill(context, creates[operation])]
        for entry in arns:
            name, convert = entry if isinstance(entry, tuple) else (entry, None)
            found = values(context, name)
            if found:
                return [convert(context, arn) if convert else arn for arn in found]
        for name, template in ids:
            found = values(context, name)
            if found:
                return [fill(context, template, value) for value in found]
        if operation in every and ids:
            return [fill(context, ids[0][1], every[operation])]
        raise Gap(f"{service}:{operation}: no resource rule")

    def evaluate(context, operation):
        action = f"{service}:{actions.get(operation, operation)}"
        found = resources(context, operation)
        for resource in found:
            context.need(action, resource)
        tags, tag_action = tag_on_create.get(operation, (None, None))
        if tags and context.params.get(tags) and found != ["*"]:
            for resource in found:
                context.need(tag_action, resource)
        if also:
            also(context, operation, found)

    return evaluate


# MARK: - S3 (Service Authorization Reference, "Actions defined by Amazon S3")

# API operations whose IAM action has another name; `None` keeps the operation's name.
S3_ACTIONS = {
    "HeadBucket": "ListBucket", "ListObjects": "ListBucket", "ListObjectsV2": "ListBucket",
    "ListObjectVersions": "ListBucketVersions", "HeadObject": "GetObject",
    "PutBucketEncryption": "PutEncryptionConfiguration", "GetBucketEncryption": "GetEncryptionConfiguration",
    "DeleteBucketEncryption": "PutEncryptionConfiguration",
    "PutPublicAccessBlock": "PutBucketPublicAccessBlock", "GetPublicAccessBlock": "GetBucketPublicAccessBlock",
    "DeletePublicAccessBlock": "PutBucketPublicAccessBlock",
    "PutBucketLifecycleConfiguration": "PutLifecycleConfiguration",
    "GetBucketLifecycleConfiguration": "GetLifecycleConfiguration", "DeleteBucketLifecycle": "PutLifecycleConfiguration",
    "PutBucketCors": "PutBucketCORS", "GetBucketCors": "GetBucketCORS", "DeleteBucketCors": "PutBucketCORS",
    "DeleteBucketTagging": "PutBucketTagging", "DeleteBucketOwnershipControls": "PutBucketOwnershipControls",
    "DeleteBucketWebsite": "DeleteBucketWebsite",
    "PutBucketNotificationConfiguration": "PutBucketNotification",
    "GetBucketNotificationConfiguration": "GetBucketNotification",
    "ListBuckets": "ListAllMyBuckets",
}
# Object operations whose action changes when a version is named.
S3_VERSIONED = {"GetObject": "GetObjectVersion", "DeleteObject": "DeleteObjectVersion",
                "GetObjectTagging": "GetObjectVersionTagging", "PutObjectTagging": "PutObjectVersionTagging",
                "DeleteObjectTagging": "DeleteObjectVersionTagging", "GetObjectAcl": "GetObjectVersionAcl"}
S3_OBJECT_OPERATIONS = {"GetObject", "HeadObject", "PutObject", "DeleteObject", "GetObjectTagging", "PutObjectTagging",
                        "DeleteObjectTagging", "GetObjectAcl", "PutObjectAcl", "CopyObject"}


def s3(context, operation):
    bucket, key = context.param("Bucket"), context.param("Key")
    if operation == "ListBuckets":
        context.need("s3:ListAllMyBuckets", "*")
        return
    if bucket is None:
        raise Gap(f"s3:{operation} without a bucket")
    bucket_arn = f"arn:{PARTITION}:s3:::{bucket}"
    if operation == "DeleteObjects":
        # DeleteObjects checks s3:DeleteObject (s3:DeleteObjectVersion) on every key it names.
        for item in context.params.get("Delete", []):
            action = "s3:DeleteObjectVersion" if item.get("VersionId") else "s3:DeleteObject"
            context.need(action, f"{bucket_arn}/{item['Key']}")
        return
    if operation not in S3_OBJECT_OPERATIONS:
        context.need("s3:" + S3_ACTIONS.get(operation, operation), bucket_arn)
        return
    if key is None:
        raise Gap(f"s3:{operation} without a key")
    object_arn = f"{bucket_arn}/{key}"
    if operation == "CopyObject":
        source = (context.param("CopySource") or "").lstrip("/").split("?versionId=")
        context.need("s3:GetObjectVersion" if len(source) > 1 else "s3:GetObject", f"arn:{PARTITION}:s3:::{source[0]}")
        context.need("s3:PutObject", object_arn)
    else:
        action = S3_VERSIONED.get(operation) if context.param("VersionId") else None
        context.need("s3:" + (action or S3_ACTIONS.get(operation, operation)), object_arn)
    if operation in ("PutObject", "CopyObject"):
        if context.param("Tagging"):
            # A PutObject carrying x-amz-tagging also needs s3:PutObjectTagging.
            context.need("s3:PutObjectTagging", object_arn)
        key_id = s3_write_key(context, bucket)
        if key_id:
            # SSE-KMS: S3 asks KMS for a data key on the caller's behalf, so the caller needs
            # kms:GenerateDataKey on the key (Amazon S3 User Guide, "Using SSE-KMS").
            context.need("kms:GenerateDataKey", kms_key_arn(context.region, key_id))
    if operation == "GetObject":
        key_id = s3_object_key(context, bucket, key)
        if key_id:
            context.need("kms:Decrypt", kms_key_arn(context.region, key_id))
    if operation in ("GetObject", "HeadObject") and not s3_object_exists(bucket, key):
        # A missing key answers 404 only to a caller with s3:ListBucket on the bucket, 403
        # (AccessDenied) to anyone else (Amazon S3 API Reference, GetObject and HeadObject).
        context.need("s3:ListBucket", bucket_arn)


def s3_write_key(context, bucket):
    """The KMS key an object write is encrypted with: the request's, else the bucket default's."""
    if context.param("ServerSideEncryption") == "aws:kms":
        return context.param("SSEKMSKeyId") or "alias/aws/s3"
    if context.param("ServerSideEncryption"):
        return None
    encryption = s3_bucket(bucket).encryption if s3_bucket(bucket) else None
    default = (encryption or {}).get("Rule", {}).get("ApplyServerSideEncryptionByDefault", {})
    if default.get("SSEAlgorithm") in ("aws:kms", "aws:kms:dsse"):
        return default.get("KMSMasterKeyID") or "alias/aws/s3"
    return None


def s3_object_key(context, bucket, key):
    """The KMS key a stored object is encrypted with, None for other encryption."""
    found = s3_bucket(bucket)
    stored = found.keys.get(key) if found else None
    if stored is not None and stored.encryption == "aws:kms":
        return stored.kms_key_id
    return None


def s3_object_exists(bucket, key):
    found = s3_bucket(bucket)
    return found is not None and found.keys.get(key) is not None


def s3_bucket(name):
    from moto.s3.models import s3_backends
    return s3_backends[ACCOUNT][PARTITION].buckets.get(name)


# MARK: - KMS (Service Authorization Reference, "Actions defined by AWS Key Management Service")

# Actions AWS grants on no resource.
KMS_NO_RESOURCE = {"CreateKey", "ListKeys", "ListAliases", "GenerateRandom", "ConnectCustomKeyStore"}


def kms_key_arn(region, key_id):
    """A key's ARN from any of the forms KeyId takes: id, key ARN, alias name or alias ARN."""
    if key_id.startswith("arn:") and ":key/" in key_id:
        return key_id
    if key_id.startswith("arn:"):
        region = key_id.split(":")[3]
    from moto.kms.models import kms_backends
    backend = kms_backends[ACCOUNT][region]
    try:
        return backend.describe_key(backend.any_id_to_key_id(key_id)).arn
    except Exception:
        # A key that does not exist: AWS authorizes on the ARN it names and then answers NotFound.
        return f"arn:{PARTITION}:kms:{region}:{ACCOUNT}:key/{key_id}"


def kms_alias_arn(region, name):
    return name if name.startswith("arn:") else f"arn:{PARTITION}:kms:{region}:{ACCOUNT}:{name}"


def kms_tags_on_create(context, operation, resources):
    if operation == "CreateKey" and context.params.get("Tags"):
        # Tags on CreateKey need kms:TagResource in an IAM policy "that isn't restricted to
        # particular KMS keys" (AWS KMS Developer Guide, "Controlling access to tags"): a
        # grant on every key of the account and Region, `key/*`, or on `*`.
        context.need("kms:TagResource", f"arn:{PARTITION}:kms:{context.region}:{ACCOUNT}:key/*")


kms_key_rule = rule("kms", no_resource=KMS_NO_RESOURCE, ids=[("KeyId", lambda context, key_id: kms_key_arn(context.region, key_id))],
                    also=kms_tags_on_create)


def kms(context, operation):
    if operation not in ("CreateAlias", "UpdateAlias", "DeleteAlias"):
        kms_key_rule(context, operation)
        return
    # The alias and the key(s) it points to (AWS KMS Developer Guide, "Controlling access to aliases").
    action = "kms:" + operation
    alias = context.param("AliasName")
    context.need(action, kms_alias_arn(context.region, alias))
    if operation in ("UpdateAlias", "DeleteAlias"):
        context.need(action, kms_key_arn(context.region, alias))
    if context.param("TargetKeyId"):
        context.need(action, kms_key_arn(context.region, context.param("TargetKeyId")))


# MARK: - IAM (Service Authorization Reference, "Actions defined by AWS Identity and Access Management")

IAM_NO_RESOURCE = {"ListRoles", "ListPolicies", "ListOpenIDConnectProviders", "ListInstanceProfiles",
                   "GetAccountAuthorizationDetails", "ListUsers"}
# A create call's tags need the type's Tag action too (IAM User Guide, "Permissions required to tag").
IAM_TAG_ON_CREATE = {"CreateRole": "iam:TagRole", "CreatePolicy": "iam:TagPolicy",
                     "CreateInstanceProfile": "iam:TagInstanceProfile",
                     "CreateOpenIDConnectProvider": "iam:TagOpenIDConnectProvider"}


def iam_backend():
    return iam_backends[ACCOUNT][PARTITION]


def iam_named_arn(kind, name, path=None):
    """A role's or instance profile's ARN, with the path it was created with."""
    if path is None:
        try:
            found = iam_backend().get_role(name) if kind == "role" else iam_backend().get_instance_profile(name)
            return found.arn
        except Exception:
            path = "/"
    return f"arn:{PARTITION}:iam::{ACCOUNT}:{kind}{path}{name}"


def iam(context, operation):
    action = "iam:" + operation
    if operation in IAM_NO_RESOURCE:
        context.need(action, "*")
        return
    resource = None
    create = operation.startswith("Create")
    if context.param("PolicyArn"):
        resource = context.param("PolicyArn")
    if operation == "CreatePolicy":
        resource = f"arn:{PARTITION}:iam::{ACCOUNT}:policy{context.param('Path') or '/'}{context.param('PolicyName')}"
    elif context.param("OpenIDConnectProviderArn"):
        resource = context.param("OpenIDConnectProviderArn")
    elif operation == "CreateOpenIDConnectProvider":
        host = re.sub(r"^https://", "", context.param("Url") or "")
        resource = f"arn:{PARTITION}:iam::{ACCOUNT}:oidc-provider/{host}"
    elif context.param("InstanceProfileName"):
        resource = iam_named_arn("instance-profile", context.param("InstanceProfileName"),
                                 (context.param("Path") or "/") if create else None)
    elif context.param("RoleName"):
        resource = iam_named_arn("role", context.param("RoleName"), (context.param("Path") or "/") if create else None)
    if operation == "ListEntitiesForPolicy" or resource is None:
        raise Gap(f"{action}: no resource rule")
    if operation in ("AttachRolePolicy", "DetachRolePolicy"):
        # Granted on the role; the policy ARN is the condition key iam:PolicyARN.
        resource = iam_named_arn("role", context.param("RoleName"))
    context.need(action, resource)
    if operation in IAM_TAG_ON_CREATE and context.params.get("Tags"):
        context.need(IAM_TAG_ON_CREATE[operation], resource)
    if operation == "AddRoleToInstanceProfile":
        # The role is handed to whatever launches with the profile: iam:PassRole on it.
        context.need("iam:PassRole", iam_named_arn("role", context.param("RoleName")))


# MARK: - ECR (Service Authorization Reference, "Actions defined by Amazon Elastic Container Registry")

def ecr_repository_arn(context, name):
    return f"arn:{PARTITION}:ecr:{context.region}:{context.param('registryId') or ACCOUNT}:repository/{name}"


# Tags on CreateRepository need ecr:TagResource (Amazon ECR User Guide, "Tagging a repository").
ecr = rule("ecr", no_resource={"GetAuthorizationToken", "DescribeRegistry", "GetRegistryPolicy"},
           arns=[("resourceArn", lambda context, arn: ecr_repository_arn(context, arn.split(":repository/", 1)[-1]))],
           ids=[("repositoryName", ecr_repository_arn), ("repositoryNames", ecr_repository_arn)],
           every={"DescribeRepositories": "*"}, tag_on_create={"CreateRepository": ("tags", "ecr:TagResource")})


# MARK: - CloudFront (Service Authorization Reference, "Actions defined by Amazon CloudFront")

CLOUDFRONT_NO_RESOURCE = {"CreateOriginAccessControl", "ListDistributions", "ListOriginAccessControls",
                          "ListResponseHeadersPolicies"}
# Operations whose IAM action has another name.
CLOUDFRONT_ACTIONS = {"CreateDistributionWithTags": "CreateDistribution"}


def cloudfront(context, operation):
    action = "cloudfront:" + CLOUDFRONT_ACTIONS.get(operation, operation)
    if operation in CLOUDFRONT_NO_RESOURCE:
        context.need(action, "*")
        return
    base = f"arn:{PARTITION}:cloudfront::{ACCOUNT}:"
    kind = "origin-access-control" if "OriginAccessControl" in operation else \
        "response-headers-policy" if "ResponseHeadersPolicy" in operation else "distribution"
    if context.param("Resource"):
        # The resource's ARN as AWS writes it, with the empty region field moto's ARNs lack
        # (MOTO.md, "CloudFront distribution ARNs").
        resource = f"{base}{context.param('Resource').split(':')[-1]}"
    elif operation.startswith("Create"):
        # The id is not known before the create: the grant must cover every one of the kind.
        resource = f"{base}{kind}/*"
    elif context.param("Id"):
        resource = f"{base}{kind}/{context.param('Id')}"
    else:
        raise Gap(f"{action}: no resource")
    context.need(action, resource)
    if operation == "CreateDistributionWithTags":
        context.need("cloudfront:TagResource", resource)
    if operation in ("CreateDistributionWithTags", "CreateDistribution", "UpdateDistribution"):
        # Lambda@Edge: CloudFront replicates each associated version with the caller's
        # permissions (CloudFront Developer Guide, "Setting IAM permissions and roles for Lambda@Edge").
        functions = context.params.get("LambdaFunctionARNs", [])
        for function in functions:
            context.need("lambda:GetFunction", function)
            context.need("lambda:EnableReplication*", function)
        if functions:
            need_service_linked_role(context, "replicator.lambda.amazonaws.com", "AWSServiceRoleForLambdaReplicator")
        for web_acl in context.params.get("WebACLIds", []):
            # CloudFront reads the web ACL it is given with the caller's permissions: without
            # wafv2:GetWebACL it answers InvalidWebACLId, "not accessible by the requester".
            context.need("wafv2:GetWebACL", web_acl)


def need_service_linked_role(context, service, role):
    """A service that makes its service-linked role on first use does so with the caller's
    permissions: iam:CreateServiceLinkedRole on that role, while it does not exist yet (IAM User
    Guide, "Service-linked role permissions")."""
    try:
        iam_backend().get_role(role)
    except Exception:
        context.need("iam:CreateServiceLinkedRole", f"arn:{PARTITION}:iam::{ACCOUNT}:role/aws-service-role/{service}/{role}")


# MARK: - Cognito (Service Authorization Reference, Amazon Cognito User Pools / Identity)

cognito_idp = rule("cognito-idp", no_resource={"CreateUserPool", "ListUserPools", "DescribeUserPoolDomain"}, arns=["ResourceArn"],
                   ids=[("UserPoolId", "arn:{partition}:cognito-idp:{region}:{account}:userpool/{id}")])


def cognito_identity_also(context, operation, resources):
    if operation == "SetIdentityPoolRoles":
        # The roles are handed to the pool's identities: iam:PassRole on each.
        for role in (context.params.get("Roles") or {}).values():
            context.need("iam:PassRole", role)
    if operation == "CreateIdentityPool" and context.params.get("IdentityPoolTags"):
        # Tags on the create are checked as TagResource on the new pool (its id not known yet);
        # an update's tags on the pool it names (`tag_on_create`).
        context.need("cognito-identity:TagResource", f"arn:{PARTITION}:cognito-identity:{context.region}:{ACCOUNT}:identitypool/*")


cognito_identity = rule("cognito-identity", no_resource={"CreateIdentityPool", "ListIdentityPools", "SetIdentityPoolRoles"},
                        arns=["ResourceArn"],
                        ids=[("IdentityPoolId", "arn:{partition}:cognito-identity:{region}:{account}:identitypool/{id}")],
                        tag_on_create={"UpdateIdentityPool": ("IdentityPoolTags", "cognito-identity:TagResource")},
                        also=cognito_identity_also)


# MARK: - Lambda (Service Authorization Reference, "Actions defined by AWS Lambda")

def lambda_function_arn(context, name, qualifier=None):
    if name.startswith("arn:"):
        arn = name
    elif ":" in name:
        arn = f"arn:{PARTITION}:lambda:{context.region}:{name.split(':')[0]}:function:{name.split(':', 1)[1]}"
    else:
        arn = f"arn:{PARTITION}:lambda:{context.region}:{ACCOUNT}:function:{name}"
    return f"{arn}:{qualifier}" if qualifier and arn.count(":") == 6 else arn


def lambda_role(context, operation, resources):
    if operation in ("CreateFunction", "UpdateFunctionConfiguration") and context.param("Role"):
        # The function runs as its role: iam:PassRole on it.
        context.need("iam:PassRole", context.param("Role"))


def lambda_qualified_arn(context, name):
    return lambda_function_arn(context, name, context.param("Qualifier"))


lambda_rule = rule("lambda", no_resource={"ListFunctions"},
                   ids=[("FunctionName", lambda_qualified_arn), ("Resource", lambda_qualified_arn)], also=lambda_role)


def awslambda(context, operation):
    # botocore names some operations with their API version (`ListVersionsByFunction20150331`).
    lambda_rule(context, re.sub(r"\d{8}$", "", operation))


# MARK: - CloudWatch (Service Authorization Reference, "Actions defined by Amazon CloudWatch")

CLOUDWATCH_ALARM = "arn:{partition}:cloudwatch:{region}:{account}:alarm:{id}"
cloudwatch = rule("cloudwatch", arns=["ResourceARN"], ids=[("AlarmName", CLOUDWATCH_ALARM), ("AlarmNames", CLOUDWATCH_ALARM)],
                  every={"DescribeAlarms": "*"})


# MARK: - SNS (Service Authorization Reference, "Actions defined by Amazon SNS")

# Tags on CreateTopic need sns:TagResource (Amazon SNS Developer Guide, "Tagging").
sns = rule("sns", no_resource={"Unsubscribe", "GetSubscriptionAttributes", "ListTopics", "ListSubscriptions"},
           creates={"CreateTopic": "arn:{partition}:sns:{region}:{account}:{Name}"}, arns=["TopicArn", "ResourceArn"],
           tag_on_create={"CreateTopic": ("Tags", "sns:TagResource")})


# MARK: - API Gateway (Service Authorization Reference, "Amazon API Gateway Management")

def apigateway(context, operation, method, path):
    # The action is the HTTP method; the resource the request's path under the region's
    # API Gateway ARN (`arn:aws:apigateway:REGION::/restapis/ID/resources/ID`).
    context.need(f"apigateway:{method}", f"arn:{PARTITION}:apigateway:{context.region}::{urllib.parse.unquote(path).rstrip('/')}")


# MARK: - WAFv2 (Service Authorization Reference, "AWS WAF V2")

def wafv2_web_acl_arn(context, name):
    # A new web ACL's id is not known: the grant must cover every id of the name. The managed
    # rule groups an ACL references are not checked here.
    scope = "global" if context.param("Scope") == "CLOUDFRONT" else "regional"
    return f"arn:{PARTITION}:wafv2:{context.region}:{ACCOUNT}:{scope}/webacl/{name}/{context.param('Id') or '*'}"


wafv2 = rule("wafv2", no_resource={"ListWebACLs"}, arns=["ResourceARN"], ids=[("Name", wafv2_web_acl_arn)],
             tag_on_create={"CreateWebACL": ("Tags", "wafv2:TagResource")})


# MARK: - CloudWatch Logs (Service Authorization Reference, "Amazon CloudWatch Logs")

# Tags on CreateLogGroup need logs:TagResource (CloudWatch Logs API Reference, CreateLogGroup).
logs = rule("logs", no_resource={"DescribeLogGroups"}, arns=["resourceArn"],
            ids=[("logGroupName", "arn:{partition}:logs:{region}:{account}:log-group:{id}")],
            tag_on_create={"CreateLogGroup": ("tags", "logs:TagResource")})


# MARK: - EC2 (Service Authorization Reference, "Actions defined by Amazon EC2")
#
# Simplifications, each no more lenient than AWS for what imgstack calls: CreateSecurityGroup is
# checked on the new group (`security-group/*`) and on the VPC it is made in; an Authorize…/
# Revoke…/ModifySecurityGroupRules call on its group, and, when it tags the rules it makes, also
# on `security-group-rule/*` (the rules' ids are not known before); RunInstances is only ever
# called by Auto Scaling here (see Auto Scaling below). Tags on a create (`TagSpecification`)
# need ec2:CreateTags on what the create makes (EC2 User Guide, "Grant permission to tag
# resources during creation").

# The resource type of an EC2 id, by its prefix (longest first).
EC2_ID_KINDS = [("sgr-", "security-group-rule"), ("sg-", "security-group"), ("lt-", "launch-template"), ("vpc-", "vpc"),
                ("subnet-", "subnet"), ("eni-", "network-interface"), ("vol-", "volume"), ("i-", "instance")]


def ec2_arn(context, resource_id):
    """The ARN of an EC2 resource by its id (`sg-…` → `security-group/sg-…`)."""
    if resource_id.startswith("ami-"):
        # Images are owned by no account in their ARN.
        return f"arn:{PARTITION}:ec2:{context.region}::image/{resource_id}"
    for prefix, kind in EC2_ID_KINDS:
        if resource_id.startswith(prefix):
            return f"arn:{PARTITION}:ec2:{context.region}:{ACCOUNT}:{kind}/{resource_id}"
    raise Gap(f"ec2: no resource type for the id {resource_id}")


def ec2_launch_template(context, name):
    """A launch template named by its name, resolved to its id as AWS does."""
    from moto.ec2.models import ec2_backends
    try:
        found = ec2_backends[ACCOUNT][context.region].get_launch_template_by_name(name)
        return ec2_arn(context, found.id)
    except Exception:
        return f"arn:{PARTITION}:ec2:{context.region}:{ACCOUNT}:launch-template/*"


def ec2_also(context, operation, resources):
    action = "ec2:" + operation
    if operation == "CreateSecurityGroup" and context.param("VpcId"):
        context.need(action, ec2_arn(context, context.param("VpcId")))
    if operation.startswith("AuthorizeSecurityGroup") and context.params.get("TagSpecification"):
        rules = f"arn:{PARTITION}:ec2:{context.region}:{ACCOUNT}:security-group-rule/*"
        context.need(action, rules)
        context.need("ec2:CreateTags", rules)


ec2 = rule("ec2", no_resource=lambda operation: operation.startswith("Describe"),
           creates={"CreateSecurityGroup": "arn:{partition}:ec2:{region}:{account}:security-group/*",
                    "CreateLaunchTemplate": "arn:{partition}:ec2:{region}:{account}:launch-template/*"},
           ids=[("GroupId", ec2_arn), ("LaunchTemplateId", ec2_arn), ("LaunchTemplateName", ec2_launch_template), ("ResourceId", ec2_arn)],
           tag_on_create={"CreateSecurityGroup": ("TagSpecification", "ec2:CreateTags"),
                          "CreateLaunchTemplate": ("TagSpecification", "ec2:CreateTags")},
           also=ec2_also)


# MARK: - Elastic Load Balancing V2 (Service Authorization Reference, "Elastic Load Balancing V2")
#
# Describe* take no resource; every other call names its load balancer, target group or
# listener by ARN; a create is checked on the ARN it makes, its id `*` (not known before).
# Tags on a create need elasticloadbalancing:AddTags on it ("Tagging on creation").

ELB_KINDS = {"application": "app", "network": "net", "gateway": "gwy"}


def elb_new_load_balancer(context, _):
    kind = ELB_KINDS.get(context.param("Type") or "application", "app")
    return f"arn:{PARTITION}:elasticloadbalancing:{context.region}:{ACCOUNT}:loadbalancer/{kind}/{context.param('Name')}/*"


def elb_listener_tags(context, operation, _):
    # CreateListener acts on its load balancer (the `arns` rule); tags on the create are put on
    # the new listener: `…:loadbalancer/app/NAME/ID` → `…:listener/app/NAME/ID/*`.
    if operation != "CreateListener" or not context.params.get("Tags"):
        return
    balancer = context.param("LoadBalancerArn") or ""
    if ":loadbalancer/" not in balancer:
        raise Gap("elasticloadbalancing:CreateListener without a LoadBalancerArn")
    context.need("elasticloadbalancing:AddTags", balancer.replace(":loadbalancer/", ":listener/", 1) + "/*")


def elb_also(context, operation, resources):
    if operation in ("CreateLoadBalancer", "CreateTargetGroup"):
        # Elastic Load Balancing makes its service-linked role on the first load balancer or
        # target group (Elastic Load Balancing User Guide, "Service-linked role").
        need_service_linked_role(context, "elasticloadbalancing.amazonaws.com", "AWSServiceRoleForElasticLoadBalancing")
    elb_listener_tags(context, operation, resources)


# CreateListener's resource is the load balancer (Service Authorization Reference, Elastic Load
# Balancing V2: CreateListener, resource types loadbalancer/app and loadbalancer/net).
elasticloadbalancing = rule(
    "elasticloadbalancing", no_resource=lambda operation: operation.startswith("Describe"),
    creates={"CreateLoadBalancer": elb_new_load_balancer,
             "CreateTargetGroup": "arn:{partition}:elasticloadbalancing:{region}:{account}:targetgroup/{Name}/*"},
    arns=["ListenerArn", "RuleArn", "TargetGroupArn", "LoadBalancerArn", "ResourceArns"],
    tag_on_create={operation: ("Tags", "elasticloadbalancing:AddTags") for operation in ("CreateLoadBalancer", "CreateTargetGroup")},
    also=elb_also)


# MARK: - Auto Scaling (Service Authorization Reference, "Amazon EC2 Auto Scaling")
#
# Describe* take no resource; a group's calls act on `autoScalingGroup:UUID:autoScalingGroupName/NAME`
# (a new group's UUID `*`). A group launching from a launch template needs ec2:RunInstances as
# a launch from it would (EC2 Auto Scaling User Guide, "Control Amazon EC2 launch template usage
# in Auto Scaling groups"; "Permissions validation for ec2:RunInstances and iam:PassRole"): on
# the template, on the resources RunInstances requires (Service Authorization Reference, EC2
# RunInstances: the template's image and security groups, the group's subnets, and the
# instance, network interface and volume each launch makes, whose ids are not known yet) and,
# when the template names an instance profile, iam:PassRole on its role.

def autoscaling_group_arn(context, name):
    from moto.autoscaling.models import autoscaling_backends
    group = autoscaling_backends[ACCOUNT][context.region].autoscaling_groups.get(name)
    uuid = group.arn.split(":")[6] if group is not None and getattr(group, "arn", None) else "*"
    return f"arn:{PARTITION}:autoscaling:{context.region}:{ACCOUNT}:autoScalingGroup:{uuid}:autoScalingGroupName/{name}"


def autoscaling_tagged_groups(context):
    """The groups CreateOrUpdateTags / DeleteTags name (`Tags.member.N.ResourceId`)."""
    return sorted({value for key, value in context.params.items()
                   if re.fullmatch(r"Tags\.member\.\d+\.ResourceId", key) and isinstance(value, str)})


def autoscaling_launch_template(context, operation, resources):
    if operation not in ("CreateAutoScalingGroup", "UpdateAutoScalingGroup"):
        return
    if operation == "CreateAutoScalingGroup":
        # Auto Scaling makes its service-linked role on the first group (EC2 Auto Scaling User
        # Guide, "Service-linked roles for Amazon EC2 Auto Scaling").
        need_service_linked_role(context, "autoscaling.amazonaws.com", "AWSServiceRoleForAutoScaling")
    template_id = context.param("LaunchTemplate.LaunchTemplateId")
    name = context.param("LaunchTemplate.LaunchTemplateName")
    if not template_id and not name:
        return
    from moto.ec2.models import ec2_backends
    backend = ec2_backends[ACCOUNT][context.region]
    try:
        template = backend.get_launch_template(template_id) if template_id else backend.get_launch_template_by_name(name)
    except Exception:
        template = None
    template_arn = ec2_arn(context, template.id) if template else \
        ec2_arn(context, template_id) if template_id else f"arn:{PARTITION}:ec2:{context.region}:{ACCOUNT}:launch-template/*"
    context.need("ec2:RunInstances", template_arn)
    for subnet in (context.param("VPCZoneIdentifier") or "").split(","):
        if subnet.strip():
            context.need("ec2:RunInstances", ec2_arn(context, subnet.strip()))
    for kind in ("instance", "network-interface", "volume"):
        context.need("ec2:RunInstances", f"arn:{PARTITION}:ec2:{context.region}:{ACCOUNT}:{kind}/*")
    if template is None:
        return
    try:
        version = template.get_version(context.param("LaunchTemplate.Version") or "$Default")
    except Exception:
        return
    data = version.data or {}
    if data.get("ImageId"):
        context.need("ec2:RunInstances", ec2_arn(context, data["ImageId"]))
    groups = list(data.get("SecurityGroupIds") or [])
    for interface in data.get("NetworkInterfaces") or []:
        groups += interface.get("Groups") or []
    for group in groups:
        context.need("ec2:RunInstances", ec2_arn(context, group))
    profile = data.get("IamInstanceProfile") or {}
    profile_name = profile.get("Name") or (profile.get("Arn") or "").rsplit("/", 1)[-1]
    if not profile_name:
        return
    try:
        roles = iam_backend().get_instance_profile(profile_name).roles
    except Exception:
        roles = []
    for role in roles:
        # The instances run as the profile's role: Auto Scaling hands it over for the caller.
        context.need("iam:PassRole", role.arn)


autoscaling = rule("autoscaling", no_resource=lambda operation: operation.startswith("Describe"),
                   ids=[("AutoScalingGroupName", autoscaling_group_arn), (autoscaling_tagged_groups, autoscaling_group_arn)],
                   tag_on_create={"CreateAutoScalingGroup": ("Tags", "autoscaling:CreateOrUpdateTags")},
                   also=autoscaling_launch_template)


# MARK: - Systems Manager (Service Authorization Reference, "AWS Systems Manager")
#
# A parameter's ARN holds its name without the leading `/`; a public parameter's
# (`/aws/service/…`) has no account. A SecureString is encrypted with its KMS key on the
# caller's behalf: PutParameter needs kms:Encrypt on the key, a read WithDecryption kms:Decrypt
# (Systems Manager User Guide, "How AWS Systems Manager Parameter Store uses AWS KMS"). Tags on
# PutParameter need ssm:AddTagsToResource.

def ssm_parameter_arn(context, name):
    if name.startswith("arn:"):
        return name
    if context.param("ResourceType") not in (None, "Parameter"):
        raise Gap(f"ssm: no rule for resources of type {context.param('ResourceType')}")
    account = "" if name.startswith("/aws/service/") else ACCOUNT
    return f"arn:{PARTITION}:ssm:{context.region}:{account}:parameter/{name.lstrip('/')}"


def ssm_keys(context, operation, resources):
    if operation == "PutParameter" and context.param("Type") == "SecureString":
        context.need("kms:Encrypt", kms_key_arn(context.region, context.param("KeyId") or "alias/aws/ssm"))
    if operation in ("GetParameter", "GetParameters") and context.params.get("WithDecryption") is True:
        from moto.ssm.models import ssm_backends
        backend = ssm_backends[ACCOUNT][context.region]
        names = [context.param("Name")] if context.param("Name") else context.params.get("Names") or []
        for name in names:
            stored = backend.get_parameter(name)
            if stored is not None and stored.parameter_type == "SecureString":
                context.need("kms:Decrypt", kms_key_arn(context.region, stored.keyid or "alias/aws/ssm"))


ssm = rule("ssm", no_resource={"DescribeParameters"},
           ids=[("Name", ssm_parameter_arn), ("Names", ssm_parameter_arn), ("ResourceId", ssm_parameter_arn)],
           tag_on_create={"PutParameter": ("Tags", "ssm:AddTagsToResource")}, also=ssm_keys)



def sts(context, operation):
    if operation == "GetCallerIdentity":
        # "No permissions are required to perform this operation" (STS API Reference).
        context.free = True
        return
    raise Gap(f"sts:{operation}: no rule")


# By the credential scope's service name (CloudWatch signs as `monitoring`).
RULES = {"s3": s3, "kms": kms, "iam": iam, "ecr": ecr, "sts": sts, "cloudfront": cloudfront, "cognito-idp": cognito_idp,
         "cognito-identity": cognito_identity, "lambda": awslambda, "monitoring": cloudwatch, "sns": sns, "wafv2": wafv2, "logs": logs,
         "ec2": ec2, "elasticloadbalancing": elasticloadbalancing, "autoscaling": autoscaling, "ssm": ssm}


def authorize(access_key, region, service, operation, params, method="", path=""):
    """The answer for one request (see the module's doc)."""
    if access_key == ROOT_ACCESS_KEY:
        return {"allowed": True, "principal": f"arn:{PARTITION}:iam::{ACCOUNT}:root"}
    rule = RULES.get(service)
    if rule is None and service != "apigateway":
        return {"gap": f"no authorization rule for service {service} ({operation})"}
    context = Context(region, params)
    try:
        if service == "apigateway":
            apigateway(context, operation, method, path)
        else:
            rule(context, operation)
    except Gap as gap:
        return {"gap": str(gap)}
    if not context.needs and not context.free:
        return {"gap": f"{service}:{operation}: no action or resource could be read from the request"}
    try:
        caller = IAMUserAccessKey(account_id=ACCOUNT, partition=PARTITION, access_key_id=access_key, headers={})
    except CreateAccessKeyFailure:
        return {"allowed": False, "principal": access_key, "action": context.needs[0][0] if context.needs else "",
                "resource": "", "unknownKey": True}
    statements = [statement for policy in caller.collect_policies() for statement in policy_statements(policy)]
    if any("Condition" in statement for statement in statements):
        return {"gap": "a policy statement with a Condition: conditions are not evaluated here"}
    for action, resource in context.needs:
        effects = {statement["Effect"] for statement in statements if applies(statement, action, resource)}
        if "Deny" in effects or "Allow" not in effects:
            return {"allowed": False, "principal": caller.arn, "action": action, "resource": resource}
    return {"allowed": True, "principal": caller.arn}


def policy_statements(policy):
    """The statements of an inline policy (a dict) or of a managed policy's default version."""
    if isinstance(policy, dict):
        document = policy["policy_document"]
    else:
        document = next(version.document for version in policy.versions if version.is_default)
    statements = json.loads(document)["Statement"]
    return statements if isinstance(statements, list) else [statements]


def applies(statement, action, resource):
    """True when the statement covers the pair. Action names match without regard to case,
    ARNs with it; `*` matches any run of characters and `?` one (IAM JSON policy reference,
    "Action", "Resource"). Statements with a condition never get here (see `authorize`)."""

    def listed(value):
        return value if isinstance(value, list) else [value]

    def matches(patterns, value, fold):
        return any(fnmatchcase(value.lower() if fold else value, (pattern.lower() if fold else pattern).replace("[", "[[]"))
                   for pattern in listed(patterns))

    if "NotAction" in statement:
        action_matches = not matches(statement["NotAction"], action, True)
    else:
        action_matches = matches(statement["Action"], action, True)
    if "NotResource" in statement:
        return action_matches and not matches(statement["NotResource"], resource, False)
    return action_matches and matches(statement["Resource"], resource, False)


def register():
    """Adds POST /moto-api/imgstack/authorize to moto's server; call before it builds its routes."""
    from moto.moto_api._internal import urls as moto_api_urls

    def route(request, full_url, headers):
        length = int(headers.get("Content-Length") or 0)
        body = json.loads(request.environ["wsgi.input"].read(length) or b"{}")
        answer = authorize(body["accessKey"], body["region"], body["service"], body["operation"], body.get("params", {}),
                           body.get("method", ""), body.get("path", ""))
        return 200, {}, json.dumps(answer)

    moto_api_urls.url_paths["{0}/moto-api/imgstack/authorize"] = route
