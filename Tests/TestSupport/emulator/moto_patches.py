"""Small patches that fill moto 5.2.x gaps the way the AWS API references describe.

Each patch names the operation it fills. None makes the emulator more lenient than AWS.
"""

import json
import re
from types import SimpleNamespace

from moto.cloudfront import models as cloudfront_models
from moto.cloudfront import urls as cloudfront_urls
from moto.cloudfront.exceptions import CloudFrontException, InvalidIfMatchVersion, NoSuchDistribution
from moto.cloudfront.responses import CloudFrontResponse
from moto.cognitoidentity.exceptions import ResourceNotFoundError
from moto.cognitoidentity.responses import CognitoIdentityResponse
from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import utcnow
from moto.iam.responses import IamResponse


def apply_all():
    """Applies every patch; call before moto's server builds its routes."""
    patch_cognito_identity_pool_roles()
    patch_cloudfront_origin_access_control_id()
    patch_cloudfront_function_associations()
    patch_cloudfront_distribution_etags()
    patch_cloudfront_response_headers_policies()
    patch_iam_open_id_connect_client_ids()
    patch_cognito_update_user_pool_keeps_creation_only_settings()
    patch_s3_bucket_policy_conditions()
    patch_policy_principals()
    patch_kms_single_statement_policies()
    patch_lambda_edge_replicas()


# MARK: - s3 bucket policies with conditions

def patch_s3_bucket_policy_conditions():
    """Makes a bucket policy statement with a condition apply only when the condition holds.

    moto 5.2 checks `Principal: "*"` statements of a bucket policy on every request but has no
    request context for their conditions, and then answers DENIED whatever the statement's
    effect: a `Deny` of requests without TLS (`aws:SecureTransport` false) refused every
    request. AWS applies a statement only when its condition matches. The context the
    emulator knows is that clients reach it as they reach AWS's HTTPS endpoints
    (`aws:SecureTransport` true); a statement conditioned on anything else (source IP, source
    ARN) is left out, as AWS leaves it out for a request that does not match it.
    """
    from moto.iam.access_control import IAMPolicyStatement, PermissionResult
    from moto.s3.models import FakeBucket

    known_context = {"aws:securetransport": "true"}

    def condition_holds(condition):
        for operator, entries in condition.items():
            for key, expected in entries.items():
                actual = known_context.get(key.lower())
                values = expected if isinstance(expected, list) else [expected]
                if operator != "Bool" or actual is None or actual not in [str(value).lower() for value in values]:
                    return False
        return True

    def get_permission(self, action, resource):
        if self.policy is None:
            return PermissionResult.NEUTRAL
        statements = json.loads(self.policy.decode())["Statement"]
        permitted = False
        for statement in statements if isinstance(statements, list) else [statements]:
            if "Condition" in statement:
                if not condition_holds(statement["Condition"]):
                    continue
                statement = {key: value for key, value in statement.items() if key != "Condition"}
            result = IAMPolicyStatement(statement).is_action_permitted(action, resource)
            if result == PermissionResult.DENIED:
                return result
            permitted = permitted or result == PermissionResult.PERMITTED
        return PermissionResult.PERMITTED if permitted else PermissionResult.NEUTRAL

    FakeBucket.get_permission = get_permission


# MARK: - cognito-idp UpdateUserPool

def patch_cognito_update_user_pool_keeps_creation_only_settings():
    """Makes UpdateUserPool keep what it cannot change (moto 5.2 resets it to defaults).

    UpdateUserPool has no UsernameAttributes, AliasAttributes or UsernameConfiguration
    members: AWS fixes them at creation and keeps them through every update. moto rebuilds
    the whole configuration from the update's members, so they vanished.
    """
    from moto.cognitoidp.models import CognitoIdpUserPool

    creation_only = ("UsernameAttributes", "AliasAttributes", "UsernameConfiguration")
    original = CognitoIdpUserPool.update_extended_config

    def update_extended_config(self, extended_config):
        kept = {key: self.extended_config[key] for key in creation_only if key in getattr(self, "extended_config", {})}
        original(self, extended_config)
        self.extended_config.update(kept)

    CognitoIdpUserPool.update_extended_config = update_extended_config


# MARK: - iam AddClientIDToOpenIDConnectProvider / RemoveClientIDFromOpenIDConnectProvider

