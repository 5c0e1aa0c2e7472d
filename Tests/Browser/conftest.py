"""Fixtures of the browser suite: the emulator, the image-server stack applied to it by the
imgstack binary, the CloudFront stand-in running the deployed edge function, and headless
Chromium (Debian's `chromium`, driven by Playwright; no browser is downloaded).

With CI set, a missing binary, browser or emulator fails the run instead of skipping it."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).with_name("support")))

from cloudfront import Distribution, EdgeFunction  # noqa: E402
from emulator import Emulator  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / ".build" / "browser-screenshots"
REGION = "eu-west-1"


def missing(what):
    """Fails in CI, skips elsewhere."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{what} is missing (CI is set, so this is a failure)", pytrace=False)
    pytest.skip(f"{what} is missing")


def imgstack_binary():
    path = Path(os.environ.get("IMGSTACK_BINARY", ROOT / ".build" / "debug" / "imgstack"))
    if not path.is_file():
        missing(f"the imgstack binary ({path}; build it with `swift build` or set IMGSTACK_BINARY)")
    return path


def chromium_path():
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not path:
        missing("Debian's chromium (apt-get install chromium)")
    return path


class Deployment:
    """The image-server stack applied to the emulator with `imgstack apply --endpoint-url`."""

    def __init__(self, emulator, work):
        self.emulator = emulator
        self.work = work
        self.service = f"album-{uuid.uuid4().hex[:6]}"
        # A bucket name with dots: the album must list it (path-style) and serve it.
        self.bucket_name = f"{self.service}.images.example"
        self.binary = imgstack_binary()
        self.environment = emulator.environment(REGION, work)
        self.imgstack("apply", "--auto-approve", "--var", f"service={self.service}", "--var", f"bucket_name={self.bucket_name}")
        self.outputs = json.loads(self.imgstack("output", "--json"))

    def imgstack(self, *arguments):
        command = [str(self.binary), arguments[0], "--stack", "image-server", "--endpoint-url", self.emulator.endpoint,
                   "--state-dir", str(self.work / "state"), *arguments[1:]]
        run = subprocess.run(command, env=self.environment, capture_output=True, text=True, timeout=600)
        if run.returncode != 0:
            raise RuntimeError(f"imgstack {arguments[0]} failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")
        return run.stdout

    def output(self, name):
        value = self.outputs[name]
        return value["value"] if isinstance(value, dict) else value

    def edge_package(self):
        """The edge function's package as imgstack builds it: `edge-auth/src` and the config.json
        ImageServerEdge.swift writes (Lambda@Edge has no environment variables)."""
        package = self.work / "edge-package"
        shutil.copytree(ROOT / "Stacks" / "ImageServer" / "edge-auth" / "src", package)
        (package / "config.json").write_text(json.dumps({
            "region": REGION, "userPoolId": self.output("user_pool_id"), "clientId": self.output("client_id"),
            "identityPoolId": self.output("identity_pool_id")}))
        return package


@pytest.fixture(scope="session")
def album():
    """The deployed album behind the CloudFront stand-in; `album.url` is what a user opens."""
    imgstack_binary()
    chromium_path()
    if shutil.which("node") is None:
        missing("node (the edge function runs under it)")
    try:
        emulator = Emulator()
    except Exception as error:  # moto not installed or not starting
        missing(f"the emulator ({error})")
    work = Path(tempfile.mkdtemp(prefix="album-"))
    edge = None
    try:
        deployment = Deployment(emulator, work)
        edge = EdgeFunction(deployment.edge_package(), emulator.endpoint, work / "edge-function.log")
        distribution = Distribution(deployment.output("cloudfront_domain"), deployment.output("bucket"), REGION,
                                    emulator.endpoint, edge, work, emulator.client("cloudfront", "us-east-1"))
        yield Album(deployment, distribution)
    finally:
        if edge:
            edge.stop()
        emulator.stop()


class Album:
    def __init__(self, deployment, distribution):
        self.deployment = deployment
        self.distribution = distribution
        self.emulator = deployment.emulator
        self.url = f"https://{distribution.domain}/"
        self.bucket = deployment.output("bucket")
        self.s3 = self.emulator.client("s3", REGION)
        self.idp = self.emulator.client("cognito-idp", REGION)
        self.identity = self.emulator.client("cognito-identity", REGION)
        self.iam = self.emulator.client("iam", REGION)

    def confirm(self, email):
        """Confirms a sign-up with the user pool's admin call, as an administrator (or the mailed code) would."""
        self.idp.admin_confirm_sign_up(UserPoolId=self.deployment.output("user_pool_id"), Username=email)


@pytest.fixture(scope="session")
def browser(album):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # The distribution's name resolves to the stand-in, which answers TLS with a
        # self-signed certificate for it: the page's origin is https://<domain>, as on AWS.
        launched = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True,
            args=[f"--host-resolver-rules=MAP {album.distribution.domain} 127.0.0.1:{album.distribution.port}"])
        yield launched
        launched.close()


@pytest.fixture
def new_page(browser):
    """Opens pages in fresh browser contexts (own sessionStorage: another visitor)."""
    contexts = []

    def open_page():
        context = browser.new_context(ignore_https_errors=True, viewport={"width": 1100, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page, name):
    """Saves the page under .build/browser-screenshots/ for a person to look at (CI keeps them)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
