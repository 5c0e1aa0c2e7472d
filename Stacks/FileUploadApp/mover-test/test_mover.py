"""Unit tests of the mover against moto's in-process S3 and KMS (no network, no AWS account).

Run: python3 -m pytest Stacks/FileUploadApp/mover-test -q
"""

import os
import sys
from urllib.parse import quote_plus

import boto3
import pytest
from moto import mock_aws

# No __pycache__ beside mover.py: that directory is the Lambda package, hashed file by file.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "mover"))
import mover  # noqa: E402

REGION = "eu-west-2"
NORMAL = "upload-test-normal"
SENSITIVE = "upload-test-sensitive"


@pytest.fixture
def aws(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("SENSITIVE_BUCKET", SENSITIVE)
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        for bucket in (NORMAL, SENSITIVE):
            s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        key_id = boto3.client("kms", region_name=REGION).create_key()["KeyMetadata"]["Arn"]
        monkeypatch.setenv("KMS_KEY_ID", key_id)
        yield s3, key_id


def put(s3, key, tags="", body=b"report", **extra):
    """Puts an object into the normal bucket; returns the ObjectCreated record S3 would send."""
    answer = s3.put_object(Bucket=NORMAL, Key=key, Body=body, Tagging=tags, **extra)
    return created(key, answer["ETag"].strip('"'), len(body))


def created(key, etag, size, bucket=NORMAL, name="ObjectCreated:Put"):
    # S3 URL-encodes keys in event notifications (spaces as '+').
    return {"eventSource": "aws:s3", "eventName": name,
            "s3": {"bucket": {"name": bucket}, "object": {"key": quote_plus(key), "eTag": etag, "size": size}}}


def keys(s3, bucket):
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def test_a_sensitive_object_is_moved_encrypted_with_the_key(aws):
    s3, key_id = aws
    record = put(s3, "reports/q1.pdf", tags="sensitive=true&team=finance", ContentType="application/pdf",
                 Metadata={"uploaded-by": "alice"})
    result = mover.handler({"Records": [record]}, None)
    assert result["moved"] == [f"{NORMAL}/reports/q1.pdf"]
    assert keys(s3, NORMAL) == []
    moved = s3.get_object(Bucket=SENSITIVE, Key="reports/q1.pdf")
    assert moved["Body"].read() == b"report"
    assert moved["ServerSideEncryption"] == "aws:kms"
    assert moved["SSEKMSKeyId"] == key_id
    assert moved["ContentType"] == "application/pdf"
    assert moved["Metadata"] == {"uploaded-by": "alice"}


def test_an_object_without_the_tag_or_with_another_value_is_left(aws):
    s3, _ = aws
    records = [put(s3, "plain.txt"), put(s3, "other.txt", tags="team=finance"), put(s3, "no.txt", tags="sensitive=false"),
               put(s3, "value.txt", tags="classification=sensitive"), put(s3, "case.txt", tags="Sensitive=true")]
    result = mover.handler({"Records": records}, None)
    assert result["moved"] == []
    assert len(result["left"]) == 5
    assert keys(s3, NORMAL) == ["case.txt", "no.txt", "other.txt", "plain.txt", "value.txt"]
    assert keys(s3, SENSITIVE) == []


def test_the_value_true_is_read_in_any_letter_case(aws):
    s3, _ = aws
    result = mover.handler({"Records": [put(s3, "upper.txt", tags="sensitive=TRUE")]}, None)
    assert result["moved"] == [f"{NORMAL}/upper.txt"]


def test_a_key_with_spaces_and_unicode_is_decoded_from_the_event(aws):
    s3, _ = aws
    record = put(s3, "my files/résumé 2024.pdf", tags="sensitive=true")
    assert "+" in record["s3"]["object"]["key"]
    mover.handler({"Records": [record]}, None)
    assert keys(s3, SENSITIVE) == ["my files/résumé 2024.pdf"]
    assert keys(s3, NORMAL) == []


def test_the_tags_are_not_copied(aws):
    s3, _ = aws
    mover.handler({"Records": [put(s3, "secret.txt", tags="sensitive=true")]}, None)
    assert s3.get_object_tagging(Bucket=SENSITIVE, Key="secret.txt")["TagSet"] == []


def test_a_repeated_event_finds_the_object_gone_and_succeeds(aws):
    s3, _ = aws
    record = put(s3, "twice.txt", tags="sensitive=true")
    mover.handler({"Records": [record]}, None)
    again = mover.handler({"Records": [record]}, None)
    assert again["gone"] == [f"{NORMAL}/twice.txt"]
    assert keys(s3, SENSITIVE) == ["twice.txt"]


def test_an_object_replaced_since_the_event_is_left_to_its_own_event(aws):
    s3, _ = aws
    stale = put(s3, "doc.txt", tags="sensitive=true", body=b"first")
    put(s3, "doc.txt", tags="sensitive=true", body=b"second, longer")
    result = mover.handler({"Records": [stale]}, None)
    assert result["replaced"] == [f"{NORMAL}/doc.txt"]
    assert s3.get_object(Bucket=NORMAL, Key="doc.txt")["Body"].read() == b"second, longer"
    assert keys(s3, SENSITIVE) == []


def test_only_object_created_records_are_handled(aws):
    s3, _ = aws
    record = put(s3, "deleted.txt", tags="sensitive=true")
    record["eventName"] = "ObjectRemoved:Delete"
    result = mover.handler({"Records": [record]}, None)
    assert result == {"moved": [], "left": [], "gone": [], "replaced": []}
    assert keys(s3, NORMAL) == ["deleted.txt"]


def test_events_of_the_sensitive_bucket_itself_are_left(aws):
    s3, _ = aws
    s3.put_object(Bucket=SENSITIVE, Key="already.txt", Body=b"x", Tagging="sensitive=true")
    result = mover.handler({"Records": [created("already.txt", None, 1, bucket=SENSITIVE)]}, None)
    assert result["left"] == [f"{SENSITIVE}/already.txt"]
    assert keys(s3, SENSITIVE) == ["already.txt"]


def test_an_error_other_than_gone_or_replaced_is_raised_so_lambda_retries(aws, monkeypatch):
    s3, _ = aws
    record = put(s3, "denied.txt", tags="sensitive=true")
    monkeypatch.setenv("SENSITIVE_BUCKET", "no-such-bucket-here")
    with pytest.raises(mover.ClientError):
        mover.handler({"Records": [record]}, None)
    assert keys(s3, NORMAL) == ["denied.txt"], "nothing is deleted unless the copy succeeded"


def test_missing_settings_fail_before_any_call(monkeypatch):
    monkeypatch.delenv("SENSITIVE_BUCKET", raising=False)
    monkeypatch.delenv("KMS_KEY_ID", raising=False)
    with pytest.raises(KeyError):
        mover.handler({"Records": []}, None)
