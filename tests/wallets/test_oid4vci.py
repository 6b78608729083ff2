"""OpenID4VCI 1.0, pre-authorised code flow with a PIN and a jwt key proof, played by the test wallet."""

import datetime

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from awards import verification
from tests.awards.helpers import third_party_verify
from wallets import services
from wallets.models import Nonce, WalletCopy, WalletOffer
from wallets.proofs import MAX_KID_LENGTH

pytestmark = pytest.mark.django_db(transaction=True)


def _offer(wallet, offer):
    return wallet.credential_offer(wallet.protocols(services.interaction_url(offer))["OID4VCI"])


def test_pin_and_key_proof_deliver_a_credential_bound_to_the_wallet_s_key(wallet, offer, client, learner_approves):
    credential_offer = _offer(wallet, offer)
    assert credential_offer["grants"]["urn:ietf:params:oauth:grant-type:pre-authorized_code"]["tx_code"]["length"] == 6
    token = wallet.oid4vci_token(credential_offer, services.tx_code(offer))
    assert token.status_code == 200 and "no-store" in token.headers["Cache-Control"]
    response = wallet.oid4vci_credential(credential_offer, token.json()["access_token"])
    assert response.status_code == 200, response.text
    [issued] = response.json()["credentials"]
    credential = issued["credential"]
    assert credential["credentialSubject"]["id"] == wallet.jwk_did() == learner_approves.decided[0]
    assert verification.verify(credential).verdict == "valid"
    assert third_party_verify(client, [credential]) == [{"verified": True, "error": ""}]
    assert WalletCopy.objects.get().protocol == "oid4vci"


def test_a_proof_naming_a_did_key_binds_the_credential_to_that_did(wallet, offer, learner_approves):
    credential_offer = _offer(wallet, offer)
    token = wallet.oid4vci_token(credential_offer, services.tx_code(offer)).json()["access_token"]
    response = wallet.oid4vci_credential(credential_offer, token, by_kid=True)
    credential = response.json()["credentials"][0]["credential"]
    assert credential["credentialSubject"]["id"] == wallet.key_did()
    assert verification.verify(credential).verdict == "valid"


def test_a_stale_key_proof_is_refused(wallet, offer):
    import time

    import requests

    credential_offer = _offer(wallet, offer)
    token = wallet.oid4vci_token(credential_offer, services.tx_code(offer)).json()["access_token"]
    nonce = requests.post(wallet.base_url + "/wallets/nonce", timeout=10).json()["c_nonce"]
    proof = wallet.key_proof(audience=wallet.base_url, nonce=nonce, issued_at=int(time.time()) - 3600)
    response = requests.post(
        wallet.base_url + "/wallets/credential", json={"proofs": {"jwt": [proof]}},
        headers={"Authorization": f"Bearer {token}"}, timeout=10,
    )  # fmt: skip
    assert response.status_code == 400 and response.json()["error"] == "invalid_proof"
    assert not WalletCopy.objects.exists()


def test_the_pre_authorised_code_is_traded_once(wallet, offer):
    credential_offer = _offer(wallet, offer)
    assert wallet.oid4vci_token(credential_offer, services.tx_code(offer)).status_code == 200
    again = wallet.oid4vci_token(credential_offer, services.tx_code(offer))
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_five_wrong_pins_end_the_offer(wallet, offer, settings):
    credential_offer = _offer(wallet, offer)
    wrong = f"{(int(services.tx_code(offer)) + 1) % 10**6:06d}"
    for _attempt in range(settings.WALLET_TX_CODE_ATTEMPTS):
        assert wallet.oid4vci_token(credential_offer, wrong).json()["error"] == "invalid_grant"
    assert wallet.oid4vci_token(credential_offer, services.tx_code(offer)).status_code == 400
    offer.refresh_from_db()
    assert offer.state == "withdrawn"


@pytest.mark.parametrize("field", ["tx_code", "pre-authorized_code"])
def test_a_code_or_pin_with_non_ascii_characters_is_refused_not_a_500(client, offer, field):
    form = {
        "grant_type": "urn:ietf:params:oauth:grant-type:pre-authorized_code",
        "pre-authorized_code": services.pre_authorized_code(offer),
        "tx_code": services.tx_code(offer),
    }
    form[field] = "é" + form[field][1:]
    response = client.post(reverse("wallets:token"), form)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_asking_for_nonces_writes_nothing(client):
    nonces = {client.post(reverse("wallets:nonce")).json()["c_nonce"] for _ in range(5)}
    assert len(nonces) == 5 and not Nonce.objects.exists()


