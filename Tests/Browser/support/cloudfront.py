"""A local stand-in for the image server's CloudFront distribution, for the browser suite.

It answers HTTPS on a loopback port for the distribution's domain (Chromium maps that name
here with --host-resolver-rules), and does what the deployed distribution does
(ImageServerDistribution.swift):

- every request first goes through the real edge function's viewer-request handler
  (edge_runner.js, node), given the Lambda@Edge event CloudFront builds
  (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-event-structure.html:
  Records[0].cf.config and cf.request with clientIp, method, uri, querystring and headers as
  lowercase names mapping to [{key, value}] lists; no body unless include-body is set);
- a response from the handler is sent to the viewer as it is (status, headers, body);
- a request the handler returns goes to the S3 origin — GetObject, HeadObject, PutObject,
  DeleteObject on the bucket in the emulator, signed with SigV4 the way the origin access
  control signs it — with the default root object for "/", and S3's answer is passed back
  with the security headers of the response headers policy of the cache behaviour the path
  matches (read from the deployed distribution and policies in the emulator): the first
  ordered behaviour whose path pattern matches, else the default
  (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesCacheBehavior.html#DownloadDistValuesPathPattern:
  `*` any characters, `?` one, case-sensitive, the leading `/` optional), each header replacing
  the origin's only when the policy says Override
  (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/understanding-response-headers-policies.html).
  CORS headers are not emulated; a response the edge function makes itself goes out as it is.
"""

import http.server
import itertools
import json
import re
import ssl
import subprocess
import threading
import urllib.parse
import uuid
from pathlib import Path

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import urllib3

from emulator import ACCESS_KEY, SECRET_KEY

EDGE_RUNNER = Path(__file__).with_name("edge_runner.js")
# What CloudFront's CORS-S3Origin origin request policy forwards, plus Content-Type, which the
# site sets on uploads so that S3 stores the image's type.
FORWARDED_TO_ORIGIN = ("content-type", "origin", "access-control-request-headers", "access-control-request-method")
PASSED_BACK = ("content-type", "content-length", "etag", "last-modified", "cache-control", "www-authenticate", "retry-after")


class EdgeFunction:
    """One warm instance of the deployed function under node."""

    def __init__(self, package_dir, emulator_endpoint, log_path):
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(["node", str(EDGE_RUNNER), str(package_dir), emulator_endpoint],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.lock = threading.Lock()
        self.ids = itertools.count()

    def viewer_request(self, event):
        with self.lock:
            call = next(self.ids)
            self.process.stdin.write(json.dumps({"id": call, "event": event}) + "\n")
            self.process.stdin.flush()
            answer = json.loads(self.process.stdout.readline())
        if answer["id"] != call or "error" in answer:
            raise RuntimeError(f"the edge function failed: {answer.get('error')}")
        return answer["result"]

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=5)


def path_pattern(pattern):
    """A cache behaviour's path pattern as a regular expression over the request path."""
    if not pattern.startswith("/"):
        pattern = "/" + pattern
    return re.compile("".join(".*" if char == "*" else "." if char == "?" else re.escape(char) for char in pattern) + r"\Z",
                      re.DOTALL)


def security_headers(policy_config):
    """(name, value, override) for each security header a ResponseHeadersPolicyConfig adds."""
    config = policy_config.get("SecurityHeadersConfig") or {}
    headers = []
    if "ContentSecurityPolicy" in config:
        entry = config["ContentSecurityPolicy"]
        headers.append(("Content-Security-Policy", entry["ContentSecurityPolicy"], entry["Override"]))
    if "ContentTypeOptions" in config:
        headers.append(("X-Content-Type-Options", "nosniff", config["ContentTypeOptions"]["Override"]))
    if "FrameOptions" in config:
        headers.append(("X-Frame-Options", config["FrameOptions"]["FrameOption"], config["FrameOptions"]["Override"]))
    if "ReferrerPolicy" in config:
        headers.append(("Referrer-Policy", config["ReferrerPolicy"]["ReferrerPolicy"], config["ReferrerPolicy"]["Override"]))
    return headers