def patch_iam_open_id_connect_client_ids():
    """Fills AddClientIDToOpenIDConnectProvider and RemoveClientIDFromOpenIDConnectProvider
    (moto 5.2 has no route for them and answers 500).

    AWS adds the audience when it is not there yet and removes it when it is; both succeed
    when nothing changes, and an unknown provider ARN is NoSuchEntity (moto's
    `get_open_id_connect_provider` raises it).
    """

    def add_client_id(self):
        provider = self.backend.get_open_id_connect_provider(self._get_param("OpenIDConnectProviderArn"))
        client_id = self._get_param("ClientID")
        if client_id not in provider.client_id_list:
            provider.client_id_list.append(client_id)
        return EmptyResult()

    def remove_client_id(self):
        provider = self.backend.get_open_id_connect_provider(self._get_param("OpenIDConnectProviderArn"))
        client_id = self._get_param("ClientID")
        if client_id in provider.client_id_list:
            provider.client_id_list.remove(client_id)
        return EmptyResult()

    IamResponse.add_client_id_to_open_id_connect_provider = add_client_id
    IamResponse.remove_client_id_from_open_id_connect_provider = remove_client_id


# MARK: - cognito-identity SetIdentityPoolRoles / GetIdentityPoolRoles

def patch_cognito_identity_pool_roles():
    """Fills SetIdentityPoolRoles and GetIdentityPoolRoles (moto answers 500).

    AWS stores the pool's Roles map (keys `authenticated` / `unauthenticated`) and its
    RoleMappings (per identity provider, Type `Token` or `Rules`) and returns them as set;
    an unknown pool is ResourceNotFoundException. Set replaces both maps.
    """

    def pool(response):
        pool_id = response._get_param("IdentityPoolId")
        found = response.backend.identity_pools.get(pool_id)
        if found is None:
            raise ResourceNotFoundError(pool_id)
        return found

    def set_identity_pool_roles(self):
        target = pool(self)
        roles = self._get_param("Roles") or {}
        mappings = self._get_param("RoleMappings") or {}
        validate_roles(roles)
        validate_role_mappings(mappings)
        target.imgstack_roles = roles
        target.imgstack_role_mappings = mappings
        return ""

    def get_identity_pool_roles(self):
        target = pool(self)
        answer = {"IdentityPoolId": target.identity_pool_id, "Roles": getattr(target, "imgstack_roles", {})}
        mappings = getattr(target, "imgstack_role_mappings", {})
        if mappings:
            answer["RoleMappings"] = mappings
        return json.dumps(answer)

    CognitoIdentityResponse.set_identity_pool_roles = set_identity_pool_roles
    CognitoIdentityResponse.get_identity_pool_roles = get_identity_pool_roles


def validate_roles(roles):
    """The RolesMap key pattern is `(un)?authenticated` (ValidationException otherwise)."""
    for key in roles:
        if key not in ("authenticated", "unauthenticated"):
            raise JsonRESTError(
                "ValidationException",
                f"1 validation error detected: Value '{key}' at 'roles' failed to satisfy constraint: "
                "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: "
                "(un)?authenticated]")


def validate_role_mappings(mappings):
    """Type is Token or Rules; both need AmbiguousRoleResolution, Rules needs its rules."""
    for provider, mapping in mappings.items():
        kind = mapping.get("Type")
        if kind not in ("Token", "Rules"):
            raise JsonRESTError("ValidationException",
                                f"1 validation error detected: Value '{kind}' at 'roleMappings.{provider}.member.type' "
                                "failed to satisfy constraint: Member must satisfy enum value set: [Token, Rules]")
        if not mapping.get("AmbiguousRoleResolution"):
            raise JsonRESTError("InvalidParameterException",
                                f"AmbiguousRoleResolution must be specified for {provider}")
        if kind == "Rules" and not (mapping.get("RulesConfiguration") or {}).get("Rules"):
            raise JsonRESTError("InvalidParameterException",
                                f"RulesConfiguration must be specified for Rules mapping of {provider}")


# MARK: - CloudFront distributions

