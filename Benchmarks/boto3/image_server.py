"""The image-server stack made with boto3, one call after another: the baseline of the
image-server benchmark (see Benchmarks/README.md). It makes the calls imgstack makes for the
same stack — creates with the reads that follow them, a refresh of every property group, and for
destroy a read of whether each resource exists, then deletes in dependency order — but
sequentially, as a hand-written deploy script would.

Usage: image_server.py apply|read|destroy --service NAME --region REGION --stack-directory DIR
Prints the seconds the phase took (clients are made before the clock starts). The ids made by
`apply` are kept in a JSON file in the temporary directory for `read` and `destroy`.
"""

import argparse
import io
import json
import os
import tempfile
import time
import zipfile

import boto3
from botocore.config import Config

EDGE_REGION = "us-east-1"
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CORS_S3_ORIGIN = "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf"
ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]


class Clients:
    def __init__(self, region):
        endpoint = os.environ["AWS_ENDPOINT_URL"]
        config = Config(retries={"mode": "standard"}, s3={"addressing_style": "path"})

        def client(name, client_region=region):
            return boto3.client(name, region_name=client_region, endpoint_url=endpoint, config=config)

        self.kms = client("kms")
        self.s3 = client("s3")
        self.iam = client("iam")
        self.idp = client("cognito-idp")
        self.identity = client("cognito-identity")
        self.cloudfront = client("cloudfront", EDGE_REGION)
        self.lam = client("lambda", EDGE_REGION)
        self.sns = client("sns", EDGE_REGION)
        self.cloudwatch = client("cloudwatch", EDGE_REGION)


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def identity_trust(pool_id, kind):
    return policy({"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                   "Action": ["sts:AssumeRoleWithWebIdentity"],
                   "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": [pool_id]},
                                 "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": [kind]}}})


def edge_package(source, config):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name in sorted(os.listdir(source)):
            archive.write(os.path.join(source, name), name)
        archive.writestr("config.json", config)
    return buffer.getvalue()


