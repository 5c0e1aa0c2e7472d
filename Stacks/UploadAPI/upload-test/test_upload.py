"""Unit tests of the upload function against moto's in-process S3 (no network, no AWS account).

Run: python3 -m pytest Stacks/UploadAPI/upload-test -q
"""

import base64
import json
import os
import sys

import boto3
import pytest
from moto import mock_aws

# No __pycache__ beside upload.py: that directory is the Lambda package, hashed file by file.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "upload"))
import upload  # noqa: E402

BUCKET = "upload-test-images"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
GIF = b"GIF89a\x01\x00\x01\x00" + bytes(32)
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(32)


@pytest.fixture
def s3(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-2")
    monkeypatch.setenv("BUCKET_NAME", BUCKET)
    monkeypatch.setenv("ALLOWED_TYPES", "image/jpeg,image/png,image/gif,image/webp")
    monkeypatch.setenv("MAX_UPLOAD_BYTES", "1024")
    with mock_aws():
        client = boto3.client("s3", region_name="eu-west-2")
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
        yield client


def event(data, encoded=True):
    body = base64.b64encode(data).decode() if encoded else data
    return {"httpMethod": "POST", "path": "/upload", "isBase64Encoded": encoded, "body": body}


def call(evt):
    result = upload.handler(evt, None)
    return result["statusCode"], json.loads(result["body"])


@pytest.mark.parametrize("data,content_type,extension", [
    (JPEG, "image/jpeg", "jpg"), (PNG, "image/png", "png"), (GIF, "image/gif", "gif"), (WEBP, "image/webp", "webp"),
])
def test_an_image_is_stored_under_a_generated_name_with_its_content_type(s3, data, content_type, extension):
    status, body = call(event(data))
    assert status == 200
    filename = body["filename"]
    assert filename.endswith("." + extension) and len(filename) == 32 + 1 + len(extension)
    stored = s3.get_object(Bucket=BUCKET, Key=filename)
    assert stored["ContentType"] == content_type
    assert stored["Body"].read() == data


def test_two_uploads_get_two_names(s3):
    first = call(event(PNG))[1]["filename"]
    second = call(event(PNG))[1]["filename"]
    assert first != second
    assert len(s3.list_objects_v2(Bucket=BUCKET)["Contents"]) == 2


@pytest.mark.parametrize("data", [b"%PDF-1.7\n", b"hello, world", b"RIFF\x24\x00\x00\x00WAVEfmt ", b"\xff\xd8"])
def test_anything_else_is_refused_with_400_and_nothing_is_stored(s3, data):
    status, body = call(event(data))
    assert status == 400
    assert "not an image" in body["error"]
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0


def test_an_empty_body_is_refused(s3):
    assert call({"isBase64Encoded": False, "body": None}) == (400, {"error": "the body is empty: send the image's bytes"})
    assert call(event(b""))[0] == 400


def test_broken_base64_is_refused(s3):
    status, body = call({"isBase64Encoded": True, "body": "not base64!"})
    assert status == 400
    assert body["error"] == "the body is not valid base64"


def test_a_text_body_is_not_taken_for_an_image(s3):
    # Sent with a content type outside the API's binary media types: API Gateway passes text.
    status, body = call(event("hello", encoded=False))
    assert (status, body["error"]) == (400, "the body is not an image (JPEG, PNG, GIF or WebP)")


def test_a_type_left_out_of_allowed_types_is_refused(s3, monkeypatch):
    monkeypatch.setenv("ALLOWED_TYPES", "image/jpeg,image/png")
    status, body = call(event(GIF))
    assert status == 400
    assert body["error"] == "image/gif is not accepted; accepted: image/jpeg, image/png"


def test_over_the_size_limit_is_413(s3):
    status, body = call(event(PNG + bytes(1024)))
    assert status == 413
    assert body["error"] == "the image is larger than 1024 bytes"
    exactly = PNG + bytes(1024 - len(PNG))
    assert call(event(exactly))[0] == 200


def test_an_unknown_allowed_type_is_a_configuration_error(s3, monkeypatch):
    monkeypatch.setenv("ALLOWED_TYPES", "image/jpeg,image/tiff")
    with pytest.raises(ValueError, match="image/tiff"):
        call(event(JPEG))
