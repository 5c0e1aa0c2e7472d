"""Creates an IAM user holding exactly the given policies, as the account's root user.

Usage: iam_user.py --endpoint URL --name NAME POLICY_FILE...
Each file is one policy document, created as a customer managed policy NAME-1, NAME-2, … and
attached to the user (a managed policy holds at most 6,144 characters, IAM quotas). Prints
{"AccessKeyId": …, "SecretAccessKey": …} of the user's new access key. The calls go through
the verifying proxy signed with the static test key, so the proxy learns the new key's secret.
"""

import argparse
import json
import sys

import boto3

STATIC_ACCESS_KEY = "AKIAIMGSTACKTEST0001"
STATIC_SECRET_KEY = "imgstack/test/secret/0001"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("policies", nargs="+")
    args = parser.parse_args()
    iam = boto3.client("iam", endpoint_url=args.endpoint, region_name="us-east-1",
                       aws_access_key_id=STATIC_ACCESS_KEY, aws_secret_access_key=STATIC_SECRET_KEY)
    iam.create_user(UserName=args.name)
    for index, path in enumerate(args.policies, start=1):
        with open(path, encoding="utf-8") as file:
            document = file.read()
        arn = iam.create_policy(PolicyName=f"{args.name}-{index}", PolicyDocument=document)["Policy"]["Arn"]
        iam.attach_user_policy(UserName=args.name, PolicyArn=arn)
    key = iam.create_access_key(UserName=args.name)["AccessKey"]
    print(json.dumps({"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}))


if __name__ == "__main__":
    sys.exit(main())