def test_a_nonce_is_accepted_once_even_before_the_learner_decides(wallet, offer):
    credential_offer = _offer(wallet, offer)
    token = wallet.oid4vci_token(credential_offer, services.tx_code(offer)).json()["access_token"]
    nonce = services.nonce_issue()
    assert wallet.oid4vci_credential(credential_offer, token, nonce=nonce).json()["error"] == "authorization_pending"
    replayed = wallet.oid4vci_credential(credential_offer, token, nonce=nonce)
    assert replayed.status_code == 400 and replayed.json()["error"] == "invalid_nonce"
    assert "used already" in replayed.json()["error_description"] and not WalletCopy.objects.exists()


def test_an_expired_nonce_is_refused(wallet, offer):
    credential_offer = _offer(wallet, offer)
    token = wallet.oid4vci_token(credential_offer, services.tx_code(offer)).json()["access_token"]
    expired = services.nonce_issue(now=timezone.now() - datetime.timedelta(hours=1))
    response = wallet.oid4vci_credential(credential_offer, token, nonce=expired)
    assert response.status_code == 400 and "expired" in response.json()["error_description"]
    assert not WalletCopy.objects.exists() and not Nonce.objects.exists()


@pytest.mark.parametrize(
    "forged",
    ["made-up", signing.dumps({"n": "x", "exp": 2**40}, salt=services.NONCE_SALT, key="not-the-registry-s-key")],
    ids=["made-up", "signed-with-another-key"],  # the signed value has a timestamp: xdist workers must agree on ids
)
def test_a_forged_nonce_is_refused(wallet, offer, forged):
    credential_offer = _offer(wallet, offer)
    token = wallet.oid4vci_token(credential_offer, services.tx_code(offer)).json()["access_token"]
    response = wallet.oid4vci_credential(credential_offer, token, nonce=forged)
    assert response.status_code == 400 and response.json()["error"] == "invalid_nonce"
    assert not WalletCopy.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"proof": ["a.b.c"]}, {"proof": 7}, {"proof": "a.b.c"}, {"proofs": ["a.b.c"]}, {"proofs": 7},
        {"proofs": None}, {"proofs": {"jwt": "a.b.c"}}, {"proofs": {"jwt": [{"a": 1}]}},
        {"proofs": {"jwt": ["a.b.c"]}, "proof": {"jwt": "a.b.c"}},
        {"credential_configuration_id": ["OpenBadgeCredential"]}, {"credential_configuration_id": 1},
        {"credential_configuration_id": {"a": 1}}, {"credential_configuration_id": None},
    ],
)  # fmt: skip
def test_a_credential_request_of_the_wrong_shape_gets_a_400(client, body):
    response = client.post(reverse("wallets:credential"), body, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"] in (
        "invalid_proof",
        "unknown_credential_configuration",
    )


def test_an_unknown_access_token_gets_401(wallet, offer):
    response = wallet.oid4vci_credential(_offer(wallet, offer), "not-a-token")
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_metadata_describes_the_open_badge_configuration(wallet):
    import requests

    metadata = requests.get(wallet.base_url + "/.well-known/openid-credential-issuer", timeout=10).json()
    configuration = metadata["credential_configurations_supported"]["OpenBadgeCredential"]
    assert configuration["format"] == "ldp_vc" and metadata["credential_issuer"] == wallet.base_url
    assert configuration["proof_types_supported"]["jwt"]["proof_signing_alg_values_supported"] == ["EdDSA", "ES256"]
    assert configuration["cryptographic_binding_methods_supported"] == ["did:key", "did:jwk", "jwk"]
    assert configuration["credential_signing_alg_values_supported"] == ["eddsa-rdfc-2022"]
    assert configuration["credential_metadata"]["display"] == [{"name": "Open Badge", "locale": "en"}]
    assert metadata["nonce_endpoint"] == wallet.base_url + "/wallets/nonce"


@pytest.mark.parametrize(
    "location", ["/.well-known/oauth-authorization-server/wallets", "/wallets/.well-known/oauth-authorization-server"]
)  # RFC 8414's, and where clients that append the suffix to the issuer look (Sphereon's)
def test_the_wallets_authorisation_server_describes_itself_where_clients_look(client, settings, location):
    metadata = client.get(location).json()
    assert metadata["issuer"] == settings.REGISTRY_PUBLIC_URL + "/wallets"
    assert metadata["token_endpoint"] == settings.REGISTRY_PUBLIC_URL + "/wallets/token"
    assert metadata["grant_types_supported"] == ["urn:ietf:params:oauth:grant-type:pre-authorized_code"]


def test_a_wallet_did_as_long_as_a_key_proof_may_name_is_stored_whole(offer):
    """A P-256 did:jwk with its optional members is ~280 characters: PostgreSQL refused it in 255-character columns."""
    did = "did:jwk:" + "e" * (MAX_KID_LENGTH - len("did:jwk:"))
    WalletOffer.objects.filter(pk=offer.pk).update(pending_holder=did, other_holder=did)
    offer.refresh_from_db()
    assert offer.pending_holder == offer.other_holder == did
    assert WalletCopy._meta.get_field("holder").max_length >= MAX_KID_LENGTH
