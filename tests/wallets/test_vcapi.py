"""A wallet collects a credential through the VCALM interaction URL and a VC-API exchange, over the live server."""

import datetime
import json

import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from awards import services as award_services
from awards import verification
from awards.credentials import VC_CONTEXT
from tests.awards.helpers import schema_errors, third_party_verify
from tests.wallets.lcw import LearnerCredentialWallet, PresentationRequestWallet
from wallets import services
from wallets.models import WalletCopy

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_did_key_wallet_receives_the_credential_bound_to_its_did(wallet, offer, client, learner_approves):
    protocols = wallet.protocols(services.interaction_url(offer))
    assert set(protocols) == {"vcapi", "OID4VCI"}
    response = wallet.vcapi(protocols["vcapi"])
    assert response.status_code == 200, response.text
    [credential] = response.json()["verifiablePresentation"]["verifiableCredential"]
    assert credential["credentialSubject"]["id"] == wallet.did and wallet.did.startswith("did:key:z6Mk")
    assert learner_approves.decided == [wallet.did]  # the learner approved exactly that wallet, while it waited
    assert credential["id"] == json.loads(offer.award.credential)["id"]  # a copy of the same credential
    assert verification.verify(credential).verdict == "valid"
    assert third_party_verify(client, [credential]) == [{"verified": True, "error": ""}]
    assert schema_errors(credential) == []
    copy = WalletCopy.objects.get()
    assert (copy.award, copy.holder, copy.protocol) == (offer.award, wallet.did, "vcapi")
    offer.refresh_from_db()
    assert offer.state == "used"


def test_a_replayed_exchange_is_refused_and_delivers_nothing_more(wallet, offer, learner_approves):
    exchange = wallet.protocols(services.interaction_url(offer))["vcapi"]
    assert wallet.vcapi(exchange).status_code == 200
    again = wallet.vcapi(exchange)
    assert again.status_code == 404 and again.json()["error"] == "invalid_grant"
    assert WalletCopy.objects.count() == 1


def test_the_exchange_request_names_only_data_integrity_cryptosuites(client, offer):
    response = client.post(reverse("wallets:exchange", args=[offer.pk]), {}, "application/json")
    [query] = response.json()["verifiablePresentationRequest"]["query"]
    assert query["type"] == "DIDAuthentication" and query["acceptedMethods"] == [{"method": "key"}, {"method": "jwk"}]
    assert query["acceptedCryptosuites"] == [
        {"cryptosuite": "eddsa-rdfc-2022"}
    ]  # not the proof type Ed25519Signature2020


def test_a_wallet_signing_with_the_cryptosuite_the_exchange_request_names_gets_the_credential(
    public_url, offer, client, learner_approves
):
    wallet = PresentationRequestWallet()
    request = requests.post(services.exchange_url(offer), json={}, timeout=10).json()["verifiablePresentationRequest"]
    answer = wallet.answer(request)
    assert (
        answer["cryptosuite"] == "eddsa-rdfc-2022" and answer["presentation"]["proof"]["type"] == "DataIntegrityProof"
    )
    service = request["interact"]["service"][0]["serviceEndpoint"]
    response = requests.post(service, json={"verifiablePresentation": answer["presentation"]}, timeout=30)
    assert response.status_code == 200, response.text
    [credential] = response.json()["verifiablePresentation"]["verifiableCredential"]
    assert credential["credentialSubject"]["id"] == wallet.did and learner_approves.decided == [wallet.did]
    assert third_party_verify(client, [credential]) == [{"verified": True, "error": ""}]


def test_a_presentation_without_a_domain_is_refused_by_the_exchange(public_url, offer):
    presentation = LearnerCredentialWallet().follow(services.lcw_request_link(offer))["presentation"]
    response = requests.post(services.exchange_url(offer), json={"verifiablePresentation": presentation}, timeout=30)
    assert response.status_code == 400 and "domain does not match" in response.json()["error_description"]
    assert not WalletCopy.objects.exists()


