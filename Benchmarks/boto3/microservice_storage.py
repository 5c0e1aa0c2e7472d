"""Tears down a microservice-storage stack (seed 004) that imgstack applied, with boto3, one call
after another: the baseline of the microservice-storage benchmark's destroy (see
Benchmarks/README.md). It reads what imgstack's destroy reads first (whether each resource still
exists, one call each), then deletes in dependency order, as a hand-written teardown script would.

Usage: microservice_storage.py destroy --service NAME --region REGION
Prints the seconds the teardown took (clients are made before the clock starts).
"""

import argparse
import os
import time

import boto3
from botocore.config import Config


def clients(region):
    endpoint = os.environ["AWS_ENDPOINT_URL"]
    config = Config(retries={"mode": "standard"}, s3={"addressing_style": "path"})
    return {name: boto3.client(name, region_name=region, endpoint_url=endpoint, config=config) for name in ("kms", "s3", "iam")}


def destroy(kms, s3, iam, service):
    # The refresh: whether each recorded resource still exists, one call each.
    key = kms.describe_key(KeyId=f"alias/{service}-storage")["KeyMetadata"]
    key_id, account = key["KeyId"], key["Arn"].split(":")[4]
    kms.list_aliases(KeyId=key_id)
    buckets = [f"{service}-{stage}-storage" for stage in ("initial", "final")]
    for bucket in buckets:
        s3.get_bucket_location(Bucket=bucket)
        s3.get_bucket_policy(Bucket=bucket)
    name = f"{service}-storage"
    policy_arn = f"arn:aws:iam::{account}:policy/{name}"
    iam.get_role(RoleName=name)
    iam.get_policy(PolicyArn=policy_arn)
    iam.list_attached_role_policies(RoleName=name)
    iam.get_instance_profile(InstanceProfileName=name)
    # The deletes, dependents first.
    iam.remove_role_from_instance_profile(InstanceProfileName=name, RoleName=name)
    iam.delete_instance_profile(InstanceProfileName=name)
    iam.detach_role_policy(RoleName=name, PolicyArn=policy_arn)
    iam.delete_policy(PolicyArn=policy_arn)
    iam.delete_role(RoleName=name)
    for bucket in buckets:
        s3.delete_bucket_policy(Bucket=bucket)
        s3.delete_bucket(Bucket=bucket)
    kms.delete_alias(AliasName=f"alias/{service}-storage")
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("phase", choices=["destroy"])
    parser.add_argument("--service", required=True)
    parser.add_argument("--region", required=True)
    args = parser.parse_args()
    made = clients(args.region)
    start = time.perf_counter()
    destroy(made["kms"], made["s3"], made["iam"], args.service)
    print(f"{time.perf_counter() - start:.3f}")


if __name__ == "__main__":
    main()
