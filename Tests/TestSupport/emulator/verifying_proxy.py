"""A verifying HTTP/1.1 proxy between imgstack and the moto emulator.

Every request signed with AWS Signature Version 4 is re-signed with botocore's own
signer and refused with the service's 403 answer when the signatures differ, so a
request that passes is signed the way AWS computes it. The proxy also counts requests
per operation, injects faults for retry tests and snoops STS answers so temporary
credentials verify too. Admin routes live under /__proxy/ and are never forwarded.

Usage: verifying_proxy.py --upstream http://127.0.0.1:MOTO_PORT [--port 0] [--latency-ms N] [--enforce-iam]
With --latency-ms every forwarded call is answered N ms after it arrived, or when moto has
answered if that is later: the time of a round trip to an endpoint far away, the endpoint's
own time counted inside it, as it is in a round trip measured to AWS. moto answers about one
call at a time; AWS answers many at once, so moto's queue stays inside the latency instead of
adding to it (for benchmarks). On Linux a call's arrival is the time the kernel received it
(SO_TIMESTAMPNS), not the time a handler thread got Python's interpreter lock to read it.
With --enforce-iam every verified request is also authorized by the emulator's IAM evaluation
(`iam_authorization.py`, through /moto-api/imgstack/authorize) and refused with the service's
AccessDenied answer when the caller's policies do not allow it.
It prints "LISTENING <port>" on stdout once it accepts connections.
"""

import argparse
import collections
import datetime
import hashlib
import http.client
import http.server
import json
import os
import platform
import re
import socket
import struct
import sys
import threading
import time
import urllib.parse
import uuid
import xml.etree.ElementTree as ElementTree
from xml.sax.saxutils import escape

import botocore.session
from botocore.auth import SigV4Auth, SigV4QueryAuth, S3SigV4Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.compat import HTTPHeaders
from botocore.credentials import Credentials

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from request_parameters import parameters  # noqa: E402

STATIC_ACCESS_KEY = "AKIAIMGSTACKTEST0001"
STATIC_SECRET_KEY = "imgstack/test/secret/0001"

# AWS refuses a signed request whose X-Amz-Date is more than 15 minutes off its clock.
MAX_CLOCK_SKEW = datetime.timedelta(minutes=15)

# Credential-scope names whose botocore model has another name.
MODEL_NAMES = {"monitoring": "cloudwatch", "email": "ses", "states": "stepfunctions",
               "execute-api": "apigateway", "elasticloadbalancing": "elbv2"}

# X-Amz-Target prefixes of JSON services that are called unsigned (Cognito identity
# pools hand out credentials to callers that have none yet).
UNSIGNED_TARGET_PREFIXES = {"AWSCognitoIdentityService": "cognito-identity",
                            "AWSCognitoIdentityProviderService": "cognito-idp"}

# Query actions AWS accepts without a signature (the web identity token is the proof).
UNSIGNED_STS_ACTIONS = {"AssumeRoleWithWebIdentity", "AssumeRoleWithSAML"}

STS_CREDENTIAL_ACTIONS = {"AssumeRole", "AssumeRoleWithWebIdentity", "AssumeRoleWithSAML",
                          "GetSessionToken", "GetFederationToken"}

# socket(7): with SO_TIMESTAMPNS set, a received message carries the kernel's receive time as
# an SCM_TIMESTAMPNS control message (a struct timespec). Python's socket module names neither;
# 35 and two 64-bit fields are their values on 64-bit x86 and Arm Linux, the only ones used.
KERNEL_TIMESTAMPS = sys.platform.startswith("linux") and platform.machine() in ("x86_64", "aarch64")
SO_TIMESTAMPNS = SCM_TIMESTAMPNS = 35
TIMESPEC = struct.Struct("qq")

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te",
              "trailer", "upgrade", "content-length"}

AUTH_PATTERN = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<credential>[^,\s]+),\s*"
    r"SignedHeaders=(?P<signed>[^,\s]+),\s*Signature=(?P<signature>[0-9a-f]+)\s*$")