def test_a_presentation_over_the_wrong_challenge_is_refused(wallet, offer):
    response = wallet.vcapi(services.exchange_url(offer), challenge="not-the-challenge")
    assert response.status_code == 400 and "challenge does not match" in response.json()["error_description"]
    assert not WalletCopy.objects.exists()


def test_an_expired_offer_is_refused(wallet, offer):
    type(offer).objects.filter(pk=offer.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = requests.get(services.interaction_url(offer), headers={"Accept": "application/json"}, timeout=10)
    assert response.status_code == 410
    assert requests.post(services.exchange_url(offer), json={}, timeout=10).status_code == 404


def test_revoking_the_award_revokes_every_wallet_copy(wallet, offer, registrar, learner_approves):
    credential = wallet.vcapi(services.exchange_url(offer)).json()["verifiablePresentation"]["verifiableCredential"][0]
    award_services.award_revoke(award=offer.award, user=registrar, reason="Issued in error")
    assert verification.verify(credential).verdict == "revoked"


def test_the_lcw_request_link_takes_the_presentation_with_the_challenge_as_bearer_token(
    wallet, offer, learner_approves
):
    presentation = wallet.did_authentication(offer.challenge, services.domain())
    url = services.exchange_url(offer) + "/lcw"
    refused = requests.post(url, json=presentation, headers={"Authorization": "Bearer wrong"}, timeout=10)
    assert refused.status_code == 401
    response = requests.post(url, json=presentation, headers={"Authorization": f"Bearer {offer.challenge}"}, timeout=30)
    assert response.status_code == 200 and response.json()["credentialSubject"]["id"] == wallet.did
    assert WalletCopy.objects.get().protocol == "lcw"


def test_the_learner_record_goes_into_a_wallet_bound_to_its_did(wallet, award, client, learner_approves):
    offer = services.offer_create(learner=award.learner)
    response = wallet.vcapi(wallet.protocols(services.interaction_url(offer))["vcapi"])
    [record] = response.json()["verifiablePresentation"]["verifiableCredential"]
    assert record["type"] == ["VerifiableCredential", "ClrCredential"]
    assert record["credentialSubject"]["id"] == wallet.did
    assert verification.verify(record).verdict == "valid"
    assert schema_errors(record, "clr_v2p0_clrcredential_schema.json") == []
    assert WalletCopy.objects.get().award is None


def _presentation(offer, **changes):
    """The shape of a DID Authentication for ``offer`` (unsigned: these are refused before any signature check)."""
    did = "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH"
    proof = {
        "type": "Ed25519Signature2020", "proofPurpose": "authentication", "challenge": offer.challenge,
        "domain": services.domain(), "verificationMethod": f"{did}#{did[8:]}", "proofValue": "z3FXQ",
    }  # fmt: skip
    return {"@context": [VC_CONTEXT], "type": ["VerifiablePresentation"], "holder": did, "proof": proof, **changes}


@pytest.mark.parametrize("proof_value", [12345, ["z3FXQ"], {"z": 1}, None, "z" + "2" * 100_000])
def test_a_proof_value_that_is_not_a_short_string_gets_a_400(client, offer, proof_value):
    presentation = _presentation(offer)
    presentation["proof"]["proofValue"] = proof_value
    response = client.post(
        reverse("wallets:exchange", args=[offer.pk]), {"verifiablePresentation": presentation}, "application/json"
    )
    assert response.status_code == 400 and "proofValue must be a string" in response.json()["error_description"]


def test_a_presentation_without_a_context_gets_a_400(client, offer):
    presentation = _presentation(offer)
    del presentation["@context"]
    response = client.post(
        reverse("wallets:exchange", args=[offer.pk]), {"verifiablePresentation": presentation}, "application/json"
    )
    assert response.status_code == 400 and "@context" in response.json()["error_description"]
    assert not WalletCopy.objects.exists()
