"""The DCC Learner Credential Wallet, unmodified, collects a credential through its request link, over the live
server: what LCW sends (its own libraries, as its code calls them: no Authorization header, a DID Authentication
signed over the challenge with no domain) is accepted, and the offer stays bound to the DID the learner approves."""

import copy
import json
from urllib.parse import urlencode

import pytest
import requests

from awards import verification
from catalog.models import Program
from tests.awards.helpers import schema_errors, third_party_verify
from tests.wallets.lcw import LearnerCredentialWallet
from tests.wallets.wallet import TestWallet
from wallets import services
from wallets.models import WalletCopy, WalletOffer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lcw(public_url):
    return LearnerCredentialWallet()


@pytest.fixture
def other_offer(award):
    return services.offer_create(learner=award.learner, award=award)


def _lcw_request_url(offer):
    return services.exchange_url(offer) + "/lcw"


def test_lcw_following_the_request_link_gets_the_credential_bound_to_its_did(lcw, offer, client, learner_approves):
    answer = lcw.follow(services.lcw_request_link(offer))
    assert answer["status"] == 200, answer
    [credential] = answer["credentials"]
    assert credential["credentialSubject"]["id"] == lcw.did and lcw.did.startswith("did:key:z6Mk")
    assert learner_approves.decided == [lcw.did]
    assert credential["id"] == json.loads(offer.award.credential)["id"]
    assert verification.verify(credential).verdict == "valid"
    assert third_party_verify(client, [credential]) == [{"verified": True, "error": ""}]
    assert schema_errors(credential) == []
    copy_ = WalletCopy.objects.get()
    assert (copy_.award, copy_.holder, copy_.protocol) == (offer.award, lcw.did, "lcw")


def test_what_lcw_sends_is_a_presentation_over_the_challenge_alone(lcw, offer):
    proof = lcw.follow(services.lcw_request_link(offer))["presentation"]["proof"]
    assert proof["type"] == "Ed25519Signature2020" and proof["challenge"] == offer.challenge
    assert "domain" not in proof


def test_an_ampersand_in_the_credential_survives_lcw_decoding_html_entities(lcw, offer, client, learner_approves):
    description = "Health &amp; Safety, R&D; notes at https://example.org/notes?id=1&notify=1&quot;"
    Program.objects.filter(pk=offer.award.program_id).update(description=description)
    [credential] = lcw.follow(services.lcw_request_link(offer))["credentials"]
    assert credential["credentialSubject"]["achievement"]["description"] == description
    assert third_party_verify(client, [credential]) == [{"verified": True, "error": ""}]


def test_lcw_s_presentation_replayed_to_another_offer_is_refused(lcw, offer, other_offer):
    presentation = lcw.follow(services.lcw_request_link(offer))["presentation"]  # the learner was not looking
    response = requests.post(_lcw_request_url(other_offer), json=presentation, timeout=30)
    assert response.status_code == 400 and response.json()["error"] == "invalid_proof"
    assert "challenge does not match" in response.json()["error_description"]
    assert WalletOffer.objects.get(pk=other_offer.pk).pending_holder == ""
    assert not WalletCopy.objects.exists()


def test_a_link_carrying_another_offer_s_challenge_gets_nothing(lcw, offer, other_offer, learner_approves):
    forged = (
        services.lcw_request_link(offer).split("?")[0]
        + "?"
        + urlencode(
            {
                "issuer": "x",
                "auth_type": "bearer",
                "challenge": offer.challenge,
                "vc_request_url": _lcw_request_url(other_offer),
            }
        )
    )
    answer = lcw.follow(forged)
    assert answer["status"] == 400 and answer["error"]["error"] == "invalid_proof"
    assert learner_approves.decided == [] and not WalletCopy.objects.exists()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda proof: proof.update(created="2020-01-01T00:00:00Z"),
        lambda proof: proof.update(domain=services.domain()),  # a domain added after signing
        lambda proof: proof.update(proofValue=proof["proofValue"][:-4] + "1111"),
    ],
    ids=["created", "domain-added", "signature"],
)
def test_a_tampered_lcw_presentation_is_refused(lcw, offer, tamper):
    presentation = lcw.follow(services.lcw_request_link(offer))["presentation"]
    services.offer_approve(offer=offer, learner=offer.learner, holder=lcw.did)
    tampered = copy.deepcopy(presentation)
    tamper(tampered["proof"])
    response = requests.post(_lcw_request_url(offer), json=tampered, timeout=30)
    assert response.status_code == 400 and response.json()["error"] == "invalid_proof"
    assert not WalletCopy.objects.exists()


def test_a_presentation_bound_to_another_domain_is_refused(offer, public_url):
    wallet = TestWallet(public_url, public_url)
    presentation = wallet.did_authentication(offer.challenge, "evil.example")
    response = requests.post(_lcw_request_url(offer), json=presentation, timeout=30)
    assert response.status_code == 400 and "domain does not match" in response.json()["error_description"]
    assert not WalletCopy.objects.exists()


def test_a_wrong_bearer_token_beside_lcw_s_presentation_is_refused(lcw, offer):
    presentation = lcw.follow(services.lcw_request_link(offer))["presentation"]
    response = requests.post(
        _lcw_request_url(offer), json=presentation, headers={"Authorization": "Bearer wrong"}, timeout=30
    )
    assert response.status_code == 401 and response.json()["error"] == "invalid_token"
    assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_the_challenge_as_bearer_token_beside_lcw_s_presentation_is_accepted(lcw, offer):
    presentation = lcw.follow(services.lcw_request_link(offer))["presentation"]  # the learner was not looking
    services.offer_approve(offer=offer, learner=offer.learner, holder=lcw.did)
    response = requests.post(
        _lcw_request_url(offer), json=presentation, headers={"Authorization": f"Bearer {offer.challenge}"}, timeout=30
    )
    assert response.status_code == 200 and response.json()["credentialSubject"]["id"] == lcw.did


def test_lcw_is_refused_when_the_learner_refuses(lcw, offer, learner_refuses):
    answer = lcw.follow(services.lcw_request_link(offer))
    assert answer["status"] == 403 and answer["error"]["error"] == "credential_request_denied"
    assert learner_refuses.decided == [lcw.did] and not WalletCopy.objects.exists()


def test_lcw_asking_again_once_approved_gets_the_credential_once(lcw, offer):
    link = services.lcw_request_link(offer)
    first = lcw.follow(link)
    assert first["status"] == 403 and first["error"]["error"] == "authorization_pending"
    services.offer_approve(offer=offer, learner=offer.learner, holder=lcw.did)
    assert lcw.follow(link)["credentials"][0]["credentialSubject"]["id"] == lcw.did
    assert lcw.follow(link)["status"] == 404
    assert WalletCopy.objects.count() == 1
