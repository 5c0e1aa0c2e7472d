"""Small patches that fill moto 5.2.x gaps the way the AWS API references describe.

Each patch names the operation it fills. None makes the emulator more lenient than AWS.
Three more (under "Service time") change no answer: they spare moto CPU work a real endpoint
never puts on its caller's clock, which the benchmarks' latency floors leave out.
"""

import json
import re
import threading
import time
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
    patch_cognito_identity_logins()
    patch_cognito_resend_confirmation_code()
    patch_cognito_confirm_forgot_password_checks_the_code()
    patch_cloudfront_origin_access_control_id()
    patch_cloudfront_function_associations()
    patch_cloudfront_distribution_etags()
    patch_cloudfront_response_headers_policies()
    patch_cloudfront_origin_access_control_unique_names()
    patch_iam_open_id_connect_client_ids()
    patch_cognito_update_user_pool_keeps_creation_only_settings()
    patch_s3_bucket_policy_conditions()
    patch_s3_create_bucket_tags()
    patch_deleted_resources_lose_their_tags()
    patch_sns_create_topic_with_other_tags()
    patch_logs_kms_keys()
    patch_logs_retention_days()
    patch_apigateway_binary_media_types()
    patch_apigateway_conflicts()
    patch_apigateway_update_method_and_integration()
    patch_apigateway_missing_integration()
    patch_apigateway_active_deployments()
    patch_apigateway_stage_method_settings_removal()
    patch_apigateway_deployment_api_summary()
    patch_wafv2_cloudfront_scope_region()
    patch_wafv2_update_replaces_whole_web_acl()
    patch_wafv2_web_acl_members()
    patch_policy_principals()
    patch_kms_single_statement_policies()
    patch_lambda_edge_replicas()
    patch_ec2_security_group_dependencies()
    patch_ec2_launch_template_tags()
    patch_autoscaling_policies_per_group()
    patch_elbv2_load_balancer_attributes()
    patch_elbv2_deletion_protection()
    patch_s3_notification_destination_validation()
    patch_ec2_security_group_rule_descriptions()
    patch_server_lists_its_services_once()
    patch_kms_private_key_made_when_used()
    patch_cognito_json_web_key_parsed_once()


# MARK: - Service time: every request, kms CreateKey, cognito-idp CreateUserPool

def patch_server_lists_its_services_once():
    """moto's server finds the service of every request by listing its own package directory
    twice, about 180 `stat` calls a request: 40% of a simple call's time. The directory does
    not change while the server runs, so it is listed once."""
    from moto import backends

    services = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: services


class _PrivateKeyMadeWhenUsed:
    """Stands in for moto's private key of a KMS key and makes it on its first use. moto's
    server answers on several threads: two first uses at once (Sign and GetPublicKey) must
    get the same key, so it is made under a lock."""

    def __init__(self, make, key_spec):
        self._make = make
        self._key_spec = key_spec
        self._made = None
        self._lock = threading.Lock()

    def __getattr__(self, name):
        with self._lock:
            if self._made is None:
                self._made = self._make(self._key_spec)
        return getattr(self._made, name)


def patch_kms_private_key_made_when_used():
    """moto's CreateKey makes an RSA-2048 private key for every key, a symmetric one too, for
    Sign, Verify and GetPublicKey; that is 15-50 ms of CPU per key, which holds up every other
    call the server is answering. The key is now made when one of those first uses it: same
    answers, same key kinds."""
    from moto.kms import models as kms_models

    make = kms_models.generate_private_key
    kms_models.generate_private_key = lambda key_spec: _PrivateKeyMadeWhenUsed(make, key_spec)


def patch_cognito_json_web_key_parsed_once():
    """moto's CreateUserPool parses the same bundled RSA key (resources/jwks-private.json, the
    one every pool signs its tokens with) for each pool, about 70 ms of CPU each. It is now
    parsed on the first pool and shared: the same key, so the same tokens."""
    from joserfc import jwk
    from moto.cognitoidp import models as cognito_models

    parsed = {}
    import_key = jwk.RSAKey.import_key

    def import_once(value, *args, **kwargs):
        if args or kwargs:
            return import_key(value, *args, **kwargs)
        text = json.dumps(value, sort_keys=True)
        if text not in parsed:
            parsed[text] = import_key(value)
        return parsed[text]

    cognito_models.jwk = SimpleNamespace(RSAKey=SimpleNamespace(import_key=import_once))


# MARK: - logs AssociateKmsKey / DisassociateKmsKey / PutRetentionPolicy

def patch_logs_kms_keys():
    """Fills AssociateKmsKey and DisassociateKmsKey (moto 5.2 has no handler and answers 500).

    AWS (CloudWatch Logs API reference, AssociateKmsKey / DisassociateKmsKey) names the group by
    `logGroupName`, answers ResourceNotFoundException for an unknown one, and takes the key only
    as a KMS key ARN (InvalidParameterException otherwise). Disassociating a group without a key
    succeeds.
    """
    from moto.logs.exceptions import InvalidParameterException, ResourceNotFoundException
    from moto.logs.responses import LogsResponse

    def group(response):
        name = response._get_param("logGroupName")
        found = response.logs_backend.groups.get(name)
        if found is None:
            raise ResourceNotFoundException()
        return found

    def associate_kms_key(self):
        log_group = group(self)
        key = self._get_param("kmsKeyId") or ""
        if not (key.startswith("arn:") and ":kms:" in key and ":key/" in key):
            raise InvalidParameterException(f"Specified KMS key ARN is not valid: {key}")
        log_group.kms_key_id = key
        return ""

    def disassociate_kms_key(self):
        group(self).kms_key_id = None
        return ""

    LogsResponse.associate_kms_key = associate_kms_key
    LogsResponse.disassociate_kms_key = disassociate_kms_key


