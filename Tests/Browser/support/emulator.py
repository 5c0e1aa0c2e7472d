"""Starts the project's emulator for the browser suite: moto with the gaps filled
(Tests/TestSupport/emulator/moto_launcher.py) behind the verifying proxy that re-signs every
request with botocore. Both print "LISTENING <port>" when ready and exit with their parent."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EMULATOR = Path(__file__).resolve().parents[2] / "TestSupport" / "emulator"
ACCESS_KEY = "AKIAIMGSTACKTEST0001"
SECRET_KEY = "imgstack/test/secret/0001"


def signed_sts_call(host, port):
    """The bytes of an STS GetCallerIdentity request to http://host:port/, signed with the test key
    (which the verifying proxy knows), ready to write to a connection."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    body = "Action=GetCallerIdentity&Version=2011-06-15"
    request = AWSRequest(method="POST", url=f"http://{host}:{port}/", data=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "sts", "us-east-1").add_auth(request)
    lines = ["POST / HTTP/1.1", f"Host: {host}:{port}", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in request.headers.items() if name.lower() != "host"]
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


class Emulator:
    """moto and the verifying proxy on free loopback ports; `endpoint` is the proxy, started with
    `proxy_arguments` too (e.g. `["--latency-ms", "40"]`)."""

    def __init__(self, proxy_arguments=()):
        self.logs = Path(tempfile.mkdtemp(prefix="album-emulator-"))
        self.processes = []
        moto_port = self._start("moto_launcher.py", [])
        self.moto_endpoint = f"http://127.0.0.1:{moto_port}"
        proxy_port = self._start("verifying_proxy.py", ["--upstream", self.moto_endpoint, *proxy_arguments])
        self.endpoint = f"http://127.0.0.1:{proxy_port}"

    def _start(self, script, arguments, timeout=60):
        log = open(self.logs / f"{script}.log", "w")
        process = subprocess.Popen([sys.executable, "-u", str(EMULATOR / script), *arguments],
                                   stdout=subprocess.PIPE, stderr=log, text=True)
        self.processes.append(process)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if line.startswith("LISTENING "):
                return int(line.split()[1])
            if not line and process.poll() is not None:
                break
        self.stop()
        raise RuntimeError(f"{script} did not start; its log is {log.name}")

    def environment(self, region, home):
        """What imgstack runs with: the test keys, the region, nothing of the machine's AWS setup."""
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
            "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_REGION": region, "AWS_DEFAULT_REGION": region, "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": str(Path(home) / "aws-config"), "AWS_SHARED_CREDENTIALS_FILE": str(Path(home) / "aws-credentials"),
        }

    def client(self, service, region):
        """A boto3 client signing with the test key, through the verifying proxy."""
        import boto3
        from botocore.config import Config
        return boto3.client(service, region_name=region, endpoint_url=self.endpoint, aws_access_key_id=ACCESS_KEY,
                            aws_secret_access_key=SECRET_KEY, config=Config(s3={"addressing_style": "path"}))

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
