"""Sphereon's OpenID4VCI client (@sphereon/oid4vci-client, tests/thirdparty/oid4vci_wallet.js), unmodified, gets a
credential from the live server the way a wallet app built on it does, while the learner approves on their offer
page; Digital Bazaar's verifier checks what it got."""

import base64
import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from tests.awards.helpers import third_party_verify
from wallets import metadata, services
from wallets.models import WalletCopy, WalletOffer

pytestmark = pytest.mark.django_db(transaction=True)

OID4VCI_WALLET_JS = Path(__file__).resolve().parents[1] / "thirdparty" / "oid4vci_wallet.js"


def sphereon_wallet(offer_uri: str, pin: str, *, curve="Ed25519", binding="did:key") -> dict:
    """What the client printed: ``{did, jwk, credential}``, or ``{error}`` when it gave up."""
    node = shutil.which("node") or shutil.which("nodejs")
    payload = {"offer": offer_uri, "pin": pin, "curve": curve, "binding": binding}
    run = subprocess.run(
        [node, str(OID4VCI_WALLET_JS)], input=json.dumps(payload), capture_output=True, text=True, timeout=60,
        cwd=OID4VCI_WALLET_JS.parent,
    )  # fmt: skip
    assert run.stdout, run.stderr
    return json.loads(run.stdout)


def by_reference(offer) -> str:
    return requests.get(services.interaction_url(offer), headers={"Accept": "application/json"}, timeout=10).json()[
        "protocols"
    ]["OID4VCI"]


def by_value(offer) -> str:
    document = metadata.credential_offer(offer, services.pre_authorized_code(offer))
    return "openid-credential-offer://?credential_offer=" + quote(json.dumps(document))


def did_jwk_of(jwk: dict) -> str:
    """The did:jwk of a bare JWK: its RFC 7638 members, in order, without whitespace (wallets/proofs.py)."""
    members = ("crv", "kty", "x", "y") if jwk["kty"] == "EC" else ("crv", "kty", "x")
    canonical = json.dumps({name: jwk[name] for name in members}, separators=(",", ":"))
    return "did:jwk:" + base64.urlsafe_b64encode(canonical.encode()).rstrip(b"=").decode()


@pytest.mark.parametrize(
    ("offer_link", "curve", "binding"),
    [
        (by_reference, "Ed25519", "did:key"),
        (by_value, "Ed25519", "did:jwk"),
        (by_reference, "P-256", "did:key"),
        (by_value, "P-256", "did:jwk"),
        (by_reference, "P-256", "jwk"),
    ],
    ids=["by-reference-EdDSA-did:key", "by-value-EdDSA-did:jwk", "by-reference-ES256-did:key",
         "by-value-ES256-did:jwk", "by-reference-ES256-jwk"],
)  # fmt: skip
def test_the_client_gets_a_credential_bound_to_the_wallet_s_did_that_verifies(
    public_url, offer, client, learner_approves, offer_link, curve, binding
):
    got = sphereon_wallet(offer_link(offer), services.tx_code(offer), curve=curve, binding=binding)
    assert "error" not in got, got["error"]
    holder = got["did"] or did_jwk_of(got["jwk"])
    credential = got["credential"]
    assert credential["credentialSubject"]["id"] == holder == learner_approves.decided[0]
    assert WalletCopy.objects.get().holder == holder and WalletCopy.objects.get().protocol == "oid4vci"
    assert third_party_verify(client, [credential]) == [{"verified": True, "error": ""}]


def test_a_wrong_pin_is_refused_and_the_client_says_so(public_url, offer):
    wrong = f"{(int(services.tx_code(offer)) + 1) % 10**6:06d}"
    got = sphereon_wallet(by_reference(offer), wrong)
    assert "Retrieving an access token" in got["error"] and "status: 400" in got["error"]
    assert WalletOffer.objects.get(pk=offer.pk).tx_code_failures == 1 and not WalletCopy.objects.exists()


def test_the_learner_refusing_leaves_the_client_without_a_credential(public_url, offer, learner_refuses):
    got = sphereon_wallet(by_reference(offer), services.tx_code(offer), curve="P-256")
    assert "Retrieving a credential" in got["error"] and "status: 403" in got["error"]
    assert WalletOffer.objects.get(pk=offer.pk).state == "refused" and not WalletCopy.objects.exists()


def test_the_client_finds_the_metadata_with_debug_on(public_url, offer, settings, learner_approves):
    settings.DEBUG = True  # the 404s of the places it looks first are JSON, not the DEBUG page, which it cannot parse
    got = sphereon_wallet(by_reference(offer), services.tx_code(offer))
    assert "error" not in got, got["error"]