def patch_logs_retention_days():
    """Makes PutRetentionPolicy refuse a retention outside AWS's list, as AWS does
    (PutRetentionPolicy: "Possible values are: 1, 3, 5, … 3653"; InvalidParameterException).
    moto 5.2 stored any number."""
    from moto.logs.exceptions import InvalidParameterException
    from moto.logs.responses import LogsResponse

    allowed = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]
    original = LogsResponse.put_retention_policy

    def put_retention_policy(self):
        days = self._get_param("retentionInDays")
        if days not in allowed:
            raise InvalidParameterException(
                constraint=f"Member must satisfy enum value set: {allowed}", parameter="retentionInDays", value=days)
        return original(self)

    LogsResponse.put_retention_policy = put_retention_policy


# MARK: - apigateway

def json_pointer_segment(path, prefix):
    """The JSON Pointer segment after `prefix` in a patch path, unescaped (RFC 6901: ~1 is /, ~0 is ~)."""
    return path[len(prefix):].replace("~1", "/").replace("~0", "~")


def patch_apigateway_binary_media_types():
    """Keeps binaryMediaTypes as CreateRestApi and UpdateRestApi set them.

    moto 5.2 drops `binaryMediaTypes` from CreateRestApi, and its UpdateRestApi takes the media
    type from the patch operation's `value`. AWS (UpdateRestApi, "Patch Operations") names it in
    the path: `add` / `remove` of `/binaryMediaTypes/image~1png`.
    """
    from moto.apigateway.models import RestAPI
    from moto.apigateway.responses import APIGatewayResponse

    original_create = APIGatewayResponse.create_rest_api
    original_patch = RestAPI.apply_patch_operations
    prefix = "/binaryMediaTypes/"

    def create_rest_api(self):
        status, headers, body = original_create(self)
        types = self._get_param("binaryMediaTypes")
        if status < 300 and types:
            api = self.backend.get_rest_api(json.loads(body)["id"])
            api.binaryMediaTypes = list(types)
            body = json.dumps(api.to_dict())
        return status, headers, body

    def apply_patch_operations(self, operations):
        others = []
        for operation in operations:
            path = operation.get("path", "")
            if path.startswith(prefix) and operation.get("op") in ("add", "remove"):
                media_type = json_pointer_segment(path, prefix)
                if operation["op"] == "add" and media_type not in self.binaryMediaTypes:
                    self.binaryMediaTypes.append(media_type)
                elif operation["op"] == "remove" and media_type in self.binaryMediaTypes:
                    self.binaryMediaTypes.remove(media_type)
            else:
                others.append(operation)
        original_patch(self, others)

    APIGatewayResponse.create_rest_api = create_rest_api
    RestAPI.apply_patch_operations = apply_patch_operations


def patch_apigateway_conflicts():
    """Refuses what AWS refuses as ConflictException and moto 5.2 accepted: CreateResource with a
    path part its parent already has ("Another resource with the same parent already has this
    name"), and PutMethod on a method that exists ("Method already exists for this resource";
    AWS changes a method with UpdateMethod)."""
    from moto.apigateway.exceptions import ConflictException
    from moto.apigateway.models import APIGatewayBackend

    original_create = APIGatewayBackend.create_resource
    original_put = APIGatewayBackend.put_method

    def create_resource(self, function_id, parent_resource_id, path_part):
        api = self.get_rest_api(function_id)
        for resource in api.resources.values():
            if path_part and resource.parent_id == parent_resource_id and resource.path_part == path_part:
                raise ConflictException(f"Another resource with the same parent already has this name: {path_part}")
        return original_create(self, function_id, parent_resource_id, path_part)

    def put_method(self, function_id, resource_id, method_type, *args, **kwargs):
        if method_type in self.get_resource(function_id, resource_id).resource_methods:
            raise ConflictException("Method already exists for this resource")
        return original_put(self, function_id, resource_id, method_type, *args, **kwargs)

    APIGatewayBackend.create_resource = create_resource
    APIGatewayBackend.put_method = put_method


def patch_apigateway_update_method_and_integration():
    """Fills UpdateMethod and UpdateIntegration (moto 5.2 has neither and answers 500).

    The patch operations AWS documents for them ("Patch Operations"): on a method, `replace`
    of `/authorizationType`, `/authorizerId`, `/apiKeyRequired`; `remove` of `/authorizerId`;
    `add` / `replace` / `remove` of `/requestParameters/<name>` (the value says whether it is
    required). On an integration, `replace` of `/uri`, `/httpMethod`, `/passthroughBehavior`;
    `add` / `replace` / `remove` of `/requestTemplates/<content type>`. Anything else is a
    BadRequestException, as AWS answers an operation it does not support.
    """
    from moto.apigateway.exceptions import BadRequestException, NoIntegrationDefined
    from moto.apigateway.responses import APIGatewayResponse

    def target(response):
        parts = response.path.split("/")
        return parts[2], parts[4], parts[6]

    def update_method(self):
        function_id, resource_id, method_type = target(self)
        method = self.backend.get_method(function_id, resource_id, method_type)
        for operation in self._get_param("patchOperations") or []:
            op, path, value = operation.get("op"), operation.get("path", ""), operation.get("value")
            if path.startswith("/requestParameters/") and op in ("add", "replace", "remove"):
                name = json_pointer_segment(path, "/requestParameters/")
                parameters = dict(method.request_parameters or {})
                if op == "remove":
                    parameters.pop(name, None)
                else:
                    parameters[name] = str(value).lower() == "true"
                method.request_parameters = parameters or None
            elif op == "replace" and path == "/authorizationType":
                method.authorization_type = value
            elif op == "replace" and path == "/authorizerId":
                method.authorizer_id = value
            elif op == "remove" and path == "/authorizerId":
                method.authorizer_id = None
            elif op == "replace" and path == "/apiKeyRequired":
                method.api_key_required = str(value).lower() == "true"
            else:
                raise BadRequestException(f"Invalid patch path '{path}' specified for op '{op}'")
        return 200, {}, json.dumps(method.to_json())

    def update_integration(self):
        function_id, resource_id, method_type = target(self)
        integration = self.backend.get_integration(function_id, resource_id, method_type)
        if integration is None:
            raise NoIntegrationDefined()
        for operation in self._get_param("patchOperations") or []:
            op, path, value = operation.get("op"), operation.get("path", ""), operation.get("value")
            if path.startswith("/requestTemplates/") and op in ("add", "replace", "remove"):
                content_type = json_pointer_segment(path, "/requestTemplates/")
                templates = dict(integration.request_templates or {})
                if op == "remove":
                    templates.pop(content_type, None)
                else:
                    templates[content_type] = value
                integration.request_templates = templates or None
            elif op == "replace" and path == "/uri":
                integration.uri = value
            elif op == "replace" and path == "/httpMethod":
                integration.http_method = value
            elif op == "replace" and path == "/passthroughBehavior":
                integration.passthrough_behaviour = value
            else:
                raise BadRequestException(f"Invalid patch path '{path}' specified for op '{op}'")
        return 200, {}, json.dumps(integration.to_json())

    APIGatewayResponse.update_method = update_method
    APIGatewayResponse.update_integration = update_integration


