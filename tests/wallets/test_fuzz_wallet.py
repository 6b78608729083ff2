"""Whatever a wallet (or anyone) sends to the wallet endpoints, the answer is never a 5xx: JSON of any type where an
object, a string or a list was expected, bytes that are not JSON, forms with any fields, signed key proofs with
hostile claims. Hypothesis generates the input; the Django test client sends it."""

import base64
import datetime
import json
import time

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings as django_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awards.credentials import VC_CONTEXT
from wallets import metadata, services
from wallets.models import AccessToken

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
NAMES = [
    "verifiablePresentation", "@context", "type", "holder", "proof", "proofs", "jwt", "proofValue",
    "verificationMethod", "proofPurpose", "challenge", "domain", "cryptosuite", "credential_configuration_id",
    "grant_type", "pre-authorized_code", "tx_code", "kid", "jwk", "x", "kty", "crv", "aud", "iat", "nonce",
]  # fmt: skip
KEYS = st.sampled_from(NAMES) | st.text(max_size=8)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
JSON = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(KEYS, children, max_size=4),
    max_leaves=12,
)
BODIES = JSON.map(json.dumps).map(str.encode) | st.binary(max_size=64)
DID = "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH"


@pytest.fixture(autouse=True)
def no_wait(settings):
    """A request that got as far as asking the learner answers at once (nobody approves here)."""
    settings.WALLET_APPROVAL_WAIT = datetime.timedelta(0)


@pytest.fixture
def access_token(offer):
    """A valid OpenID4VCI access token for ``offer``, so that credential requests reach the key proof."""
    token = "fuzz-token"
    AccessToken.objects.create(
        token_hash=services._hash(token), offer=offer, expires_at=offer.expires_at + datetime.timedelta(hours=1)
    )
    return token


def _either(good, data):
    """The well-formed value, or anything."""
    return data.draw(st.just(good) | JSON)


def _one_field_changed(document, data):
    """``document`` with one field, at any depth, replaced by anything or removed: everything else stays right, so
    the input gets past the checks before that field's."""
    paths, stack = [], [((), document)]
    while stack:
        path, node = stack.pop()
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in children:
            paths.append((*path, key))
            stack.append(((*path, key), child))
    *parents, last = data.draw(st.sampled_from(sorted(paths, key=str)))
    node = document
    for key in parents:
        node = node[key]
    if isinstance(node, dict) and data.draw(st.booleans()):
        del node[last]
    else:
        node[last] = data.draw(JSON)
    return document


def _presentation(offer):
    """The shape of a DID Authentication for ``offer`` (its signature is not checked before the fields are)."""
    return {
        "@context": [VC_CONTEXT],
        "type": ["VerifiablePresentation"],
        "holder": DID,
        "proof": {
            "type": "Ed25519Signature2020", "proofPurpose": "authentication", "challenge": offer.challenge,
            "domain": services.domain(), "verificationMethod": f"{DID}#{DID[8:]}", "proofValue": "z3FXQ",
        },
    }  # fmt: skip


def _b64(value: bytes) -> str:
    return base64.urlsafe_b64encode(value).rstrip(b"=").decode()


KEY = Ed25519PrivateKey.generate()
X = _b64(KEY.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def _key_proof(data):
    """A key proof JWT signed with a real key, right but for one header field or claim, so that every check of the
    proof's content is reached (a proof left whole is valid, and its request asks the learner)."""
    proof = {
        "header": {"typ": "openid4vci-proof+jwt", "alg": "EdDSA", "jwk": {"kty": "OKP", "crv": "Ed25519", "x": X}},
        "claims": {
            "aud": django_settings.REGISTRY_PUBLIC_URL,
            "iat": int(time.time()),
            "nonce": services.nonce_issue(),
        },
    }
    if data.draw(st.booleans()):
        proof = _one_field_changed(proof, data)
    header, claims = proof.get("header", {}), proof.get("claims", {})
    signing_input = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())
    return signing_input + "." + _b64(KEY.sign(signing_input.encode()))


def _post_json(client, url, body, **headers):
    content = body if isinstance(body, bytes) else json.dumps(body)
    return client.generic("POST", url, content, content_type="application/json", headers=headers)


@FUZZ
@given(data=st.data())
def test_the_vc_api_exchange_never_answers_5xx(client, offer, data):
    url = reverse("wallets:exchange", args=[offer.pk])
    if data.draw(st.booleans()):
        body = _one_field_changed({"verifiablePresentation": _presentation(offer)}, data)
    else:
        body = data.draw(BODIES)
    assert _post_json(client, url, body).status_code < 500


@FUZZ
@given(data=st.data())
def test_the_lcw_request_never_answers_5xx(client, offer, data):
    url = reverse("wallets:lcw-request", args=[offer.pk])
    body = _one_field_changed(_presentation(offer), data) if data.draw(st.booleans()) else data.draw(BODIES)
    bearer = data.draw(st.just(offer.challenge) | st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126)))
    assert _post_json(client, url, body, Authorization=f"Bearer {bearer}").status_code < 500


@FUZZ
@given(data=st.data())
def test_the_token_endpoint_never_answers_5xx(client, offer, data):
    url = reverse("wallets:token")
    form = {
        "grant_type": _either(metadata.PRE_AUTHORIZED_GRANT, data),
        "pre-authorized_code": _either(services.pre_authorized_code(offer), data),
        "tx_code": _either(services.tx_code(offer), data),
    }
    form = {key: value for key, value in form.items() if value is not None and data.draw(st.booleans())}
    if data.draw(st.booleans()):
        response = client.post(url, {key: str(value) for key, value in form.items()})
    else:
        response = _post_json(client, url, data.draw(BODIES | st.just(form)))
    assert response.status_code < 500


@FUZZ
@given(body=BODIES)
def test_the_nonce_endpoint_never_answers_5xx(client, body):
    assert _post_json(client, reverse("wallets:nonce"), body).status_code < 500


@FUZZ
@given(data=st.data())
def test_the_credential_endpoint_never_answers_5xx(client, access_token, data):
    if data.draw(st.booleans()):
        request = {"credential_configuration_id": "OpenBadgeCredential", "proofs": {"jwt": [_key_proof(data)]}}
        body = _one_field_changed(request, data)
    else:
        body = data.draw(BODIES)
    bearer = data.draw(st.just(access_token) | st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126)))
    response = _post_json(client, reverse("wallets:credential"), body, Authorization=f"Bearer {bearer}")
    assert response.status_code < 500


@FUZZ
@given(
    name=st.sampled_from(["wallets:interaction", "wallets:credential-offer", "wallets:exchange"]),
    accept=st.sampled_from(["application/json", "text/html", "*/*"]) | st.text(max_size=20),
    query=st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3),
)
def test_the_offer_documents_never_answer_5xx(client, offer, name, accept, query):
    response = client.get(reverse(name, args=[offer.pk]), query, headers={"Accept": accept})
    assert response.status_code < 500