def patch_cloudfront_origin_access_control_id():
    """Keeps Origin.OriginAccessControlId (CreateDistribution / UpdateDistribution).

    moto drops it; AWS returns it on GetDistribution(Config), and an empty string when the
    origin has none.
    """
    original = cloudfront_models.Origin.__init__

    def init(self, origin):
        original(self, origin)
        self.origin_access_control_id = origin.get("OriginAccessControlId") or ""

    cloudfront_models.Origin.__init__ = init


def patch_cloudfront_function_associations():
    """Keeps LambdaFunctionAssociations and FunctionAssociations on cache behaviours.

    moto always reads them back as Quantity 0; AWS returns the associations as set, on the
    default cache behaviour and on each ordered cache behaviour.
    """
    original = cloudfront_models.DefaultCacheBehaviour.__init__

    def init(self, config):
        original(self, config)
        self.lambda_function_associations = associations(config.get("LambdaFunctionAssociations"))
        self.function_associations = associations(config.get("FunctionAssociations"))

    cloudfront_models.DefaultCacheBehaviour.__init__ = init


def associations(value):
    """A Quantity/Items list as AWS returns it."""
    items = (value or {}).get("Items") or []
    return {"Quantity": len(items), "Items": items} if items else {"Quantity": 0}


def precondition_failed():
    """412: the If-Match value is not the resource's current ETag."""
    return CloudFrontException("PreconditionFailed",
                               "The precondition given in one or more of the request-header fields evaluated to false.")


def check_if_match(if_match, etag):
    """UpdateX/DeleteX: no If-Match is InvalidIfMatchVersion (400), a stale one PreconditionFailed (412)."""
    if not if_match:
        raise InvalidIfMatchVersion
    if if_match != etag:
        raise precondition_failed()


def patch_cloudfront_distribution_etags():
    """UpdateDistribution / DeleteDistribution with AWS's ETag rules.

    moto accepts any If-Match and never changes the ETag. AWS issues a new ETag on every
    update, refuses a stale If-Match with PreconditionFailed, and refuses deleting a
    distribution that is still enabled with DistributionNotDisabled (409).
    """
    original_update = cloudfront_models.CloudFrontBackend.update_distribution

    def update_distribution(self, dist_config, _id, if_match):
        if _id not in self.distributions:
            raise NoSuchDistribution
        check_if_match(if_match, self.distributions[_id].etag)
        dist, location, _ = original_update(self, dist_config, _id, if_match)
        dist.etag = cloudfront_models.random_id()
        return dist, location, dist.etag

    def delete_distribution(self, distribution_id, if_match):
        if distribution_id not in self.distributions:
            raise NoSuchDistribution
        dist = self.distributions[distribution_id]
        check_if_match(if_match, dist.etag)
        if str(getattr(dist.distribution_config, "Enabled", False)).lower() == "true":
            raise CloudFrontException("DistributionNotDisabled",
                                      "The distribution you are trying to delete has not been disabled.")
        del self.distributions[distribution_id]

    cloudfront_models.CloudFrontBackend.update_distribution = update_distribution
    cloudfront_models.CloudFrontBackend.delete_distribution = delete_distribution


# MARK: - CloudFront response headers policies

class ResponseHeadersPolicy:
    """A stored policy: its config as sent, an id and the current ETag."""

    def __init__(self, config):
        self.id = cloudfront_models.random_id()
        self.config = config
        self.etag = cloudfront_models.random_id()
        self.last_modified_time = utcnow()

    def to_dict(self):
        return {"Id": self.id, "LastModifiedTime": self.last_modified_time,
                "ResponseHeadersPolicyConfig": self.config}


def no_such_policy():
    return CloudFrontException("NoSuchResponseHeadersPolicy", "The response headers policy does not exist.")


def policies(backend):
    """The backend's policies; a reset backend starts without any."""
    if not hasattr(backend, "imgstack_response_headers_policies"):
        backend.imgstack_response_headers_policies = {}
    return backend.imgstack_response_headers_policies


def policy_in_use(backend, policy_id):
    """True when a distribution's cache behaviour names the policy."""
    for dist in backend.distributions.values():
        config = dist.distribution_config
        behaviours = [config.DefaultCacheBehavior] + list((config.CacheBehaviors or {}).get("Items") or [])
        if any(getattr(b, "response_headers_policy_id", None) == policy_id for b in behaviours):
            return True
    return False