def patch_apigateway_missing_integration():
    """GetIntegration of a method without one: AWS answers NotFoundException ("Invalid
    Integration identifier specified"); moto 5.2 answered 200 with `{}`."""
    from moto.apigateway.exceptions import NoIntegrationDefined
    from moto.apigateway.responses import APIGatewayResponse

    original = APIGatewayResponse.get_integration

    def get_integration(self):
        parts = self.path.split("/")
        if self.backend.get_integration(parts[2], parts[4], parts[6]) is None:
            raise NoIntegrationDefined()
        return original(self)

    APIGatewayResponse.get_integration = get_integration


def patch_apigateway_active_deployments():
    """DeleteDeployment of a deployment a stage serves: AWS answers BadRequestException "Active
    stages pointing to this deployment must be moved or deleted". moto 5.2 refused only when
    the deployment was made with a stage name, not when CreateStage or UpdateStage pointed a
    stage at it. And GetDeployment of an unknown id is NotFoundException ("Invalid Deployment
    identifier specified"), where moto 5.2 answered 500."""
    from moto.apigateway.exceptions import DeploymentNotFoundException, StageStillActive
    from moto.apigateway.models import RestAPI

    original = RestAPI.delete_deployment
    original_get = RestAPI.get_deployment

    def get_deployment(self, deployment_id):
        # GetDeployment of a deleted deployment: NotFoundException, as AWS answers (moto 5.2: 500).
        if deployment_id not in self.deployments:
            raise DeploymentNotFoundException()
        return original_get(self, deployment_id)

    def delete_deployment(self, deployment_id):
        if any(stage.deployment_id == deployment_id for stage in self.stages.values()):
            raise StageStillActive()
        return original(self, deployment_id)

    RestAPI.delete_deployment = delete_deployment
    RestAPI.get_deployment = get_deployment


def patch_apigateway_stage_method_settings_removal():
    """UpdateStage `remove` of a method settings path (`/*/*` for every method): AWS drops those
    settings; moto 5.2 ignored the operation."""
    from moto.apigateway.models import Stage

    original = Stage.apply_operations

    def apply_operations(self, patch_operations):
        others = []
        for operation in patch_operations:
            path = operation.get("path", "")
            if operation.get("op") == "remove" and path.count("/") == 2 and not path.startswith(("/variables", "/accessLogSettings")):
                self.method_settings.pop(path[1:], None)
            else:
                others.append(operation)
        return original(self, others)

    Stage.apply_operations = apply_operations


def patch_apigateway_deployment_api_summary():
    """GetDeployment with `embed=apisummary`: AWS answers `apiSummary`, the methods the API held
    when the deployment was created (resource path -> HTTP method -> authorizationType,
    apiKeyRequired): a deployment is a snapshot, and later changes to the API do not reach it.
    moto 5.2 keeps no snapshot and answers without it."""
    from moto.apigateway.models import RestAPI
    from moto.apigateway.responses import APIGatewayResponse

    original_create = RestAPI.create_deployment
    original_get = APIGatewayResponse.get_deployment

    def create_deployment(self, name, description, stage_variables=None):
        deployment = original_create(self, name, description, stage_variables)
        summary = {}
        for resource in self.resources.values():
            methods = {}
            for verb, method in resource.resource_methods.items():
                fields = method.to_json()
                methods[verb] = {"authorizationType": fields.get("authorizationType"),
                                 "apiKeyRequired": bool(fields.get("apiKeyRequired", False))}
            if methods:
                summary[resource.get_path()] = methods
        deployment.api_summary = summary
        return deployment

    def get_deployment(self):
        answer = original_get(self)
        if "apisummary" not in self.querystring.get("embed", []):
            return answer
        parts = self.path.split("/")
        body = json.loads(answer)
        body["apiSummary"] = getattr(self.backend.get_deployment(parts[2], parts[4]), "api_summary", {})
        return json.dumps(body)

    RestAPI.create_deployment = create_deployment
    APIGatewayResponse.get_deployment = get_deployment


# MARK: - wafv2 CreateWebACL

def patch_wafv2_cloudfront_scope_region():
    """CreateWebACL with Scope CLOUDFRONT outside us-east-1: AWS answers
    WAFInvalidParameterException (CreateWebACL: "To work with CloudFront, you must also specify
    the Region US East (N. Virginia)"); moto 5.2 created it in its global region anyway."""
    from moto.wafv2.exceptions import WAFv2ClientError
    from moto.wafv2.responses import WAFV2Response

    original = WAFV2Response.create_web_acl

    def create_web_acl(self):
        if self._get_param("Scope") == "CLOUDFRONT" and self.region != "us-east-1":
            raise WAFv2ClientError("WAFInvalidParameterException",
                                   "Error reason: The scope is not valid., field: SCOPE_VALUE, parameter: CLOUDFRONT")
        return original(self)

    WAFV2Response.create_web_acl = create_web_acl


