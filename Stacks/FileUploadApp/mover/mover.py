"""The mover: S3 calls it for every object created in the normal bucket (an ``ObjectCreated``
event notification); it moves objects tagged sensitive into the sensitive bucket.

An object is sensitive when it carries the tag ``sensitive=true`` (key ``sensitive``, exactly as
written -- S3 tag keys are case-sensitive -- and value ``true`` in any letter case). Such an object
is copied to the same key in the sensitive bucket, encrypted with SSE-KMS under the key in
``KMS_KEY_ID``, and then deleted from the normal bucket. Every other object is left where it is.

The copy keeps the content type, the other standard headers and the user metadata; it does not
copy the tags (that needs ``s3:PutObjectTagging`` on the sensitive bucket, which the mover's role
does not have: everything in that bucket is sensitive by where it is). It copies only the object
the event is about (``CopySourceIfMatch`` with the event's ETag): an object replaced since is left
to the event of its replacement. S3 delivers events at least once, so an object that is already
gone is counted as moved before, not as an error.

Settings (environment variables, written by the file-upload-app stack):
  SENSITIVE_BUCKET   the bucket sensitive objects are moved into
  KMS_KEY_ID         the KMS key (ARN, id or alias) they are encrypted with there

AWS calls (the role's permissions): s3:GetObjectTagging, s3:GetObject (HeadObject and the copy's
read) and s3:DeleteObject on the normal bucket; s3:PutObject on the sensitive bucket;
kms:GenerateDataKey and kms:Decrypt on the key (Decrypt for copies over 5 GiB, which are copied in
parts).
"""

import json
import logging
import os
from urllib.parse import unquote_plus

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

SENSITIVE_TAG_KEY = "sensitive"
SENSITIVE_TAG_VALUE = "true"

# CopyObject copies at most 5 GiB in one request; larger objects are copied in parts.
SINGLE_COPY_LIMIT = 5 * 1024 ** 3
TRANSFER = TransferConfig(multipart_threshold=SINGLE_COPY_LIMIT, multipart_chunksize=512 * 1024 ** 2)

# Standard headers a copy with MetadataDirective=REPLACE must carry over itself.
COPIED_HEADERS = ("CacheControl", "ContentDisposition", "ContentEncoding", "ContentLanguage", "ContentType")

# S3 answers these when the object the event named is gone or was replaced.
GONE = {"NoSuchKey", "404"}
REPLACED = {"PreconditionFailed", "412"}

logger = logging.getLogger()
logger.setLevel(logging.INFO)


def is_sensitive(tags):
    """True when ``tags`` (S3's ``TagSet``: a list of ``{"Key", "Value"}``) hold ``sensitive=true``."""
    return any(tag["Key"] == SENSITIVE_TAG_KEY and tag["Value"].strip().lower() == SENSITIVE_TAG_VALUE for tag in tags)


def created_objects(event):
    """``(bucket, key, etag)`` of each ``ObjectCreated`` record; keys arrive URL-encoded."""
    for record in event.get("Records", []):
        if not record.get("eventName", "").startswith("ObjectCreated:"):
            continue
        s3_record = record["s3"]
        obj = s3_record["object"]
        etag = obj.get("eTag")
        # Events carry the ETag bare; If-Match takes it quoted, as HTTP writes entity tags.
        yield s3_record["bucket"]["name"], unquote_plus(obj["key"]), quoted(etag)


def quoted(etag):
    """``etag`` in double quotes (None stays None)."""
    return '"' + etag.strip('"') + '"' if etag else None


def move(s3, bucket, key, etag, destination, kms_key_id):
    """Moves one object when it is tagged sensitive.

    Returns "moved", "left" (not sensitive), "gone" (already moved or deleted) or "replaced"
    (the key holds a newer object than the event's). Raises ``ClientError`` for anything else,
    so Lambda retries the event.
    """
    try:
        tags = s3.get_object_tagging(Bucket=bucket, Key=key)["TagSet"]
        if not is_sensitive(tags):
            return "left"
        condition = {"IfMatch": etag} if etag else {}
        head = s3.head_object(Bucket=bucket, Key=key, **condition)
    except ClientError as error:
        return outcome_of(error)
    extra = {name: head[name] for name in COPIED_HEADERS if head.get(name)}
    extra.update(Metadata=head.get("Metadata", {}), MetadataDirective="REPLACE", TaggingDirective="REPLACE",
                 ServerSideEncryption="aws:kms", SSEKMSKeyId=kms_key_id)
    if etag:
        extra["CopySourceIfMatch"] = etag
    try:
        s3.copy({"Bucket": bucket, "Key": key}, destination, key, ExtraArgs=extra, Config=TRANSFER)
    except ClientError as error:
        return outcome_of(error)
    s3.delete_object(Bucket=bucket, Key=key)
    return "moved"


def outcome_of(error):
    """The outcome a ``ClientError`` means, or the error raised again."""
    code = error.response.get("Error", {}).get("Code", "")
    if code in GONE:
        return "gone"
    if code in REPLACED:
        return "replaced"
    raise error


def handler(event, context):
    """Lambda entry point: moves every sensitive object the event names.

    Returns ``{"moved": [...], "left": [...], "gone": [...], "replaced": [...]}`` of
    ``"bucket/key"`` strings, also logged as one JSON line.
    """
    destination = os.environ["SENSITIVE_BUCKET"]
    kms_key_id = os.environ["KMS_KEY_ID"]
    s3 = boto3.client("s3")
    outcomes = {"moved": [], "left": [], "gone": [], "replaced": []}
    for bucket, key, etag in created_objects(event):
        if bucket == destination:
            # A notification on the sensitive bucket itself would move objects onto themselves.
            outcomes["left"].append(f"{bucket}/{key}")
            continue
        outcomes[move(s3, bucket, key, etag, destination, kms_key_id)].append(f"{bucket}/{key}")
    logger.info(json.dumps(outcomes))
    return outcomes
