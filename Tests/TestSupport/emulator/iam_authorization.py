"""IAM identity-policy evaluation for the enforcing emulator, the way AWS authorizes a request.

moto's own enforcement (INITIAL_NO_AUTH_ACTION_COUNT) evaluates every action of every service
but S3 and IAM roles against the resource "*" and names actions by the credential scope
(`monitoring:PutMetricAlarm`), so a policy scoped to ARNs, as AWS wants it, is refused there.
This module builds the request context AWS builds instead: the IAM actions a call needs and
the ARNs they act on, per the Service Authorization Reference ("Actions, resources, and
condition keys for <service>"), resolving names against moto's state (a KMS alias to its key,
a role name to its ARN with its path), and evaluates the caller's policies on each pair as
the IAM policy evaluation logic does: an explicit Deny wins, else an Allow is needed. moto's
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


def kms(context, operation):
    action = "kms:" + operation
    if operation in KMS_NO_RESOURCE:
        context.need(action, "*")
        if operation == "CreateKey" and context.params.get("Tags"):
            # Tags on CreateKey need kms:TagResource in an IAM policy "that isn't restricted to
            # particular KMS keys" (AWS KMS Developer Guide, "Controlling access to tags"): a
            # grant on every key of the account and Region, `key/*`, or on `*`.
            context.need("kms:TagResource", f"arn:{PARTITION}:kms:{context.region}:{ACCOUNT}:key/*")
        return
    if operation in ("CreateAlias", "UpdateAlias", "DeleteAlias"):
        # The alias and the key(s) it points to (AWS KMS Developer Guide, "Controlling access to aliases").
        alias = context.param("AliasName")
        context.need(action, kms_alias_arn(context.region, alias))
        if operation in ("UpdateAlias", "DeleteAlias"):
            context.need(action, kms_key_arn(context.region, alias))
        if context.param("TargetKeyId"):
            context.need(action, kms_key_arn(context.region, context.param("TargetKeyId")))
        return
    key_id = context.param("KeyId")
    if key_id is None:
        raise Gap(f"{action} without a KeyId")
    context.need(action, kms_key_arn(context.region, key_id))


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

ECR_NO_RESOURCE = {"GetAuthorizationToken", "DescribeRegistry", "GetRegistryPolicy"}


def ecr(context, operation):
    action = "ecr:" + operation
    if operation in ECR_NO_RESOURCE:
        context.need(action, "*")
        return
    registry = context.param("registryId") or ACCOUNT
    base = f"arn:{PARTITION}:ecr:{context.region}:{registry}:repository/"
    if context.param("resourceArn"):
        names = [context.param("resourceArn").split(":repository/", 1)[-1]]
    elif context.param("repositoryName"):
        names = [context.param("repositoryName")]
    elif operation == "DescribeRepositories":
        names = context.params.get("repositoryNames") or ["*"]
    else:
        raise Gap(f"{action}: no repository")
    for name in names:
        context.need(action, base + name)
        if operation == "CreateRepository" and context.params.get("tags"):
            # Tags on CreateRepository need ecr:TagResource (Amazon ECR User Guide, "Tagging a repository").
            context.need("ecr:TagResource", base + name)


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
        for function in context.params.get("LambdaFunctionARNs", []):
            context.need("lambda:GetFunction", function)
            context.need("lambda:EnableReplication*", function)


# MARK: - Cognito (Service Authorization Reference, Amazon Cognito User Pools / Identity)

COGNITO_IDP_NO_RESOURCE = {"CreateUserPool", "ListUserPools", "DescribeUserPoolDomain"}


def cognito_idp(context, operation):
    action = "cognito-idp:" + operation
    if operation in COGNITO_IDP_NO_RESOURCE:
        context.need(action, "*")
        return
    if context.param("ResourceArn"):
        context.need(action, context.param("ResourceArn"))
        return
    pool = context.param("UserPoolId")
    if pool is None:
        raise Gap(f"{action}: no user pool")
    context.need(action, f"arn:{PARTITION}:cognito-idp:{context.region}:{ACCOUNT}:userpool/{pool}")


COGNITO_IDENTITY_NO_RESOURCE = {"CreateIdentityPool", "ListIdentityPools", "SetIdentityPoolRoles"}


def cognito_identity(context, operation):
    action = "cognito-identity:" + operation
    if operation in COGNITO_IDENTITY_NO_RESOURCE:
        context.need(action, "*")
    elif context.param("ResourceArn"):
        context.need(action, context.param("ResourceArn"))
    elif context.param("IdentityPoolId"):
        context.need(action, f"arn:{PARTITION}:cognito-identity:{context.region}:{ACCOUNT}:identitypool/{context.param('IdentityPoolId')}")
    else:
        raise Gap(f"{action}: no identity pool")
    if operation == "SetIdentityPoolRoles":
        # The roles are handed to the pool's identities: iam:PassRole on each.
        for role in (context.params.get("Roles") or {}).values():
            context.need("iam:PassRole", role)


# MARK: - Lambda (Service Authorization Reference, "Actions defined by AWS Lambda")

LAMBDA_NO_RESOURCE = {"ListFunctions"}


def lambda_function_arn(context, name, qualifier=None):
    if name.startswith("arn:"):
        arn = name
    elif ":" in name:
        arn = f"arn:{PARTITION}:lambda:{context.region}:{name.split(':')[0]}:function:{name.split(':', 1)[1]}"
    else:
        arn = f"arn:{PARTITION}:lambda:{context.region}:{ACCOUNT}:function:{name}"
    return f"{arn}:{qualifier}" if qualifier and arn.count(":") == 6 else arn


def awslambda(context, operation):
    # botocore names some operations with their API version (`ListVersionsByFunction20150331`).
    operation = re.sub(r"\d{8}$", "", operation)
    action = "lambda:" + operation
    if operation in LAMBDA_NO_RESOURCE:
        context.need(action, "*")
        return
    name = context.param("FunctionName") or context.param("Resource")
    if name is None:
        raise Gap(f"{action}: no function")
    context.need(action, lambda_function_arn(context, name, context.param("Qualifier")))
    if operation in ("CreateFunction", "UpdateFunctionConfiguration") and context.param("Role"):
        # The function runs as its role: iam:PassRole on it.
        context.need("iam:PassRole", context.param("Role"))


# MARK: - CloudWatch (Service Authorization Reference, "Actions defined by Amazon CloudWatch")

def cloudwatch(context, operation):
    action = "cloudwatch:" + operation
    base = f"arn:{PARTITION}:cloudwatch:{context.region}:{ACCOUNT}:alarm:"
    if context.param("ResourceARN"):
        context.need(action, context.param("ResourceARN"))
        return
    names = [context.param("AlarmName")] if context.param("AlarmName") else context.params.get("AlarmNames")
    if not names and operation == "DescribeAlarms":
        names = ["*"]
    if not names:
        raise Gap(f"{action}: no alarm")
    for name in names:
        context.need(action, base + name)


# MARK: - SNS (Service Authorization Reference, "Actions defined by Amazon SNS")

SNS_NO_RESOURCE = {"Unsubscribe", "GetSubscriptionAttributes", "ListTopics", "ListSubscriptions"}


def sns(context, operation):
    action = "sns:" + operation
    if operation in SNS_NO_RESOURCE:
        context.need(action, "*")
        return
    if operation == "CreateTopic":
        topic = f"arn:{PARTITION}:sns:{context.region}:{ACCOUNT}:{context.param('Name')}"
        context.need(action, topic)
        if context.params.get("Tags"):
            # Tags on CreateTopic need sns:TagResource (Amazon SNS Developer Guide, "Tagging").
            context.need("sns:TagResource", topic)
        return
    topic = context.param("TopicArn") or context.param("ResourceArn")
    if topic is None:
        raise Gap(f"{action}: no topic")
    context.need(action, topic)


# MARK: - API Gateway (Service Authorization Reference, "Amazon API Gateway Management")

def apigateway(context, operation, method, path):
    # The action is the HTTP method; the resource the request's path under the region's
    # API Gateway ARN (`arn:aws:apigateway:REGION::/restapis/ID/resources/ID`).
    context.need(f"apigateway:{method}", f"arn:{PARTITION}:apigateway:{context.region}::{urllib.parse.unquote(path).rstrip('/')}")


# MARK: - WAFv2 (Service Authorization Reference, "AWS WAF V2")

WAFV2_NO_RESOURCE = {"ListWebACLs"}


def wafv2(context, operation):
    action = "wafv2:" + operation
    if operation in WAFV2_NO_RESOURCE:
        context.need(action, "*")
        return
    if context.param("ResourceARN"):
        context.need(action, context.param("ResourceARN"))
        return
    scope = "global" if context.param("Scope") == "CLOUDFRONT" else "regional"
    name = context.param("Name")
    if name is None:
        raise Gap(f"{action}: no web ACL")
    # A new web ACL's id is not known: the grant must cover every id of the name. The managed
    # rule groups an ACL references are not checked here.
    context.need(action, f"arn:{PARTITION}:wafv2:{context.region}:{ACCOUNT}:{scope}/webacl/{name}/{context.param('Id') or '*'}")
    if operation == "CreateWebACL" and context.params.get("Tags"):
        context.need("wafv2:TagResource", f"arn:{PARTITION}:wafv2:{context.region}:{ACCOUNT}:{scope}/webacl/{name}/*")


# MARK: - CloudWatch Logs (Service Authorization Reference, "Amazon CloudWatch Logs")

LOGS_NO_RESOURCE = {"DescribeLogGroups"}


def logs(context, operation):
    action = "logs:" + operation
    if operation in LOGS_NO_RESOURCE:
        context.need(action, "*")
        return
    if context.param("resourceArn"):
        context.need(action, context.param("resourceArn"))
        return
    name = context.param("logGroupName")
    if name is None:
        raise Gap(f"{action}: no log group")
    group = f"arn:{PARTITION}:logs:{context.region}:{ACCOUNT}:log-group:{name}"
    context.need(action, group)
    if operation == "CreateLogGroup" and context.params.get("tags"):
        # Tags on CreateLogGroup need logs:TagResource (CloudWatch Logs API Reference, CreateLogGroup).
        context.need("logs:TagResource", group)


# MARK: - STS
# MARK: - STS

def sts(context, operation):
    if operation == "GetCallerIdentity":
        # "No permissions are required to perform this operation" (STS API Reference).
        context.free = True
        return
    raise Gap(f"sts:{operation}: no rule")


# By the credential scope's service name (CloudWatch signs as `monitoring`).
RULES = {"s3": s3, "kms": kms, "iam": iam, "ecr": ecr, "sts": sts, "cloudfront": cloudfront, "cognito-idp": cognito_idp,
         "cognito-identity": cognito_identity, "lambda": awslambda, "monitoring": cloudwatch, "sns": sns, "wafv2": wafv2, "logs": logs}


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