def patch_wafv2_web_acl_members():
    """GetWebACL's `WebACL` holds only the `WebACL` data type's members; the lock token is the
    answer's own `LockToken` (GetWebACL response syntax). moto 5.2 also put `LockToken` inside
    `WebACL`, where imgstack would take it for a setting it cannot express."""
    from moto.wafv2.models import FakeWebACL

    original = FakeWebACL.to_dict

    def to_dict(self):
        members = original(self)
        members.pop("LockToken", None)
        return members

    FakeWebACL.to_dict = to_dict


def patch_wafv2_update_replaces_whole_web_acl():
    """UpdateWebACL replaces the web ACL's whole configuration (UpdateWebACL: "you provide the
    complete web ACL specification ... any settings you don't provide are reset to their
    defaults"): `Rules: []` or no `Rules` leaves it without rules, and a description, custom
    response bodies, CAPTCHA, challenge, token domain or association setting left out is removed.
    moto 5.2 kept the old value of every member sent empty or left out."""
    from moto.wafv2.models import WAFV2Backend

    original = WAFV2Backend.update_web_acl

    def update_web_acl(self, name, _id, default_action, rules, description, visibility_config, lock_token,
                       custom_response_bodies, captcha_config, challenge_config, token_domains, association_config):
        token = original(self, name, _id, default_action, rules, description, visibility_config, lock_token,
                         custom_response_bodies, captcha_config, challenge_config, token_domains, association_config)
        acl = self.get_web_acl(None, name, _id)
        if not rules:
            acl.rules = []
        acl.description = description or ""
        acl.custom_response_bodies = custom_response_bodies
        acl.captcha_config = captcha_config
        acl.challenge_config = challenge_config
        acl.token_domains = token_domains
        acl.association_config = association_config
        return token

    WAFV2Backend.update_web_acl = update_web_acl


# MARK: - s3 bucket policies with conditions

def patch_s3_create_bucket_tags():
    """CreateBucket applies the tags of `CreateBucketConfiguration/Tags` to the new general
    purpose bucket (CreateBucket request syntax: "Tags: An array of tags that you can apply to
    the bucket that you're creating"); moto 5.2 ignored them."""
    import xmltodict
    from moto.s3.responses import S3Response

    original = S3Response._bucket_response_put

    def bucket_response_put(self, request, bucket_name, querystring):
        response = original(self, request, bucket_name, querystring)
        if not querystring and self.body:
            configuration = (xmltodict.parse(self.body) or {}).get("CreateBucketConfiguration") or {}
            tags = ((configuration.get("Tags") or {}).get("Tag")) or []
            tags = tags if isinstance(tags, list) else [tags]
            if tags:
                self.backend.put_bucket_tagging(bucket_name, {tag["Key"]: tag.get("Value") or "" for tag in tags})
        return response

    S3Response._bucket_response_put = bucket_response_put


def patch_deleted_resources_lose_their_tags():
    """A log group or alarm deleted and made again under the same name starts with only the tags
    its create gives (tags belong to the resource: DeleteLogGroup "permanently deletes the log
    group", DeleteAlarms deletes the alarm); moto 5.2 kept the old tags by ARN and gave them to
    the new one."""
    from moto.cloudwatch.models import CloudWatchBackend
    from moto.logs.models import LogsBackend

    delete_log_group = LogsBackend.delete_log_group
    delete_alarms = CloudWatchBackend.delete_alarms

    def patched_delete_log_group(self, log_group_name):
        arn = self.groups[log_group_name].arn if log_group_name in self.groups else None
        delete_log_group(self, log_group_name)
        if arn:
            self.tagger.delete_all_tags_for_resource(arn)

    def patched_delete_alarms(self, alarm_names):
        arns = [self.alarms[name].alarm_arn for name in alarm_names if name in self.alarms]
        delete_alarms(self, alarm_names)
        for arn in arns:
            self.tagger.delete_all_tags_for_resource(arn)

    LogsBackend.delete_log_group = patched_delete_log_group
    CloudWatchBackend.delete_alarms = patched_delete_alarms


def patch_sns_create_topic_with_other_tags():
    """CreateTopic of a topic that exists is answered with that topic only when the request
    matches it; with other tags SNS refuses: `InvalidParameter` "Invalid parameter: Tags Reason:
    Topic already exists with different tags" (CreateTopic: "If a topic with that name already
    exists, its ARN is returned without creating a new topic" — for the same attributes and tags).
    moto 5.2 answered the existing topic whatever the tags."""
    from moto.sns.exceptions import InvalidParameterValue
    from moto.sns.models import SNSBackend

    original = SNSBackend.create_topic

    def create_topic(self, name, attributes=None, tags=None):
        existing = next((topic for topic in self.topics.values() if topic.name == name), None)
        if existing is not None and (tags or {}) != (getattr(existing, "_tags", None) or {}):
            raise InvalidParameterValue("Invalid parameter: Tags Reason: Topic already exists with different tags")
        return original(self, name, attributes, tags)

    SNSBackend.create_topic = create_topic


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


# MARK: - cognito-identity GetId / GetCredentialsForIdentity with Logins