class ProxyError(Exception):
    """An AWS error answer the proxy produces itself instead of forwarding."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class KeyStore:
    """Secrets the proxy knows: the static test pair plus snooped temporary credentials."""

    def __init__(self):
        self._lock = threading.Lock()
        self._keys = {STATIC_ACCESS_KEY: (STATIC_SECRET_KEY, None)}

    def remember(self, access_key, secret_key, session_token):
        """Records temporary credentials handed out by STS or Cognito."""
        with self._lock:
            self._keys[access_key] = (secret_key, session_token)

    def lookup(self, access_key):
        """Returns (secret, session token or None), or None for an unknown key."""
        with self._lock:
            return self._keys.get(access_key)


class Faults:
    """Pending injected faults, consumed in order by matching requests."""

    def __init__(self):
        self._lock = threading.Lock()
        self._faults = []

    def add(self, fault):
        """Queues a fault dict: operation, kind, count, status, delayMs."""
        if fault.get("kind") not in ("throttle", "status", "reset", "delay"):
            raise ValueError("kind must be throttle, status, reset or delay")
        fault = dict(fault)
        fault.setdefault("operation", "*")
        fault["count"] = int(fault.get("count", 1))
        with self._lock:
            self._faults.append(fault)

    def clear(self):
        """Drops every pending fault."""
        with self._lock:
            self._faults.clear()

    def take(self, operation):
        """Returns and consumes one use of the first fault matching operation, or None."""
        with self._lock:
            for fault in self._faults:
                if fault["operation"] in ("*", operation) and fault["count"] > 0:
                    fault["count"] -= 1
                    if fault["count"] == 0:
                        self._faults.remove(fault)
                    return dict(fault)
        return None


class Counters:
    """Request counts per operation, refused signatures, and when each of the latest calls
    arrived and was answered (the order calls overlapped in, for tests of what goes out together)."""

    LOG_LENGTH = 10_000

    def __init__(self):
        self._lock = threading.Lock()
        self.calls = {}
        self.rejections = 0
        self.log = collections.deque(maxlen=self.LOG_LENGTH)

    def count(self, operation):
        with self._lock:
            self.calls[operation] = self.calls.get(operation, 0) + 1

    def answered(self, operation, arrived):
        """Logs a call: `arrived` and now as `time.monotonic()` seconds."""
        with self._lock:
            self.log.append({"operation": operation, "arrived": arrived, "answered": time.monotonic()})

    def log_snapshot(self):
        """The logged calls, oldest answer first, as dicts: operation, arrived, answered."""
        with self._lock:
            return list(self.log)

    def reject(self):
        with self._lock:
            self.rejections += 1

    def snapshot(self):
        with self._lock:
            return dict(self.calls)

    def reset(self):
        with self._lock:
            self.calls.clear()
            self.rejections = 0
            self.log.clear()


class ServiceModels:
    """Loads botocore service models lazily and names operations from requests."""

    def __init__(self):
        self._session = botocore.session.get_session()
        self._lock = threading.Lock()
        self._models = {}
        self._routes = {}

    def model(self, scope_service, request):
        """Returns the botocore model for a credential-scope service name, or None."""
        name = MODEL_NAMES.get(scope_service, scope_service)
        if scope_service == "elasticloadbalancing" and request.query_value("Version") == "2012-06-01":
            name = "elb"
        with self._lock:
            if name not in self._models:
                try:
                    self._models[name] = self._session.get_service_model(name)
                except Exception:
                    self._models[name] = None
            return self._models[name]

    def operation(self, model, request):
        """Names the operation of a request: Action, X-Amz-Target or a REST route."""
        target = request.headers.get("X-Amz-Target")
        if target:
            return target.rsplit(".", 1)[-1]
        cbor_path = re.match(r"^/service/[^/]+/operation/([^/?]+)", request.raw_path)
        if cbor_path:
            return cbor_path.group(1)
        action = request.query_value("Action") or request.form_value("Action")
        if action:
            return action
        if model is not None and model.protocol in ("rest-json", "rest-xml"):
            return self._match_route(model, request) or "Unknown"
        return "Unknown"

    def _match_route(self, model, request):
        best, best_score = None, None
        query = dict(urllib.parse.parse_qsl(request.raw_query, keep_blank_values=True))
        headers = {name.lower() for name in request.headers.keys()}
        for route in self._route_table(model):
            if route.matches(request.method, request.raw_path, query, headers):
                if best_score is None or route.score > best_score:
                    best, best_score = route.name, route.score
        return best

    def _route_table(self, model):
        with self._lock:
            if model.service_name not in self._routes:
                self._routes[model.service_name] = [
                    Route(model.operation_model(name)) for name in model.operation_names]
            return self._routes[model.service_name]


class Route:
    """One REST operation's requestUri template, e.g. PUT /{Bucket}/{Key+}?tagging.

    Operations sharing a template (PutObject, CopyObject, UploadPart) differ by the query
    parameters and headers their input requires, so those take part in the match.
    """

    def __init__(self, operation):
        self.name = operation.name
        self.method = operation.http["method"]
        template, _, query_text = operation.http["requestUri"].partition("?")
        regex = ""
        for literal, label in re.findall(r"([^{]*)(\{[^}]*\})?", template):
            regex += re.escape(literal)
            if label:
                regex += "(.+)" if label.endswith("+}") else "([^/]+)"
        self.pattern = re.compile("^" + regex.rstrip("/") + "/?$")
        # x-id only disambiguates operations for botocore; other SDKs may leave it out.
        self.literal_query = {key: value for key, value in
                              urllib.parse.parse_qsl(query_text, keep_blank_values=True) if key != "x-id"}
        self.required_query, self.required_headers = set(), set()
        shape = operation.input_shape
        for member in (shape.required_members if shape else []):
            location = shape.members[member].serialization
            if location.get("location") == "querystring":
                self.required_query.add(location["name"])
            elif location.get("location") == "header":
                self.required_headers.add(location["name"].lower())
        constraints = len(self.literal_query) + len(self.required_query) + len(self.required_headers)
        self.score = (constraints, len(re.sub(r"\{[^}]*\}", "", template)))

    def matches(self, method, path, query, headers):
        """True when the request fits the method, path template and required parts."""
        if method != self.method or not self.pattern.match(path):
            return False
        if any(key not in query or (value and query[key] != value) for key, value in self.literal_query.items()):
            return False
        return self.required_query <= query.keys() and self.required_headers <= headers


class IncomingRequest:
    """The parts of a received request the proxy reasons about."""

    def __init__(self, method, target, headers, body):
        self.method = method
        self.raw_path, _, self.raw_query = target.partition("?")
        self.headers = headers
        self.body = body
        self._form = None

    def query_value(self, name):
        for key, value in urllib.parse.parse_qsl(self.raw_query, keep_blank_values=True):
            if key == name:
                return value
        return None

    def form_value(self, name):
        content_type = self.headers.get("Content-Type", "")
        if "x-www-form-urlencoded" not in content_type:
            return None
        if self._form is None:
            self._form = dict(urllib.parse.parse_qsl(self.body.decode("utf-8", "replace"),
                                                     keep_blank_values=True))
        return self._form.get(name)


class WireFormat:
    """Renders an error the way a service's protocol does."""

    def __init__(self, service, protocol):
        self.service = service
        self.protocol = protocol

    @classmethod
    def detect(cls, service, model, request):
        if request.headers.get("X-Amz-Target"):
            return cls(service, "json")
        if request.headers.get("smithy-protocol") == "rpc-v2-cbor":
            # The proxy answers errors of CBOR services as JSON; CBOR callers are not in use.
            return cls(service, "json")
        if model is not None:
            return cls(service, model.protocol)
        if "x-www-form-urlencoded" in request.headers.get("Content-Type", ""):
            return cls(service, "query")
        return cls(service, "rest-xml")

    @property
    def is_json(self):
        return self.protocol in ("json", "rest-json")

    def unknown_key_code(self):
        """The code AWS answers for an access key it does not know."""
        if self.service == "s3":
            return "InvalidAccessKeyId"
        return "UnrecognizedClientException" if self.is_json else "InvalidClientTokenId"

    def bad_signature_code(self):
        """JSON services call a wrong signature InvalidSignatureException."""
        return "InvalidSignatureException" if self.is_json else "SignatureDoesNotMatch"

    def throttle(self):
        """The answer AWS gives when it throttles: S3 slows down with 503 SlowDown."""
        if self.service == "s3":
            return 503, "SlowDown", "Please reduce your request rate."
        code = "ThrottlingException" if self.is_json else "Throttling"
        return 400, code, "Rate exceeded"

    def render(self, status, code, message):
        """Returns (headers, body bytes) for an error answer."""
        request_id = str(uuid.uuid4())
        if self.is_json:
            content_type = "application/x-amz-json-1.1" if self.protocol == "json" else "application/json"
            body = json.dumps({"__type": code, "message": message}).encode()
            return {"Content-Type": content_type, "x-amzn-ErrorType": code,
                    "x-amzn-RequestId": request_id}, body
        text_code, text_message = escape(code), escape(message)
        if self.protocol == "ec2":
            body = (f"<Response><Errors><Error><Code>{text_code}</Code><Message>{text_message}</Message>"
                    f"</Error></Errors><RequestID>{request_id}</RequestID></Response>")
        elif self.service == "s3":
            body = (f"<Error><Code>{text_code}</Code><Message>{text_message}</Message>"
                    f"<RequestId>{request_id}</RequestId></Error>")
        else:
            kind = "Receiver" if status >= 500 else "Sender"
            body = (f"<ErrorResponse><Error><Type>{kind}</Type><Code>{text_code}</Code>"
                    f"<Message>{text_message}</Message></Error><RequestId>{request_id}</RequestId>"
                    f"</ErrorResponse>")
        return {"Content-Type": "text/xml", "x-amzn-RequestId": request_id}, \
            ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode()


