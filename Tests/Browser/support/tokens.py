"""ID tokens signed with the emulator's user pool key, for the refusal checks: the key is
moto's own (moto/cognitoidp/resources/jwks-private.json, the one its user pools sign with and
whose public half `/<pool>/.well-known/jwks.json` serves), so such a token differs from a real one
only in the claims the test changes."""

import base64
import json

from joserfc import jwt
from joserfc.jwk import RSAKey
from moto.utilities.utils import load_resource


def claims(token):
    """The claims of a JWT, unverified."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def signed_by_the_pool(payload):
    """A token with `payload`, signed like moto's user pools sign theirs (kid "dummy", RS256)."""
    key = RSAKey.import_key(load_resource("moto.cognitoidp.models", "resources/jwks-private.json"))
    return jwt.encode({"kid": "dummy", "alg": "RS256"}, payload, key)


def tampered(token):
    """The token with one character of its signature changed."""
    head, body, signature = token.split(".")
    last = "A" if signature[-2] != "A" else "B"
    return f"{head}.{body}.{signature[:-2]}{last}{signature[-1]}"