def check_unique_name(backend, config, except_id=None):
    """AWS refuses a second policy with the same name (409)."""
    for other in policies(backend).values():
        if other.id != except_id and other.config.get("Name") == config.get("Name"):
            raise CloudFrontException("ResponseHeadersPolicyAlreadyExists",
                                      "A response headers policy with this name already exists.")


def patch_cloudfront_response_headers_policies():
    """Fills Create/Get/GetConfig/Update/Delete/ListResponseHeadersPolicies (moto answers 404).

    AWS returns the config as set with an ETag; Update and Delete need the current ETag in
    If-Match and Update issues a new one; a policy used by a distribution cannot be deleted
    (ResponseHeadersPolicyInUse).
    """
    base = "{0}/2020-05-31/response-headers-policy"
    cloudfront_urls.url_paths[base + "$"] = CloudFrontResponse.dispatch
    cloudfront_urls.url_paths[base + "/(?P<policy_id>[^/]+)$"] = CloudFrontResponse.dispatch
    cloudfront_urls.url_paths[base + "/(?P<policy_id>[^/]+)/config$"] = CloudFrontResponse.dispatch

    def find(response):
        policy = policies(response.backend).get(response._get_param("Id"))
        if policy is None:
            raise no_such_policy()
        return policy

    def location(policy):
        return f"https://cloudfront.amazonaws.com/2020-05-31/response-headers-policy/{policy.id}"

    def create_response_headers_policy(self):
        config = self._get_param("ResponseHeadersPolicyConfig", {})
        check_unique_name(self.backend, config)
        policy = ResponseHeadersPolicy(config)
        policies(self.backend)[policy.id] = policy
        return ActionResult({"ResponseHeadersPolicy": policy.to_dict(), "ETag": policy.etag,
                             "Location": location(policy)})

    def get_response_headers_policy(self):
        policy = find(self)
        return ActionResult({"ResponseHeadersPolicy": policy.to_dict(), "ETag": policy.etag})

    def get_response_headers_policy_config(self):
        policy = find(self)
        return ActionResult({"ResponseHeadersPolicyConfig": policy.config, "ETag": policy.etag})

    def update_response_headers_policy(self):
        policy = find(self)
        check_if_match(self._get_param("IfMatch"), policy.etag)
        config = self._get_param("ResponseHeadersPolicyConfig", {})
        check_unique_name(self.backend, config, except_id=policy.id)
        policy.config = config
        policy.etag = cloudfront_models.random_id()
        policy.last_modified_time = utcnow()
        return ActionResult({"ResponseHeadersPolicy": policy.to_dict(), "ETag": policy.etag})

    def delete_response_headers_policy(self):
        policy = find(self)
        check_if_match(self._get_param("IfMatch"), policy.etag)
        if policy_in_use(self.backend, policy.id):
            raise CloudFrontException("ResponseHeadersPolicyInUse",
                                      "Cannot delete the response headers policy because it is attached "
                                      "to one or more cache behaviors.")
        del policies(self.backend)[policy.id]
        return EmptyResult()

    def list_response_headers_policies(self):
        # Only custom policies live here; AWS's managed ones are not emulated.
        wanted = self._get_param("Type")
        items = [] if wanted == "managed" else [
            {"Type": "custom", "ResponseHeadersPolicy": policy.to_dict()}
            for policy in policies(self.backend).values()]
        return ActionResult({"ResponseHeadersPolicyList": {
            "MaxItems": 100, "Quantity": len(items), "Items": items or None}})

    for handler in (create_response_headers_policy, get_response_headers_policy,
                    get_response_headers_policy_config, update_response_headers_policy,
                    delete_response_headers_policy, list_response_headers_policies):
        setattr(CloudFrontResponse, handler.__name__, handler)


# MARK: - kms key policies with one Statement object

def patch_kms_single_statement_policies():
    """Lets a key policy hold one `Statement` object instead of a list.

    The policy grammar allows both (IAM User Guide, "Grammar of the IAM JSON policy language":
    `"Statement": [ <statement>, ... ]` or a single `<statement>`), and KMS accepts either in
    CreateKey and PutKeyPolicy. moto 5.2 stores such a policy and then fails every later call on
    the key (DescribeKey answers 500) as it iterates the object's keys as statements.
    """
    from moto.kms import responses as kms_responses

    original = kms_responses.validate_policy

    def validate_policy(key, action):
        try:
            policy = json.loads(key.policy)
        except (TypeError, ValueError):
            return original(key, action)
        if isinstance(policy, dict) and isinstance(policy.get("Statement"), dict):
            listed = json.dumps({**policy, "Statement": [policy["Statement"]]})
            return original(SimpleNamespace(arn=key.arn, policy=listed), action)
        return original(key, action)

    kms_responses.validate_policy = validate_policy


