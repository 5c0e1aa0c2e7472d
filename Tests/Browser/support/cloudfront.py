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
  control signs it — with the default root object for "/", and S3's answer is passed back.
"""

import http.server
import itertools
import json
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


class Distribution:
    """The stand-in: `domain` served at https://127.0.0.1:`port` with a self-signed certificate."""

    def __init__(self, domain, bucket, region, emulator_endpoint, edge, certificate_dir):
        self.domain = domain
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
        self.answer(origin.status, passed, origin.data)

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