def patch_cognito_identity_logins():
    """Makes GetId and GetCredentialsForIdentity check logins and keep one identity per user.

    moto answers GetId with a new random identity on every call and ignores `Logins`, and
    GetCredentialsForIdentity with the same fixed keys for any identity. AWS
    (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetId.html,
    .../API_GetCredentialsForIdentity.html, "Identity pools authentication flow"):
    - an unknown pool or identity is ResourceNotFoundException;
    - without `Logins`, GetId makes a new unauthenticated identity, refused with
      NotAuthorizedException when the pool does not allow unauthenticated identities;
    - a login key must be a provider of the pool (for a user pool, its `ProviderName`
      `cognito-idp.<region>.amazonaws.com/<pool id>`), and its token an ID token signed by that
      pool, for one of the pool's `ClientId`s, not expired — else NotAuthorizedException;
    - the same user (provider and `sub`) always gets the same identity id;
    - credentials for an identity linked to a login need that login (NotAuthorizedException
      otherwise), and each call gets fresh temporary credentials.
    """
    import secrets
    import time

    from joserfc import jwt
    from moto.cognitoidentity.models import cognitoidentity_backends, get_random_identity_id
    from moto.cognitoidp.models import cognitoidp_backends

    def not_authorized(message):
        return JsonRESTError("NotAuthorizedException", message)

    def pool_of(backend, pool_id):
        region = (pool_id or "").split(":")[0]
        pool = cognitoidentity_backends[backend.account_id][region].identity_pools.get(pool_id) if region else None
        if pool is None:
            raise ResourceNotFoundError(pool_id)
        return pool

    def verified_login(backend, pool, logins):
        """The (provider, sub) of the pool's one login, after checking its token as AWS does."""
        if len(logins) != 1:
            raise not_authorized("Only one login per identity is supported here.")
        (provider, token), = logins.items()
        configured = [entry for entry in pool.cognito_identity_providers if entry.get("ProviderName") == provider]
        if not configured:
            raise not_authorized("Invalid login token. Token is not from a supported provider of this identity pool.")
        host, _, user_pool_id = provider.partition("/")
        region = host.split(".")[1] if host.count(".") >= 2 else ""
        user_pool = cognitoidp_backends[backend.account_id][region].user_pools.get(user_pool_id) if region else None
        if user_pool is None:
            raise not_authorized("Invalid login token. Couldn't verify signed token.")
        try:
            claims = jwt.decode(token, user_pool.json_web_key).claims
        except Exception:
            raise not_authorized("Invalid login token. Couldn't verify signed token.")
        if claims.get("iss") != f"https://{provider}" or claims.get("token_use") != "id":
            raise not_authorized("Invalid login token. Issuer doesn't match providerName")
        if claims.get("aud") not in [entry.get("ClientId") for entry in configured]:
            raise not_authorized("Invalid login token. Incorrect client id.")
        if not isinstance(claims.get("exp"), int) or claims["exp"] <= time.time():
            raise not_authorized("Invalid login token. Token expired.")
        return provider, claims["sub"]

    def linked(pool):
        if not hasattr(pool, "imgstack_identities"):
            pool.imgstack_identities = {}  # identity id -> (provider, sub), or None for a guest
        return pool.imgstack_identities

    def get_id(self):
        pool = pool_of(self.backend, self._get_param("IdentityPoolId"))
        identities = linked(pool)
        logins = self._get_param("Logins") or {}
        if not logins:
            if not pool.allow_unauthenticated_identities:
                raise not_authorized("Unauthenticated access is not supported for this identity pool.")
            identity_id = get_random_identity_id(pool.identity_pool_id.split(":")[0])
            identities[identity_id] = None
            return json.dumps({"IdentityId": identity_id})
        login = verified_login(self.backend, pool, logins)
        identity_id = next((known for known, owner in identities.items() if owner == login), None)
        if identity_id is None:
            identity_id = get_random_identity_id(pool.identity_pool_id.split(":")[0])
            identities[identity_id] = login
        return json.dumps({"IdentityId": identity_id})

    def get_credentials_for_identity(self):
        identity_id = self._get_param("IdentityId") or ""
        region = identity_id.split(":")[0]
        pools = cognitoidentity_backends[self.backend.account_id][region].identity_pools.values() if region else []
        pool = next((candidate for candidate in pools if identity_id in linked(candidate)), None)
        if pool is None:
            raise JsonRESTError("ResourceNotFoundException", f"Identity '{identity_id}' not found.")
        owner = linked(pool)[identity_id]
        logins = self._get_param("Logins") or {}
        if owner is None and logins:
            raise not_authorized(f"Access to Identity '{identity_id}' is forbidden.")
        if owner is not None and (not logins or verified_login(self.backend, pool, logins) != owner):
            raise not_authorized(f"Access to Identity '{identity_id}' is forbidden.")
        expiration = int(time.time()) + 3600
        return json.dumps({"IdentityId": identity_id, "Credentials": {
            "AccessKeyId": "ASIA" + secrets.token_hex(8).upper(), "SecretKey": secrets.token_urlsafe(30),
            "SessionToken": secrets.token_urlsafe(60), "Expiration": expiration}})

    CognitoIdentityResponse.get_id = get_id
    CognitoIdentityResponse.get_credentials_for_identity = get_credentials_for_identity


# MARK: - cognito-idp ResendConfirmationCode / ConfirmForgotPassword

def user_of_client(response):
    """The user pool of the request's ClientId and its user named Username (AWS's errors otherwise)."""
    from moto.cognitoidp.exceptions import ResourceNotFoundError as PoolNotFound, UserNotFoundError
    from moto.cognitoidp.models import cognitoidp_backends, find_account_region_by_value

    client_id = response._get_param("ClientId")
    account, region = find_account_region_by_value("client_id", client_id,
                                                   fallback=(response.current_account, response.region))
    pool = next((candidate for candidate in cognitoidp_backends[account][region].user_pools.values()
                 if client_id in candidate.clients), None)
    if pool is None:
        raise PoolNotFound(client_id)
    user = pool._get_user(response._get_param("Username"))
    if user is None:
        raise UserNotFoundError("Username/client id combination not found.")
    return user