class Distribution:
    """The stand-in: `domain` served at https://127.0.0.1:`port` with a self-signed certificate.

    `cloudfront` is a client of the emulator's CloudFront, where the deployed distribution and
    its response headers policies are read."""

    def __init__(self, domain, bucket, region, emulator_endpoint, edge, certificate_dir, cloudfront):
        self.domain = domain
        self.behaviours = self.read_behaviours(cloudfront)
        self.bucket = bucket
        self.region = region
        self.origin = emulator_endpoint
        self.edge = edge
        self.http = urllib3.PoolManager(maxsize=8)
        self.credentials = botocore.credentials.Credentials(ACCESS_KEY, SECRET_KEY)
        self.requests = []  # (method, path, status) seen by the viewer
        handler = type("Handler", (ViewerHandler,), {"distribution": self})
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*self_signed_certificate(domain, certificate_dir))
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def read_behaviours(self, cloudfront):
        """[(path regex or None for the default, [security headers])], ordered behaviours first."""
        summaries = cloudfront.list_distributions()["DistributionList"].get("Items") or []
        [summary] = [item for item in summaries if item["DomainName"] == self.domain]
        config = cloudfront.get_distribution_config(Id=summary["Id"])["DistributionConfig"]

        def headers_of(behaviour):
            policy_id = behaviour.get("ResponseHeadersPolicyId")
            if not policy_id:
                return []
            return security_headers(cloudfront.get_response_headers_policy_config(Id=policy_id)["ResponseHeadersPolicyConfig"])

        ordered = (config.get("CacheBehaviors") or {}).get("Items") or []
        return ([(path_pattern(behaviour["PathPattern"]), headers_of(behaviour)) for behaviour in ordered]
                + [(None, headers_of(config["DefaultCacheBehavior"]))])

    def response_headers(self, path, origin_headers):
        """The origin's headers with the matching behaviour's security headers added as CloudFront adds them."""
        headers = dict(origin_headers)
        for pattern, added in self.behaviours:
            if pattern is None or pattern.match(path):
                for name, value, override in added:
                    present = [key for key in headers if key.lower() == name.lower()]
                    if present and not override:
                        continue
                    for key in present:
                        del headers[key]
                    headers[name] = value
                return headers
        return headers

    def event(self, method, uri, query, headers, client_ip):
        """The viewer-request event CloudFront hands the function."""
        cf_headers = {}
        for name, value in headers.items():
            cf_headers.setdefault(name.lower(), []).append({"key": name, "value": value})
        return {"Records": [{"cf": {
            "config": {"distributionDomainName": self.domain, "distributionId": "EDFDVBD6EXAMPLE",
                       "eventType": "viewer-request", "requestId": uuid.uuid4().hex},
            "request": {"clientIp": client_ip, "headers": cf_headers, "method": method, "querystring": query, "uri": uri},
        }}]}

    def to_origin(self, request, body):
        """Sends the request the function let through to S3, signed as the origin access control signs it."""
        uri = "/index.html" if request["uri"] == "/" else request["uri"]
        url = f"{self.origin}/{self.bucket}{uri}"
        headers = {}
        for name, entries in request["headers"].items():
            if name in FORWARDED_TO_ORIGIN:
                headers[entries[0]["key"]] = entries[0]["value"]
        aws_request = botocore.awsrequest.AWSRequest(method=request["method"], url=url, data=body or b"", headers=headers)
        botocore.auth.S3SigV4Auth(self.credentials, "s3", self.region).add_auth(aws_request)
        prepared = aws_request.prepare()
        return self.http.request(prepared.method, prepared.url, body=prepared.body, headers=dict(prepared.headers),
                                 redirect=False, preload_content=True)


class ViewerHandler(http.server.BaseHTTPRequestHandler):
    distribution = None
    protocol_version = "HTTP/1.1"

    def handle_viewer(self):
        distribution = self.distribution
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path, _, query = self.path.partition("?")
        headers = {name: value for name, value in self.headers.items()}
        result = distribution.edge.viewer_request(distribution.event(self.command, path, query, headers, self.client_address[0]))
        if "status" in result:
            out = {name: entries[0]["value"] for name, entries in (result.get("headers") or {}).items()}
            self.answer(int(result["status"]), out, (result.get("body") or "").encode())
            return
        origin = distribution.to_origin(result, body)
        passed = {name: value for name, value in origin.headers.items() if name.lower() in PASSED_BACK}
        self.answer(origin.status, distribution.response_headers(path, passed), origin.data)

    def answer(self, status, headers, body):
        self.distribution.requests.append((self.command, urllib.parse.unquote(self.path), status))
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_PUT = do_DELETE = do_POST = do_PATCH = do_OPTIONS = handle_viewer

    def log_message(self, *_):
        """Quiet: the suite reads `requests`."""


def self_signed_certificate(domain, directory):
    """A certificate for `domain` and its key, as PEM files (Chromium is told to accept it)."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName(domain)]), critical=False)
                   .sign(key, hashes.SHA256()))
    cert_path, key_path = Path(directory) / "cloudfront.pem", Path(directory) / "cloudfront.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)
