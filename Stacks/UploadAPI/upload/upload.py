"""The upload function behind POST /upload (API Gateway Lambda proxy integration).

API Gateway passes the request body base64-encoded (``isBase64Encoded``) when its content type is
one of the API's binary media types. The body is accepted only when its first bytes are those of an
allowed image format -- JPEG, PNG, GIF or WebP, recognised by their signatures, not by the
Content-Type the caller claims -- and stored in the bucket under a generated name with the matching
content type.

Responses (JSON bodies):
  200 {"filename": "<uuid>.<ext>"}      stored
  400 {"error": "<reason>"}             empty body, broken base64, not an allowed image
  413 {"error": "<reason>"}             larger than MAX_UPLOAD_BYTES

Settings (environment variables, written by the upload-api stack):
  BUCKET_NAME         the bucket images are stored in
  ALLOWED_TYPES       comma-separated content types, e.g. "image/jpeg,image/png"
  MAX_UPLOAD_BYTES    the largest image accepted, in bytes
"""

import base64
import binascii
import json
import os
import uuid

import boto3

# Content type -> (file extension, test on the first bytes). Signatures: JPEG (JFIF/Exif) starts
# FF D8 FF; PNG with its 8-byte signature; GIF with "GIF87a" or "GIF89a"; WebP is a RIFF container
# whose form type at offset 8 is "WEBP".
FORMATS = {
    "image/jpeg": ("jpg", lambda data: data[:3] == b"\xff\xd8\xff"),
    "image/png": ("png", lambda data: data[:8] == b"\x89PNG\r\n\x1a\n"),
    "image/gif": ("gif", lambda data: data[:6] in (b"GIF87a", b"GIF89a")),
    "image/webp": ("webp", lambda data: data[:4] == b"RIFF" and data[8:12] == b"WEBP"),
}


def detect(data):
    """The content type whose signature ``data`` starts with, or None."""
    for content_type, (_, matches) in FORMATS.items():
        if matches(data):
            return content_type
    return None


def settings(environ=None):
    """(bucket, allowed content types, size limit in bytes) from the environment."""
    environ = os.environ if environ is None else environ
    allowed = [item.strip() for item in environ.get("ALLOWED_TYPES", ",".join(FORMATS)).split(",") if item.strip()]
    unknown = [item for item in allowed if item not in FORMATS]
    if unknown:
        raise ValueError(f"ALLOWED_TYPES names types this function cannot recognise: {', '.join(unknown)}")
    return environ["BUCKET_NAME"], allowed, int(environ.get("MAX_UPLOAD_BYTES", str(5 * 1024 * 1024)))


def response(status, body):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}


def body_bytes(event):
    """The request body as bytes: base64-decoded when API Gateway encoded it. Raises ValueError."""
    body = event.get("body")
    if body is None:
        return b""
    if event.get("isBase64Encoded"):
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("the body is not valid base64") from None
    # A text body (a content type outside the API's binary media types) is never an image intact.
    return body.encode("utf-8")


def handler(event, context):
    bucket, allowed, limit = settings()
    # Reject an oversized body before decoding it: base64 carries 3 bytes in every 4 characters.
    encoded = event.get("body") or ""
    if event.get("isBase64Encoded") and len(encoded) // 4 * 3 > limit + 2:
        return response(413, {"error": f"the image is larger than {limit} bytes"})
    try:
        data = body_bytes(event)
    except ValueError as error:
        return response(400, {"error": str(error)})
    if not data:
        return response(400, {"error": "the body is empty: send the image's bytes"})
    if len(data) > limit:
        return response(413, {"error": f"the image is larger than {limit} bytes"})
    content_type = detect(data)
    if content_type is None:
        return response(400, {"error": "the body is not an image (JPEG, PNG, GIF or WebP)"})
    if content_type not in allowed:
        return response(400, {"error": f"{content_type} is not accepted; accepted: {', '.join(allowed)}"})
    filename = f"{uuid.uuid4().hex}.{FORMATS[content_type][0]}"
    boto3.client("s3").put_object(Bucket=bucket, Key=filename, Body=data, ContentType=content_type)
    return response(200, {"filename": filename})