def patch_cognito_resend_confirmation_code():
    """Fills ResendConfirmationCode, which moto lacks.

    https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ResendConfirmationCode.html:
    an unknown user is UserNotFoundException, an already confirmed one InvalidParameterException
    ("User is already confirmed."); otherwise a new code is sent and CodeDeliveryDetails says
    where (the email masked).
    """
    from moto.cognitoidp.exceptions import InvalidParameterException
    from moto.cognitoidp.models import UserStatus
    from moto.cognitoidp.responses import CognitoIdpResponse

    def resend_confirmation_code(self):
        user = user_of_client(self)
        if user.status == UserStatus.CONFIRMED:
            raise InvalidParameterException("User is already confirmed.")
        email = user.attribute_lookup.get("email", "")
        first, _, domain = email.partition("@")
        masked = f"{first[:1]}***@{domain[:1]}***" if domain else ""
        return json.dumps({"CodeDeliveryDetails": {"Destination": masked, "DeliveryMedium": "EMAIL", "AttributeName": "email"}})

    CognitoIdpResponse.resend_confirmation_code = resend_confirmation_code


def patch_cognito_confirm_forgot_password_checks_the_code():
    """Makes ConfirmForgotPassword accept only the code ForgotPassword issued.

    moto accepts any code that does not start with its own prefix. AWS
    (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ConfirmForgotPassword.html)
    answers CodeMismatchException for a wrong code. moto hands the issued code back in the
    `x-moto-forgot-password-confirmation-code` header of ForgotPassword (the emulator's mailbox).
    """
    from moto.cognitoidp.exceptions import CodeMismatchException
    from moto.cognitoidp.responses import CognitoIdpResponse

    original = CognitoIdpResponse.confirm_forgot_password

    def confirm_forgot_password(self):
        user = user_of_client(self)
        if not user.confirmation_code or user.confirmation_code != self._get_param("ConfirmationCode"):
            raise CodeMismatchException("Invalid verification code provided, please try again.")
        return original(self)

    CognitoIdpResponse.confirm_forgot_password = confirm_forgot_password


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
    - Lambda: `InvalidParameterValueException` "The provided principal was invalid. Please check
      the principal and try again." (AddPermission naming a role; the answer AWS gives for a role
      created moments before, as reported in terraform-provider-aws issue 41617).
    """
    from moto.awslambda.exceptions import InvalidParameterValueException
    from moto.awslambda.models import LambdaBackend
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

    add_permission = LambdaBackend.add_permission

    def patched_add_permission(self, function_name, qualifier, raw):
        principal = (json.loads(raw or "{}") or {}).get("Principal")
        if isinstance(principal, str) and unpropagated_principal(json.dumps({"Statement": [{"Principal": {"AWS": principal}}]})):
            raise InvalidParameterValueException("The provided principal was invalid. Please check the principal and try again.")
        return add_permission(self, function_name, qualifier, raw)

    LambdaBackend.add_permission = patched_add_permission
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


# MARK: - ec2 DeleteSecurityGroup while the group is in use

# Seconds a security group stays in use after the last network interface that used it is
# deleted; 0 (the default) releases it at once. Set through
# POST /moto-api/imgstack/eni-release {"seconds": N}.
eni_release = {"seconds": 0.0}
# Group id -> when a network interface using it was last deleted (time.monotonic()).
released_groups = {}


def patch_ec2_security_group_dependencies():
    """DeleteSecurityGroup refuses a group that is still in use with `DependencyViolation`
    "resource sg-… has a dependent object" (EC2 API Reference, DeleteSecurityGroup: a group
    "associated with an instance or network interface" or "referenced by another security group
    in the same VPC" cannot be deleted). moto deleted it.

    AWS also keeps refusing for a while after the network interface is gone, until the
    interface's release has reached the group (minutes after an instance or a load balancer
    node is terminated). moto has no such delay: `eni_release` stands for it. A terminated
    instance's interface is released as on AWS, where it is deleted with the instance
    (`DeleteOnTermination`); moto kept it, and with it the group in use for ever.
    """
    from moto.ec2.exceptions import DependencyViolationError
    from moto.ec2.models.elastic_network_interfaces import NetworkInterfaceBackend
    from moto.ec2.models.instances import Instance
    from moto.ec2.models.security_groups import SecurityGroupBackend
    from moto.moto_api._internal import urls as moto_api_urls

    delete_group = SecurityGroupBackend._delete_security_group
    delete_interface = NetworkInterfaceBackend.delete_network_interface
    terminate_instance = Instance.terminate

    def user_of(backend, vpc_id, group_id):
        for eni in getattr(backend, "enis", {}).values():
            if getattr(eni.instance, "state", None) == "terminated":
                continue
            if any(group.id == group_id for group in eni.group_set):
                return eni.id
        for group in backend.groups.get(vpc_id, {}).values():
            if group.id == group_id:
                continue
            for rule in group.ingress_rules + group.egress_rules:
                if (rule.source_group or {}).get("GroupId") == group_id:
                    return group.id
        released = released_groups.get(group_id)
        if released is not None and time.monotonic() - released < eni_release["seconds"]:
            return "a network interface being released"
        return None

    def patched_delete_group(self, vpc_id, group_id):
        user = user_of(self, vpc_id or self.default_vpc.id, group_id)
        if user:
            raise DependencyViolationError(f"resource {group_id} has a dependent object ({user})")
        return delete_group(self, vpc_id, group_id)

    def patched_delete_interface(self, eni_id):
        eni = self.enis.get(eni_id)
        groups = [group.id for group in eni.group_set] if eni else []
        delete_interface(self, eni_id)
        for group_id in groups:
            released_groups[group_id] = time.monotonic()

    def patched_terminate_instance(self):
        if self.state != "terminated":
            now = time.monotonic()
            for eni in self.nics.values():
                for group in eni.group_set:
                    released_groups[group.id] = now
        return terminate_instance(self)

    def release(request, full_url, headers):
        if request.method == "POST":
            length = int(headers.get("Content-Length") or 0)
            body = json.loads(request.environ["wsgi.input"].read(length) or b"{}")
            eni_release["seconds"] = float(body.get("seconds", 0))
        return 200, {}, json.dumps(eni_release)

    SecurityGroupBackend._delete_security_group = patched_delete_group
    NetworkInterfaceBackend.delete_network_interface = patched_delete_interface
    Instance.terminate = patched_terminate_instance
    moto_api_urls.url_paths["{0}/moto-api/imgstack/eni-release"] = release


# MARK: - ec2 launch template tags

def patch_ec2_launch_template_tags():
    """DescribeLaunchTemplates answers a template's tags as they are now: `CreateTags` and
    `DeleteTags` apply to a launch template like any EC2 resource (EC2 API Reference, CreateTags;
    resource type `launch-template`). moto answered the tags given at creation for ever.
    """
    from moto.ec2.models.launch_templates import LaunchTemplate

    # The constructor assigns the creation tags once; reads go to the tag store instead.
    LaunchTemplate.tags = property(lambda self: self.get_tags(), lambda self, value: None)


# MARK: - autoscaling scaling policies per group

def patch_autoscaling_policies_per_group():
    """PutScalingPolicy / DeletePolicy: a policy's name is unique within its Auto Scaling group,
    not the region (Auto Scaling API Reference, PutScalingPolicy and DeletePolicy both take
    `AutoScalingGroupName` with `PolicyName`). moto kept one policy per name: a second group's
    policy of that name replaced the first, and DeletePolicy deleted by name whatever the group.
    """
    from moto.autoscaling.models import AutoScalingBackend
    from moto.autoscaling.responses import AutoScalingResponse

    put_policy = AutoScalingBackend.put_scaling_policy

    def put_scaling_policy(self, name, policy_type, metric_aggregation_type, adjustment_type, as_name, *args, **kwargs):
        policy = put_policy(self, name, policy_type, metric_aggregation_type, adjustment_type, as_name, *args, **kwargs)
        self.policies.pop(name, None)
        self.policies[(as_name, name)] = policy
        return policy

    def delete_policy(self):
        group = self._get_param("AutoScalingGroupName")
        name = self._get_param("PolicyName")
        policies = self.autoscaling_backend.policies
        for key in [key for key, policy in policies.items() if policy.name == name and (not group or policy.auto_scaling_group_name == group)]:
            policies.pop(key)
        return EmptyResult()

    AutoScalingBackend.put_scaling_policy = put_scaling_policy
    AutoScalingResponse.delete_policy = delete_policy


# MARK: - elbv2 DescribeLoadBalancerAttributes / DeleteLoadBalancer

def patch_elbv2_load_balancer_attributes():
    """DescribeLoadBalancerAttributes lists `idle_timeout.timeout_seconds` of an application load balancer.

    AWS lists every attribute of the load balancer's type with its value, the idle timeout 60
    seconds until it is changed (Elastic Load Balancing API reference, `LoadBalancerAttribute`:
    "idle_timeout.timeout_seconds - The idle timeout value, in seconds. The valid range is
    1-4000 seconds. The default is 60 seconds."). moto leaves it out until it is set.
    """
    from moto.elbv2.models import ELBv2Backend

    original = ELBv2Backend.describe_load_balancer_attributes

    def describe_load_balancer_attributes(self, arn):
        attributes = original(self, arn)
        if self.load_balancers[arn].type != "application":
            return attributes
        return {"idle_timeout.timeout_seconds": "60", **attributes}

    ELBv2Backend.describe_load_balancer_attributes = describe_load_balancer_attributes


def patch_elbv2_deletion_protection():
    """DeleteLoadBalancer refuses a load balancer whose deletion protection is on.

    AWS answers `OperationNotPermitted` until `deletion_protection.enabled` is set to false
    (Elastic Load Balancing API reference, `DeleteLoadBalancer` errors; `LoadBalancerAttribute`:
    "deletion_protection.enabled - Indicates whether deletion protection is enabled"). moto
    deleted it.
    """
    from moto.elbv2.exceptions import ELBClientError
    from moto.elbv2.models import ELBv2Backend

    original = ELBv2Backend.delete_load_balancer

    def delete_load_balancer(self, arn):
        balancer = self.load_balancers.get(arn)
        if balancer is not None and balancer.attrs.get("deletion_protection.enabled") == "true":
            raise ELBClientError("OperationNotPermitted",
                                 f"Load balancer '{arn}' cannot be deleted because deletion protection is enabled")
        return original(self, arn)

    ELBv2Backend.delete_load_balancer = delete_load_balancer


# MARK: - s3 PutBucketNotificationConfiguration destination validation

S3_SERVICE = "s3.amazonaws.com"


def allows_s3(policy, actions, bucket_arn, bucket_account):
    """True when a resource policy has a statement letting S3 do one of `actions` for the bucket.

    Understands what S3 destinations' policies say (IAM User Guide, policy elements): Principal
    `*` or service `s3.amazonaws.com`; Action exact or the service's `*`; conditions
    `ArnLike`/`ArnEquals` on `aws:SourceArn` and `StringEquals` on `aws:SourceAccount`. Any other
    condition is taken as failing, so the emulator is never more lenient than AWS.
    """
    import fnmatch

    statements = policy.get("Statement", [])
    for statement in statements if isinstance(statements, list) else [statements]:
        if statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal")
        services = principal.get("Service", []) if isinstance(principal, dict) else []
        if principal != "*" and S3_SERVICE not in (services if isinstance(services, list) else [services]):
            continue
        granted = statement.get("Action", [])
        granted = granted if isinstance(granted, list) else [granted]
        if not any(action == "*" or action in actions or action.endswith(":*") and actions[0].startswith(action[:-1]) for action in granted):
            continue
        if all(condition_holds(operator, values, bucket_arn, bucket_account, fnmatch)
               for operator, values in statement.get("Condition", {}).items()):
            return True
    return False


def condition_holds(operator, values, bucket_arn, bucket_account, fnmatch):
    context = {"aws:sourcearn": bucket_arn, "aws:sourceaccount": bucket_account}
    for key, wanted in values.items():
        actual = context.get(key.lower())
        wanted = wanted if isinstance(wanted, list) else [wanted]
        if actual is None:
            return False
        if operator in ("ArnLike", "StringLike"):
            matched = any(fnmatch.fnmatchcase(actual, pattern) for pattern in wanted)
        elif operator in ("ArnEquals", "StringEquals"):
            matched = actual in wanted
        else:
            return False
        if not matched:
            return False
    return True


def patch_s3_notification_destination_validation():
    """PutBucketNotificationConfiguration checks that S3 may send to every destination.

    AWS tests each Lambda function, SQS queue and SNS topic when the configuration is written and
    refuses the whole configuration with 400 `InvalidArgument` "Unable to validate the following
    destination configurations" when one does not exist or its resource policy does not let
    `s3.amazonaws.com` invoke it (`lambda:InvokeFunction`), send to it (`sqs:SendMessage`) or
    publish to it (`sns:Publish`) for this bucket (S3 API reference, PutBucketNotificationConfiguration: "Amazon S3 sends test messages to
    the destinations … If the message fails, the entire PUT action will fail"; S3 User Guide,
    "Granting permissions to publish event notification messages to a destination"). moto stored
    any configuration. AWS skips the check when `x-amz-skip-destination-validation: true` is sent;
    imgstack never sends it, and the emulator checks regardless (stricter, never more lenient).
    """
    from moto.awslambda.exceptions import UnknownFunctionException
    from moto.awslambda.models import lambda_backends
    from moto.s3.exceptions import InvalidArgumentError
    from moto.s3.models import S3Backend
    from moto.sns.exceptions import TopicNotFound
    from moto.sns.models import sns_backends
    from moto.sqs.exceptions import QueueDoesNotExist
    from moto.sqs.models import sqs_backends

    def lambda_policy(arn):
        _, _, _, region, account, _, name = arn.split(":", 6)
        function = lambda_backends[account][region].get_function(name.split(":")[0])
        return {"Statement": function.policy.statements}

    def queue_policy(arn):
        _, _, _, region, account, name = arn.split(":", 5)
        return json.loads(sqs_backends[account][region].get_queue(name).policy or "{}")

    def topic_policy(arn):
        _, _, _, region, account, _ = arn.split(":", 5)
        return json.loads(sns_backends[account][region].get_topic(arn).policy or "{}")

    checks = {"CloudFunction": (lambda_policy, ["lambda:InvokeFunction"]), "Queue": (queue_policy, ["sqs:SendMessage"]),
              "Topic": (topic_policy, ["sns:Publish"])}

    original = S3Backend.put_bucket_notification_configuration
    def put_bucket_notification_configuration(self, bucket_name, notification_config):
        bucket = self.get_bucket(bucket_name)
        refused = {}
        for name, (policy_of, actions) in checks.items():
            for configuration in notification_config.get(f"{name}Configuration", []):
                arn = configuration[name]
                try:
                    allowed = allows_s3(policy_of(arn), actions, f"arn:aws:s3:::{bucket_name}", bucket.account_id)
                except (UnknownFunctionException, QueueDoesNotExist, TopicNotFound, KeyError, ValueError):  # a destination that does not exist cannot be validated
                    allowed = False
                if not allowed:
                    refused[arn] = "Not authorized to invoke function" if name == "CloudFunction" else "Permissions on the destination are not sufficient"
        if refused:
            arn, reason = next(iter(refused.items()))
            raise InvalidArgumentError("Unable to validate the following destination configurations", arn, f"{reason} [{arn}]")
        return original(self, bucket_name, notification_config)

    S3Backend.put_bucket_notification_configuration = put_bucket_notification_configuration


# MARK: - EC2 DescribeSecurityGroupRules: the description of a rule from another security group

def patch_ec2_security_group_rule_descriptions():
    """DescribeSecurityGroupRules answers every rule's `Description`, whatever its peer (EC2 API
    reference, `SecurityGroupRule` data type: "Description — The security group rule description";
    `AuthorizeSecurityGroupIngress` takes it in `UserIdGroupPair.Description` for a rule from a
    security group). moto read it only from a CIDR range, so a rule from a security group came
    back without the description it was created with, while `DescribeSecurityGroups` kept it."""
    from moto.ec2.models.security_groups import SecurityGroupRule

    SecurityGroupRule.description = property(
        lambda self: self.ip_range.get("Description") or self.source_group.get("Description"))


def patch_cloudfront_origin_access_control_unique_names():
    """CreateOriginAccessControl and UpdateOriginAccessControl refuse a name another origin
    access control of the account has, with OriginAccessControlAlreadyExists (409), as the
    CloudFront API reference lists for both operations; moto makes a second one.
    """
    backend_class = cloudfront_models.CloudFrontBackend
    original_create = backend_class.create_origin_access_control
    original_update = backend_class.update_origin_access_control

    def refuse_taken_name(backend, config, except_id=None):
        for other in backend.origin_access_controls.values():
            if other.id != except_id and other.name == config.get("Name"):
                # The status (409) comes from the error's shape in the service model.
                raise CloudFrontException("OriginAccessControlAlreadyExists",
                                          "An origin access control with the same name already exists.")

    def create(self, config_dict):
        refuse_taken_name(self, config_dict)
        return original_create(self, config_dict)

    def update(self, control_id, config):
        refuse_taken_name(self, config, except_id=control_id)
        return original_update(self, control_id, config)

    backend_class.create_origin_access_control = create
    backend_class.update_origin_access_control = update