# MARK: - principals in resource policies: AWS's stored form and IAM's propagation delay

ACCOUNT_ID_PRINCIPAL = re.compile(r"^[0-9]{12}$")

# Seconds a newly created IAM role is refused as a principal; 0 (the default) refuses none.
# Set through POST /moto-api/imgstack/principal-propagation {"seconds": N}.
principal_propagation = {"seconds": 0.0}


def aws_principals(document):
    """Every value of a `Principal`/`NotPrincipal` `AWS` entry of a parsed policy, as a list."""
    statements = document.get("Statement") if isinstance(document, dict) else None
    found = []
    for statement in statements if isinstance(statements, list) else [statements]:
        for member in ("Principal", "NotPrincipal"):
            principal = (statement or {}).get(member) if isinstance(statement, dict) else None
            values = principal.get("AWS") if isinstance(principal, dict) else None
            found += values if isinstance(values, list) else ([values] if values else [])
    return found


def stored_form(text):
    """The policy as IAM, S3 and KMS store it: an account principal given as its id becomes its
    root ARN (IAM User Guide, "IAM JSON policy elements: Principal", AWS account principals:
    "you can also specify the account ID … AWS converts it to arn:aws:iam::ID:root" when the
    policy is saved). Text that is not a policy is returned unchanged."""
    try:
        document = json.loads(text)
    except (TypeError, ValueError):
        return text
    changed = False
    statements = document.get("Statement") if isinstance(document, dict) else None
    for statement in statements if isinstance(statements, list) else [statements]:
        for member in ("Principal", "NotPrincipal"):
            principal = statement.get(member) if isinstance(statement, dict) else None
            if not isinstance(principal, dict) or "AWS" not in principal:
                continue
            values = principal["AWS"]
            converted = [f"arn:aws:iam::{value}:root" if isinstance(value, str) and ACCOUNT_ID_PRINCIPAL.match(value)
                         else value for value in (values if isinstance(values, list) else [values])]
            if converted != (values if isinstance(values, list) else [values]):
                principal["AWS"] = converted if isinstance(values, list) else converted[0]
                changed = True
    return json.dumps(document) if changed else text


def unpropagated_principal(text):
    """The first role ARN in the policy created less than `principal_propagation` seconds ago.

    AWS refuses a policy naming a principal IAM has not propagated yet, for a few seconds
    after the role's creation (IAM User Guide, "Troubleshooting IAM: Changes that I make are
    not always immediately visible"; the errors are the ones each operation documents for an
    invalid principal).
    """
    window = principal_propagation["seconds"]
    if window <= 0:
        return None
    try:
        document = json.loads(text)
    except (TypeError, ValueError):
        return None
    from moto.iam.models import iam_backends
    now = utcnow()
    for principal in aws_principals(document):
        if not isinstance(principal, str) or ":role/" not in principal:
            continue
        account = principal.split(":")[4]
        for role in iam_backends[account]["global"].get_roles():
            if role.arn == principal and (now - role.create_date).total_seconds() < window:
                return principal
    return None


