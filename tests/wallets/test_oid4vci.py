"""OpenID4VCI 1.0, pre-authorised code flow with a PIN and a jwt key proof, played by the test wallet."""

import pytest

from awards import verification
from tests.awards.helpers import third_party_verify
from wallets import services
from wallets.models import WalletCopy

pytestmark = pytest.mark.django_db(transaction=True)


def _offer(wallet, offer):
    return wallet.credential_offer(wallet.protocols(services.interaction_url(offer))["OID4VCI"])


def test_pin_and_key_proof_deliver_a_credential_bound_to_the_wallet_s_key(wallet, offer, client):
    credential_offer = _offer(wallet, offer)
    assert credential_offer["grants"]["urn:ietf:params:oauth:grant-type:pre-authorized_code"]["tx_code"]["length"] == 6
    token = wallet.oid4vci_token(credential_offer, services.tx_code(offer))
    assert token.status_code == 200 and "no-store" in token.headers["Cache-Control"]
    response = wallet.oid4vci_credential(credential_offer, token.json()["access_token"])
    assert response.status_code == 200, response.text
    [issued] = response.json()["credentials"]
    credential = issued["credential"]
    assert credential["credentialSubject"]["id"] == wallet.jwk_did()
    assert verification.verify(credential).verdict == "valid"
    assert third_party_verify(client, [credential]) == [{"verified": True, "error": ""}]
    assert WalletCopy.objects.get().protocol == "oid4vci"


def test_a_proof_naming_a_did_key_binds_the_credential_to_that_did(wallet, offer):
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


def test_a_nonce_is_accepted_once(wallet, offer):
    credential_offer = _offer(wallet, offer)
    token = wallet.oid4vci_token(credential_offer, services.tx_code(offer)).json()["access_token"]
    response = wallet.oid4vci_credential(credential_offer, token, nonce="made-up")
    assert response.status_code == 400 and response.json()["error"] == "invalid_nonce"
    assert not WalletCopy.objects.exists()


def test_an_unknown_access_token_gets_401(wallet, offer):
    response = wallet.oid4vci_credential(_offer(wallet, offer), "not-a-token")
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_metadata_describes_the_open_badge_configuration(wallet):
    import requests

    metadata = requests.get(wallet.base_url + "/.well-known/openid-credential-issuer", timeout=10).json()
    configuration = metadata["credential_configurations_supported"]["OpenBadgeCredential"]
    assert configuration["format"] == "ldp_vc" and metadata["credential_issuer"] == wallet.base_url
    assert configuration["proof_types_supported"]["jwt"]["proof_signing_alg_values_supported"] == ["EdDSA"]
