"""The three service-time patches of Tests/TestSupport/emulator/moto_patches.py: moto spared CPU
work a real endpoint never puts on its caller's clock, with every answer as before. Run in
process (moto's mock_aws), so each test sees the work itself; each fails on plain moto."""

import sys
import uuid
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "TestSupport" / "emulator"))

import moto_patches  # noqa: E402

REGION = "eu-west-1"
ACCOUNT = "123456789012"


@pytest.fixture(scope="module", autouse=True)
def patched():
    moto_patches.patch_server_lists_its_services_once()
    moto_patches.patch_kms_private_key_made_when_used()
    moto_patches.patch_cognito_json_web_key_parsed_once()


@pytest.fixture
def aws(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield


def test_a_symmetric_keys_private_key_is_never_made(aws):
    from moto.kms.models import kms_backends

    kms = boto3.client("kms", region_name=REGION)
    key_id = kms.create_key(Description="symmetric")["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"secret")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"secret"
    key = kms_backends[ACCOUNT][REGION].keys[key_id]
    assert getattr(key.private_key, "_made", "made at once") is None


def test_an_asymmetric_key_signs_verifies_and_gives_its_public_key_as_before(aws):
    kms = boto3.client("kms", region_name=REGION)
    key_id = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    signature = kms.sign(KeyId=key_id, Message=b"album", SigningAlgorithm="RSASSA_PSS_SHA_256")["Signature"]
    assert kms.verify(KeyId=key_id, Message=b"album", Signature=signature,
                      SigningAlgorithm="RSASSA_PSS_SHA_256")["SignatureValid"]
    assert len(kms.get_public_key(KeyId=key_id)["PublicKey"]) > 256


def test_a_keys_first_uses_at_once_get_the_one_key():
    """moto's server answers on several threads: a Sign and a GetPublicKey arriving together
    must not each make a key of their own."""
    import threading
    import time
    from types import SimpleNamespace

    made = []

    def slow(key_spec):
        time.sleep(0.05)
        made.append(SimpleNamespace(spec=key_spec))
        return made[-1]

    key = moto_patches._PrivateKeyMadeWhenUsed(slow, "RSA_2048")
    start = threading.Barrier(8)
    seen = []

    def use():
        start.wait()
        seen.append(key.spec)

    threads = [threading.Thread(target=use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 1 and seen == ["RSA_2048"] * 8


def test_user_pools_share_the_one_bundled_key_parsed_once(aws):
    from moto.cognitoidp.models import cognitoidp_backends

    idp = boto3.client("cognito-idp", region_name=REGION)
    ids = [idp.create_user_pool(PoolName=f"p{uuid.uuid4().hex[:6]}")["UserPool"]["Id"] for _ in range(2)]
    pools = cognitoidp_backends[ACCOUNT][REGION].user_pools
    assert pools[ids[0]].json_web_key is pools[ids[1]].json_web_key
    # The key is still the bundled one: its id is the one moto's JWKS endpoint serves.
    assert pools[ids[0]].json_web_key.kid == "dummy"


def test_the_server_finds_a_requests_service_without_listing_its_package(monkeypatch):
    import os

    from moto.server import DomainDispatcherApplication, create_backend_app
    from werkzeug.test import Client

    client = Client(DomainDispatcherApplication(create_backend_app))
    headers = {"Authorization": "AWS4-HMAC-SHA256 Credential=AKIAIMGSTACKTEST0001/20261203/us-east-1/sts/aws4_request, "
                                "SignedHeaders=host, Signature=00", "Host": "127.0.0.1"}
    client.post("/", data={"Action": "GetCallerIdentity", "Version": "2011-06-15"}, headers=headers)
    listings = []
    listdir = os.listdir
    monkeypatch.setattr(os, "listdir", lambda *args: listings.append(args) or listdir(*args))
    answer = client.post("/", data={"Action": "GetCallerIdentity", "Version": "2011-06-15"}, headers=headers)
    assert answer.status_code == 200 and b"<Account>" in answer.data
    assert listings == []