class ExactHeadersMixin:
    """Signs exactly the headers the request carries: the ones the client declared signed.

    botocore drops some headers (User-Agent, Expect) when it signs; AWS verifies whatever the
    client listed in SignedHeaders, so the verifier must too.
    """

    def headers_to_sign(self, request):
        header_map = HTTPHeaders()
        for name, value in request.headers.items():
            header_map[name.lower()] = value
        return header_map


class ExactSigV4(ExactHeadersMixin, SigV4Auth):
    """SigV4 for every service but S3: the canonical path is normalised and encoded twice."""


class ExactS3SigV4(ExactHeadersMixin, S3SigV4Auth):
    """SigV4 for S3: the canonical path is the raw path, encoded once, never normalised."""


class ExactSigV4Query(ExactHeadersMixin, SigV4QueryAuth):
    """Presigned URLs of services other than S3."""


class ExactS3SigV4Query(ExactHeadersMixin, S3SigV4QueryAuth):
    """Presigned S3 URLs: the payload is always UNSIGNED-PAYLOAD."""


SIGNERS = {(False, False): ExactSigV4, (False, True): ExactS3SigV4,
           (True, False): ExactSigV4Query, (True, True): ExactS3SigV4Query}


class Verifier:
    """Re-signs requests with botocore and compares signatures."""

    def __init__(self, keys):
        self.keys = keys

    def verify(self, request, fmt):
        """Raises ProxyError unless the request's header or query signature is right.

        Returns the access key used, or None for an unsigned request.
        """
        authorization = request.headers.get("Authorization")
        if authorization:
            return self._verify_header(request, fmt, authorization)
        if request.query_value("X-Amz-Signature") is not None:
            return self._verify_presigned(request, fmt)
        return None

    def _verify_header(self, request, fmt, authorization):
        match = AUTH_PATTERN.match(authorization.strip())
        if not match:
            raise ProxyError(400 if fmt.service == "s3" else 403,
                             "AuthorizationHeaderMalformed" if fmt.service == "s3" else "IncompleteSignature",
                             "The authorization header is malformed.")
        access_key, date, region, service, terminator = self._split_scope(match.group("credential"), fmt)
        timestamp = request.headers.get("X-Amz-Date")
        if not timestamp:
            raise ProxyError(403, "IncompleteSignature" if fmt.service != "s3" else "AccessDenied",
                             "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        self._check_clock(timestamp, fmt)
        signed = match.group("signed").split(";")
        self._check_signed_headers(request, signed, fmt)
        secret = self._secret(access_key, request.headers.get("X-Amz-Security-Token"), fmt)
        if fmt.service == "s3":
            self._check_payload_hash(request)
        headers = HTTPHeaders()
        for name in signed:
            for value in request.headers.get_all(name) or []:
                headers[name] = value
        expected = self._signature(request, headers, request.raw_query, timestamp,
                                   access_key, secret, region, service, presigned=False)
        if expected != match.group("signature"):
            raise ProxyError(403, fmt.bad_signature_code(),
                             "The request signature we calculated does not match the signature you provided. "
                             "Check your AWS Secret Access Key and signing method. "
                             "Consult the service documentation for details.")
        return access_key

    def _verify_presigned(self, request, fmt):
        pairs = urllib.parse.parse_qsl(request.raw_query, keep_blank_values=True)
        params = dict(pairs)
        access_key, _, region, service, _ = self._split_scope(params.get("X-Amz-Credential", ""), fmt)
        timestamp = params.get("X-Amz-Date", "")
        signed_at = self._parse_timestamp(timestamp, fmt)
        expires = int(params.get("X-Amz-Expires", "0") or "0")
        if datetime.datetime.now(datetime.timezone.utc) > signed_at + datetime.timedelta(seconds=expires):
            raise ProxyError(403, "AccessDenied", "Request has expired")
        signed = params.get("X-Amz-SignedHeaders", "host").split(";")
        secret = self._secret(access_key, params.get("X-Amz-Security-Token"), fmt)
        headers = HTTPHeaders()
        for name in signed:
            for value in request.headers.get_all(name) or []:
                headers[name] = value
        query = "&".join(pair for pair in request.raw_query.split("&")
                         if not pair.startswith("X-Amz-Signature="))
        expected = self._signature(request, headers, query, timestamp, access_key, secret,
                                   region, service, presigned=True)
        if expected != params.get("X-Amz-Signature"):
            raise ProxyError(403, fmt.bad_signature_code(),
                             "The request signature we calculated does not match the signature you provided.")
        return access_key

    @staticmethod
    def _signature(request, headers, raw_query, timestamp, access_key, secret, region, service, presigned):
        """Computes botocore's signature over the rebuilt request."""
        # AWS decodes the query and re-encodes it canonically before signing, so hand
        # botocore decoded pairs (it percent-encodes params itself, RFC 3986 style).
        params = [(urllib.parse.unquote(key), urllib.parse.unquote(value))
                  for key, _, value in (pair.partition("=") for pair in raw_query.split("&") if pair)]
        aws_request = AWSRequest(method=request.method, url="http://verifier" + request.raw_path,
                                 data=request.body, params=params)
        aws_request.headers = headers
        aws_request.context["timestamp"] = timestamp
        signer = SIGNERS[(presigned, service == "s3")](Credentials(access_key, secret), service, region)
        canonical = signer.canonical_request(aws_request)
        return signer.signature(signer.string_to_sign(aws_request, canonical), aws_request)

    @staticmethod
    def _split_scope(credential, fmt):
        parts = credential.split("/")
        if len(parts) != 5 or parts[4] != "aws4_request":
            raise ProxyError(400 if fmt.service == "s3" else 403,
                             "AuthorizationHeaderMalformed" if fmt.service == "s3" else "IncompleteSignature",
                             f"Credential should be scoped to a valid region and service: {credential}")
        return tuple(parts)

    def _secret(self, access_key, session_token, fmt):
        known = self.keys.lookup(access_key)
        if known is None:
            raise ProxyError(403, fmt.unknown_key_code(),
                             "The security token included in the request is invalid.")
        secret, expected_token = known
        if expected_token is not None and session_token != expected_token:
            # Temporary credentials are only valid together with their session token.
            if fmt.service == "s3":
                raise ProxyError(400, "InvalidToken", "The provided token is malformed or otherwise invalid.")
            raise ProxyError(403, fmt.unknown_key_code(),
                             "The security token included in the request is invalid.")
        return secret

    @staticmethod
    def _parse_timestamp(timestamp, fmt):
        try:
            return datetime.datetime.strptime(timestamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            raise ProxyError(403, "IncompleteSignature" if fmt.service != "s3" else "AccessDenied",
                             f"Invalid X-Amz-Date: {timestamp}")

    def _check_clock(self, timestamp, fmt):
        signed_at = self._parse_timestamp(timestamp, fmt)
        if abs(datetime.datetime.now(datetime.timezone.utc) - signed_at) > MAX_CLOCK_SKEW:
            if fmt.service == "s3":
                raise ProxyError(403, "RequestTimeTooSkewed",
                                 "The difference between the request time and the current time is too large.")
            raise ProxyError(403, fmt.bad_signature_code(), f"Signature expired: {timestamp} is now earlier "
                             "or later than the allowed 15 minutes.")

    @staticmethod
    def _check_signed_headers(request, signed, fmt):
        """Host must be signed; S3 also refuses unsigned x-amz-* headers."""
        if "host" not in signed:
            raise ProxyError(403, fmt.bad_signature_code(),
                             "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
        if fmt.service == "s3":
            unsigned = [name.lower() for name in request.headers.keys()
                        if name.lower().startswith("x-amz-") and name.lower() not in signed]
            if unsigned:
                raise ProxyError(403, "AccessDenied", "There were headers present in the request which were not "
                                 "signed: " + ", ".join(sorted(set(unsigned))))

    @staticmethod
    def _check_payload_hash(request):
        """S3 checks a declared body hash against the body it received."""
        declared = request.headers.get("X-Amz-Content-SHA256")
        if declared is None:
            raise ProxyError(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256")
        if declared == "UNSIGNED-PAYLOAD" or declared.startswith("STREAMING-"):
            return
        if hashlib.sha256(request.body).hexdigest() != declared:
            raise ProxyError(400, "XAmzContentSHA256Mismatch",
                             "The provided 'x-amz-content-sha256' header does not match what was computed.")


def snoop_credentials(keys, service, operation, status, body):
    """Remembers temporary credentials from STS and Cognito identity answers."""
    if status != 200:
        return
    if service == "sts" and operation in STS_CREDENTIAL_ACTIONS:
        try:
            root = ElementTree.fromstring(body)
        except ElementTree.ParseError:
            return
        found = {element.tag.rsplit("}", 1)[-1]: element.text for element in root.iter()}
        if found.get("AccessKeyId") and found.get("SecretAccessKey"):
            keys.remember(found["AccessKeyId"], found["SecretAccessKey"], found.get("SessionToken"))
    elif service == "iam" and operation == "CreateAccessKey":
        try:
            root = ElementTree.fromstring(body)
        except ElementTree.ParseError:
            return
        found = {element.tag.rsplit("}", 1)[-1]: element.text for element in root.iter()}
        if found.get("AccessKeyId") and found.get("SecretAccessKey"):
            keys.remember(found["AccessKeyId"], found["SecretAccessKey"], None)
    elif service == "cognito-identity" and operation == "GetCredentialsForIdentity":
        try:
            credentials = json.loads(body).get("Credentials", {})
        except ValueError:
            return
        if credentials.get("AccessKeyId") and credentials.get("SecretKey"):
            keys.remember(credentials["AccessKeyId"], credentials["SecretKey"], credentials.get("SessionToken"))


def scope_service(request):
    """The service a request is for: its credential scope, else what an unsigned call says."""
    match = AUTH_PATTERN.match(request.headers.get("Authorization", "").strip())
    credential = match.group("credential") if match else request.query_value("X-Amz-Credential")
    if credential and credential.count("/") == 4:
        return credential.split("/")[3]
    target = request.headers.get("X-Amz-Target", "")
    if target:
        return UNSIGNED_TARGET_PREFIXES.get(target.split(".", 1)[0], "unknown")
    action = request.query_value("Action") or request.form_value("Action")
    if action in UNSIGNED_STS_ACTIONS:
        return "sts"
    return "unknown"


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    """Handles one connection: admin routes, verification, faults, forwarding."""

    protocol_version = "HTTP/1.1"
    server_version = "imgstack-verifying-proxy"
    # A response goes out as two writes (headers, then body). With Nagle's algorithm on, the
    # second waits for the client's delayed ACK of the first, about 40 ms on Linux: every call
    # would carry that on top of any latency the proxy adds on purpose.
    disable_nagle_algorithm = True

    def log_message(self, format, *args):
        """Stays quiet: the tests read only the LISTENING line."""

    def setup(self):
        super().setup()
        self.kernel_timestamps = KERNEL_TIMESTAMPS and bool(self.server.state.latency_ms)
        if self.kernel_timestamps:
            try:  # inherited from ProxyServer's listening socket; set again for any other server
                self.connection.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
            except OSError:
                self.kernel_timestamps = False

    def handle_one_request(self):
        self.waiting = self._peek_next_request()
        super().handle_one_request()

    def _peek_next_request(self):
        """Waits for the next request's bytes and returns (the kernel's receive time of the bytes
        waiting, the last of them to arrive, as a `time.monotonic()` time; those bytes), leaving
        them to be read; or (None, b"") when the kernel's time cannot be had (no latency to
        answer at, not Linux)."""
        if not self.kernel_timestamps:
            return None, b""
        try:
            return self._peek_socket(socket.MSG_DONTWAIT)
        except BlockingIOError:
            pass  # nothing in the socket yet: the request may already be in rfile's buffer
        except OSError:
            return None, b""
        if self._request_buffered():
            return None, b""
        try:
            return self._peek_socket(0)
        except OSError:
            return None, b""

    def _peek_socket(self, flags):
        waiting, ancillary, _, _ = self.connection.recvmsg(65536, socket.CMSG_SPACE(TIMESPEC.size), socket.MSG_PEEK | flags)
        for level, kind, data in ancillary:
            if level == socket.SOL_SOCKET and kind == SCM_TIMESTAMPNS and len(data) >= TIMESPEC.size:
                seconds, nanoseconds = TIMESPEC.unpack(data[:TIMESPEC.size])
                return time.monotonic() - (time.time() - (seconds + nanoseconds / 1e9)), waiting
        return None, b""

    def _request_buffered(self):
        """Whether the next request is already in `rfile`'s buffer (a client that pipelines):
        the socket, peeked, would wait for bytes that may never come. Asked only when the socket
        holds nothing, as rfile would otherwise take the socket's bytes into its buffer."""
        self.connection.setblocking(False)
        try:
            return bool(self.rfile.peek(1))
        except BlockingIOError:
            return False
        finally:
            self.connection.setblocking(True)

    def _arrival(self, body):
        """When the whole request had arrived, as a `time.monotonic()` time: the kernel's receive
        time of the bytes waiting when all of the request was among them (ten calls arriving
        together otherwise take turns at Python's interpreter lock, and the last would be dated,
        and answered, a few milliseconds late); else now, after its body was read."""
        received, waiting = self.waiting
        header_end = waiting.find(b"\r\n\r\n")
        whole = (received is not None and header_end >= 0 and waiting.startswith(self.raw_requestline)
                 and "chunked" not in self.headers.get("Transfer-Encoding", "").lower()
                 and len(waiting) >= header_end + 4 + len(body))
        return received if whole else time.monotonic()

    def do_request(self):
        body = self._read_body()
        arrived = self._arrival(body)
        if self.path.startswith("/__proxy/"):
            self._admin(body)
            return
        request = IncomingRequest(self.command, self.path, self.headers, body)
        if self.path.startswith("/moto-api"):
            self._forward(request)
            return
        state = self.server.state
        service = scope_service(request)
        model = state.models.model(service, request)
        operation = f"{service}:{state.models.operation(model, request)}"
        fmt = WireFormat.detect(service, model, request)
        state.counters.count(operation)
        try:
            self._verify_and_forward(state, request, service, model, operation, fmt, arrived)
        finally:
            state.counters.answered(operation, arrived)

    def _verify_and_forward(self, state, request, service, model, operation, fmt, arrived):
        try:
            access_key = state.verifier.verify(request, fmt)
            if state.enforce_iam and access_key:
                self._authorize(access_key, service, model, operation.split(":", 1)[1], request, fmt)
        except ProxyError as error:
            state.counters.reject()
            self._answer_error(fmt, error.status, error.code, error.message)
            return
        if not self._apply_fault(state.faults.take(operation), fmt):
            return
        answer_at = arrived + state.latency_ms / 1000 if state.latency_ms else None
        status, response_body = self._forward(request, answer_at)
        snoop_credentials(state.keys, service, operation.split(":", 1)[1], status, response_body)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = do_request

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length", "0") or "0")
        return self.rfile.read(length) if length else b""

    def _apply_fault(self, fault, fmt):
        """Acts out a fault; returns True when the request should still be forwarded."""
        if fault is None:
            return True
        kind = fault["kind"]
        if kind == "delay":
            time.sleep(int(fault.get("delayMs", 0)) / 1000)
            return True
        if kind == "reset":
            # SO_LINGER with a zero timeout makes close() send a TCP RST, not a FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return False
        if kind == "throttle":
            self._answer_error(fmt, *fmt.throttle())
            return False
        status = int(fault.get("status", 500))
        # A 4xx is a refusal AWS gives before acting (AccessDenied for 403), never retried; a 5xx
        # a server fault, retried.
        if status < 500:
            code = "AccessDenied" if status == 403 else "InvalidRequest"
        else:
            code = "ServiceUnavailable" if status == 503 else "InternalError"
        self._answer_error(fmt, status, code, "Injected failure")
        return False

    def _authorize(self, access_key, service, model, operation, request, fmt):
        """Raises AccessDenied (403, the service's error code) unless the emulator allows the call."""
        match = AUTH_PATTERN.match(request.headers.get("Authorization", "").strip())
        credential = match.group("credential") if match else request.query_value("X-Amz-Credential")
        question = {"accessKey": access_key, "region": credential.split("/")[2], "service": service,
                    "operation": operation, "params": parameters(model, operation, request),
                    "method": request.method, "path": request.raw_path}
        upstream = self.server.state.upstream
        connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
        try:
            connection.request("POST", "/moto-api/imgstack/authorize", json.dumps(question),
                               {"Content-Type": "application/json"})
            answer = json.loads(connection.getresponse().read())
        finally:
            connection.close()
        if answer.get("allowed"):
            return
        code = "AccessDeniedException" if fmt.is_json else "AccessDenied"
        if "gap" in answer:
            raise ProxyError(403, code, f"imgstack's test authorizer cannot evaluate {service}:{operation}: {answer['gap']}")
        raise ProxyError(403, code, f"User: {answer['principal']} is not authorized to perform: {answer['action']} "
                                    f"on resource: {answer['resource']} because no identity-based policy allows the "
                                    f"{answer['action']} action")

    def _answer_error(self, fmt, status, code, message):
        headers, body = fmt.render(status, code, message)
        self._send(status, headers.items(), body)

    def _send(self, status, headers, body, answer_at=None):
        """Answers, in one write, not before `answer_at` (a `time.monotonic()` time) when given:
        the answer is made first, so threads woken together at their times only write."""
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self._headers_buffer.append(b"\r\n")
        answer = b"".join(self._headers_buffer) + (body if self.command != "HEAD" else b"")
        self._headers_buffer = []
        if answer_at is not None:
            time.sleep(max(0.0, answer_at - time.monotonic()))
        self.wfile.write(answer)

    def _forward(self, request, answer_at=None):
        """Sends `request` to moto and moto's answer back, not before `answer_at` (a
        `time.monotonic()` time) when given."""
        upstream = self.server.state.upstream
        connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=120)
        try:
            headers = {}
            connection.putrequest(request.method, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in HOP_BY_HOP:
                    connection.putheader(name, value)
                    headers[name] = value
            connection.putheader("Content-Length", str(len(request.body)))
            connection.endheaders(request.body)
            response = connection.getresponse()
            body = response.read()
            self._send(response.status, response.getheaders(), body, answer_at)
            return response.status, body
        finally:
            connection.close()

    def _admin(self, body):
        state = self.server.state
        route = (self.command, self.path.split("?", 1)[0].rstrip("/"))
        if route == ("GET", "/__proxy/calls"):
            self._json(200, state.counters.snapshot())
        elif route == ("POST", "/__proxy/calls/reset"):
            state.counters.reset()
            self._json(200, {})
        elif route == ("GET", "/__proxy/calls/log"):
            self._json(200, {"calls": state.counters.log_snapshot()})
        elif route == ("GET", "/__proxy/rejections"):
            self._json(200, {"rejections": state.counters.rejections})
        elif route == ("POST", "/__proxy/faults"):
            try:
                state.faults.add(json.loads(body or b"{}"))
            except ValueError as error:
                self._json(400, {"error": str(error)})
                return
            self._json(200, {})
        elif route == ("DELETE", "/__proxy/faults"):
            state.faults.clear()
            self._json(200, {})
        else:
            self._json(404, {"error": f"no admin route {self.command} {self.path}"})

    def _json(self, status, value):
        self._send(status, [("Content-Type", "application/json")], json.dumps(value, sort_keys=True).encode())


class ProxyState:
    """Everything the handler threads share."""

    def __init__(self, upstream, latency_ms, enforce_iam=False):
        self.upstream = urllib.parse.urlsplit(upstream)
        self.latency_ms = latency_ms
        self.enforce_iam = enforce_iam
        self.keys = KeyStore()
        self.faults = Faults()
        self.counters = Counters()
        self.models = ServiceModels()
        self.verifier = Verifier(self.keys)


class ProxyServer(http.server.ThreadingHTTPServer):
    """A thread per connection, with room for many connections opened at once."""

    daemon_threads = True
    # socketserver's default backlog is 5: a new process's first round of ten calls overflows it,
    # and the kernel drops the extra connections' SYNs, which the client sends again a second later.
    request_queue_size = 128

    def server_bind(self):
        super().server_bind()
        if KERNEL_TIMESTAMPS:
            # On the listening socket, which accepted sockets inherit it from: set on an accepted
            # socket, it misses the bytes a client sent at once after connecting.
            try:
                self.socket.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
            except OSError:
                pass


def exit_when_orphaned(interval=0.5):
    """Ends this process when its parent dies, so test runs never leave servers behind."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream", required=True, help="moto's base URL")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--latency-ms", type=int, default=0, help="the least time from a call's arrival to its answer")
    parser.add_argument("--enforce-iam", action="store_true", help="authorize every signed call by its caller's IAM policies")
    args = parser.parse_args()
    exit_when_orphaned()
    server = ProxyServer((args.host, args.port), ProxyHandler)
    server.state = ProxyState(args.upstream, args.latency_ms, args.enforce_iam)
    print(f"LISTENING {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