def apply(c, args, ids):
    service, region = args.service, args.region
    tags = [{"Key": "service", "Value": service}, {"Key": "stack", "Value": "image-server"}]
    bucket = f"{service}-images"
    ids["bucket"] = bucket

    key = c.kms.create_key(Description=f"Encrypts the {service} images bucket", Tags=[{"TagKey": t["Key"], "TagValue": t["Value"]} for t in tags])
    ids["key"], key_arn = key["KeyMetadata"]["KeyId"], key["KeyMetadata"]["Arn"]
    c.kms.enable_key_rotation(KeyId=ids["key"])
    c.kms.create_alias(AliasName=f"alias/{service}-images", TargetKeyId=ids["key"])
    c.kms.list_aliases()

    c.s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
    c.s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [{
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}, "BucketKeyEnabled": True}]})
    c.s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    c.s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
    c.s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [{
        "ID": "signed-listing", "AllowedMethods": ["GET", "HEAD"], "AllowedOrigins": ["*"], "AllowedHeaders": ["*"],
        "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 3000}]})
    c.s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tags})
    site = os.path.join(args.stack_directory, "site")
    for name in sorted(os.listdir(site)):
        with open(os.path.join(site, name), "rb") as body:
            c.s3.put_object(Bucket=bucket, Key=name, Body=body.read(), CacheControl="max-age=300")

    oac = c.cloudfront.create_origin_access_control(OriginAccessControlConfig={
        "Name": f"{service}-images", "Description": f"Signs {service} requests to its bucket", "OriginAccessControlOriginType": "s3",
        "SigningBehavior": "always", "SigningProtocol": "sigv4"})
    ids["oac"] = oac["OriginAccessControl"]["Id"]
    cors = c.cloudfront.create_response_headers_policy(ResponseHeadersPolicyConfig={
        "Name": f"{service}-cors-with-preflight", "Comment": "CORS with preflight, all headers", "CorsConfig": {
            "AccessControlAllowOrigins": {"Quantity": 1, "Items": ["*"]},
            "AccessControlAllowHeaders": {"Quantity": 1, "Items": ["*"]},
            "AccessControlAllowMethods": {"Quantity": 5, "Items": ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]},
            "AccessControlAllowCredentials": False, "AccessControlExposeHeaders": {"Quantity": 1, "Items": ["ETag"]},
            "AccessControlMaxAgeSec": 600, "OriginOverride": True}})
    ids["cors"] = cors["ResponseHeadersPolicy"]["Id"]

    pool = c.idp.create_user_pool(PoolName=f"{service}-users", AutoVerifiedAttributes=["email"], UsernameAttributes=["email"],
                                  UserPoolTags={t["Key"]: t["Value"] for t in tags})
    ids["pool"] = pool["UserPool"]["Id"]
    c.idp.describe_user_pool(UserPoolId=ids["pool"])
    client = c.idp.create_user_pool_client(UserPoolId=ids["pool"], ClientName=f"{service}-web", ExplicitAuthFlows=[
        "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    ids["client"] = client["UserPoolClient"]["ClientId"]
    identities = c.identity.create_identity_pool(
        IdentityPoolName=f"{service.replace('-', '_')}_identities", AllowUnauthenticatedIdentities=True,
        CognitoIdentityProviders=[{"ProviderName": f"cognito-idp.{region}.amazonaws.com/{ids['pool']}", "ClientId": ids["client"]}],
        IdentityPoolTags={t["Key"]: t["Value"] for t in tags})
    ids["identities"] = identities["IdentityPoolId"]
    c.identity.describe_identity_pool(IdentityPoolId=ids["identities"])

    bucket_arn = f"arn:aws:s3:::{bucket}"
    read_all = policy({"Sid": "ListImages", "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": [bucket_arn]},
                      {"Sid": "ReadImages", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": [f"{bucket_arn}/*"]},
                      {"Sid": "DecryptImages", "Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": [key_arn]})
    write_own = policy({"Sid": "WriteOwnImages", "Effect": "Allow", "Action": ["s3:PutObject", "s3:DeleteObject"],
                        "Resource": [f"{bucket_arn}/${{cognito-identity.amazonaws.com:sub}}/*"]},
                       {"Sid": "EncryptImages", "Effect": "Allow", "Action": ["kms:GenerateDataKey"], "Resource": [key_arn]})
    edge_function = f"{service}-edge-auth"
    roles = {
        "guest": (identity_trust(ids["identities"], "unauthenticated"), {"read-images": read_all}),
        "user": (identity_trust(ids["identities"], "authenticated"), {"read-images": read_all, "write-own-images": write_own}),
        "edge-auth": (policy({"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]},
                              "Action": ["sts:AssumeRole"]}),
                      {"logs": policy({"Sid": "WriteOwnLogs", "Effect": "Allow",
                                       "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                                       "Resource": [f"arn:aws:logs:*:*:log-group:/aws/lambda/us-east-1.{edge_function}:*"]})}),
    }
    arns = {}
    for name, (trust, inline) in roles.items():
        role_name = f"{service}-{name}"
        arns[name] = c.iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=trust, Tags=tags)["Role"]["Arn"]
        for policy_name, document in inline.items():
            c.iam.put_role_policy(RoleName=role_name, PolicyName=policy_name, PolicyDocument=document)
        c.iam.get_role(RoleName=role_name)
        for policy_name in c.iam.list_role_policies(RoleName=role_name)["PolicyNames"]:
            c.iam.get_role_policy(RoleName=role_name, PolicyName=policy_name)
    c.identity.set_identity_pool_roles(IdentityPoolId=ids["identities"], Roles={"authenticated": arns["user"], "unauthenticated": arns["guest"]})
    c.identity.get_identity_pool_roles(IdentityPoolId=ids["identities"])

    config = json.dumps({"region": region, "userPoolId": ids["pool"], "clientId": ids["client"], "identityPoolId": ids["identities"]})
    function = c.lam.create_function(
        FunctionName=edge_function, Runtime="nodejs20.x", Handler="index.handler", Role=arns["edge-auth"], MemorySize=128,
        Timeout=5, Publish=True, Code={"ZipFile": edge_package(os.path.join(args.stack_directory, "edge-auth", "src"), config)},
        Tags={t["Key"]: t["Value"] for t in tags})
    ids["function"] = edge_function
    c.lam.get_function(FunctionName=edge_function)
    version_arn = f"{function['FunctionArn'].rsplit(':', 1)[0] if function['FunctionArn'].count(':') > 6 else function['FunctionArn']}:{function.get('Version', '1')}"

    behavior = {
        "TargetOriginId": f"{service}-s3-origin", "ViewerProtocolPolicy": "redirect-to-https",
        "AllowedMethods": {"Quantity": 7, "Items": ALL_METHODS, "CachedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]}},
        "Compress": True, "CachePolicyId": CACHING_OPTIMIZED, "OriginRequestPolicyId": CORS_S3_ORIGIN,
        "ResponseHeadersPolicyId": ids["cors"],
        "LambdaFunctionAssociations": {"Quantity": 1, "Items": [{"LambdaFunctionARN": version_arn, "EventType": "viewer-request",
                                                                  "IncludeBody": False}]},
    }
    distribution_config = {
        "CallerReference": f"{service}-{time.time()}", "Comment": f"{service} image album", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{"Id": f"{service}-s3-origin", "DomainName": f"{bucket}.s3.{region}.amazonaws.com",
                                               "OriginPath": "", "S3OriginConfig": {"OriginAccessIdentity": ""},
                                               "OriginAccessControlId": ids["oac"]}]},
        "DefaultCacheBehavior": behavior, "CustomErrorResponses": {"Quantity": 1, "Items": [{"ErrorCode": 404, "ErrorCachingMinTTL": 10}]},
        "PriceClass": "PriceClass_100", "DefaultRootObject": "index.html", "HttpVersion": "http2", "IsIPV6Enabled": True,
    }
    distribution = c.cloudfront.create_distribution_with_tags(DistributionConfigWithTags={
        "DistributionConfig": distribution_config, "Tags": {"Items": tags}})["Distribution"]
    ids["distribution"], distribution_arn, domain = distribution["Id"], distribution["ARN"], distribution["DomainName"]
    c.cloudfront.get_distribution(Id=ids["distribution"])

    source_arn = {"StringEquals": {"AWS:SourceArn": [distribution_arn]}}
    c.s3.put_bucket_policy(Bucket=bucket, Policy=policy(
        {"Sid": "CloudFrontReadsAndWrites", "Effect": "Allow", "Principal": {"Service": ["cloudfront.amazonaws.com"]},
         "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": [f"{bucket_arn}/*"], "Condition": source_arn},
        {"Sid": "DenyWithoutTLS", "Effect": "Deny", "Principal": "*", "Action": ["s3:*"], "Resource": [bucket_arn, f"{bucket_arn}/*"],
         "Condition": {"Bool": {"aws:SecureTransport": ["false"]}}}))
    account = key_arn.split(":")[4]
    c.kms.put_key_policy(KeyId=ids["key"], PolicyName="default", Policy=policy(
        {"Sid": "AccountAdministersKey", "Effect": "Allow", "Principal": {"AWS": [f"arn:aws:iam::{account}:root"]}, "Action": ["kms:*"], "Resource": ["*"]},
        {"Sid": "CloudFrontUsesKey", "Effect": "Allow", "Principal": {"Service": ["cloudfront.amazonaws.com"]},
         "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"], "Resource": ["*"], "Condition": source_arn}))
    site_config = {"region": region, "bucket": bucket, "cloudFrontDomain": domain, "userPoolId": ids["pool"], "clientId": ids["client"],
                   "identityPoolId": ids["identities"], "hostedUIDomain": "", "identityProviders": []}
    c.s3.put_object(Bucket=bucket, Key="config.js", Body=f"window.IMAGE_SERVER_CONFIG = {json.dumps(site_config)};\n".encode(),
                    ContentType="text/javascript", CacheControl="max-age=60")

    ids["topic"] = c.sns.create_topic(Name=f"{service}-alarms", Attributes={"DisplayName": f"{service} alarms"}, Tags=tags)["TopicArn"]
    edge = [{"Name": "FunctionName", "Value": f"us-east-1.{edge_function}"}]
    cdn = [{"Name": "DistributionId", "Value": ids["distribution"]}, {"Name": "Region", "Value": "Global"}]
    alarms = [("edge-errors", "AWS/Lambda", "Errors", edge, "Sum", 1, 1), ("edge-throttles", "AWS/Lambda", "Throttles", edge, "Sum", 1, 1),
              ("edge-duration", "AWS/Lambda", "Duration", edge, "Maximum", 4000, 1),
              ("cloudfront-4xx", "AWS/CloudFront", "4xxErrorRate", cdn, "Average", 5, 2),
              ("cloudfront-5xx", "AWS/CloudFront", "5xxErrorRate", cdn, "Average", 1, 2)]
    ids["alarms"] = []
    for name, namespace, metric, dimensions, statistic, threshold, periods in alarms:
        alarm = f"{service}-{name}"
        c.cloudwatch.put_metric_alarm(AlarmName=alarm, Namespace=namespace, MetricName=metric, Dimensions=dimensions, Statistic=statistic,
                                      Period=300, EvaluationPeriods=periods, Threshold=threshold, ComparisonOperator="GreaterThanOrEqualToThreshold",
                                      TreatMissingData="notBreaching", AlarmActions=[ids["topic"]], OKActions=[ids["topic"]], Tags=tags)
        c.cloudwatch.describe_alarms(AlarmNames=[alarm])
        ids["alarms"].append(alarm)


def read(c, args, ids):
    """Reads every property group the stack declares, as a refresh does."""
    bucket = ids["bucket"]
    c.kms.describe_key(KeyId=ids["key"])
    c.kms.get_key_rotation_status(KeyId=ids["key"])
    c.kms.list_resource_tags(KeyId=ids["key"])
    c.kms.list_aliases()
    c.kms.describe_key(KeyId=ids["key"])
    c.kms.get_key_policy(KeyId=ids["key"], PolicyName="default")
    c.s3.get_bucket_versioning(Bucket=bucket)
    c.s3.get_bucket_encryption(Bucket=bucket)
    c.s3.get_public_access_block(Bucket=bucket)
    c.s3.get_bucket_ownership_controls(Bucket=bucket)
    c.s3.get_bucket_cors(Bucket=bucket)
    c.s3.get_bucket_tagging(Bucket=bucket)
    c.s3.get_bucket_policy(Bucket=bucket)
    c.s3.list_objects_v2(Bucket=bucket)
    c.s3.head_object(Bucket=bucket, Key="config.js")
    c.s3.get_object_tagging(Bucket=bucket, Key="config.js")
    c.cloudfront.get_origin_access_control(Id=ids["oac"])
    c.cloudfront.get_response_headers_policy(Id=ids["cors"])
    distribution = c.cloudfront.get_distribution(Id=ids["distribution"])
    c.cloudfront.list_tags_for_resource(Resource=distribution["Distribution"]["ARN"])
    c.idp.describe_user_pool(UserPoolId=ids["pool"])
    c.idp.describe_user_pool_client(UserPoolId=ids["pool"], ClientId=ids["client"])
    c.identity.describe_identity_pool(IdentityPoolId=ids["identities"])
    c.identity.get_identity_pool_roles(IdentityPoolId=ids["identities"])
    for name in ["guest", "user", "edge-auth"]:
        role = f"{args.service}-{name}"
        c.iam.get_role(RoleName=role)
        for policy_name in c.iam.list_role_policies(RoleName=role)["PolicyNames"]:
            c.iam.get_role_policy(RoleName=role, PolicyName=policy_name)
    c.lam.get_function(FunctionName=ids["function"])
    c.sns.get_topic_attributes(TopicArn=ids["topic"])
    c.sns.list_tags_for_resource(ResourceArn=ids["topic"])
    for alarm in ids["alarms"]:
        found = c.cloudwatch.describe_alarms(AlarmNames=[alarm])["MetricAlarms"][0]
        c.cloudwatch.list_tags_for_resource(ResourceARN=found["AlarmArn"])


def exists(c, args, ids):
    """Reads whether each resource still exists, one call each, as a destroy's refresh does."""
    bucket = ids["bucket"]
    c.kms.describe_key(KeyId=ids["key"])
    c.kms.list_aliases()
    c.kms.describe_key(KeyId=ids["key"])
    c.s3.get_bucket_location(Bucket=bucket)
    c.s3.get_bucket_policy(Bucket=bucket)
    c.s3.list_objects_v2(Bucket=bucket)
    c.s3.head_object(Bucket=bucket, Key="config.js")
    c.cloudfront.get_origin_access_control(Id=ids["oac"])
    c.cloudfront.get_response_headers_policy(Id=ids["cors"])
    c.cloudfront.get_distribution(Id=ids["distribution"])
    c.idp.describe_user_pool(UserPoolId=ids["pool"])
    c.idp.describe_user_pool_client(UserPoolId=ids["pool"], ClientId=ids["client"])
    c.identity.describe_identity_pool(IdentityPoolId=ids["identities"])
    c.identity.get_identity_pool_roles(IdentityPoolId=ids["identities"])
    for name in ["guest", "user", "edge-auth"]:
        c.iam.get_role(RoleName=f"{args.service}-{name}")
    c.lam.get_function(FunctionName=ids["function"])
    c.sns.get_topic_attributes(TopicArn=ids["topic"])
    for alarm in ids["alarms"]:
        c.cloudwatch.describe_alarms(AlarmNames=[alarm])


def destroy(c, args, ids):
    exists(c, args, ids)
    bucket = ids["bucket"]
    for alarm in ids["alarms"]:
        c.cloudwatch.delete_alarms(AlarmNames=[alarm])
    c.sns.delete_topic(TopicArn=ids["topic"])
    c.s3.delete_object(Bucket=bucket, Key="config.js")
    site = sorted(os.listdir(os.path.join(args.stack_directory, "site")))
    c.s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": name} for name in site]})
    c.s3.delete_bucket_policy(Bucket=bucket)
    account = c.kms.describe_key(KeyId=ids["key"])["KeyMetadata"]["Arn"].split(":")[4]
    c.kms.put_key_policy(KeyId=ids["key"], PolicyName="default", Policy=policy(
        {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
         "Action": "kms:*", "Resource": "*"}))
    answer = c.cloudfront.get_distribution_config(Id=ids["distribution"])
    config = answer["DistributionConfig"]
    config["Enabled"] = False
    etag = c.cloudfront.update_distribution(Id=ids["distribution"], DistributionConfig=config, IfMatch=answer["ETag"])["ETag"]
    etag = c.cloudfront.get_distribution(Id=ids["distribution"])["ETag"]
    c.cloudfront.delete_distribution(Id=ids["distribution"], IfMatch=etag)
    c.cloudfront.delete_origin_access_control(Id=ids["oac"], IfMatch=c.cloudfront.get_origin_access_control(Id=ids["oac"])["ETag"])
    c.cloudfront.delete_response_headers_policy(Id=ids["cors"], IfMatch=c.cloudfront.get_response_headers_policy(Id=ids["cors"])["ETag"])
    c.lam.delete_function(FunctionName=ids["function"])
    c.identity.set_identity_pool_roles(IdentityPoolId=ids["identities"], Roles={})
    c.identity.delete_identity_pool(IdentityPoolId=ids["identities"])
    for name in ["guest", "user", "edge-auth"]:
        role = f"{args.service}-{name}"
        for policy_name in c.iam.list_role_policies(RoleName=role)["PolicyNames"]:
            c.iam.delete_role_policy(RoleName=role, PolicyName=policy_name)
        c.iam.list_attached_role_policies(RoleName=role)
        c.iam.list_instance_profiles_for_role(RoleName=role)
        c.iam.delete_role(RoleName=role)
    c.idp.delete_user_pool_client(UserPoolId=ids["pool"], ClientId=ids["client"])
    c.idp.describe_user_pool(UserPoolId=ids["pool"])
    c.idp.delete_user_pool(UserPoolId=ids["pool"])
    c.kms.delete_alias(AliasName=f"alias/{args.service}-images")
    c.kms.schedule_key_deletion(KeyId=ids["key"], PendingWindowInDays=7)
    c.s3.delete_bucket(Bucket=bucket)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("phase", choices=["apply", "read", "destroy"])
    parser.add_argument("--service", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--stack-directory", required=True)
    args = parser.parse_args()
    clients = Clients(args.region)
    state = os.path.join(tempfile.gettempdir(), f"imgstack-boto3-{args.service}.json")
    ids = {}
    if args.phase != "apply":
        with open(state) as file:
            ids = json.load(file)
    start = time.perf_counter()
    {"apply": apply, "read": read, "destroy": destroy}[args.phase](clients, args, ids)
    elapsed = time.perf_counter() - start
    if args.phase == "destroy":
        os.remove(state)
    else:
        with open(state, "w") as file:
            json.dump(ids, file)
    print(f"{elapsed:.3f}")


if __name__ == "__main__":
    main()