def patch_policy_principals():
    """IAM CreateRole / UpdateAssumeRolePolicy, S3 PutBucketPolicy, KMS CreateKey /
    PutKeyPolicy: store account principals in AWS's form, and refuse a role created moments
    ago with each operation's invalid-principal error:

    - IAM: `MalformedPolicyDocument` "Invalid principal in policy" (CreateRole, UpdateAssumeRolePolicy).
    - S3: `MalformedPolicy` "Invalid principal in policy" (PutBucketPolicy).
    - KMS: `MalformedPolicyDocumentException` "… invalid principals" (CreateKey, PutKeyPolicy).
    """
    from moto.iam.exceptions import MalformedPolicyDocument
    from moto.iam.models import IAMBackend
    from moto.kms.models import KmsBackend
    from moto.moto_api._internal import urls as moto_api_urls
    from moto.s3.exceptions import S3ClientError
    from moto.s3.models import S3Backend

    def iam_check(text):
        principal = unpropagated_principal(text)
        if principal:
            raise MalformedPolicyDocument(f'Invalid principal in policy: "AWS":"{principal}"')
        return stored_form(text)

    def kms_check(text):
        if text and unpropagated_principal(text):
            raise JsonRESTError("MalformedPolicyDocumentException",
                                "Policy contains a statement with one or more invalid principals.")
        return stored_form(text) if text else text

    create_role = IAMBackend.create_role
    update_assume_role_policy = IAMBackend.update_assume_role_policy
    put_bucket_policy = S3Backend.put_bucket_policy
    create_key = KmsBackend.create_key
    put_key_policy = KmsBackend.put_key_policy

    def patched_create_role(self, role_name, assume_role_policy_document, *args, **kwargs):
        return create_role(self, role_name, iam_check(assume_role_policy_document), *args, **kwargs)

    def patched_update_assume_role_policy(self, role_name, policy_document):
        return update_assume_role_policy(self, role_name, iam_check(policy_document))

    def patched_put_bucket_policy(self, bucket_name, policy):
        text = policy.decode() if isinstance(policy, bytes) else policy
        if unpropagated_principal(text):
            raise S3ClientError("MalformedPolicy", "Invalid principal in policy")
        return put_bucket_policy(self, bucket_name, stored_form(text).encode())

    def patched_create_key(self, policy, *args, **kwargs):
        return create_key(self, kms_check(policy), *args, **kwargs)

    def patched_put_key_policy(self, key_id, policy):
        return put_key_policy(self, key_id, kms_check(policy))

    IAMBackend.create_role = patched_create_role
    IAMBackend.update_assume_role_policy = patched_update_assume_role_policy
    S3Backend.put_bucket_policy = patched_put_bucket_policy
    KmsBackend.create_key = patched_create_key
    KmsBackend.put_key_policy = patched_put_key_policy

    def propagation(request, full_url, headers):
        if request.method == "POST":
            length = int(headers.get("Content-Length") or 0)
            body = json.loads(request.environ["wsgi.input"].read(length) or b"{}")
            principal_propagation["seconds"] = float(body.get("seconds", 0))
        return 200, {}, json.dumps(principal_propagation)

    moto_api_urls.url_paths["{0}/moto-api/imgstack/principal-propagation"] = propagation


# MARK: - Lambda@Edge replicas

# Functions CloudFront still holds replicas of, by name: DeleteFunction refuses them.
# Set through POST /moto-api/imgstack/edge-replicas {"function": NAME, "replicated": true}.
edge_replicas = set()


def patch_lambda_edge_replicas():
    """DeleteFunction refuses a function CloudFront still holds replicas of.

    moto has no CloudFront replicas. AWS answers `InvalidParameterValueException` "Lambda was
    unable to delete … because it is a replicated function" until CloudFront has removed the
    replicas, some hours after the association goes (CloudFront Developer Guide, "Delete Lambda@Edge
    functions and replicas"; Lambda `DeleteFunction` errors). Tests mark a function as
    replicated and clear the mark to stand for CloudFront's removal.
    """
    from moto.awslambda.models import LambdaBackend
    from moto.moto_api._internal import urls as moto_api_urls

    original = LambdaBackend.delete_function

    def delete_function(self, function_name, qualifier=None):
        name = function_name.split(":function:")[-1].split(":")[0]
        if name in edge_replicas:
            function = self.get_function(function_name)
            raise JsonRESTError("InvalidParameterValueException",
                                f"Lambda was unable to delete {function.function_arn}:1 because it is a replicated function. "
                                "Please see our documentation for Deleting Lambda@Edge Functions and Replicas.")
        return original(self, function_name, qualifier)

    def replicas(request, full_url, headers):
        if request.method == "POST":
            length = int(headers.get("Content-Length") or 0)
            body = json.loads(request.environ["wsgi.input"].read(length) or b"{}")
            (edge_replicas.add if body.get("replicated") else edge_replicas.discard)(body["function"])
        return 200, {}, json.dumps({"replicated": sorted(edge_replicas)})

    LambdaBackend.delete_function = delete_function
    moto_api_urls.url_paths["{0}/moto-api/imgstack/edge-replicas"] = replicas
